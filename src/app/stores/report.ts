import { defineStore } from 'pinia'
import { computed, ref, shallowRef, watch } from 'vue'
import type { CrmData } from '../../engine/types'
import type { DrillRef, DrillRow, Report, ReportQuery } from '../services/engine-api'
import { toDrillDealRow } from '../services/drill-rows'
import type { FilterState } from '../services/url-state'
import type { DateRange } from '../services/period-presets'
import { t } from '../i18n'
import { engineNotReady } from '../errors'
import { useDrillStore } from './drill'
import { nameTopClients } from '../../engine/clients'
import { diffCrmData, notedPatch, patchSize, type CrmPatch } from '../../engine/patch'

/** The row tables whose sizes alone can tell that a delta is too large to diff. */
const SIZED = ['deals', 'leads', 'dealEvents', 'leadEvents', 'touches'] as const

/**
 * A delta this small goes to the engine as a patch; a larger one (the rest of a period-first
 * load, a first sync) as the whole data: past a few percent of the rows the copy saved no longer
 * pays for the diff and the per-row splicing.
 */
export function patchWorthSending(before: CrmData, after: CrmData): CrmPatch | null {
  const limit = Math.max(200, before.deals.length * 0.05)
  // The sync built `after` from `before` by a patch (a warm reopen's delta): that one, no diff.
  const known = notedPatch(before, after)
  if (known) return patchSize(known) <= limit ? known : null
  // One table alone differs by more than that (a backfill's end; the period's touches after its
  // first chart): not worth a diff of every table.
  if (before.deals.length === 0 || SIZED.some((t) => Math.abs(after[t].length - before[t].length) > limit)) return null
  const patch = diffCrmData(before, after)
  return patch && patchSize(patch) <= limit ? patch : null
}

/** What computes reports: the Web Worker client in the browser, the engine itself in tests. */
export interface ReportEngine {
  load(data: CrmData): Promise<unknown>
  /** Updates the data the engine holds by a delta (engine/patch.ts) instead of a whole load. */
  patch?(patch: CrmPatch): Promise<unknown>
  report(query: ReportQuery): Promise<Report>
  /** the deals behind a figure of the report built for `query` */
  drill(ref: DrillRef, query: ReportQuery): Promise<DrillRow[]>
}

export function queryFromFilters(state: FilterState, range: DateRange): ReportQuery {
  return {
    from: range.from,
    to: range.to,
    compare: state.compare,
    categoryIds: state.pipeline === null ? undefined : [state.pipeline],
    cityIds: state.cities.length ? [...state.cities] : undefined,
    sourceIds: state.sources.length ? [...state.sources] : undefined,
    managerIds: state.managers.length ? [...state.managers] : undefined,
    lossReasonIds: state.lossReasons.length ? [...state.lossReasons] : undefined,
    stageIds: state.stages.length ? [...state.stages] : undefined,
    ...(state.asOf ? { asOf: state.asOf } : {}),
  }
}

/** The last report the engine returned for the current filters, and whether one is on its way. */
export const useReportStore = defineStore('report', () => {
  const report = shallowRef<Report | null>(null)
  const query = shallowRef<ReportQuery | null>(null)
  const status = ref<'idle' | 'loading' | 'ready' | 'error'>('idle')
  const error = ref<string | null>(null)
  const dataLoaded = ref(false)
  /** bumps on every data load (cached, then fresh): the report is rebuilt for each */
  const dataVersion = ref(0)
  let engine: ReportEngine | null = null
  /** The data last sent to `engine` (what a patch would be computed against). */
  let sent: CrmData | null = null
  let ticket = 0
  let loads = 0

  /** The data to the engine: as a patch against what it holds when the delta is small, else whole. */
  async function send(target: ReportEngine, data: CrmData): Promise<void> {
    const before = target === engine ? sent : null
    engine = target
    sent = data
    const patch = before && target.patch ? patchWorthSending(before, data) : null
    if (patch) {
      performance.mark('fl:engine-patch')
      // A patch the engine cannot apply (its previous load failed) falls back to the whole data.
      if (
        await target.patch!(patch).then(
          () => true,
          () => false,
        )
      )
        return
    }
    // Counted by the e2e test: a warm reopen with nothing changed posts the data once.
    performance.mark('fl:engine-load')
    await target.load(data)
  }

  async function attach(next: ReportEngine, data: CrmData): Promise<void> {
    const mine = ++loads
    try {
      await send(next, data)
    } catch (e) {
      if (mine === loads) throw e
      return
    }
    // Newer data was posted meanwhile (fresh after cached): the worker holds that one now, and
    // a report of this data would only delay the fresh one in the worker's queue.
    if (mine !== loads) return
    performance.mark(`fl:worker-loaded-${dataVersion.value + 1}`)
    dataLoaded.value = true
    dataVersion.value++
    useDrillStore().setLoader(async (target) => {
      if (!engine || !query.value) throw engineNotReady()
      // The figure belongs to the report on screen: drill with the query that built it.
      const rows = await engine.drill(target.ref as DrillRef, query.value)
      return rows.map((r) => toDrillDealRow(r, t('none')))
    })
  }

  async function run(next: ReportQuery): Promise<void> {
    if (!engine) return
    const mine = ++ticket
    const version = dataVersion.value
    query.value = next
    status.value = 'loading'
    performance.mark(`fl:report-asked-${version}`)
    error.value = null
    try {
      const result = await engine.report(next)
      // A newer query was sent meanwhile: its answer, not this one, belongs on screen.
      if (mine !== ticket) return
      report.value = result
      builtFor.value = version
      fromSnapshot.value = false
      status.value = 'ready'
      performance.mark(`fl:report-ready-${dataVersion.value}`)
    } catch (e) {
      if (mine !== ticket) return
      error.value = e instanceof Error ? e.message : String(e)
      status.value = 'error'
    }
  }

  /** The data version the report on screen was built from (0: none, or the saved one). */
  const builtFor = ref(0)
  /** The report on screen is the saved one from the last visit: fresh figures are on their way. */
  const fromSnapshot = ref(false)

  /** Shows a saved report until the engine has data (never over a report computed now). */
  function showSnapshot(saved: Report, savedQuery: ReportQuery): void {
    if (dataLoaded.value || report.value) return
    report.value = saved
    query.value = savedQuery
    fromSnapshot.value = true
    performance.mark('fl:snapshot-shown')
  }

  /** The filters moved away from the saved report's query: it no longer describes them. */
  function keepSnapshotFor(current: ReportQuery): void {
    if (!fromSnapshot.value || JSON.stringify(current) === JSON.stringify(query.value)) return
    report.value = null
    query.value = null
    fromSnapshot.value = false
  }

  /** Names the top clients of the report on screen (looked up by the host), if it is still `shown`. */
  function nameClients(shown: Report, names: Parameters<typeof nameTopClients>[1]): void {
    if (report.value !== shown) return
    report.value = {
      ...shown,
      clients: nameTopClients(shown.clients, names),
      comparison: shown.comparison && {
        ...shown.comparison,
        clients: nameTopClients(shown.comparison.clients, names),
      },
    }
  }

  /**
   * Resolves once a report built from data loaded after this call is on screen, or the report
   * failed, or after `capMs` (so a stuck engine never holds the caller): a period-first load
   * starts its backfill then, and the first chart does not share the network and the CPU with it.
   */
  function nextShown(capMs: number): Promise<void> {
    const after = dataVersion.value
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer)
        stop()
        resolve()
      }
      const timer = setTimeout(done, capMs)
      const stop = watch([dataVersion, builtFor, status], ([version, built, now]) => {
        if (now === 'error' || (now === 'ready' && version > after && built === version)) done()
      })
    })
  }

  const hasReport = computed(() => report.value !== null)

  return {
    report,
    query,
    status,
    error,
    dataLoaded,
    dataVersion,
    builtFor,
    fromSnapshot,
    hasReport,
    attach,
    run,
    showSnapshot,
    keepSnapshotFor,
    nameClients,
    nextShown,
  }
})
