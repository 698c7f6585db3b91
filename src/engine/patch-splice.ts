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
  const patch: TablePatch<T> = { changed: [], added: [], removed: [] }
  // An untouched table stays the very same array, as applyPatch leaves it.
  if (gone.size === 0 && put.length === 0) return { rows: before as T[], patch }
  const putById = new Map(put.map((r) => [r.id, r]))
  // First walk: which rows go and which new rows replace theirs in place (no copy yet).
  const inPlace = new Set<number>()
  const drop = new Set<number>()
  for (let i = 0; i < before.length; i++) {
    const row = before[i]
    const next = putById.get(row.id)
    if (next !== undefined && order(row, next) === 0) {
      inPlace.add(row.id)
      patch.changed.push(next)
    } else if (next !== undefined || gone.has(row.id)) {
      drop.add(row.id)
      patch.removed.push(row.id)
    }
  }
  const moving = put.filter((r) => !inPlace.has(r.id)).sort(order)
  // Second walk: the new table, the moving rows merged in at their places.
  const rows: T[] = new Array(before.length - drop.size + moving.length)
  let k = 0
  let j = 0
  const place = (row: T) => {
    patch.added.push({ after: k > 0 ? rows[k - 1].id : null, row })
    rows[k++] = row
  }
  for (let i = 0; i < before.length; i++) {
    const row = before[i]
    if (drop.size > 0 && drop.has(row.id)) continue
    const kept = inPlace.has(row.id) ? putById.get(row.id)! : row
    while (j < moving.length && order(moving[j], kept) < 0) place(moving[j++])
    rows[k++] = kept
  }
  while (j < moving.length) place(moving[j++])
  return { rows, patch }
}
