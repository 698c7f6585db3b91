// @vitest-environment jsdom
/**
 * The Consultations page and the touches-by-outcome additions, fed by the real engine: the
 * figures on screen are the engine's, every count opens exactly its deals (this period and the
 * comparison), CRM text stays text; the loss-reason and stage filters reach the query and URL.
 */
import { describe, expect, it } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import ConsultationsPage from '../../src/app/pages/ConsultationsPage.vue'
import TouchesPage from '../../src/app/pages/TouchesPage.vue'
import FilterBar from '../../src/app/components/FilterBar.vue'
import { queryFromFilters, useReportStore } from '../../src/app/stores/report'
import { useSessionStore } from '../../src/app/stores/session'
import { useFiltersStore } from '../../src/app/stores/filters'
import { useDrillStore } from '../../src/app/stores/drill'
import { parseHash, toHash } from '../../src/app/services/url-state'
import { drillDown } from '../../src/engine'
import type { CrmData } from '../../src/engine/types'
import { addDeal } from '../engine/builders'
import { school } from '../engine/school'
import { MARCH } from '../engine/march'
import { XSS, inProcessEngine } from './app-fixture'

const t = (s: string) => `2024-${s}:00+03:00`
const cellText = (el: Element) => el.textContent?.replace(/\s+/g, ' ').trim() ?? ''

function portal(): CrmData {
  const data = school()
  data.cities = [{ id: 'MSK', name: `Moscow ${XSS}` }]
  data.lossReasons = [{ id: 'NOANSWER', name: `No answer ${XSS}` }]
  const walk = (id: number, stages: [string, string][], extra: Record<string, unknown> = {}) =>
    addDeal(data, {
      id,
      stageId: stages[stages.length - 1][0],
      created: stages[0][1],
      cityId: 'MSK',
      history: stages,
      ...extra,
    })
  walk(1, [
    ['NEW', t('03-01T10:00')],
    ['BOOKED', t('03-02T10:00')],
    ['NOSHOW', t('03-03T10:00')],
    ['BOOKED', t('03-04T10:00')],
    ['HELD', t('03-05T10:00')],
    ['CONTRACT', t('03-06T10:00')],
  ])
  walk(
    2,
    [
      ['NEW', t('03-01T10:00')],
      ['BOOKED', t('03-02T10:00')],
      ['NOSHOW', t('03-03T10:00')],
      ['LOSE', t('03-04T10:00')],
    ],
    { lossReasonId: 'NOANSWER', title: `Deal ${XSS}` },
  )
  walk(3, [
    ['NEW', t('02-01T10:00')],
    ['BOOKED', t('02-02T10:00')],
    ['HELD', t('02-03T10:00')],
  ])
  return data
}

async function fixture(data: CrmData = portal()) {
  const pinia = createPinia()
  setActivePinia(pinia)
  const engine = inProcessEngine()
  const filters = useFiltersStore()
  filters.set({ preset: 'custom', from: MARCH.from, to: MARCH.to, compare: 'previous' })
  filters.setTimeZone(data.portal.timeZone)
  useSessionStore().finishSync(data)
  const report = useReportStore()
  await report.attach(engine, data)
  await report.run({ from: MARCH.from, to: MARCH.to, compare: 'previous' })
  return { pinia, engine, report: report.report! }
}

describe('Consultations page', () => {
  it('shows the engine figures and both periods', async () => {
    const { pinia, report } = await fixture()
    const fmt = useSessionStore().formatter
    const w = mount(ConsultationsPage, { global: { plugins: [pinia] } })
    const c = report.consultations
    expect(c.attendance).toMatchObject({ bookings: 3, held: 1, noShow: 2 })
    expect(w.find('[data-testid="kpi-consult-attendance"] [data-testid="kpi-value"]').text()).toBe(
      fmt.percent(c.attendance.attendanceRate),
    )
    expect(w.find('[data-testid="kpi-consult-attendance"] [data-testid="kpi-comparison"]').text()).toContain(
      fmt.percent(report.comparison!.consultations.attendance.attendanceRate),
    )
    const rows = w.findAll('[data-testid="table-consult-counts"] [data-testid="table-row"]')
    const noShow = rows.find((r) => cellText(r.find('[data-col="figure"]').element) === 'Did not come')!
    expect(cellText(noShow.find('[data-col="current"]').element)).toBe('2')
    expect(cellText(noShow.find('[data-col="previous"]').element)).toBe('0')
    expect(w.find('[data-testid="consult-missing-roles"]').exists()).toBe(false)
    expect(w.html()).not.toContain('<img')
    expect(w.text()).toContain(`Moscow ${XSS}`)
  })

  it('a count opens exactly the deals behind it, in either period', async () => {
    const { pinia, engine } = await fixture()
    const w = mount(ConsultationsPage, { global: { plugins: [pinia] } })
    const rows = w.findAll('[data-testid="table-consult-counts"] [data-testid="table-row"]')
    const held = rows.find((r) => cellText(r.find('[data-col="figure"]').element) === 'Came (held)')!
    const q = { ...MARCH, compare: 'previous' as const }
    await held.find('[data-col="current"] [data-testid="drill-link"]').trigger('click')
    await flushPromises()
    const drill = useDrillStore()
    expect(drill.rows.map((r) => r.id)).toEqual([1])
    await held.find('[data-col="previous"] [data-testid="drill-link"]').trigger('click')
    await flushPromises()
    const expected = drillDown(engine.prepared(), q, {
      section: 'consultations',
      measure: 'held',
      period: 'comparison',
    })
    expect(drill.rows.map((r) => r.id)).toEqual(expected.map((r) => r.id))
    expect(expected.map((r) => r.id)).toEqual([3])
  })

  it('the split follows the chosen dimension and says which stage roles are missing', async () => {
    const data = portal()
    data.settings.heldStageIds = []
    const { pinia } = await fixture(data)
    const w = mount(ConsultationsPage, { global: { plugins: [pinia] } })
    expect(w.find('[data-testid="consult-missing-roles"]').text()).toContain('consultation held')
    expect(w.find('[data-testid="table-consult-split-city"]').exists()).toBe(true)
    await w.find('[data-testid="consult-by"]').setValue('manager')
    expect(useFiltersStore().state.consultBy).toBe('manager')
    expect(w.find('[data-testid="table-consult-split-manager"]').text()).toContain('Anna')
  })
})

describe('touches by outcome', () => {
  it('the Touches page lists touches before the loss by kind and by reason', async () => {
    const { pinia, report } = await fixture()
    const w = mount(TouchesPage, { global: { plugins: [pinia] } })
    expect(report.touches.beforeLoss.deals).toBe(1)
    const reasons = w.findAll('[data-testid="table-touches-before-loss-reasons"] [data-testid="table-row"]')
    expect(reasons.map((r) => cellText(r.find('[data-col="reason"]').element))).toEqual([`No answer ${XSS}`])
    expect(w.find('[data-testid="table-touches-before-loss-kinds"]').exists()).toBe(true)
    expect(w.html()).not.toContain('<img')
  })

  it('names the stage pairs in words and drills by the engine’s key', async () => {
    const { pinia, report } = await fixture()
    const w = mount(TouchesPage, { global: { plugins: [pinia] } })
    expect(report.touches.betweenStages.map((p) => p.name)).toContain('noShow→loss')
    const rows = w.findAll('[data-testid="table-touches-between"] [data-testid="table-row"]')
    const names = rows.map((r) => cellText(r.find('[data-col="name"]').element))
    expect(names).toEqual(['Consultation → contract signed', 'No-show → deal lost'])
    expect(w.text()).not.toMatch(/noShow|consultation→contract/)
    const noShow = rows[1].find('[data-col="deals"] [data-testid="drill-link"]')
    await noShow.trigger('click')
    await flushPromises()
    expect(useDrillStore().target).toMatchObject({
      ref: { measure: 'betweenStages', pair: 'noShow→loss' },
      caption: 'No-show → deal lost',
    })
  })

  it('loss-reason and stage filters go from the filter bar to the query and the URL', async () => {
    await fixture()
    const filters = useFiltersStore()
    const bar = mount(FilterBar, { attachTo: document.body })
    await bar.find('[data-testid="filter-loss-reasons"]').trigger('click')
    await bar.findAll('[data-testid="filter-loss-reasons-option"]')[0].find('input').setValue(true)
    await bar.find('[data-testid="filter-stages"]').trigger('click')
    const stages = bar.findAll('[data-testid="filter-stages-option"]')
    expect(stages.map((o) => o.text())).toContain('NOSHOW')
    await stages
      .find((o) => o.text() === 'NOSHOW')!
      .find('input')
      .setValue(true)
    expect(filters.state).toMatchObject({ lossReasons: ['NOANSWER'], stages: ['NOSHOW'] })
    expect(queryFromFilters(filters.state, filters.range)).toMatchObject({
      lossReasonIds: ['NOANSWER'],
      stageIds: ['NOSHOW'],
    })
    const hash = toHash(filters.state)
    expect(hash).toContain('reason=NOANSWER')
    expect(parseHash(hash)).toMatchObject({ lossReasons: ['NOANSWER'], stages: ['NOSHOW'] })
    bar.unmount()
  })
})
