/**
 * Placements DEFAULT and CRM_ANALYTICS_MENU: the report. Mounts the Vue app, syncs the CRM
 * through the host, hands the data to the engine's Web Worker and keeps the frame sized.
 */
import { createApp, type App } from 'vue'
import { createPinia } from 'pinia'
import ReportApp from '../src/app/ReportApp.vue'
import '../src/app/styles/app.css'
import { useFiltersStore } from '../src/app/stores/filters'
import { useSessionStore } from '../src/app/stores/session'
import { useReportStore, type ReportEngine } from '../src/app/stores/report'
import { REPORT_ACTIONS, type ReportActions } from '../src/app/services/report-actions'
import type { ReportHost } from '../src/app/services/host'
import { translate } from '../src/app/i18n'
import { EngineClient } from '../src/app/services/engine-client'
import type { DrillRef, DrillRow, Report, ReportQuery } from '../src/app/services/engine-api'

export interface MountReportOptions {
  /** the engine; default: the Web Worker in src/engine/worker.ts */
  engine?: ReportEngine
}

function workerEngine(): ReportEngine {
  const worker = new Worker(new URL('../src/engine/worker.ts', import.meta.url), { type: 'module' })
  return new EngineClient<ReportQuery, Report, DrillRef, DrillRow>(worker)
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
      const data = await host.loadCrmData((p) => session.reportProgress(p), {
        force,
        onCached: (old) => {
          filters.setTimeZone(old.portal.timeZone)
          session.showCached(old)
          engine ??= workerEngine()
          cached = report.attach(engine, old)
        },
      })
      // The worker answers in order; waiting keeps a slow cached load from landing last.
      if (cached) await (cached as Promise<void>).catch(() => undefined)
      filters.setTimeZone(data.portal.timeZone)
      engine ??= workerEngine()
      await report.attach(engine, data)
      session.finishSync(data)
    } catch (e) {
      session.failSync(describe(e))
    } finally {
      syncing = false
    }
  }

  const actions: ReportActions = {
    sync: (force) => void sync(force),
    openDeal: (id) => {
      session.notice = null
      host.openDeal(id).catch((e) => {
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
  void sync(false)
  return app
}
