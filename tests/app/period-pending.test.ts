// @vitest-environment jsdom
/**
 * Period first, stage B (issue 11.1): while the period's touches still load, every figure that
 * counts them says "still loading for this period" instead of a number, and the deal figures
 * beside them show. Once the whole period is in, the figures replace the notes.
 */
import { describe, expect, it } from 'vitest'
import { mount, flushPromises, type VueWrapper } from '@vue/test-utils'
import TouchesPage from '../../src/app/pages/TouchesPage.vue'
import ManagersPage from '../../src/app/pages/ManagersPage.vue'
import TimePage from '../../src/app/pages/TimePage.vue'
import SourcesPage from '../../src/app/pages/SourcesPage.vue'
import StatusBar from '../../src/app/components/StatusBar.vue'
import { useSessionStore } from '../../src/app/stores/session'
import { useReportStore } from '../../src/app/stores/report'
import { periodDataPending } from '../../src/app/services/period-pending'
import { reportFixture } from './app-fixture'

/** The period's tables after its first chart (sync.ts FIRST_CHART_TABLES). */
const STAGE_B = ['leadHistory', 'activities', 'tasks', 'calls']

/** The fixture's report, the session as between the first chart and the end of stage B. */
async function stageB() {
  const fixture = await reportFixture()
  useSessionStore().showPartial(fixture.data, STAGE_B)
  return fixture
}

/** Stage B done: the whole period is on screen, the backfill runs. */
async function periodComplete(data: Parameters<ReturnType<typeof useSessionStore>['showPartial']>[0]) {
  useSessionStore().showPartial(data, [])
  await flushPromises()
}

const column = (w: VueWrapper, table: string, key: string) =>
  w.findAll(`[data-testid="table-${table}"] td[data-col="${key}"]`).map((c) => c.text())

describe('figures that read what the period still loads', () => {
  it('maps pending tables to the figure inputs they leave incomplete', () => {
    expect([...periodDataPending(['calls'])]).toEqual(['touches'])
    expect([...periodDataPending(['leadHistory', 'activities'])]).toEqual(['touches', 'leadHistory'])
    expect([...periodDataPending(['deals', 'dealHistory', 'leads'])]).toEqual([])
    expect([...periodDataPending([])]).toEqual([])
  })

  it('Touches: one note in place of the whole page, then the figures', async () => {
    const { pinia, data } = await stageB()
    const w = mount(TouchesPage, { global: { plugins: [pinia] } })
    const note = w.find('[data-testid="period-pending"]')
    expect(note.attributes('data-needs')).toBe('touches')
    expect(note.text()).toBe(
      'Still loading for this period: touches (activities, calls, tasks). These figures appear once it has loaded.',
    )
    expect(w.find('[data-testid="kpi-touches-withTouches"]').exists()).toBe(false)
    await periodComplete(data)
    expect(w.find('[data-testid="period-pending"]').exists()).toBe(false)
    const withTouches = useReportStore().report!.touches.withTouches
    expect(w.find('[data-testid="kpi-touches-withTouches"] [data-testid="kpi-value"]').text()).toBe(String(withTouches))
  })

  it("Touches: a sync that failed before the period's rest says it stopped, not that it is loading", async () => {
    const { pinia } = await stageB()
    const w = mount(TouchesPage, { global: { plugins: [pinia] } })
    useSessionStore().failSync('QUERY_LIMIT_EXCEEDED')
    await flushPromises()
    expect(w.find('[data-testid="period-pending"]').exists()).toBe(false)
    const note = w.find('[data-testid="period-stopped"]')
    expect(note.text()).toBe(
      'Not loaded for this period: touches (activities, calls, tasks) — the load stopped (the reason is above). Retry to load it.',
    )
    expect(w.find('[data-testid="kpi-touches-withTouches"]').exists()).toBe(false)
  })

  it('Managers: deal columns shown, calls and first touch blank, the calls table and chart a note', async () => {
    const { pinia, data } = await stageB()
    const managers = useReportStore().report!.managers
    const w = mount(ManagersPage, { global: { plugins: [pinia] } })
    expect(w.find('[data-testid="chart-calls"]').exists()).toBe(false)
    expect(w.findAll('[data-testid="period-pending"]').length).toBe(3) // above the table, calls, processing
    expect(column(w, 'managers', 'created')).toEqual(managers.map((r) => String(r.created)))
    expect(new Set(column(w, 'managers', 'calls'))).toEqual(new Set(['—']))
    expect(new Set(column(w, 'managers', 'firstTouch'))).toEqual(new Set(['—']))
    expect(w.find('[data-testid="table-managers"] th[title="loading for this period…"]').exists()).toBe(true)
    await periodComplete(data)
    expect(w.find('[data-testid="period-pending"]').exists()).toBe(false)
    expect(w.find('[data-testid="chart-calls"]').exists()).toBe(true)
    expect(column(w, 'managers', 'calls')).toEqual(managers.map((r) => String(r.calls.count)))
  })

  it('Time: the first-touch cards say loading, time to win shows', async () => {
    const { pinia, data } = await stageB()
    const timing = useReportStore().report!.timing
    const w = mount(TimePage, { global: { plugins: [pinia] } })
    expect(w.find('[data-testid="kpi-time-toFirstTouch"] [data-testid="kpi-pending"]').text()).toBe(
      'loading for this period…',
    )
    expect(w.find('[data-testid="kpi-time-toFirstTouch"] [data-testid="kpi-value"]').exists()).toBe(false)
    expect(w.find('[data-testid="kpi-time-noTouch"] [data-testid="kpi-pending"]').exists()).toBe(true)
    expect(w.find('[data-testid="kpi-time-toWin"] [data-testid="kpi-pending"]').exists()).toBe(false)
    expect(w.find('[data-testid="kpi-time-toWin"] [data-testid="kpi-value"]').exists()).toBe(true)
    expect(w.find('[data-testid="table-time-toFirstTouch-city"]').exists()).toBe(false)
    expect(w.find('[data-testid="table-time-toWin-city"]').exists()).toBe(true)
    await periodComplete(data)
    expect(w.find('[data-testid="kpi-time-noTouch"] [data-testid="kpi-value"]').text()).toBe(
      String(timing.toFirstTouch.noTouch),
    )
    expect(w.find('[data-testid="table-time-toFirstTouch-city"]').exists()).toBe(true)
  })

  it('Sources: lead processing (to the first touch or status change) is a note; the lead figures show', async () => {
    const { pinia, data } = await stageB()
    const w = mount(SourcesPage, { global: { plugins: [pinia] } })
    expect(w.find('[data-testid="table-sources-processing"]').exists()).toBe(false)
    const note = w.find('[data-testid="period-pending"]')
    expect(note.attributes('data-needs')).toBe('touches leadHistory')
    expect(note.text()).toContain('touches (activities, calls, tasks), lead status history')
    expect(w.find('[data-testid="table-sources-leads"]').exists()).toBe(true)
    await periodComplete(data)
    expect(w.find('[data-testid="table-sources-processing"]').exists()).toBe(true)
  })

  it('the status bar says the period itself is still loading, and what', async () => {
    const { pinia, data } = await stageB()
    const session = useSessionStore()
    session.startSync()
    session.showPartial(data, STAGE_B)
    session.reportProgress({ done: 10, total: 100, label: 'periodRest', pending: STAGE_B, etaMs: null })
    const w = mount(StatusBar, { global: { plugins: [pinia] } })
    expect(w.find('[data-testid="sync-progress-label"]').text()).toContain('the rest of the selected period')
    expect(w.find('[data-testid="sync-partial"]').text()).toBe(
      'Showing the selected period; some of its figures are still loading',
    )
    expect(w.find('[data-testid="sync-pending"]').text()).toBe(
      'still loading: lead status history, activities, tasks, calls',
    )
  })
})
