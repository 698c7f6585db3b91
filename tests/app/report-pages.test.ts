// @vitest-environment jsdom
import { describe, expect, it } from 'vitest'
import { mount, flushPromises } from '@vue/test-utils'
import { buildReport } from '../../src/engine'
import OverviewPage from '../../src/app/pages/OverviewPage.vue'
import FunnelsPage from '../../src/app/pages/FunnelsPage.vue'
import ChurnPage from '../../src/app/pages/ChurnPage.vue'
import SourcesPage from '../../src/app/pages/SourcesPage.vue'
import ManagersPage from '../../src/app/pages/ManagersPage.vue'
import TimePage from '../../src/app/pages/TimePage.vue'
import TouchesPage from '../../src/app/pages/TouchesPage.vue'
import LossPage from '../../src/app/pages/LossPage.vue'
import ForecastPage from '../../src/app/pages/ForecastPage.vue'
import QualityPage from '../../src/app/pages/QualityPage.vue'
import DrillPanel from '../../src/app/components/DrillPanel.vue'
import { useReportStore } from '../../src/app/stores/report'
import { useSessionStore } from '../../src/app/stores/session'
import { useDrillStore } from '../../src/app/stores/drill'
import { useFiltersStore } from '../../src/app/stores/filters'
import { MARCH } from '../engine/march'
import { reportFixture } from './app-fixture'

/** A cell's figure, without its change mark (ChangeMark.vue; tested in change-marks.test.ts). */
const cellText = (el: Element) => {
  const copy = el.cloneNode(true) as Element
  copy.querySelectorAll('.fl-chg').forEach((m) => m.remove())
  return copy.textContent?.replace(/\s+/g, ' ').trim() ?? ''
}

describe('report pages render what the engine returned', () => {
  it('Overview: every KPI card shows the engine figure and its comparison', async () => {
    const { pinia } = await reportFixture()
    const report = useReportStore().report!
    const fmt = useSessionStore().formatter
    const w = mount(OverviewPage, { global: { plugins: [pinia] } })
    expect(w.find('[data-testid="kpi-dealsCreated"] [data-testid="kpi-value"]').text()).toBe(
      fmt.number(report.kpis.dealsCreated.value, 0),
    )
    expect(w.find('[data-testid="kpi-won"] [data-testid="kpi-value"]').text()).toBe(
      fmt.number(report.kpis.won.value, 0),
    )
    expect(w.find('[data-testid="kpi-wonSum"] [data-testid="kpi-value"]').text()).toBe(
      fmt.money(report.kpis.wonSum.value),
    )
    expect(w.find('[data-testid="kpi-conversion"] [data-testid="kpi-value"]').text()).toBe(
      fmt.percent(report.kpis.conversion.value),
    )
    expect(w.find('[data-testid="kpi-lost"] [data-testid="kpi-comparison"]').text()).toContain(
      fmt.number(report.kpis.lost.previous, 0),
    )
    // February has deal 50 (created 02-10) and deal 5: the comparison is a real, different period.
    expect(report.comparison?.period.from).toBe('2024-02-01')
  })

  it('Funnels: cohort table rows are the engine rows; the flow toggle switches to flow figures', async () => {
    const { pinia } = await reportFixture()
    const report = useReportStore().report!
    const w = mount(FunnelsPage, { global: { plugins: [pinia] } })
    const pipe = report.funnel.cohort[0]
    const rows = w.findAll(`[data-testid="table-funnel-cohort-${pipe.categoryId}"] [data-testid="table-row"]`)
    expect(rows.length).toBe(pipe.order.length)
    pipe.order.forEach((id, i) => {
      expect(cellText(rows[i].find('[data-col="stage"]').element)).toBe(pipe.stages[id].name)
      expect(cellText(rows[i].find('[data-col="reached"]').element)).toBe(String(pipe.stages[id].reached))
      expect(cellText(rows[i].find('[data-col="current"]').element)).toBe(String(pipe.stages[id].current))
    })
    await w.find('[data-testid="funnel-mode-flow"]').trigger('click')
    const flow = report.funnel.flow[0]
    const flowRows = w.findAll(`[data-testid="table-funnel-flow-${flow.categoryId}"] [data-testid="table-row"]`)
    flow.order.forEach((id, i) =>
      expect(cellText(flowRows[i].find('[data-col="entries"]').element)).toBe(String(flow.stages[id].entries)),
    )
    expect(useFiltersStore().state.mode).toBe('flow')
  })

  it('Churn, Sources, Managers, Time, Touches, Loss, Forecast, Quality render their sections', async () => {
    const { pinia } = await reportFixture()
    const report = useReportStore().report!
    const fmt = useSessionStore().formatter
    const opts = { global: { plugins: [pinia] } }

    const churn = mount(ChurnPage, opts)
    const pc = report.churn[0]
    const churnRows = churn.findAll(`[data-testid="table-churn-cohort-${pc.categoryId}"] [data-testid="table-row"]`)
    pc.order.forEach((id, i) =>
      expect(cellText(churnRows[i].find('[data-col="churn"]').element)).toBe(fmt.percent(pc.cohort[id].churn)),
    )

    const sources = mount(SourcesPage, opts)
    const roiRows = sources.findAll('[data-testid="table-sources-roi"] [data-testid="table-row"]')
    // Two total lines: the channels with spend (ROI over their own spend) and those without.
    expect(roiRows.length).toBe(report.roi.rows.length + 2)
    report.roi.rows.forEach((r, i) => expect(cellText(roiRows[i].find('[data-col="won"]').element)).toBe(String(r.won)))
    const [paid, unpaid] = roiRows.slice(-2).map((row) => row.find('[data-col="name"]').text())
    expect([paid, unpaid]).toEqual(['Total: channels with spend', 'Channels without spend (no ROI)'])
    const spaces = (x: string) => x.replace(/\s/g, ' ')
    expect(spaces(cellText(roiRows[roiRows.length - 2].find('[data-col="revenue"]').element))).toBe(
      spaces(fmt.money(report.roi.total.revenue)),
    )

    const managers = mount(ManagersPage, opts)
    const mRows = managers.findAll('[data-testid="table-managers"] [data-testid="table-row"]')
    expect(mRows.length).toBe(report.managers.length)
    report.managers.forEach((m, i) =>
      expect(cellText(mRows[i].find('[data-col="won"]').element)).toBe(String(m.won.count)),
    )

    const time = mount(TimePage, opts)
    expect(time.find('[data-testid="kpi-time-toWin"] [data-testid="kpi-value"]').text()).toBe(
      fmt.duration(report.timing.toWin.stats.median === null ? null : report.timing.toWin.stats.median * 3_600_000),
    )

    const touches = mount(TouchesPage, opts)
    expect(touches.find('[data-testid="kpi-touches-withTouches"] [data-testid="kpi-value"]').text()).toBe(
      fmt.number(report.touches.withTouches, 0),
    )

    const loss = mount(LossPage, opts)
    const lRows = loss.findAll('[data-testid="table-loss-reasons"] [data-testid="table-row"]')
    expect(lRows.length).toBe(report.lossReasons.byReason.length)
    report.lossReasons.byReason.forEach((r, i) =>
      expect(cellText(lRows[i].find('[data-col="count"]').element)).toBe(String(r.count)),
    )
    const cellRows = loss.findAll('[data-testid="table-loss-cells"] [data-testid="table-row"]')
    expect(cellRows.length).toBe(report.lossReasons.cells.length)
    report.lossReasons.cells.forEach((c, i) =>
      expect(cellText(cellRows[i].find('[data-col="manager"]').element)).toBe(c.managerName),
    )

    const forecast = mount(ForecastPage, opts)
    expect(forecast.find('[data-testid="kpi-forecast-open"] [data-testid="kpi-value"]').text()).toBe(
      fmt.number(report.forecast.total.deals, 0),
    )
    // The open deals' total and the months (open + deals not created yet) say which is which:
    // the months may add up to more than the total.
    expect(forecast.find('[data-testid="kpi-forecast-expected"]').text()).toContain('from open deals')
    const months = forecast.findAll('[data-testid^="kpi-forecast-inflow-"]')
    expect(months.length).toBe(report.forecast.inflow.months.length)
    for (const m of months) expect(m.text()).toContain('(open + new deals)')

    const quality = mount(QualityPage, opts)
    const qRow = quality
      .findAll('[data-testid="table-quality"] [data-testid="table-row"]')
      .find((r) => r.find('[data-col="label"]').text().includes('stage history'))
    expect(qRow?.find('[data-col="count"]').text()).toBe(String(report.quality.reconstructed))
  })

  it('a new filter builds a new report: the city filter with no matching deals empties the funnel', async () => {
    const { engine } = await reportFixture()
    const store = useReportStore()
    await store.run({ from: MARCH.from, to: MARCH.to, compare: 'none', cityIds: ['nowhere'] })
    expect(store.report!.kpis.dealsCreated.value).toBe(0)
    const direct = buildReport(engine.prepared(), {
      from: MARCH.from,
      to: MARCH.to,
      compare: 'none',
      cityIds: ['msk'],
      now: MARCH.now,
    })
    await store.run({ from: MARCH.from, to: MARCH.to, compare: 'none', cityIds: ['msk'] })
    expect(store.report!.kpis).toEqual(direct.kpis)
  })
})

describe('drill-down', () => {
  it('a number opens exactly the deals the engine counted, with names as text', async () => {
    const { pinia, engine } = await reportFixture()
    const report = useReportStore().report!
    const w = mount(FunnelsPage, { global: { plugins: [pinia] } })
    const pipe = report.funnel.cohort[0]
    const first = w.find(
      `[data-testid="table-funnel-cohort-${pipe.categoryId}"] [data-col="reached"] [data-testid="drill-link"]`,
    )
    await first.trigger('click')
    await flushPromises()
    const drill = useDrillStore()
    expect(drill.status).toBe('ready')
    const expected =
      engine.prepared() &&
      (await engine.drill(
        { section: 'cohort', categoryId: pipe.categoryId, stageId: pipe.order[0], measure: 'reached' },
        { from: MARCH.from, to: MARCH.to, compare: 'previous' },
      ))
    expect(drill.rows.map((r) => r.id).sort()).toEqual(expected.map((r) => r.id).sort())
    expect(drill.rows.length).toBe(pipe.stages[pipe.order[0]].reached)

    const panel = mount(DrillPanel, { global: { plugins: [pinia] }, attachTo: document.body })
    await flushPromises()
    expect(panel.find('[data-testid="drill-count"]').text()).toBe(String(expected.length))
    expect(panel.html()).not.toContain('<img')
    panel.unmount()
  })
})
