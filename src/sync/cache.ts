/**
 * The sync cache: wire rows per table (keyed by row id, so a row can never be stored twice)
 * plus the sync's own bookkeeping (resume cursors, last sync time). One cache per portal *and*
 * user — `cacheKey(memberId, userId)` — because Bitrix24 shows each user only what their CRM
 * role allows: one user's rows must never be shown to another.
 *
 * Rows are stored as they came off the wire, not as domain tables: normalisation depends on
 * settings (which field is the city…) and is cheap to redo, while reloading rows is not.
 *
 * Implementations: MemoryCache (here), FileCache (Node: CLI, bench), IdbCache (browser).
 */
import type { PortalDump } from '../b24/wire'
import type { TableName } from '../b24/tables'
import { TABLE_SPECS, rowKey } from '../b24/tables'
import type { CountState, CursorState, OffsetState } from '../b24/loader'
import { CacheError } from './errors'

export type WireRow = Record<string, unknown>

export type JobState = CursorState | OffsetState | CountState

export interface SyncMeta {
  schema: 1
  portal: PortalDump['portal']
  /**
   * An unfinished full load: per-job state, saved after every accepted batch. Job keys are table
   * names, or `<table>#recent` for the first part of a load split at `split.since` (sync.ts).
   */
  load: {
    jobs: Partial<Record<string, CursorState | OffsetState>>
    startedAt: number | null
    split?: { since: string }
  } | null
  /** Server time (epoch ms) at the start of the last completed sync; the next delta asks from here. */
  syncedAt: number | null
  /** Tables this cache holds (a bench may sync only some). */
  tables: TableName[]
  /** Tables the portal refused (no right / no module), with the reason. */
  skipped: Partial<Record<TableName, string>>
}

export interface CacheChange {
  /** Rows to insert or overwrite, by table. */
  upserts?: Partial<Record<TableName, WireRow[]>>
  /** Row keys to remove, by table. */
  deletes?: Partial<Record<TableName, string[]>>
  /** Tables whose whole content is replaced (dictionaries reloaded by a delta). */
  replace?: Partial<Record<TableName, WireRow[]>>
  meta: SyncMeta
}

export interface SyncCache {
  /** `memberId:userId`: the scope this cache belongs to. */
  readonly key: string
  readMeta(): Promise<SyncMeta | null>
  readRows(table: TableName): Promise<WireRow[]>
  /** Applies a change atomically: rows and meta land together or not at all. */
  commit(change: CacheChange): Promise<void>
  clear(): Promise<void>
  close?(): Promise<void>
}

export function cacheKey(memberId: string, userId: number): string {
  if (!memberId || !Number.isInteger(userId) || userId <= 0)
    throw new CacheError('CACHE_KEY', 'A cache needs the portal member id and the user id.')
  return `${memberId}:${userId}`
}

export function keyOf(table: TableName, row: WireRow): string | null {
  return rowKey(TABLE_SPECS[table], row)
}

/** Applies a change to in-memory tables (shared by MemoryCache and FileCache). */
export function applyChange(tables: Map<TableName, Map<string, WireRow>>, change: Omit<CacheChange, 'meta'>): void {
  const tableOf = (t: TableName) => tables.get(t) ?? tables.set(t, new Map()).get(t)!
  for (const [t, rows] of Object.entries(change.replace ?? {}) as [TableName, WireRow[]][]) {
    const m = new Map<string, WireRow>()
    for (const r of rows) {
      const k = keyOf(t, r)
      if (k !== null) m.set(k, r)
    }
    tables.set(t, m)
  }
  for (const [t, rows] of Object.entries(change.upserts ?? {}) as [TableName, WireRow[]][]) {
    const m = tableOf(t)
    for (const r of rows) {
      const k = keyOf(t, r)
      if (k !== null) m.set(k, r)
    }
  }
  for (const [t, keys] of Object.entries(change.deletes ?? {}) as [TableName, string[]][]) {
    const m = tableOf(t)
    for (const k of keys) m.delete(k)
  }
}

/** Rows in id order (numeric ids numerically), so a dump built from the cache is stable. */
export function sortedRows(m: Map<string, WireRow> | undefined): WireRow[] {
  if (!m) return []
  const keys = [...m.keys()]
  const numeric = keys.every((k) => /^\d+$/.test(k))
  keys.sort(numeric ? (a, b) => Number(a) - Number(b) : undefined)
  return keys.map((k) => m.get(k)!)
}

export class MemoryCache implements SyncCache {
  protected tables = new Map<TableName, Map<string, WireRow>>()
  protected meta: SyncMeta | null = null

  constructor(readonly key: string) {}

  async readMeta(): Promise<SyncMeta | null> {
    return this.meta ? structuredClone(this.meta) : null
  }

  async readRows(table: TableName): Promise<WireRow[]> {
    return sortedRows(this.tables.get(table))
  }

  async commit(change: CacheChange): Promise<void> {
    applyChange(this.tables, change)
    this.meta = structuredClone(change.meta)
  }

  async clear(): Promise<void> {
    this.tables.clear()
    this.meta = null
  }
}

/** One cache per scope, shared for the process lifetime (the CLI and tests reuse them). */
export class MemoryCacheStore {
  private readonly caches = new Map<string, MemoryCache>()

  open(memberId: string, userId: number): MemoryCache {
    const key = cacheKey(memberId, userId)
    return this.caches.get(key) ?? this.caches.set(key, new MemoryCache(key)).get(key)!
  }
}
