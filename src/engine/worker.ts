/**
 * Web Worker entry. The data stays here after `load`; a filter change sends only the query.
 *
 * Messages in:  { type: 'load', data: CrmData, id? } | { type: 'patch', patch: CrmPatch, id? }
 *               | { type: 'report', query: ReportQuery, id? }
 *               | { type: 'drill', ref: DrillRef, query?: ReportQuery, id? }  (query defaults to the last report's)
 * A patch (a sync's delta, patch.ts) updates the data held here and its indexes in place of a
 * whole load: only the few changed rows cross the thread boundary (issue 11.2).
 * Messages out: { type: 'loaded', id, quality } | { type: 'report', id, report } | { type: 'drill', id, rows }
 *               | { type: 'error', id, message }
 */
import { drillDown, type DrillRef, type DrillRow } from './drill'
import type { ReportQuery } from './filters'
import { internStrings } from './intern'
import { prepare, type Prepared } from './prepare'
import { applyPatch, type CrmPatch } from './patch'
import { EngineStateError } from './errors'
import { FunnelLensError } from '../errors'
import { updatePrepared } from './prepare-update'
import type { QualityCounts } from './quality'
import { buildReport, type Report } from './report'
import type { CrmData } from './types'

const noData = () => new EngineStateError('NO_DATA', 'No data loaded yet: send { type: "load", data } first')

export type WorkerRequest =
  | { type: 'load'; data: CrmData; id?: number; version?: number }
  /** `base`: the version of the data the patch was computed against; `version`: the data's after it. */
  | { type: 'patch'; patch: CrmPatch; base: number; version: number; id?: number }
  | { type: 'report'; query: ReportQuery; id?: number }
  | { type: 'drill'; ref: DrillRef; query?: ReportQuery; id?: number }

export type WorkerResponse =
  | { type: 'loaded'; id?: number; quality: QualityCounts; ms: number }
  | { type: 'report'; id?: number; report: Report; ms: number }
  | { type: 'drill'; id?: number; rows: DrillRow[] }
  /** `code`: the FunnelLensError code when the engine threw one (QueryError, EngineStateError). */
  | { type: 'error'; id?: number; message: string; code?: string }

export interface WorkerState {
  prepared: Prepared | null
  lastQuery: ReportQuery | null
  /** The version the page gave the data held now; unset after a failed load (a patch then refuses). */
  version?: number | null
}

/** The worker's logic without the worker (testable in Node). */
export function handleMessage(state: WorkerState, msg: WorkerRequest): WorkerResponse {
  const started = Date.now()
  try {
    switch (msg.type) {
      case 'load':
        state.version = null
        // The data arrived by structured clone, one string per row and field: share them (intern.ts).
        state.prepared = prepare(internStrings(msg.data))
        state.version = msg.version ?? null
        return { type: 'loaded', id: msg.id, quality: state.prepared.quality, ms: Date.now() - started }
      case 'patch': {
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
        if (!state.prepared) throw noData()
        const report = buildReport(state.prepared, msg.query)
        state.lastQuery = msg.query
        return { type: 'report', id: msg.id, report, ms: Date.now() - started }
      }
      case 'drill': {
        if (!state.prepared) throw noData()
        const query = msg.query ?? state.lastQuery
        if (!query) throw new EngineStateError('NO_QUERY', 'No report query yet: build a report before drilling down')
        return { type: 'drill', id: msg.id, rows: drillDown(state.prepared, query, msg.ref) }
      }
      default:
        throw new EngineStateError('BAD_MESSAGE', `Unknown message type ${(msg as { type?: unknown }).type}`)
    }
  } catch (e) {
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
