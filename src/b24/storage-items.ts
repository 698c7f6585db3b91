/**
 * The items of a budget/plan storage as stored: several items may carry the same cell key.
 *
 * REST has no compare-and-set (rest.md §8.2), so a save never overwrites an item: it adds a new
 * one whose VER is one above the item it was based on, checks the storage, and only then removes
 * what it superseded (storage.ts). Items of one key are therefore ranked — higher VER first, then
 * the lower ID (the add that landed first) — and the first is the cell's value. Other items at
 * that same VER with different values are rivals: two saves that nobody resolved, shown to the
 * admin as a conflict. Lower versions are leftovers a later save removes. A cleared cell keeps
 * one empty item (a marker that still ranks, so a late concurrent save cannot silently undo it).
 */
import { replyOf, type AppRest, type RestParams } from './app-rest'
import type { InputKind, RecordValues } from './input-cells'
import type { FieldConflict, VersionedRecord } from './input-merge'

/** One app-storage entity (budgets or plans): its name, title and the item properties it keeps. */
export interface StorageSpec {
  kind: InputKind
  /** ≤ 13 characters (rest.md §8.2: 50 − len("APP_<clientId>_")). */
  entity: string
  name: string
  fields: readonly string[]
}

export const VERSION_PROP = 'VER'
export const propOf = (field: string) => field.toUpperCase()

interface ItemRow {
  ID: string | number
  NAME: string
  PROPERTY_VALUES?: Record<string, unknown> | []
}

/** One stored item; `values` is null for an empty (cleared) cell. */
export interface StoredItem extends VersionedRecord {
  id: number
}

function toItem(spec: StorageSpec, row: ItemRow): StoredItem {
  const props = (Array.isArray(row.PROPERTY_VALUES) ? {} : (row.PROPERTY_VALUES ?? {})) as Record<string, unknown>
  const values: RecordValues = {}
  for (const f of spec.fields) {
    const v = props[propOf(f)]
    values[f] = v === null || v === undefined || v === '' ? null : String(v)
  }
  const ver = Number(props[VERSION_PROP])
  const empty = spec.fields.every((f) => values[f] === null)
  return { key: row.NAME, id: Number(row.ID), version: Number.isFinite(ver) ? ver : 0, values: empty ? null : values }
}

/** Higher version first, then the item whose add landed first. */
export function rank(a: StoredItem, b: StoredItem): number {
  return b.version - a.version || a.id - b.id
}

const PAGE = 50

/**
 * Every item of a storage, grouped by key and ranked: the first page tells the total, the rest
 * come in one batch (≤ 50 pages = 2,500 items per extra request). A missing storage is empty.
 */
export async function readItems(rest: AppRest, spec: StorageSpec): Promise<Map<string, StoredItem[]>> {
  const first = await rest.batch({ page0: ['entity.item.get', { ENTITY: spec.entity, SORT: { ID: 'ASC' }, start: 0 }] })
  const rows: ItemRow[] = []
  const p0 = first.page0
  if (!p0.ok) {
    if (p0.error?.code === 'ERROR_ENTITY_NOT_FOUND') return new Map()
    throw p0.error!
  }
  rows.push(...(p0.result as ItemRow[]))
  for (let start = PAGE; start < p0.total; start += PAGE * 50) {
    const cmds: Record<string, [string, RestParams]> = {}
    for (let s = start; s < Math.min(p0.total, start + PAGE * 50); s += PAGE) {
      cmds[`p${s}`] = ['entity.item.get', { ENTITY: spec.entity, SORT: { ID: 'ASC' }, start: s }]
    }
    const replies = await rest.batch(cmds)
    for (const n of Object.keys(cmds)) rows.push(...replyOf<ItemRow[]>(replies, n))
  }
  const byKey = new Map<string, StoredItem[]>()
  for (const row of rows) {
    const item = toItem(spec, row)
    byKey.set(item.key, [...(byKey.get(item.key) ?? []), item])
  }
  for (const items of byKey.values()) items.sort(rank)
  return byKey
}

function sameValues(a: RecordValues | null, b: RecordValues | null): boolean {
  const keys = new Set([...Object.keys(a ?? {}), ...Object.keys(b ?? {})])
  return [...keys].every((k) => (a?.[k] ?? null) === (b?.[k] ?? null))
}

/** The cell's value per key: the first-ranked item, with every item id and any rivals. */
export function currentRecords(items: ReadonlyMap<string, StoredItem[]>): Map<string, VersionedRecord> {
  const out = new Map<string, VersionedRecord>()
  for (const [key, list] of items) {
    if (list.length === 0) continue
    const [head] = list
    const rivals = list.filter((i) => i !== head && i.version === head.version && !sameValues(i.values, head.values))
    out.set(key, { ...head, itemIds: list.map((i) => i.id), ...(rivals.length ? { rivals } : {}) })
  }
  return out
}

/** Rivals as conflicts for the editor: the value in force ("mine") against each rival ("theirs"). */
export function rivalConflicts(
  records: ReadonlyMap<string, VersionedRecord>,
  fields: readonly string[],
): FieldConflict[] {
  const out: FieldConflict[] = []
  for (const rec of records.values()) {
    for (const rival of rec.rivals ?? []) {
      for (const f of fields) {
        const mine = rec.values?.[f] ?? null
        const theirs = rival.values?.[f] ?? null
        if (mine !== theirs) out.push({ key: rec.key, field: f, base: null, mine, theirs })
      }
    }
  }
  return out
}

export function propertyValues(
  spec: StorageSpec,
  values: RecordValues | null,
  version: number,
): Record<string, string> {
  const pv: Record<string, string> = { [VERSION_PROP]: String(version) }
  for (const f of spec.fields) pv[propOf(f)] = values?.[f] ?? ''
  return pv
}
