/**
 * Warm reopen: the cache is complete, so the cached data is shown at once (`onCached`) and ONE
 * batch asks what changed — rows above the cached max id, rows modified since the last sync
 * (minus an overlap for clock skew), the dictionaries again, and a count of every table. A table
 * whose count differs from what the cache expects gets an ID-only sweep that finds the deleted
 * rows. What to ask and what the answers mean is in delta-rows.ts; here are the requests, the
 * commit and the outcome.
 */
import type { PortalDump } from '../b24/wire'
import { dumpToCrmData, type NormalizedCrmData } from '../b24/normalize'
import { TABLE_SPECS, type TableName } from '../b24/tables'
import { newCursorState, runJobs, type AcceptedBatch, type Job } from '../b24/loader'
import { keyOf, type SyncMeta, type WireRow } from './cache'
import {
  applyToDump,
  changesData,
  deltaJobs,
  dumpTables,
  planChange,
  rowsDeleted,
  rowsWritten,
  type DeltaChange,
} from './delta-rows'
import { basePortal, cachedDump, emit, filterDate, mark, skippedOf, withZone, type Run } from './run'
import type { SyncOptions, SyncResult, SyncSummary } from './types'
import { RowMemo } from '../b24/normalize-memo'
import { normalizeDelta } from '../b24/normalize-delta'

export const DEFAULT_OVERLAP_MS = 10 * 60_000

/**
 * What a delta did: its part of the SyncResult, and what the caller needs to update the data in
 * memory. More views of the same change (say, the changed row ids per table) go next to `change`
 * and are derived from it in `delta()`; `result` holds only what SyncResult reports.
 */
export interface DeltaOutcome {
  result: SyncSummary
  /** Exactly what was committed to the cache: rows upserted, keys deleted, dictionaries replaced. */
  change: DeltaChange
  portal: PortalDump['portal']
  /** False when no row, dictionary or portal fact changed: the cached data stands as it is. */
  changed: boolean
}

/** Answers by job key (`deals`, `deals#modified`, …), with the first batch's server time and the portal facts. */
interface Fetched {
  rows: Map<string, WireRow[]>
  serverTime: number | null
  portal: PortalDump['portal']
}

/** Delta job keys carry `#count` / `#modified` for the extra jobs; progress counts each table once. */
const tableOfKey = (j: Job): TableName | null => (j.key.includes('#') ? null : (j.key as TableName))

/** Warm reopen: cached data first, then one delta; the data is rebuilt (in memory) only if it changed. */
export async function warmReopen(run: Run, meta: SyncMeta): Promise<SyncResult> {
  const { options } = run
  // One read of the cache serves both the cached report and the delta.
  const dump = await cachedDump(run.cache, meta)
  mark('fl:cache-read')
  // The dump after the delta keeps every unchanged row object: their normalised rows are reused.
  const memo = new RowMemo()
  const cachedData = showCached(dump, options, memo)
  const outcome = await delta(run, meta, dump)
  mark('fl:delta-committed')
  // Nothing changed: the very object `onCached` got, so the caller can keep what it built from it.
  if (!outcome.changed) return { ...outcome.result, data: cachedData ?? dumpToCrmData(dump, options.settings) }
  // A small delta: its rows alone normalised and spliced into the cached data, the patch noted
  // for the report store (no whole normalisation, no diff). Else the whole dump, with the memo.
  const spliced = cachedData && normalizeDelta(dump, cachedData, outcome.change, outcome.portal, options.settings)
  if (spliced) {
    mark('fl:fresh-normalized')
    return { ...outcome.result, data: spliced.data }
  }
  const fresh = applyToDump(dump, run.tables, outcome.change, outcome.portal)
  const data = dumpToCrmData(fresh, options.settings, cachedData ? memo : undefined)
  mark('fl:fresh-normalized')
  return { ...outcome.result, data }
}

/** Hands the cached data to `onCached`, if asked, before any request is made. */
function showCached(dump: PortalDump, options: SyncOptions, memo: RowMemo): NormalizedCrmData | null {
  if (!options.onCached) return null
  const data = dumpToCrmData(dump, options.settings, memo)
  mark('fl:cache-normalized')
  options.onCached(data)
  return data
}

async function delta(run: Run, previous: SyncMeta, dump: PortalDump): Promise<DeltaOutcome> {
  const cached = new Map(run.tables.map((t) => [t, dumpTables(dump)[t] ?? []]))
  const since = filterDate(previous.syncedAt! - (run.options.overlapMs ?? DEFAULT_OVERLAP_MS))
  const jobs = deltaJobs(run.tables, cached, since)
  const fetched = await fetchDelta(run, previous, jobs)
  const { change, toSweep } = planChange(run.tables, jobs, cached, fetched.rows)
  change.deletes = await deletedKeys(run, toSweep)
  const skipped = { ...previous.skipped, ...skippedOf(jobs, tableOfKey) }
  const syncedAt = fetched.serverTime ?? Date.now()
  await run.cache.commit({ ...change, meta: { ...previous, portal: fetched.portal, load: null, syncedAt, skipped } })
  emit(run, 'done', jobs, tableOfKey)
  const result: SyncSummary = {
    mode: 'delta',
    requests: run.client.requests - run.startRequests,
    upserted: rowsWritten(change),
    deleted: rowsDeleted(change),
    swept: [...toSweep.keys()],
    skipped,
  }
  return { result, change, portal: fetched.portal, changed: changesData(change, fetched.portal, previous.portal) }
}

/** Runs the delta jobs (first pages only: one batch) and gathers their answers. */
async function fetchDelta(run: Run, previous: SyncMeta, jobs: Job[]): Promise<Fetched> {
  const fetched: Fetched = { rows: new Map(), serverTime: null, portal: basePortal(run, previous) }
  emit(run, 'delta', jobs, tableOfKey)
  await runJobs(run.client, jobs, {
    signal: run.options.signal,
    maxCommands: run.options.batchSize,
    probe: false,
    firstPages: 1,
    onBatch: (batch: AcceptedBatch) => {
      fetched.serverTime ??= batch.serverTime
      fetched.portal = withZone(fetched.portal, batch)
      for (const [key, rows] of batch.rows) fetched.rows.set(key, [...(fetched.rows.get(key) ?? []), ...rows])
      emit(run, 'delta', jobs, tableOfKey)
    },
  })
  return fetched
}

/** Per table to sweep: the keys the cache would hold that the portal no longer has. */
async function deletedKeys(run: Run, toSweep: Map<TableName, Set<string>>): Promise<DeltaChange['deletes']> {
  const deletes: DeltaChange['deletes'] = {}
  if (toSweep.size === 0) return deletes
  const present = await sweep(run, [...toSweep.keys()])
  for (const [t, keys] of toSweep) {
    const gone = [...keys].filter((k) => !present.get(t)!.has(k))
    if (gone.length > 0) deletes[t] = gone
  }
  return deletes
}

/** Every key the portal has now in each table: an ID-only walk. */
async function sweep(run: Run, tables: TableName[]): Promise<Map<TableName, Set<string>>> {
  const jobs: Job[] = []
  for (const t of tables) {
    const spec = TABLE_SPECS[t]
    if (spec.kind === 'cursor')
      jobs.push({ kind: 'cursor', key: t, spec, select: [spec.cursorKey], state: newCursorState() })
  }
  const ids = new Map<TableName, Set<string>>(tables.map((t) => [t, new Set<string>()]))
  await runJobs(run.client, jobs, {
    signal: run.options.signal,
    maxCommands: run.options.batchSize,
    onBatch: (batch) => {
      for (const [key, rows] of batch.rows)
        for (const r of rows) {
          const k = keyOf(key as TableName, r)
          if (k !== null) ids.get(key as TableName)!.add(k)
        }
      emit(run, 'sweep', jobs, (j) => j.key as TableName)
    },
  })
  return ids
}
