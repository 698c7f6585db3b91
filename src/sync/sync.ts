/**
 * syncAll: portal → cache → CrmData, in one of three ways.
 *
 * - full: nothing cached yet — every table through the batched ID-cursor loader, rows and
 *   cursors committed together after every batch;
 * - resume: a full load was interrupted — it continues from the saved cursors;
 * - delta (warm reopen, delta.ts): the cache is complete — the cached data is shown at once (`onCached`)
 *   and ONE batch asks what changed: rows above the cached max id, rows modified since the last
 *   sync (minus an overlap for clock skew), the dictionaries again, and a count of every table.
 *   A table whose count differs from what the cache expects gets an ID-only sweep that finds
 *   the deleted rows.
 */
import type { B24Client } from '../b24/client'
import { dumpToCrmData, type NormalizeSettings, type NormalizedCrmData } from '../b24/normalize'
import { ALL_TABLES, TABLE_SPECS, type CursorSpec, type OffsetSpec, type TableName } from '../b24/tables'
import {
  newCursorState,
  newOffsetState,
  runJobs,
  runJobsInLanes,
  type AcceptedBatch,
  type Job,
  type LoadOptions,
} from '../b24/loader'
import { cacheKey, MemoryCache, type CacheChange, type SyncCache, type SyncMeta } from './cache'
import { warmReopen } from './delta'
import { summarize, tableProgress, type SyncPhase } from './progress'
import { basePortal, cachedDump, emit, filterDate, mark, skippedOf, withZone, type Run } from './run'
import type { SyncOptions, SyncResult } from './types'
import { CacheError } from './errors'

export type { SyncMode, SyncOptions, SyncResult } from './types'
export { cachedDump, filterDate } from './run'
export { DEFAULT_OVERLAP_MS } from './delta'

/** Requests the recent part of a period-first load keeps in flight. */
const RECENT_LANES = 3

/**
 * Period first, stage A: the period's tables the first chart waits for (the dictionaries always
 * come with them). The period's other tables (stage B: lead status history, activities, tasks,
 * calls) load once that chart is drawn, and the report is drawn again with them; then the
 * backfill. Deals and leads stay in A: a converted deal without a source of its own takes its
 * lead's, and the app marks only figures reading touches or lead history as still loading
 * (src/app/services/period-pending.ts).
 * Measured (report-render bench, 100,000 deals, Chromium, limiter 2 req/s burst 50, 2 shared
 * cores): first chart 4.7 s with these (35 recent batches, inside the burst; load 3.4), 4.5 s with
 * deals + deal history alone (28; load 5.8), 7.5 s with the lead history too (55 batches, past
 * the burst; load 3.8) — 3 s more for no figure sooner: lead processing, its only reader, waits
 * for the touches anyway.
 */
export const FIRST_CHART_TABLES: readonly TableName[] = ['deals', 'dealHistory', 'leads']

function sameTables(a: readonly TableName[], b: readonly TableName[]): boolean {
  return a.length === b.length && a.every((t) => b.includes(t))
}

/** The data a complete cache holds, or null when there is none yet. */
export async function loadCached(cache: SyncCache, settings?: NormalizeSettings): Promise<NormalizedCrmData | null> {
  const meta = await cache.readMeta()
  if (!meta || meta.load || meta.syncedAt === null) return null
  return dumpToCrmData(await cachedDump(cache, meta), settings)
}

/** The two parts of a split load: rows whose date is ≥ since (the view on screen), the rest later. */
interface LoadPlan {
  recent: Job[]
  rest: Job[]
}

function cursorJob(key: string, spec: CursorSpec, saved: SavedJobs, filter?: Record<string, unknown>): Job {
  const s = saved[key]
  const state = s && 'cursor' in s ? { ...s, remaining: s.done ? 0 : null } : newCursorState()
  return { kind: 'cursor', key, spec, state, ...(filter ? { filter } : {}) }
}

function offsetJob(key: string, spec: OffsetSpec, saved: SavedJobs, filter?: Record<string, unknown>): Job {
  const s = saved[key]
  return {
    kind: 'offset',
    key,
    spec,
    state: s && 'nextStart' in s ? { ...s } : newOffsetState(),
    ...(filter ? { filter } : {}),
  }
}

type SavedJobs = NonNullable<SyncMeta['load']>['jobs']

/**
 * Jobs of a full load. Split at `since`: each large table becomes `<table>#recent` (date ≥ since)
 * and `<table>` (date < since) — disjoint, so the backfill fetches no row twice; dictionaries
 * load whole with the recent part (the report needs them to show anything).
 */
export function planLoad(tables: readonly TableName[], saved: SavedJobs, since: string | null): LoadPlan {
  const recent: Job[] = []
  const rest: Job[] = []
  for (const t of tables) {
    const spec = TABLE_SPECS[t]
    const field = spec.kind === 'cursor' ? spec.recentField : spec.recentField
    const make = (key: string, filter?: Record<string, unknown>) =>
      spec.kind === 'cursor' ? cursorJob(key, spec, saved, filter) : offsetJob(key, spec, saved, filter)
    if (since === null) rest.push(make(t))
    else if (!field) recent.push(make(t))
    else {
      recent.push(make(`${t}#recent`, { [`>=${field}`]: since }))
      rest.push(make(t, { [`<${field}`]: since }))
    }
  }
  return { recent, rest }
}

const tableOfJob = (j: Job) => j.key.split('#')[0] as TableName

/**
 * The recent part in its two stages: `first` (the dictionaries and the period's `firstTables`,
 * before the first chart) and `second` (the period's other tables, drawn right after it).
 */
export function periodStages(
  recent: readonly Job[],
  firstTables: readonly TableName[] = FIRST_CHART_TABLES,
): { first: Job[]; second: Job[] } {
  const dated = (j: Job) => j.key.includes('#')
  const first = recent.filter((j) => !dated(j) || firstTables.includes(tableOfJob(j)))
  return { first, second: recent.filter((j) => !first.includes(j)) }
}

/** Tables some of whose jobs are still open, each once, in job order. */
function openTables(jobs: readonly Job[]): TableName[] {
  return [...new Set(jobs.filter((j) => !j.state.done).map(tableOfJob))]
}

/** Time left of a backfill from its pace so far (rows per ms since it started); null before a batch lands. */
export function timeLeft(loaded: number, total: number | null, elapsedMs: number): number | null {
  if (total === null || loaded <= 0 || elapsedMs <= 0) return null
  return Math.max(0, Math.round(((total - loaded) * elapsedMs) / loaded))
}

async function fullLoad(run: Run, previous: SyncMeta | null): Promise<Omit<SyncResult, 'data'>> {
  const resuming = previous?.load != null && sameTables(previous.tables, run.tables)
  if (!resuming) await run.cache.clear()
  const saved = resuming ? previous!.load!.jobs : {}
  const recentSince = run.options.recentSince
  const split = resuming
    ? (previous!.load!.split ?? null)
    : recentSince !== undefined && Number.isFinite(recentSince)
      ? { since: filterDate(recentSince) }
      : null
  const { recent, rest } = planLoad(run.tables, saved, split?.since ?? null)
  const stages = periodStages(recent)
  const jobs = [...recent, ...rest]
  let startedAt = resuming ? previous!.load!.startedAt : null
  let portal = basePortal(run, previous)
  let upserted = 0
  const meta = (load: SyncMeta['load'], syncedAt: number | null): SyncMeta => ({
    schema: 1,
    portal,
    load,
    syncedAt,
    tables: [...run.tables],
    skipped: skippedOf(jobs, tableOfJob),
  })
  const clock = run.options.now ?? Date.now
  // The recent part's rows as committed, for `onRecent` without reading them back from the cache
  // (a resumed load has older rows in the cache too: it reads the cache).
  const recentRows = split && !resuming ? new MemoryCache(run.cache.key) : null
  const runPart = async (part: Job[], phase: SyncPhase) => {
    const t0 = clock()
    let batches = 0
    // The recent part does not wait for its cache writes: the next request goes out while they
    // run (in order; each batch's rows and job states stay one write), all settled before it ends.
    const pipelined = phase === 'recent' || phase === 'periodRest'
    const writes: Promise<void>[] = []
    const loaded0 = part.reduce((n, j) => n + j.state.loaded, 0)
    const progress = () => {
      if (!run.options.onProgress) return
      const p = summarize(
        phase,
        run.client.requests - run.startRequests,
        part.map((j) => tableProgress(tableOfJob(j), j)),
      )
      const eta =
        phase === 'backfill'
          ? timeLeft(p.loaded - loaded0, p.estimatedTotal === null ? null : p.estimatedTotal - loaded0, clock() - t0)
          : null
      run.options.onProgress({ ...p, etaMs: eta })
    }
    progress()
    const options: LoadOptions = {
      signal: run.options.signal,
      maxCommands: run.options.batchSize,
      onBatch: async (batch: AcceptedBatch) => {
        mark(`fl:${phase}-batch-${++batches}`)
        // Rows modified while we load are caught by the next delta: it asks from the load's start.
        if (startedAt === null) startedAt = batch.serverTime ?? Date.now()
        portal = withZone(portal, batch)
        const upserts: CacheChange['upserts'] = {}
        for (const [key, rows] of batch.rows) {
          const t = key.split('#')[0] as TableName
          upserts[t] = [...(upserts[t] ?? []), ...rows]
          upserted += rows.length
        }
        // Copies: a write that lands after the next batch must still save this batch's cursors.
        const states = Object.fromEntries(jobs.map((j) => [j.key, { ...j.state }])) as SavedJobs
        const change = { upserts, meta: meta({ jobs: states, startedAt, ...(split ? { split } : {}) }, null) }
        const n = batches
        const write = run.cache.commit(change).then(() => mark(`fl:${phase}-committed-${n}`))
        if (pipelined) {
          if (recentRows) void recentRows.commit(change)
          write.catch(() => undefined) // awaited below; not an unhandled rejection meanwhile
          writes.push(write)
        } else await write
        progress()
      },
    }
    // The recent part loads in lanes: its ~20 requests fit in the burst, so they need not queue.
    if (pipelined) await runJobsInLanes(run.client, part, RECENT_LANES, options)
    else await runJobs(run.client, part, options)
    await Promise.all(writes)
  }
  // The period's rows so far to `onRecent`, with the period's tables still loading (marks fl:<step>-…).
  const showRecent = async (pending: TableName[], step: string) => {
    if (!run.options.onRecent) return
    const dump = await cachedDump(recentRows ?? run.cache, meta(null, null))
    mark(`fl:${step}-read`)
    const data = dumpToCrmData(dump, run.options.settings)
    mark(`fl:${step}-normalized`)
    await run.options.onRecent(data, pending)
    mark(`fl:${step}-shown`)
  }
  const basePhase: SyncPhase = resuming ? 'resume' : 'full'
  if (split) {
    mark('fl:recent-start')
    await runPart(stages.first, 'recent')
    mark('fl:recent-loaded')
    // Stage B: the first chart is on screen (or stage B was done before an interruption).
    const pending = openTables(stages.second)
    if (pending.length) {
      await showRecent(pending, 'recent')
      await runPart(stages.second, 'periodRest')
      mark('fl:period-rest-loaded')
    }
    await showRecent([], pending.length ? 'period-rest' : 'recent')
  }
  await runPart(rest, split ? 'backfill' : basePhase)
  await run.cache.commit({ meta: meta(null, startedAt ?? Date.now()) })
  emit(run, 'done', jobs, tableOfJob)
  return {
    mode: resuming ? 'resume' : 'full',
    requests: run.client.requests - run.startRequests,
    upserted,
    deleted: 0,
    swept: [],
    skipped: skippedOf(jobs, tableOfJob),
  }
}

export async function syncAll(client: B24Client, cache: SyncCache, options: SyncOptions = {}): Promise<SyncResult> {
  // Bitrix24 shows each user only what their CRM role allows: never mix two users' rows.
  if (cache.key !== cacheKey(client.memberId, client.userId)) {
    throw new CacheError(
      'CACHE_OWNER',
      `This cache belongs to ${cache.key}, not to ${client.memberId}:${client.userId}; open the cache for the signed-in user.`,
    )
  }
  const tables = options.tables ?? ALL_TABLES
  const run: Run = { client, cache, options, tables, startRequests: client.requests }
  const meta = await cache.readMeta()
  const warm = meta !== null && meta.load === null && meta.syncedAt !== null && sameTables(meta.tables, tables)
  if (warm) return warmReopen(run, meta)
  const outcome = await fullLoad(run, meta)
  const finalMeta = (await cache.readMeta())!
  const dump = await cachedDump(cache, finalMeta)
  mark('fl:fresh-read')
  const data = dumpToCrmData(dump, options.settings)
  mark('fl:fresh-normalized')
  return { ...outcome, data }
}
