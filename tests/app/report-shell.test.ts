// @vitest-environment jsdom
import { describe, expect, it } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import ReportApp from '../../src/app/ReportApp.vue'
import { REPORT_ACTIONS, type ReportActions } from '../../src/app/services/report-actions'
import { useSessionStore } from '../../src/app/stores/session'
import { useFiltersStore } from '../../src/app/stores/filters'
import { useReportStore } from '../../src/app/stores/report'
import { MARCH } from '../engine/march'
import { hostilePortal, inProcessEngine } from './app-fixture'

function recordingActions(): ReportActions & { syncs: boolean[] } {
  const syncs: boolean[] = []
  return {
    syncs,
    sync: (force) => syncs.push(force),
    openClient: () => undefined,
    openDeal: () => undefined,
    fitWindow: () => undefined,
    scrollToTop: () => undefined,
    openSettings: () => undefined,
    print: () => undefined,
  }
}

async function shell() {
  const pinia = createPinia()
  setActivePinia(pinia)
  history.replaceState(null, '', '/')
  localStorage.clear()
  const actions = recordingActions()
  const filters = useFiltersStore()
  filters.bindToUrl()
  filters.set({ preset: 'custom', from: MARCH.from, to: MARCH.to })
  const w = mount(ReportApp, {
    global: { plugins: [pinia], provide: { [REPORT_ACTIONS as symbol]: actions } },
    attachTo: document.body,
  })
  return { w, actions, session: useSessionStore(), filters, report: useReportStore() }
}

describe('report shell states', () => {
  it('shows the sync progress and a skeleton, then the error with what to do and a retry', async () => {
    const { w, actions, session } = await shell()
    session.startSync()
    session.reportProgress({ done: 40, total: 200, label: 'full', requests: 3 })
    await flushPromises()
    expect(w.find('[data-testid="state-loading"]').exists()).toBe(true)
    expect(w.find('[data-testid="sync-progress"]').attributes('aria-valuenow')).toBe('20')
    expect(w.find('[data-testid="status-bar"]').text()).toContain('40 / 200 rows')
    expect(w.find('[data-testid="sync-requests"]').text()).toBe('requests: 3')
    expect(w.find('[data-testid="sync-progress-label"]').text()).toContain('first full load')

    session.failSync('The portal refused: ACCESS_DENIED')
    await flushPromises()
    const error = w.find('[data-testid="state-error"]')
    expect(error.text()).toContain('ACCESS_DENIED')
    expect(error.text()).toContain('Retry')
    await w.find('[data-testid="retry"]').trigger('click')
    expect(actions.syncs).toEqual([false])
    w.unmount()
  })

  it('after a sync: the deal count, the overview, tabs in the URL, languages, the empty state', async () => {
    const { w, session, filters, report } = await shell()
    const data = hostilePortal()
    filters.setTimeZone(data.portal.timeZone)
    await report.attach(inProcessEngine(), data)
    session.finishSync(data)
    await flushPromises()
    expect(w.find('[data-testid="synced-deals-count"]').text()).toBe(String(data.deals.length))
    expect(w.find('[data-testid="page-overview"]').exists()).toBe(true)
    expect(w.find('[data-testid="kpi-dealsCreated"] [data-testid="kpi-value"]').text()).toBe(
      String(report.report!.kpis.dealsCreated.value),
    )

    await w.find('[data-testid="tab-funnels"]').trigger('click')
    await flushPromises()
    expect(w.find('[data-testid="page-funnels"]').exists()).toBe(true)
    expect(location.hash).toBe(`#/funnels?period=custom&from=${MARCH.from}&to=${MARCH.to}`)

    await w.find('[data-testid="lang-select"]').setValue('uk')
    await flushPromises()
    expect(w.find('[data-testid="tab-overview"]').text()).toBe('Огляд')
    expect(location.hash).toContain('lang=uk')

    // A later sync failure keeps the report on screen and says what went wrong above it.
    session.failSync('Bitrix24 did not answer')
    await flushPromises()
    expect(w.find('[data-testid="page-funnels"]').exists()).toBe(true)
    expect(w.find('[data-testid="stale-error"]').text()).toContain('Bitrix24 did not answer')

    await w.find('[data-testid="tab-overview"]').trigger('click')
    filters.set({ from: '1990-01-01', to: '1990-01-31' })
    await flushPromises()
    expect(report.report!.kpis.dealsCreated.value).toBe(0)
    expect(w.find('[data-testid="state-empty"]').exists()).toBe(true)
    w.unmount()
  })
})

describe('an absurd period in a shared link (issue 8.4)', () => {
  it('is bounded by the URL parser and the engine, said so, and the bounded period is what the URL and last view keep', async () => {
    const pinia = createPinia()
    setActivePinia(pinia)
    localStorage.clear()
    history.replaceState(null, '', '/#/overview?period=custom&from=0001-01-01&to=9999-12-31')
    const filters = useFiltersStore()
    filters.bindToUrl()
    // The parser already keeps the period inside the calendar window.
    expect([filters.state.from, filters.state.to]).toEqual(['1990-01-01', '2099-12-31'])
    const w = mount(ReportApp, {
      global: { plugins: [pinia], provide: { [REPORT_ACTIONS as symbol]: recordingActions() } },
      attachTo: document.body,
    })
    const data = hostilePortal()
    filters.setTimeZone(data.portal.timeZone)
    const report = useReportStore()
    await report.attach(inProcessEngine(), data)
    useSessionStore().finishSync(data)
    await flushPromises()
    await flushPromises()
    // The engine cut it to the data's years (±1): that is now the view, and the notice says what was asked.
    const bounded = report.report!.period
    expect(bounded.requested).toBeUndefined() // the second report, for the bounded period, needed no bounding
    expect(bounded.from.endsWith('-01-01') && bounded.to.endsWith('-12-31')).toBe(true)
    expect(Number(bounded.to.slice(0, 4)) - Number(bounded.from.slice(0, 4))).toBeLessThan(10)
    expect(location.hash).toBe(`#/overview?period=custom&from=${bounded.from}&to=${bounded.to}`)
    expect(localStorage.getItem('funnel-lens-view:')).toBe(location.hash)
    const notice = w.find('[data-testid="period-clamped"]')
    expect(notice.text()).toContain('0001-01-01 – 9999-12-31')
    expect(notice.text()).toContain(`${bounded.from} – ${bounded.to}`)
    expect(report.report!.series.labels.length).toBeLessThanOrEqual(60)

    // Choosing a period by hand clears the notice.
    filters.set({ preset: 'last-year' })
    await flushPromises()
    expect(w.find('[data-testid="period-clamped"]').exists()).toBe(false)
    w.unmount()
  })
})
