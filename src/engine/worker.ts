/**
 * Web Worker entry. The data stays here after a load; a filter change sends only the query.
 *
 * Messages in:  { type: 'load', data: CrmData, id? }
 *               | { type: 'loadBegin', version? } · { type: 'loadTable', name, rows, at } · { type: 'loadEnd' }
 *               | { type: 'patch', patch: CrmPatch, id? } | { type: 'report', query: ReportQuery, id? }
 *               | { type: 'drill', ref: DrillRef, query?: ReportQuery, id? }  (query defaults to the last report's)
 * The page loads table by table (load-slices.ts), so the worker never receives the whole data in
 * one structured clone; `load` (tests, CLI, benches) goes through the same steps at once. While a
 * table-by-table load is half done, a patch, report or drill is refused (LOADING); a new begin or
 * a whole load drops it, and so does any failed load step. Until loadEnd succeeds, the data
 * loaded before stays.
 * A patch (a sync's delta, patch.ts) updates the data held here and its indexes in place of a
 * whole load: only the few changed rows cross the thread boundary (issue 11.2).
 * Messages out: { type: 'loaded', id, quality } | { type: 'loadAck', id, rows } (loadBegin, loadTable)
 *               | { type: 'report', id, report } | { type: 'drill', id, rows } | { type: 'error', id, message }
 */
import { drillDown, type DrillRef, type DrillRow } from './drill'
import type { ReportQuery } from './filters'
import { prepare, type Prepared } from './prepare'
import { applyPatch, type CrmPatch } from './patch'
import { EngineStateError } from './errors'
import { CRM_TABLES, type LoadRequest } from './load-slices'
import { addTable, beginLoad, loadedData, type PendingLoad } from './worker-load'
import { FunnelLensError } from '../errors'
import { updatePrepared } from './prepare-update'
import type { QualityCounts } from './quality'
import { buildReport, type Report } from './report'
import type { CrmData } from './types'

const noData = () => new EngineStateError('NO_DATA', 'No data loaded yet: send { type: "load", data } first')
const noLoad = () => new EngineStateError('BAD_LOAD', 'No load in progress: send { type: "loadBegin" } first')
const LOAD_STEPS: ReadonlySet<string> = new Set(['load', 'loadBegin', 'loadTable', 'loadEnd'])

export type WorkerRequest =
  | { type: 'load'; data: CrmData; id?: number; version?: number }
  /** `base`: the version of the data the patch was computed against; `version`: the data's after it. */
  | { type: 'patch'; patch: CrmPatch; base: number; version: number; id?: number }
  | { type: 'report'; query: ReportQuery; id?: number }
  | { type: 'drill'; ref: DrillRef; query?: ReportQuery; id?: number }
  | LoadRequest

export type WorkerResponse =
  | { type: 'loaded'; id?: number; quality: QualityCounts; ms: number }
  /** A load step taken: `rows` of that table held now (0 after loadBegin). */
  | { type: 'loadAck'; id?: number; rows: number }
  | { type: 'report'; id?: number; report: Report; ms: number }
  | { type: 'drill'; id?: number; rows: DrillRow[] }
  /** `code`: the FunnelLensError code when the engine threw one (QueryError, EngineStateError). */
  | { type: 'error'; id?: number; message: string; code?: string }

export interface WorkerState {
  prepared: Prepared | null
  lastQuery: ReportQuery | null
  /** The version the page gave the data held now; unset after a failed load (a patch then refuses). */
  version?: number | null
  /** A table-by-table load between its loadBegin and its loadEnd. */
  loading?: PendingLoad | null
}

/** Refuses a request that needs the data while a load is half done (its figures would be the old data's). */
function notLoading(state: WorkerState): void {
  if (state.loading)
    throw new EngineStateError('LOADING', 'The data is still loading: wait for the load to finish, then ask again')
}

function begin(state: WorkerState, version: number | null | undefined): PendingLoad {
  state.version = null
  state.loading = beginLoad(version)
  return state.loading
}

/** Prepares what the load received; the data held before stays until this succeeds. */
function finish(state: WorkerState): Prepared {
  const load = state.loading
  if (!load) throw noLoad()
  const data = loadedData(load)
  state.loading = null
  state.prepared = prepare(data)
  state.version = load.version
  return state.prepared
}

/** The worker's logic without the worker (testable in Node). */
export function handleMessage(state: WorkerState, msg: WorkerRequest): WorkerResponse {
  const started = Date.now()
  try {
    switch (msg.type) {
      case 'load': {
        // The same steps as a table-by-table load, at once. Tables are interned as they are added:
        // the data arrived by structured clone, one string per row and field (intern.ts).
        const load = begin(state, msg.version)
        for (const name of CRM_TABLES) if (msg.data[name] !== undefined) addTable(load, name, msg.data[name])
        return { type: 'loaded', id: msg.id, quality: finish(state).quality, ms: Date.now() - started }
      }
      case 'loadBegin':
        begin(state, msg.version)
        return { type: 'loadAck', id: msg.id, rows: 0 }
      case 'loadTable': {
        if (!state.loading) throw noLoad()
        return { type: 'loadAck', id: msg.id, rows: addTable(state.loading, msg.name, msg.rows, msg.at ?? 0) }
      }
      case 'loadEnd':
        return { type: 'loaded', id: msg.id, quality: finish(state).quality, ms: Date.now() - started }
      case 'patch': {
        notLoading(state)
        if (!state.prepared) throw noData()
        // Applied to other data than it was computed against, a patch would give wrong figures quietly.
        if (state.version == null || state.version !== msg.base) {
          const held = state.version ?? 'another'
          throw new EngineStateError(
            'STALE_PATCH',
            `The patch is for data version ${msg.base}, the engine holds ${held}`,
          )
        }
        state.version = null
        const next = applyPatch(state.prepared.data, msg.patch)
        state.prepared = updatePrepared(state.prepared, next, msg.patch)
        state.version = msg.version
        return { type: 'loaded', id: msg.id, quality: state.prepared.quality, ms: Date.now() - started }
      }
      case 'report': {
        notLoading(state)
        if (!state.prepared) throw noData()
        const report = buildReport(state.prepared, msg.query)
        state.lastQuery = msg.query
        return { type: 'report', id: msg.id, report, ms: Date.now() - started }
      }
      case 'drill': {
        notLoading(state)
        if (!state.prepared) throw noData()
        const query = msg.query ?? state.lastQuery
        if (!query) throw new EngineStateError('NO_QUERY', 'No report query yet: build a report before drilling down')
        return { type: 'drill', id: msg.id, rows: drillDown(state.prepared, query, msg.ref) }
      }
      default:
        throw new EngineStateError('BAD_MESSAGE', `Unknown message type ${(msg as { type?: unknown }).type}`)
    }
  } catch (e) {
    // A failed load step drops the half-done load: the next report gets the data held before.
    if (LOAD_STEPS.has(msg.type)) state.loading = null
    const code = e instanceof FunnelLensError ? e.code : undefined
    return { type: 'error', id: msg.id, message: e instanceof Error ? e.message : String(e), code }
  }
}

interface WorkerScope {
  onmessage: ((ev: MessageEvent<WorkerRequest>) => void) | null
  postMessage(message: WorkerResponse): void
}

// Only wire up when running as a worker (importing this module in Node or tests does nothing).
const scope = (globalThis as unknown as { self?: WorkerScope }).self
if (scope && typeof (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope !== 'undefined') {
  const state: WorkerState = { prepared: null, lastQuery: null }
  scope.onmessage = (ev) => scope.postMessage(handleMessage(state, ev.data))
}
