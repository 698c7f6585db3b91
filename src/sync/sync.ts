/**
 * syncAll: portal → cache → CrmData, in one of three ways.
 *
 * - full: nothing cached yet — every table through the batched ID-cursor loader, rows and
 *   cursors committed together after every batch;
 * - resume: a full load was interrupted — it continues from the saved cursors;
 * - delta (warm reopen): the cache is complete — the cached data is shown at once (`onCached`)
 *   and ONE batch asks what changed: rows above the cached max id, rows modified since the last
 *   sync (minus an overlap for clock skew), the dictionaries again, and a count of every table.
 *   A table whose count differs from what the cache expects gets an ID-only sweep that finds
 *   the deleted rows.
 */
import type { B24Client } from '../b24/client'
import { emptyDump, type PortalDump } from '../b24/wire'
import { dumpToCrmData, type NormalizeSettings, type NormalizedCrmData } from '../b24/normalize'
import { ALL_TABLES, TABLE_SPECS, type CursorSpec, type OffsetSpec, type TableName } from '../b24/tables'
import { newCursorState, newOffsetState, runJobs, type AcceptedBatch, type Job } from '../b24/loader'
import {
  applyChange,
  cacheKey,
  keyOf,
  sortedRows,
  type CacheChange,
  type SyncCache,
  type SyncMeta,
  type WireRow,
} from './cache'
import { summarize, tableProgress, type ProgressListener, type SyncPhase } from './progress'

/** Timing marks the report bench prints (tests/bench/report-render.ts); harmless elsewhere. */
function mark(name: string): void {
  globalThis.performance?.mark?.(name)
}

export type SyncMode = 'full' | 'resume' | 'delta'

export interface SyncOptions {
  settings?: NormalizeSettings
  onProgress?: ProgressListener
  /** Warm reopen: called with the cached data before any request is made. */
  onCached?: (data: NormalizedCrmData) => void
  signal?: AbortSignal
  /** Tables to sync (default: all). A cache synced with another set is rebuilt. */
  tables?: readonly TableName[]
  /** Overlap subtracted from the last sync time when asking for modified rows (clock skew). */
  overlapMs?: number
  /** Commands per batch request (default 50, the Bitrix24 maximum); tests use fewer. */
  batchSize?: number
  /** Portal facts known from elsewhere (frame LANG, settings' time zone). */
  portal?: Partial<PortalDump['portal']>
  /**
   * Cold open, period first: load the rows created or changed since this instant (epoch ms;
   * the start of the period on screen and its comparison) and hand them to `onRecent`, then
   * backfill the older rows. Ignored by a warm reopen; a resumed load keeps its own split.
   */
  recentSince?: number
  /** Called once with the data of the recent part, before the backfill starts. */
  onRecent?: (data: NormalizedCrmData) => void
  /** Clock for the backfill's time-left estimate (tests inject one). */
  now?: () => number
}

export interface SyncResult {
  data: NormalizedCrmData
  mode: SyncMode
  /** HTTP requests this sync made. */
  requests: number
  /** Rows written (inserted or updated) and deleted in the cache. */
  upserted: number
  deleted: number
  /** Tables that needed an ID sweep to find deletions. */
  swept: TableName[]
  /** Tables the portal refused, with the reason (the rest still loaded). */
  skipped: Partial<Record<TableName, string>>
}

export const DEFAULT_OVERLAP_MS = 10 * 60_000

function sameTables(a: readonly TableName[], b: readonly TableName[]): boolean {
  return a.length === b.length && a.every((t) => b.includes(t))
}

/** `>DATE_MODIFY` filter value: ISO with an explicit offset, no milliseconds (rest.md §1.6). */
export function filterDate(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00')
}

/** Reads everything the cache holds as a PortalDump (tables not synced stay empty). */
export async function cachedDump(cache: SyncCache, meta: SyncMeta): Promise<PortalDump> {
  const dump = emptyDump(meta.portal)
  for (const t of meta.tables) (dump as unknown as Record<TableName, WireRow[]>)[t] = await cache.readRows(t)
  return dump
}

/** The data a complete cache holds, or null when there is none yet. */
export async function loadCached(cache: SyncCache, settings?: NormalizeSettings): Promise<NormalizedCrmData | null> {
  const meta = await cache.readMeta()
  if (!meta || meta.load || meta.syncedAt === null) return null
  return dumpToCrmData(await cachedDump(cache, meta), settings)
}

interface Run {
  client: B24Client
  cache: SyncCache
  options: SyncOptions
  tables: readonly TableName[]
  startRequests: number
}

function emit(run: Run, phase: SyncPhase, jobs: readonly Job[], tableOf: (j: Job) => TableName | null): void {
  if (!run.options.onProgress) return
  const byTable = new Map<TableName, ReturnType<typeof tableProgress>>()
  for (const j of jobs) {
    const t = tableOf(j)
    if (t !== null && !byTable.has(t)) byTable.set(t, tableProgress(t, j))
  }
  run.options.onProgress(summarize(phase, run.client.requests - run.startRequests, [...byTable.values()]))
}

function basePortal(run: Run, previous: SyncMeta | null): PortalDump['portal'] {
  return {
    domain: run.client.domain,
    memberId: run.client.memberId,
    timeZone: run.options.portal?.timeZone ?? previous?.portal.timeZone ?? '',
    language: run.options.portal?.language ?? previous?.portal.language ?? 'en',
  }
}

function withZone(portal: PortalDump['portal'], batch: AcceptedBatch): PortalDump['portal'] {
  // PortalInfo.timeZone: an IANA zone when known, else the offset the portal renders dates in.
  return portal.timeZone || !batch.serverOffset ? portal : { ...portal, timeZone: batch.serverOffset }
}

function skippedOf(jobs: readonly Job[], tableOf: (j: Job) => TableName | null): Partial<Record<TableName, string>> {
  const out: Partial<Record<TableName, string>> = {}
  for (const j of jobs) {
    const t = tableOf(j)
    if (t && j.state.skipped) out[t] = j.state.skipped
  }
  return out
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
  const runPart = async (part: Job[], phase: SyncPhase) => {
    const t0 = clock()
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
    await runJobs(run.client, part, {
      signal: run.options.signal,
      maxCommands: run.options.batchSize,
      onBatch: async (batch: AcceptedBatch) => {
        // Rows modified while we load are caught by the next delta: it asks from the load's start.
        if (startedAt === null) startedAt = batch.serverTime ?? Date.now()
        portal = withZone(portal, batch)
        const upserts: CacheChange['upserts'] = {}
        for (const [key, rows] of batch.rows) {
          const t = key.split('#')[0] as TableName
          upserts[t] = [...(upserts[t] ?? []), ...rows]
          upserted += rows.length
        }
        const states = Object.fromEntries(jobs.map((j) => [j.key, j.state])) as SavedJobs
        await run.cache.commit({ upserts, meta: meta({ jobs: states, startedAt, ...(split ? { split } : {}) }, null) })
        progress()
      },
    })
  }
  const basePhase: SyncPhase = resuming ? 'resume' : 'full'
  if (split) {
    await runPart(recent, 'recent')
    mark('fl:recent-loaded')
    if (run.options.onRecent) {
      const partial = meta(null, null)
      run.options.onRecent(dumpToCrmData(await cachedDump(run.cache, partial), run.options.settings))
      mark('fl:recent-normalized')
    }
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

function maxNumericKey(rows: WireRow[], table: TableName): number {
  let max = 0
  for (const r of rows) {
    const k = keyOf(table, r)
    const n = k !== null && /^\d+$/.test(k) ? Number(k) : 0
    if (n > max) max = n
  }
  return max
}

/** Delta jobs per table: new rows, modified rows, dictionaries again, and a count for deletions. */
function deltaJobs(tables: readonly TableName[], cached: Map<TableName, WireRow[]>, since: string): Job[] {
  const jobs: Job[] = []
  for (const t of tables) {
    const spec = TABLE_SPECS[t]
    const rows = cached.get(t) ?? []
    if (spec.kind === 'offset') {
      if (spec.appendOnly)
        jobs.push({
          kind: 'offset',
          key: `${t}`,
          spec,
          filter: { '>ID': maxNumericKey(rows, t) },
          state: newOffsetState(),
        })
      // Small dictionaries: reload whole; the cached size says how many pages to ask for at once.
      else
        jobs.push({
          kind: 'offset',
          key: `${t}`,
          spec,
          state: { ...newOffsetState(), total: rows.length > 0 ? rows.length + 1 : null },
        })
      continue
    }
    jobs.push({ kind: 'count', key: `${t}#count`, spec, state: { done: false, loaded: 0, total: null } })
    jobs.push({ kind: 'cursor', key: `${t}`, spec, state: newCursorState(maxNumericKey(rows, t)) })
    if (spec.modifiedField)
      jobs.push({
        kind: 'cursor',
        key: `${t}#modified`,
        spec,
        filter: { [`>${spec.modifiedField}`]: since },
        state: newCursorState(0),
      })
  }
  return jobs
}

const tableOfKey = (j: Job): TableName | null => (j.key.includes('#') ? null : (j.key as TableName))

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

/** Rows of `fresh` that differ from (or are missing in) `rows`: the overlap re-sends unchanged rows. */
function changedRows(table: TableName, rows: WireRow[], fresh: WireRow[]): WireRow[] {
  if (fresh.length === 0) return fresh
  const byKey = new Map<string, string>()
  const wanted = new Set(fresh.map((r) => keyOf(table, r)))
  for (const r of rows) {
    const k = keyOf(table, r)
    if (k !== null && wanted.has(k)) byKey.set(k, JSON.stringify(r))
  }
  return fresh.filter((r) => {
    const k = keyOf(table, r)
    return k === null || byKey.get(k) !== JSON.stringify(r)
  })
}

/** A reloaded dictionary equal to the cached one (same keys, same rows) needs no rewrite. */
function sameTable(table: TableName, rows: WireRow[], fresh: WireRow[]): boolean {
  const keyed = fresh.filter((r) => keyOf(table, r) !== null)
  return keyed.length === rows.length && changedRows(table, rows, keyed).length === 0
}

type DeltaOutcome = Omit<SyncResult, 'data'> & {
  change: Required<Omit<CacheChange, 'meta'>>
  portal: PortalDump['portal']
  changed: boolean
}

async function delta(run: Run, previous: SyncMeta, dump: PortalDump): Promise<DeltaOutcome> {
  const cached = new Map<TableName, WireRow[]>()
  for (const t of run.tables) cached.set(t, (dump as unknown as Record<TableName, WireRow[]>)[t] ?? [])
  const since = filterDate(previous.syncedAt! - (run.options.overlapMs ?? DEFAULT_OVERLAP_MS))
  const jobs = deltaJobs(run.tables, cached, since)
  const got = new Map<string, WireRow[]>()
  let serverTime: number | null = null
  let portal = basePortal(run, previous)
  emit(run, 'delta', jobs, tableOfKey)
  await runJobs(run.client, jobs, {
    signal: run.options.signal,
    maxCommands: run.options.batchSize,
    probe: false,
    firstPages: 1,
    onBatch: (batch: AcceptedBatch) => {
      serverTime ??= batch.serverTime
      portal = withZone(portal, batch)
      for (const [key, rows] of batch.rows) got.set(key, [...(got.get(key) ?? []), ...rows])
      emit(run, 'delta', jobs, tableOfKey)
    },
  })
  const change: Required<Omit<CacheChange, 'meta'>> = { upserts: {}, deletes: {}, replace: {} }
  const mismatched: TableName[] = []
  const keysAfter = new Map<TableName, Set<string>>()
  for (const t of run.tables) {
    const spec = TABLE_SPECS[t]
    const main = jobs.find((j) => j.key === t)!
    if (main.state.skipped) continue // refused now: keep what the cache has
    const fresh = [...(got.get(t) ?? []), ...(got.get(`${t}#modified`) ?? [])]
    // Unchanged rows (the modified-since overlap, dictionaries reloaded whole) are not rewritten.
    if (spec.kind === 'offset' && !spec.appendOnly) {
      if (!sameTable(t, cached.get(t) ?? [], fresh)) change.replace[t] = fresh
      continue
    }
    const changed = changedRows(t, cached.get(t) ?? [], fresh)
    if (changed.length > 0) change.upserts[t] = changed
    const keys = new Set<string>()
    for (const r of [...(cached.get(t) ?? []), ...fresh]) {
      const k = keyOf(t, r)
      if (k !== null) keys.add(k)
    }
    keysAfter.set(t, keys)
    const count = jobs.find((j) => j.key === `${t}#count`)
    const total = count?.kind === 'count' ? count.state.total : null
    if (total !== null && total !== keys.size) mismatched.push(t)
  }
  if (mismatched.length > 0) {
    const present = await sweep(run, mismatched)
    for (const t of mismatched) {
      const gone = [...keysAfter.get(t)!].filter((k) => !present.get(t)!.has(k))
      if (gone.length > 0) change.deletes[t] = gone
    }
  }
  const skipped = { ...previous.skipped, ...skippedOf(jobs, tableOfKey) }
  await run.cache.commit({
    ...change,
    meta: { ...previous, portal, load: null, syncedAt: serverTime ?? Date.now(), skipped },
  })
  emit(run, 'done', jobs, tableOfKey)
  const count = (part: Partial<Record<TableName, unknown[]>>) =>
    Object.values(part).reduce((n, rows) => n + (rows?.length ?? 0), 0)
  const upserted = count(change.upserts) + Object.keys(change.replace).length
  const deleted = count(change.deletes)
  return {
    mode: 'delta',
    requests: run.client.requests - run.startRequests,
    upserted: count(change.upserts) + count(change.replace),
    deleted,
    swept: mismatched,
    skipped,
    change,
    portal,
    changed: upserted + deleted > 0 || JSON.stringify(portal) !== JSON.stringify(previous.portal),
  }
}

/** The dump after a delta, built from the rows already in memory instead of reading the cache again. */
function applyToDump(
  dump: PortalDump,
  tables: readonly TableName[],
  change: Omit<CacheChange, 'meta'>,
  portal: PortalDump['portal'],
): PortalDump {
  const out = { ...dump, portal } as PortalDump
  const touched = new Set<TableName>()
  for (const part of [change.upserts, change.deletes, change.replace])
    for (const t of Object.keys(part ?? {}) as TableName[]) touched.add(t)
  const maps = new Map<TableName, Map<string, WireRow>>()
  for (const t of touched) {
    if (!tables.includes(t) || change.replace?.[t]) continue
    const m = new Map<string, WireRow>()
    for (const r of (dump as unknown as Record<TableName, WireRow[]>)[t] ?? []) {
      const k = keyOf(t, r)
      if (k !== null) m.set(k, r)
    }
    maps.set(t, m)
  }
  applyChange(maps, change)
  for (const [t, m] of maps) (out as unknown as Record<TableName, WireRow[]>)[t] = sortedRows(m)
  return out
}

export async function syncAll(client: B24Client, cache: SyncCache, options: SyncOptions = {}): Promise<SyncResult> {
  // Bitrix24 shows each user only what their CRM role allows: never mix two users' rows.
  if (cache.key !== cacheKey(client.memberId, client.userId)) {
    throw new Error(
      `This cache belongs to ${cache.key}, not to ${client.memberId}:${client.userId}; open the cache for the signed-in user.`,
    )
  }
  const tables = options.tables ?? ALL_TABLES
  const run: Run = { client, cache, options, tables, startRequests: client.requests }
  const meta = await cache.readMeta()
  const warm = meta !== null && meta.load === null && meta.syncedAt !== null && sameTables(meta.tables, tables)
  if (warm) {
    // One read of the cache serves both the cached report and the delta.
    const dump = await cachedDump(cache, meta)
    mark('fl:cache-read')
    let cachedData: NormalizedCrmData | null = null
    if (options.onCached) {
      cachedData = dumpToCrmData(dump, options.settings)
      mark('fl:cache-normalized')
      options.onCached(cachedData)
    }
    const { change, portal, changed, ...outcome } = await delta(run, meta, dump)
    mark('fl:delta-committed')
    // Nothing changed: the very object `onCached` got, so the caller can keep what it built from it.
    if (!changed) return { ...outcome, data: cachedData ?? dumpToCrmData(dump, options.settings) }
    const data = dumpToCrmData(applyToDump(dump, tables, change, portal), options.settings)
    mark('fl:fresh-normalized')
    return { ...outcome, data }
  }
  const outcome = await fullLoad(run, meta)
  const finalMeta = (await cache.readMeta())!
  const dump = await cachedDump(cache, finalMeta)
  mark('fl:fresh-read')
  const data = dumpToCrmData(dump, options.settings)
  mark('fl:fresh-normalized')
  return { ...outcome, data }
}
