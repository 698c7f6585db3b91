/**
 * Lookup indexes for the filters the app sends in bulk — stage history by OWNER_ID, activities
 * by binding — so a 50-command batch does not scan a million rows fifty times. The index turns
 * the matching rows into a small id-sorted table; the normal list machinery does the rest.
 */
import type { Condition } from '../query'
import type { PortalState } from '../state'
import { Table } from '../table'

const indexes = new WeakMap<PortalState, Map<string, { version: number; index: Map<string, number[]> }>>()

/** key → ids of rows carrying it (ids ascending, as the table is id-sorted). */
export function keyIndex<R extends object>(
  portal: PortalState,
  name: string,
  table: Table<R>,
  keysOf: (row: R) => string[],
): Map<string, number[]> {
  let perPortal = indexes.get(portal)
  if (!perPortal) indexes.set(portal, (perPortal = new Map()))
  const hit = perPortal.get(name)
  if (hit && hit.version === portal.version) return hit.index
  const index = new Map<string, number[]>()
  for (let i = 0; i < table.rows.length; i++) {
    const id = table.ids[i]
    for (const k of keysOf(table.rows[i])) {
      const list = index.get(k)
      if (list) {
        if (list[list.length - 1] !== id) list.push(id)
      } else index.set(k, [id])
    }
  }
  perPortal.set(name, { version: portal.version, index })
  return index
}

/** Rows whose ids are in the union of `lists`, as a table. */
export function tableOfIds<R extends object>(table: Table<R>, lists: number[][]): Table<R> {
  const ids = new Set<number>()
  for (const l of lists) for (const id of l) ids.add(id)
  const rows: R[] = []
  for (const id of [...ids].sort((a, b) => a - b)) {
    const row = table.get(id)
    if (row) rows.push(row)
  }
  return new Table(rows, table.idOf)
}

/** If an `=`/`@` condition on `field` exists, answer from the index and drop that condition. */
export function narrowByKey<R extends object>(
  portal: PortalState,
  name: string,
  table: Table<R>,
  conditions: Condition[],
  field: string,
  keysOf: (row: R) => string[],
): { table: Table<R>; conditions: Condition[] } {
  const at = conditions.findIndex((c) => c.field === field && (c.op === '=' || c.op === '@'))
  if (at < 0) return { table, conditions }
  const c = conditions[at]
  const values = Array.isArray(c.value)
    ? c.value
    : c.value !== null && typeof c.value === 'object'
      ? Object.values(c.value)
      : [c.value]
  const index = keyIndex(portal, name, table, keysOf)
  const lists = values.map((v) => index.get(String(v)) ?? [])
  return { table: tableOfIds(table, lists), conditions: conditions.filter((_, i) => i !== at) }
}
