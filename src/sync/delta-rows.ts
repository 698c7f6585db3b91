/**
 * The pure half of a delta (no requests, no cache): which jobs to ask the portal, what their
 * answers change in the cache, and the dump after that change.
 */
import type { PortalDump } from '../b24/wire'
import { TABLE_SPECS, type TableName } from '../b24/tables'
import { newCursorState, newOffsetState, type Job } from '../b24/loader'
import { applyChange, keyOf, sortedRows, type CacheChange, type WireRow } from './cache'

/** A delta's cache change: every part present (possibly empty), by table. */
export type DeltaChange = Required<Omit<CacheChange, 'meta'>>

/** The change the answers call for, and the tables whose row count says rows were deleted. */
export interface DeltaPlan {
  /** Upserts and replaced dictionaries; `deletes` stays empty until the sweep has run. */
  change: DeltaChange
  /** Tables to sweep, each with every key the cache holds after the upserts. */
  toSweep: Map<TableName, Set<string>>
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

/** Small dictionaries are reloaded whole; append-only tables only grow. */
function isDictionary(table: TableName): boolean {
  const spec = TABLE_SPECS[table]
  return spec.kind === 'offset' && !spec.appendOnly
}

/** Delta jobs per table: new rows, modified rows, dictionaries again, and a count for deletions. */
export function deltaJobs(tables: readonly TableName[], cached: Map<TableName, WireRow[]>, since: string): Job[] {
  return tables.flatMap((t) => tableJobs(t, cached.get(t) ?? [], since))
}

function tableJobs(t: TableName, rows: WireRow[], since: string): Job[] {
  const spec = TABLE_SPECS[t]
  if (spec.kind === 'offset') {
    if (spec.appendOnly)
      return [{ kind: 'offset', key: `${t}`, spec, filter: { '>ID': maxNumericKey(rows, t) }, state: newOffsetState() }]
    // Small dictionaries: reload whole; the cached size says how many pages to ask for at once.
    const total = rows.length > 0 ? rows.length + 1 : null
    return [{ kind: 'offset', key: `${t}`, spec, state: { ...newOffsetState(), total } }]
  }
  const jobs: Job[] = [
    { kind: 'count', key: `${t}#count`, spec, state: { done: false, loaded: 0, total: null } },
    { kind: 'cursor', key: `${t}`, spec, state: newCursorState(maxNumericKey(rows, t)) },
  ]
  if (spec.modifiedField)
    jobs.push({
      kind: 'cursor',
      key: `${t}#modified`,
      spec,
      filter: { [`>${spec.modifiedField}`]: since },
      state: newCursorState(0),
    })
  return jobs
}

/** Rows of `fresh` that differ from (or are missing in) `rows`: the overlap re-sends unchanged rows. */
export function changedRows(table: TableName, rows: WireRow[], fresh: WireRow[]): WireRow[] {
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
export function sameTable(table: TableName, rows: WireRow[], fresh: WireRow[]): boolean {
  const keyed = fresh.filter((r) => keyOf(table, r) !== null)
  return keyed.length === rows.length && changedRows(table, rows, keyed).length === 0
}

function keysOf(table: TableName, rows: WireRow[]): Set<string> {
  const keys = new Set<string>()
  for (const r of rows) {
    const k = keyOf(table, r)
    if (k !== null) keys.add(k)
  }
  return keys
}

/** The portal's row count of a table, when its count job answered. */
function portalCount(jobs: readonly Job[], table: TableName): number | null {
  const count = jobs.find((j) => j.key === `${table}#count`)
  return count?.kind === 'count' ? count.state.total : null
}

/**
 * What the answers (`fetched`, by job key) change: rows that differ are upserted, a dictionary that
 * differs is replaced, and a table whose keys after the upserts disagree with the portal's count is
 * to be swept for deletions. A table the portal refused this time keeps what the cache has.
 */
export function planChange(
  tables: readonly TableName[],
  jobs: readonly Job[],
  cached: Map<TableName, WireRow[]>,
  fetched: Map<string, WireRow[]>,
): DeltaPlan {
  const plan: DeltaPlan = { change: { upserts: {}, deletes: {}, replace: {} }, toSweep: new Map() }
  for (const t of tables) {
    if (jobs.find((j) => j.key === t)!.state.skipped) continue
    const rows = cached.get(t) ?? []
    const fresh = [...(fetched.get(t) ?? []), ...(fetched.get(`${t}#modified`) ?? [])]
    // Unchanged rows (the modified-since overlap, dictionaries reloaded whole) are not rewritten.
    if (isDictionary(t)) {
      if (!sameTable(t, rows, fresh)) plan.change.replace[t] = fresh
      continue
    }
    const changed = changedRows(t, rows, fresh)
    if (changed.length > 0) plan.change.upserts[t] = changed
    const keys = keysOf(t, [...rows, ...fresh])
    const total = portalCount(jobs, t)
    if (total !== null && total !== keys.size) plan.toSweep.set(t, keys)
  }
  return plan
}

const rowCount = (part: Partial<Record<TableName, unknown[]>>): number =>
  Object.values(part).reduce((n, rows) => n + (rows?.length ?? 0), 0)

/** Rows the change writes to the cache (SyncResult.upserted): upserted rows and every row of a replaced dictionary. */
export function rowsWritten(change: DeltaChange): number {
  return rowCount(change.upserts) + rowCount(change.replace)
}

export function rowsDeleted(change: DeltaChange): number {
  return rowCount(change.deletes)
}

/**
 * Whether the report has to be rebuilt. Tables are counted here, not rows written: a dictionary
 * replaced by an empty one writes no row but changes the data all the same.
 */
export function changesData(
  change: DeltaChange,
  portal: PortalDump['portal'],
  previous: PortalDump['portal'],
): boolean {
  const tableChanged =
    rowCount(change.upserts) > 0 || Object.keys(change.replace).length > 0 || rowCount(change.deletes) > 0
  return tableChanged || JSON.stringify(portal) !== JSON.stringify(previous)
}

/** A dump's tables by name (PortalDump's fields are typed per table). */
export function dumpTables(dump: PortalDump): Record<TableName, WireRow[]> {
  return dump as unknown as Record<TableName, WireRow[]>
}

function byKey(table: TableName, rows: WireRow[]): Map<string, WireRow> {
  const m = new Map<string, WireRow>()
  for (const r of rows) {
    const k = keyOf(table, r)
    if (k !== null) m.set(k, r)
  }
  return m
}

/** The dump after a delta, built from the rows already in memory instead of reading the cache again. */
export function applyToDump(
  dump: PortalDump,
  tables: readonly TableName[],
  change: Omit<CacheChange, 'meta'>,
  portal: PortalDump['portal'],
): PortalDump {
  const touched = new Set<TableName>()
  for (const part of [change.upserts, change.deletes, change.replace])
    for (const t of Object.keys(part ?? {}) as TableName[]) touched.add(t)
  const maps = new Map<TableName, Map<string, WireRow>>()
  // A replaced table needs no cached rows: applyChange builds it from the fresh ones alone.
  for (const t of touched)
    if (tables.includes(t) && !change.replace?.[t]) maps.set(t, byKey(t, dumpTables(dump)[t] ?? []))
  applyChange(maps, change)
  const out = { ...dump, portal } as PortalDump
  for (const [t, m] of maps) dumpTables(out)[t] = sortedRows(m)
  return out
}
