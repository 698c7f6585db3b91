/**
 * Placements DEFAULT and CRM_ANALYTICS_MENU: the report. Mounts the Vue app, syncs the CRM
 * through the host, hands the data to the engine's Web Worker and keeps the frame sized.
 */
import { createApp, toRaw, watch, type App } from 'vue'
import { createPinia } from 'pinia'
import ReportApp from '../src/app/ReportApp.vue'
import '../src/app/styles/app.css'
import { useFiltersStore } from '../src/app/stores/filters'
import { useSessionStore } from '../src/app/stores/session'
import { queryFromFilters, useReportStore, type ReportEngine } from '../src/app/stores/report'
import { REPORT_ACTIONS, type ReportActions } from '../src/app/services/report-actions'
import type { ReportHost, ReportSnapshot } from '../src/app/services/host'
import { translate } from '../src/app/i18n'
import { EngineClient } from '../src/app/services/engine-client'
import { afterPaint } from '../src/app/services/after-paint'
import type { DrillRef, DrillRow, Report, ReportQuery } from '../src/app/services/engine-api'
import type { CrmData } from '../src/engine/types'
import { unnamedTopClients } from '../src/engine/clients'
import { comparisonDays, parseDay, type CompareMode } from '../src/engine/periods'
import type { DateRange } from '../src/app/services/period-presets'

export interface MountReportOptions {
  /** the engine; default: the Web Worker in src/engine/worker.ts */
  engine?: ReportEngine
}

function workerEngine(): ReportEngine {
  const worker = new Worker(new URL('../src/engine/worker.ts', import.meta.url), { type: 'module' })
  return new EngineClient<ReportQuery, Report, DrillRef, DrillRow>(worker)
}

const DAY_MS = 86_400_000
/** The longest the period-first backfill waits for the period's report to be on screen. */
const FIRST_REPORT_WAIT_MS = 15_000

/**
 * Period first: the instant from which a cold open loads rows before the rest — the first day of
 * the period on screen or its comparison, less two days, as the portal's zone is not known yet.
 */
export function recentSince(range: DateRange, compare: CompareMode): number {
  const from = parseDay(range.from)
  const to = parseDay(range.to)
  const cmp = comparisonDays(from, to, compare)
  return (Math.min(from, cmp ? cmp[0] : from) - 2) * DAY_MS
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message
  return typeof error === 'string' ? error : JSON.stringify(error)
}

export function mountReport(el: HTMLElement, host: ReportHost, options: MountReportOptions = {}): App {
  const app = createApp(ReportApp)
  const pinia = createPinia()
  app.use(pinia)
  const session = useSessionStore(pinia)
  const filters = useFiltersStore(pinia)
  const report = useReportStore(pinia)
  session.portalLanguage = host.portalLanguage
  session.initTheme()
  filters.bindToUrl()
  session.applyLanguage(filters.state.lang)

  let engine: ReportEngine | null = options.engine ?? null
  let syncing = false

  async function sync(force: boolean): Promise<void> {
    if (syncing) return
    syncing = true
    session.startSync()
    try {
      let cached: Promise<void> | null = null
      let cachedData: CrmData | null = null
      // A cached or period-first load: shown at once, replaced by the complete data below.
      // `pending`: the period's tables still loading (null: the cache, complete as of the last visit).
      const showEarly = (early: CrmData, pending: string[] | null) => {
        filters.setTimeZone(early.portal.timeZone)
        if (pending) session.showPartial(early, pending)
        else session.showCached(early)
        engine ??= workerEngine()
        cachedData = early
        cached = report.attach(engine, early)
      }
      const data = await host.loadCrmData((p) => session.reportProgress(p), {
        force,
        onCached: (old) => showEarly(old, null),
        recentSince: recentSince(filters.range, filters.state.compare),
        onRecent: async (recent, pending) => {
          const shown = report.nextShown(FIRST_REPORT_WAIT_MS)
          // Tables now in keep their "still loading" marks until a report built with them is on
          // screen: the one there was built without them.
          showEarly(recent, [...new Set([...pending, ...session.periodPending])])
          // The period's report is drawn before the next stage (the period's rest, the backfill)
          // starts (in a background tab, which paints nothing, it goes on at once: never held).
          await shown
          session.setPeriodPending(pending)
          await afterPaint()
        },
      })
      filters.setTimeZone(data.portal.timeZone)
      engine ??= workerEngine()
      // The host hands back the cached object itself when the delta changed nothing: the worker
      // already holds (or is loading) that data and the report on screen is built from it.
      if (data === cachedData && cached) await (cached as Promise<void>).catch(() => undefined)
      // Fresh data goes to the worker at once, even while the cached load still runs: the worker
      // takes messages in order and the store ignores the superseded load.
      if (data !== cachedData || !report.dataLoaded) await report.attach(engine, data)
      session.finishSync(data)
    } catch (e) {
      session.failSync(describe(e))
    } finally {
      syncing = false
    }
  }

  /** The report saved on the last visit, shown while the data loads if it answers today's filters. */
  async function showSnapshot(): Promise<void> {
    const saved = await host.loadSnapshot?.().catch(() => null)
    if (!saved || report.dataLoaded || report.report) return
    filters.setTimeZone(saved.portal.timeZone)
    if (JSON.stringify(queryFromFilters(filters.state, filters.range)) !== JSON.stringify(saved.query)) return
    session.showSnapshot(saved.portal, saved.dictionaries)
    report.showSnapshot(saved.report, saved.query)
  }

  // Every report computed from the synced data (not from the cache while the delta runs)
  // becomes the next visit's first screen. Watched on both sides: either may finish last.
  let saved: Report | null = null
  watch([() => report.report, () => session.status, () => report.builtFor], () => {
    const shown = report.report
    const portal = session.portal
    const fresh = session.status === 'ready' && report.status === 'ready' && report.builtFor === report.dataVersion
    if (!shown || shown === saved || !fresh || report.fromSnapshot || !report.query || !portal || !host.saveSnapshot)
      return
    saved = shown
    const snapshot: ReportSnapshot = {
      query: toRaw(report.query),
      report: toRaw(shown),
      portal: { ...toRaw(portal) },
      dictionaries: { ...toRaw(session.dictionaries) },
      syncedAt: session.syncedAt ?? Date.now(),
    }
    host
      .saveSnapshot(snapshot)
      .then(() => performance.mark('fl:snapshot-saved'))
      .catch(() => undefined) // a lost snapshot only costs the next quick start
  })

  // Client names are not synced: name the top clients of each report with one lookup.
  watch(
    () => report.report,
    (shown) => {
      if (!shown || !host.clientNames) return
      const ids = unnamedTopClients([shown.clients, shown.comparison?.clients])
      if (!ids.companies.length && !ids.contacts.length) return
      host
        .clientNames(ids)
        .then((names) => report.nameClients(shown, names))
        .catch(() => undefined) // names are a courtesy: ids stay on screen
    },
  )

  const actions: ReportActions = {
    sync: (force) => void sync(force),
    openDeal: (id) => {
      session.notice = null
      host.openDeal(id).catch((e) => {
        session.notice = `${translate(session.language, 'drill.openFailed')} ${describe(e)}`
      })
    },
    openClient: (client) => {
      session.notice = null
      host.openClient?.(client).catch((e) => {
        session.notice = `${translate(session.language, 'drill.openFailed')} ${describe(e)}`
      })
    },
    fitWindow: (height) => host.fitWindow(height),
    scrollToTop: () => host.scrollParentToTop(),
    openSettings: () => host.openSettings(),
    print: () => window.print(),
  }
  app.provide(REPORT_ACTIONS, actions)
  app.mount(el)
  void showSnapshot()
  void sync(false)
  // Every admin load re-checks who may write budgets and plans (issue 8.5); a reset is reported.
  host
    .enforceStorageRights?.()
    .then((reset) => {
      if (reset.length)
        session.notice = translate(session.language, 'notice.storageRightsReset', { storages: reset.join(', ') })
    })
    .catch(() => undefined) // the report does not depend on it; the next admin load tries again
  return app
}
