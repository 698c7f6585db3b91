// @vitest-environment jsdom
/**
 * The clients, calls, lead-processing, overdue and funnel-on-a-date views (issue 10.1–10.5)
 * render the engine's figures, keep CRM text as text, and drill into the deals counted; a
 * client's drill-down offers to open its card.
 */
import { describe, expect, it } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import OverviewPage from '../../src/app/pages/OverviewPage.vue'
import ManagersPage from '../../src/app/pages/ManagersPage.vue'
import FunnelsPage from '../../src/app/pages/FunnelsPage.vue'
import DrillPanel from '../../src/app/components/DrillPanel.vue'
import { useReportStore } from '../../src/app/stores/report'
import { useSessionStore } from '../../src/app/stores/session'
import { useDrillStore } from '../../src/app/stores/drill'
import { useFiltersStore } from '../../src/app/stores/filters'
import { addLead, addTouch } from '../engine/builders'
import { hostilePortal, reportFixture, XSS } from './app-fixture'

function portalWithClients() {
  const data = hostilePortal()
  const deal = (id: number) => data.deals.find((d) => d.id === id)!
  deal(1).companyId = 7
  deal(2).companyId = 7
  deal(3).contactId = 9
  deal(3).expectedCloseDay = '2024-03-20' // open, due before "now" (April 15): overdue
  data.companies = [{ id: 7, name: `Steel ${XSS}` }]
  const inMarch = (day: string) => `2024-03-${day}T10:00:00+03:00`
  addTouch(data, { kind: 'call', direction: 'in', at: inMarch('05'), durationSec: 60, callFailedCode: '200' })
  addTouch(data, { kind: 'call', direction: 'in', at: inMarch('06'), durationSec: 0, callFailedCode: '304' })
  addTouch(data, { kind: 'call', direction: 'out', at: inMarch('07'), durationSec: 120 })
  // Two leads: one answered by e-mail two hours after it came in, one never touched.
  addLead(data, { id: 70, created: inMarch('03'), semantic: 'P' })
  addLead(data, { id: 71, created: inMarch('04'), semantic: 'P' })
  addTouch(data, { kind: 'email', at: '2024-03-03T12:00:00+03:00', leadIds: [70] })
  return data
}

describe('clients and overdue on the overview', () => {
  it('KPI cards, the new/existing table and the top clients with the company name as text', async () => {
    const { pinia } = await reportFixture('previous', portalWithClients())
    const report = useReportStore().report!
    const fmt = useSessionStore().formatter
    const w = mount(OverviewPage, { global: { plugins: [pinia] } })
    expect(w.find('[data-testid="kpi-overdue"] [data-testid="kpi-value"]').text()).toBe(
      fmt.number(report.kpis.overdue.value, 0),
    )
    expect(report.kpis.overdue.value).toBe(1)
    expect(w.find('[data-testid="kpi-newClients"] [data-testid="kpi-value"]').text()).toBe(
      fmt.number(report.kpis.newClients.value, 0),
    )
    const top = w.find('[data-testid="table-clients-top"]')
    expect(top.text()).toContain(`Steel ${XSS}`)
    expect(top.html()).not.toContain('<img')
    expect(w.find('[data-testid="table-clients-groups"]').exists()).toBe(true)
    expect(w.find('[data-testid="table-overdue-stages"]').exists()).toBe(true)
  })

  it('a top client drills into its deals and the panel opens the company card', async () => {
    const { pinia } = await reportFixture('previous', portalWithClients())
    const w = mount(OverviewPage, { global: { plugins: [pinia] } })
    const row = w
      .findAll('[data-testid="table-clients-top"] [data-testid="table-row"]')
      .find((r) => r.text().includes('Steel'))!
    await row.find('[data-col="deals"] [data-testid="drill-link"]').trigger('click')
    await flushPromises()
    const drill = useDrillStore()
    expect(drill.rows.map((r) => r.id).sort()).toEqual([1, 2])
    const panel = mount(DrillPanel, { global: { plugins: [pinia] }, attachTo: document.body })
    await flushPromises()
    await panel.find('[data-testid="drill-open-client"]').trigger('click')
    expect(panel.emitted('openClient')).toEqual([[{ type: 'company', id: 7 }]])
    panel.unmount()
  })
})

describe('calls, lead processing and overdue on the managers page', () => {
  it('incoming, outgoing, missed and the share missed per manager', async () => {
    const { pinia } = await reportFixture('previous', portalWithClients())
    const w = mount(ManagersPage, { global: { plugins: [pinia] } })
    const row = w.find('[data-testid="table-managers-calls"] [data-testid="table-row"]')
    const cell = (col: string) => row.find(`[data-col="${col}"]`).text()
    expect([cell('in'), cell('out'), cell('missed')]).toEqual(['2', '1', '1'])
    expect(cell('missedShare')).toBe(useSessionStore().formatter.percent(0.5))
    // Lead processing: the period's leads as the total row, with the overall median.
    const report = useReportStore().report!
    const total = w.find('[data-testid="table-managers-processing"] .fl-total')
    expect(report.leads.processing).toMatchObject({ count: 1, median: 2, notProcessed: 1 })
    expect(total.find('[data-col="count"]').text()).toBe('1')
    expect(total.find('[data-col="notProcessed"]').text()).toBe('1')
    expect(w.find('[data-testid="table-overdue-managers"]').exists()).toBe(true)
    expect(w.find('[data-testid="table-managers-clients"]').exists()).toBe(true)
  })
})

describe('the funnel on a date', () => {
  it('shows the engine’s date and puts a picked date into the filters (and so the query)', async () => {
    const { pinia } = await reportFixture('previous', portalWithClients())
    const report = useReportStore().report!
    const w = mount(FunnelsPage, { global: { plugins: [pinia] } })
    const input = w.find('[data-testid="on-date-input"]')
    expect((input.element as HTMLInputElement).value).toBe(report.stagesOnDate.date)
    const rows = w.findAll('[data-testid="table-on-date-0"] [data-testid="table-row"]')
    // Every stage, then the total.
    expect(rows.length).toBe(report.stagesOnDate.pipelines[0].stages.length + 1)
    await input.setValue('2024-03-10') // input and change events
    expect(useFiltersStore().state.asOf).toBe('2024-03-10')
    // The report on screen still answers the old day (no engine here): after the re-render the
    // input keeps the pick instead of flipping back, so a second change event cannot undo it.
    await w.vm.$nextTick()
    expect(w.find('[data-testid="on-date-reset"]').exists()).toBe(true)
    expect((input.element as HTMLInputElement).value).toBe('2024-03-10')
    await input.trigger('change')
    expect(useFiltersStore().state.asOf).toBe('2024-03-10')
  })
})
