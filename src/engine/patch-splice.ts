/**
 * A sorted table after a few rows went and a few came, and the TablePatch (patch.ts) that makes
 * the one from the other — built from the rows that changed alone, without a diff of the whole
 * table (issue 11.2: a delta's rows normalised on their own, spliced into the previous data).
 *
 * @example
 *   const { rows, patch } = spliceSorted(data.dealEvents, new Set([gone.id]), [fresh], byTimeThenId)
 */
import type { TablePatch } from './patch'

type Row = { id: number }

/** The normalised tables' order for stage events and touches: time, then id. */
export const byTimeThenId = (a: { at: number; id: number }, b: { at: number; id: number }): number =>
  a.at - b.at || a.id - b.id

/** The order of deals and leads: id. */
export const byId = (a: Row, b: Row): number => a.id - b.id

/**
 * `before` (sorted by `order`, ids unique) without the rows whose id is in `gone` and with `put`
 * in (each replacing the row with its id, or new), sorted by `order`. A replaced row that sorts
 * where it stood (same sort key) is `changed`; one that moves is removed and added at its place.
 */
export function spliceSorted<T extends Row>(
  before: readonly T[],
  gone: ReadonlySet<number>,
  put: readonly T[],
  order: (a: T, b: T) => number,
): { rows: T[]; patch: TablePatch<T> } {
  // An untouched table stays the very same array, as applyPatch leaves it.
  if (gone.size === 0 && put.length === 0)
    return { rows: before as T[], patch: { changed: [], added: [], removed: [] } }
  const putById = new Map(put.map((r) => [r.id, r]))
  const patch: TablePatch<T> = { changed: [], added: [], removed: [] }
  const inPlace = new Set<number>()
  const kept: T[] = []
  for (const row of before) {
    const next = putById.get(row.id)
    if (next !== undefined && order(row, next) === 0) {
      inPlace.add(row.id)
      patch.changed.push(next)
      kept.push(next)
    } else if (next !== undefined || gone.has(row.id)) patch.removed.push(row.id)
    else kept.push(row)
  }
  const moving = put.filter((r) => !inPlace.has(r.id)).sort(order)
  const { rows, at } = mergeSorted(kept, moving, order)
  // Anchors in the new table's order: an added row may follow another added one.
  for (const i of at) patch.added.push({ after: i > 0 ? rows[i - 1].id : null, row: rows[i] })
  return { rows, patch }
}

/** `a` and `b` merged; `at`: where each row of `b` landed. */
function mergeSorted<T>(a: readonly T[], b: readonly T[], order: (x: T, y: T) => number) {
  const at: number[] = []
  if (b.length === 0) return { rows: a as T[], at }
  const rows: T[] = new Array(a.length + b.length)
  let i = 0
  let j = 0
  let k = 0
  while (i < a.length && j < b.length) {
    if (order(b[j], a[i]) < 0) {
      at.push(k)
      rows[k++] = b[j++]
    } else rows[k++] = a[i++]
  }
  while (i < a.length) rows[k++] = a[i++]
  while (j < b.length) {
    at.push(k)
    rows[k++] = b[j++]
  }
  return { rows, at }
}
