/**
 * A sorted table after a few rows went and a few came, and the TablePatch (patch.ts) that makes
 * the one from the other — built from the rows that changed alone, without a diff of the whole
 * table (issue 11.2: a delta's rows normalised on their own, spliced into the previous data).
 *
 * @example
 *   const { rows, patch } = spliceSorted(data.dealEvents, [{ id, at: wasAt }], [fresh], byTimeThenId)
 */
import type { TablePatch } from './patch'

type Row = { id: number }

/** The normalised tables' order for stage events and touches: time, then id. */
export const byTimeThenId = (a: Probe, b: Probe): number => a.at! - b.at! || a.id - b.id

/** The order of deals and leads: id. */
export const byId = (a: Probe, b: Probe): number => a.id - b.id

/** Where a row goes: its sort fields (`id` for deals and leads, `at` and `id` for events and touches). */
export type Probe = { id: number; at?: number }

/**
 * `before` (sorted by `order`, ids unique) without the rows `gone` names and with `put` in (each
 * replacing the row with its id, or new), sorted by `order`. Rows are found by binary search on
 * their sort fields, so only the rows that change are read — the rest are copied as references.
 * A `gone` probe must carry the sort fields the row had (a row not found there is not in the
 * table); a replaced row must be named in `gone` too. A replaced row that sorts where it stood is
 * `changed`; one that moves is removed and added at its place.
 */
export function spliceSorted<T extends Row>(
  before: readonly T[],
  gone: Iterable<Probe>,
  put: readonly T[],
  order: (a: Probe, b: Probe) => number,
): { rows: T[]; patch: TablePatch<T> } {
  const patch: TablePatch<T> = { changed: [], added: [], removed: [] }
  const putById = new Map(put.map((r) => [r.id, r]))
  // Old rows that go (by index), and those a new row replaces in place.
  const drop = new Map<number, number>()
  const inPlace = new Map<number, T>()
  for (const probe of gone) {
    const i = locate(before, probe, order)
    if (i < 0 || drop.has(i) || inPlace.has(i)) continue
    const next = putById.get(probe.id)
    if (next !== undefined && order(before[i], next) === 0) inPlace.set(i, next)
    else drop.set(i, probe.id)
  }
  if (drop.size === 0 && inPlace.size === 0 && put.length === 0) return { rows: before as T[], patch }
  const stays = new Set([...inPlace.values()].map((r) => r.id))
  const moving = put.filter((r) => !stays.has(r.id)).sort(order)
  const edits = [
    ...[...drop.keys()].map((i) => ({ i, kind: DROP, k: 0 })),
    ...[...inPlace.keys()].map((i) => ({ i, kind: REPLACE, k: 0 })),
    ...moving.map((row, k) => ({ i: lowerBound(before, row, order), kind: INSERT, k })),
  ]
  // By place; at one place a new row goes before the old one there (it sorts before it).
  edits.sort((a, b) => a.i - b.i || b.kind - a.kind || a.k - b.k)
  // The new table in runs: untouched stretches copied whole (a native copy), the edits between.
  const parts: T[][] = []
  let from = 0
  let out = 0
  let last: T | null = null
  const emit = (row: T) => {
    parts.push([row])
    last = row
    out++
  }
  const copyTo = (i: number) => {
    if (i > from) {
      parts.push(before.slice(from, i) as T[])
      out += i - from
      last = before[i - 1]
    }
    from = Math.max(from, i)
  }
  for (const e of edits) {
    copyTo(e.i)
    if (e.kind === DROP) {
      patch.removed.push(drop.get(e.i)!)
      from = e.i + 1
    } else if (e.kind === REPLACE) {
      const row = inPlace.get(e.i)!
      patch.changed.push(row)
      emit(row)
      from = e.i + 1
    } else {
      const row = moving[e.k]
      patch.added.push({ after: out > 0 ? (last as T | null)!.id : null, row })
      emit(row)
    }
  }
  copyTo(before.length)
  const rows = ([] as T[]).concat(...parts)
  return { rows, patch }
}

const DROP = 0
const REPLACE = 1
const INSERT = 2

/** Index of the row the probe names (same sort fields, same id), or -1. */
function locate<T extends Row>(rows: readonly T[], probe: Probe, order: (a: Probe, b: Probe) => number): number {
  const i = lowerBound(rows, probe, order)
  return i < rows.length && rows[i].id === probe.id && order(rows[i], probe) === 0 ? i : -1
}

/** The first index whose row does not sort before `probe`. */
function lowerBound<T extends Row>(rows: readonly T[], probe: Probe, order: (a: Probe, b: Probe) => number): number {
  let lo = 0
  let hi = rows.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (order(rows[mid], probe) < 0) lo = mid + 1
    else hi = mid
  }
  return lo
}
