/**
 * The cached dump as a delta leaves it, without building it: a row by id before or after the
 * change, and every row after it in the dump's order. The cache hands out its tables sorted by
 * numeric id (sync/cache.ts sortedRows), so a row is found by binary search; a table that is not
 * so sorted is looked up through a map built once.
 */
import type { PortalDump } from './wire'
import { TABLE_SPECS, type TableName } from './tables'

export type WireRow = Record<string, unknown>

/** What a delta changes: rows upserted and keys deleted per table (dictionaries replaced are not read here). */
export interface RowChange {
  upserts?: Partial<Record<TableName, WireRow[]>>
  deletes?: Partial<Record<TableName, string[]>>
}

/** The row's key as a number, NaN unless it is a plain decimal id (as the cache sorts numerically). */
export function numericKey(table: TableName, row: WireRow): number {
  const v = row[TABLE_SPECS[table].idKey]
  if (typeof v === 'number') return Number.isSafeInteger(v) && v >= 0 ? v : NaN
  return typeof v === 'string' ? decimal(v) : NaN
}

/** "123" → 123; NaN for anything else ("0123", " 1", "1e3", ""): a digit walk, no allocation. */
function decimal(v: string): number {
  if (v.length === 0 || v.length > 15 || (v.length > 1 && v.charCodeAt(0) === 48)) return NaN
  let n = 0
  for (let i = 0; i < v.length; i++) {
    const digit = v.charCodeAt(i) - 48
    if (digit < 0 || digit > 9) return NaN
    n = n * 10 + digit
  }
  return n
}

/**
 * Reading relies on each cached table being sorted by numeric id, as every cache hands its tables
 * out (sync/cache.ts sortedRows: numerically whenever every key is a number). A read that meets a
 * key that is not a plain number, or keys out of order, sets `disordered`: the caller must not
 * trust what it read (a full normalisation then).
 */
export class DumpAfter {
  private readonly upserted = new Map<TableName, Map<number, WireRow>>()
  private readonly deleted = new Map<TableName, Set<number>>()
  disordered = false

  constructor(
    private readonly before: PortalDump,
    change: RowChange,
  ) {
    for (const [t, rows] of Object.entries(change.upserts ?? {}) as [TableName, WireRow[]][])
      this.upserted.set(t, new Map(rows.map((r) => [numericKey(t, r), r])))
    for (const [t, keys] of Object.entries(change.deletes ?? {}) as [TableName, string[]][])
      this.deleted.set(t, new Set(keys.map(Number)))
  }

  private rowsOf(table: TableName): WireRow[] {
    return ((this.before as unknown as Record<string, WireRow[] | undefined>)[table] ?? []) as WireRow[]
  }

  /** The row with this id before the change (binary search). */
  old(table: TableName, id: number): WireRow | undefined {
    const rows = this.rowsOf(table)
    let lo = 0
    let hi = rows.length - 1
    while (lo <= hi) {
      const mid = (lo + hi) >> 1
      const k = numericKey(table, rows[mid])
      if (k === id) return rows[mid]
      if (k < id) lo = mid + 1
      else if (k > id) hi = mid - 1
      else return this.mistrust()
    }
    // Not found: the neighbours must bracket the id (a cheap check of the order where it matters).
    const below = lo > 0 ? numericKey(table, rows[lo - 1]) : -Infinity
    const above = lo < rows.length ? numericKey(table, rows[lo]) : Infinity
    return below < id && id < above ? undefined : this.mistrust()
  }

  private mistrust(): undefined {
    this.disordered = true
    return undefined
  }

  /** The row with this id after the change. */
  now(table: TableName, id: number): WireRow | undefined {
    if (this.deleted.get(table)?.has(id)) return undefined
    return this.upserted.get(table)?.get(id) ?? this.old(table, id)
  }

  /** Ids the change upserts or deletes in a table. */
  touched(table: TableName): number[] {
    return [...new Set([...(this.upserted.get(table)?.keys() ?? []), ...(this.deleted.get(table) ?? [])])]
  }

  /** Every row after the change, in the order of the dump after it (numeric id). */
  forEach(table: TableName, fn: (row: WireRow) => void): void {
    const rows = this.rowsOf(table)
    const upserted = this.upserted.get(table)
    const deleted = this.deleted.get(table)
    // A table the change left alone is in its order already: no key read.
    if (!upserted && !deleted) {
      for (let i = 0; i < rows.length; i++) fn(rows[i])
      return
    }
    const fresh = [...(upserted ?? [])].sort((a, b) => a[0] - b[0])
    let j = 0
    let previous = -Infinity
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]
      const k = numericKey(table, row)
      if (!(k > previous)) this.disordered = true
      previous = k
      while (j < fresh.length && fresh[j][0] < k) fn(fresh[j++][1])
      if (!upserted?.has(k) && !deleted?.has(k)) fn(row)
    }
    while (j < fresh.length) fn(fresh[j++][1])
  }
}
