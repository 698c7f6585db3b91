/**
 * Incremental `prepare`: after a patch of a few rows, the stage histories (the sorted walk that
 * gives passes, first entries, loss stages and stays) are walked again only for the deals the
 * patch touched, and every other deal's columns are copied from the previous `Prepared`. The
 * per-deal touch lists are kept too when no touch and no deal's creation, lead or contact changed.
 * The linear parts that read every row anyway (deal scalars, dimension codes, leads) are rebuilt:
 * that keeps dictionary codes and quality counts exactly those of a full `prepare`, which the
 * tests check field by field on random patches.
 *
 * @example
 *   const next = applyPatch(prepared.data, patch)
 *   prepared = updatePrepared(prepared, next, patch)   // deep-equals prepare(next)
 */
import type { CrmData, Touch } from './types'
import type { IdIndex } from './id-index'
import { prepareTouches } from './prepare-touches'
import { walkHistories, type HistoryWalk } from './prepare-history'
import { finish, groundwork, prepare, type DealScalars, type Prepared, type TouchIndexes } from './prepare'
import { addTouches } from './prepare-touches-add'
import { upserted, type CrmPatch } from './patch'
import { carryCaches } from './carry'

/** Tables the prepared frame stands on: a change in one of them means a full `prepare`. */
const FRAME_TABLES = ['portal', 'pipelines', 'stages', 'settings', 'currencies'] as const

/**
 * Where each deal's columns come from: `fresh[d]` its slot in the new walk, else -1 and `old[d]`
 * its index in the previous `Prepared`.
 */
interface Sources {
  fresh: Int32Array
  old: Int32Array
  /** Fresh deals, ascending. */
  walked: Int32Array
}

/** The deals whose history must be walked again: changed or added rows, and owners of changed events. */
function dealSources(prev: Prepared, next: CrmData, patch: CrmPatch, dealIndex: IdIndex): Sources {
  const n = next.deals.length
  const before = prev.kept.dealIndex
  const fresh = new Int32Array(n).fill(-1)
  const old = new Int32Array(n)
  const mark = (id: number) => {
    const d = dealIndex.get(id)
    if (d >= 0) fresh[d] = 1
  }
  for (const deal of upserted(patch.deals)) mark(deal.id)
  // A changed or removed event concerns its deal before the patch as well as after it.
  const events = upserted(patch.dealEvents)
  const changedEvents = new Set([...patch.dealEvents.removed, ...events.map((e) => e.id)])
  if (changedEvents.size > 0) for (const e of prev.data.dealEvents) if (changedEvents.has(e.id)) mark(e.ownerId)
  for (const e of events) mark(e.ownerId)
  const walked: number[] = []
  for (let d = 0; d < n; d++) {
    old[d] = before.get(next.deals[d].id)
    if (old[d] < 0) fresh[d] = 1
    if (fresh[d] === 1) fresh[d] = walked.push(d) - 1
  }
  return { fresh, old, walked: Int32Array.from(walked) }
}

type Typed = Int16Array | Int32Array | Uint8Array | Float32Array | Float64Array

/** A column of the same type and the given length. */
function like<T extends Typed>(column: T, length: number): T {
  return new (column.constructor as new (length: number) => T)(length)
}

/**
 * Fixed-width rows (`width` values per deal) from the fresh walk or the previous columns; runs of
 * deals kept in the same order are copied in one `set`.
 */
function spliceRows<T extends Typed>(src: Sources, width: number, fresh: T, prev: T): T {
  const n = src.fresh.length
  const out = like(prev, n * width)
  let d = 0
  while (d < n) {
    const slot = src.fresh[d]
    if (slot >= 0) {
      out.set(fresh.subarray(slot * width, (slot + 1) * width), d * width)
      d++
      continue
    }
    let end = d + 1
    while (end < n && src.fresh[end] < 0 && src.old[end] === src.old[d] + (end - d)) end++
    out.set(prev.subarray(src.old[d] * width, src.old[end - 1] * width + width), d * width)
    d = end
  }
  return out
}

/** Variable-length rows (CSR: `start` has one entry more than deals) spliced the same way. */
function spliceCsr<T extends Typed[]>(
  src: Sources,
  freshStart: Int32Array,
  fresh: T,
  prevStart: Int32Array,
  prev: T,
): { start: Int32Array; columns: T } {
  const n = src.fresh.length
  const start = new Int32Array(n + 1)
  for (let d = 0; d < n; d++) {
    const slot = src.fresh[d]
    const len = slot >= 0 ? freshStart[slot + 1] - freshStart[slot] : prevStart[src.old[d] + 1] - prevStart[src.old[d]]
    start[d + 1] = start[d] + len
  }
  const columns = prev.map((column) => like(column, start[n])) as T
  let d = 0
  while (d < n) {
    const slot = src.fresh[d]
    if (slot >= 0) {
      columns.forEach((c, i) => c.set(fresh[i].subarray(freshStart[slot], freshStart[slot + 1]), start[d]))
      d++
      continue
    }
    let end = d + 1
    while (end < n && src.fresh[end] < 0 && src.old[end] === src.old[d] + (end - d)) end++
    const from = prevStart[src.old[d]]
    const to = prevStart[src.old[end - 1] + 1]
    columns.forEach((c, i) => c.set(prev[i].subarray(from, to), start[d]))
    d = end
  }
  return { start, columns }
}

/** Every deal's history columns: the fresh walk's for the walked deals, the previous ones for the rest. */
function spliceWalk(prev: Prepared, walk: HistoryWalk, src: Sources, stride: number) {
  type PassColumns = [Int16Array, Float64Array]
  type StayColumns = [Int32Array, Float64Array]
  const passes = spliceCsr<PassColumns>(src, walk.passStart, [walk.passStage, walk.passAt], prev.passStart, [
    prev.passStage,
    prev.passAt,
  ])
  const stays = spliceCsr<StayColumns>(src, walk.stayStart, [walk.stayKey, walk.stayMs], prev.kept.stayStart, [
    prev.kept.stayKey,
    prev.kept.stayMs,
  ])
  return {
    passStart: passes.start,
    passStage: passes.columns[0],
    passAt: passes.columns[1],
    stayStart: stays.start,
    stayKey: stays.columns[0],
    stayMs: stays.columns[1],
    reachedAt: spliceRows(src, stride, walk.reachedAt, prev.reachedAt),
    firstEntry: spliceRows(src, stride, walk.firstEntry, prev.firstEntry),
    stageSince: spliceRows(src, 1, walk.stageSince, prev.stageSince),
    closedAt: spliceRows(src, 1, walk.closedAt, prev.closedAt),
    lossStage: spliceRows(src, 1, walk.lossStage, prev.lossStage),
    flags: spliceRows(src, 1, walk.flags, prev.kept.historyFlags),
    unknownEvents: spliceRows(src, 1, walk.unknownEvents, prev.kept.unknownEvents),
  }
}

/**
 * The per-deal touch lists of kept deals stay valid when no kept deal changed what binds touches
 * to it (its creation time, lead or contact). Added deals get theirs made (prepare-touches-add.ts).
 */
function dealsKeepTouches(prev: Prepared, next: CrmData, src: Sources, scalars: DealScalars): boolean {
  for (let d = 0; d < src.fresh.length; d++) {
    if (src.fresh[d] < 0) continue
    const o = src.old[d]
    if (o < 0) continue
    const was = prev.data.deals[o]
    const now = next.deals[d]
    if (was.leadId !== now.leadId || was.contactId !== now.contactId) return false
    if (!Object.is(prev.created[o], scalars.created[d])) return false
  }
  return true
}

/**
 * The touches the patch adds, when that is all it does to the indexes: no touch removed or moved,
 * and a changed one differs in nothing the indexes read (time, kind, duration, user, owners) —
 * say, a call marked completed. Null otherwise.
 */
function touchesOnlyAdded(prev: Prepared, patch: CrmPatch): Touch[] | null {
  const touches = patch.touches
  if (touches.removed.length > 0) return null
  if (touches.changed.length > 0) {
    const now = new Map(touches.changed.map((t) => [t.id, t]))
    for (const was of prev.data.touches) {
      const t = now.get(was.id)
      if (t !== undefined && !sameForIndexes(was, t)) return null
    }
  }
  return touches.added.map((a) => a.row)
}

function sameForIndexes(a: Touch, b: Touch): boolean {
  const sameList = (x: number[], y: number[]) => x.length === y.length && x.every((v, i) => v === y[i])
  return (
    Object.is(a.at, b.at) &&
    a.kind === b.kind &&
    Object.is(a.durationSec ?? NaN, b.durationSec ?? NaN) &&
    a.responsibleId === b.responsibleId &&
    sameList(a.dealIds, b.dealIds) &&
    sameList(a.leadIds, b.leadIds) &&
    sameList(a.contactIds, b.contactIds)
  )
}

/**
 * The manager dictionary after the touch-only users, as the previous `prepare` handed them out —
 * possible only when deals and leads handed out the same codes as before.
 */
function replayTouchUsers(prev: Prepared, managers: Prepared['dims']['manager']['dict']): boolean {
  const before = prev.dims.manager.dict.keys
  if (managers.size !== prev.kept.managersBeforeTouches) return false
  for (let k = 0; k < managers.size; k++) if (managers.keys[k] !== before[k]) return false
  for (let k = managers.size; k < before.length; k++) managers.code(before[k])
  return true
}

/**
 * The touch indexes of the new data: the previous ones re-spliced when they still hold, with the
 * patch's new touches put in (prepare-touches-add.ts), else rebuilt.
 */
function updateTouches(
  prev: Prepared,
  next: CrmData,
  patch: CrmPatch,
  src: Sources,
  scalars: DealScalars,
  dealIndex: IdIndex,
  managers: Prepared['dims']['manager']['dict'],
) {
  const rebuild = () => prepareTouches(next, next.deals.length, scalars.created, dealIndex, managers)
  const added = dealsKeepTouches(prev, next, src, scalars) ? touchesOnlyAdded(prev, patch) : null
  if (added === null) return rebuild()
  const kept = keptTouchLists(prev, src)
  const newDeals = src.walked.filter((d) => src.old[d] < 0)
  // The previous dictionary codes the added touches' users: the replay below hands out the same.
  const users = prev.dims.manager.dict
  const coded = prev.kept.managersBeforeTouches
  const lists =
    added.length === 0 && newDeals.length === 0
      ? kept
      : addTouches(kept, { added, newDeals }, next, scalars.created, dealIndex, users, coded)
  // Neither hands out a code: a rebuild after them still codes users as a full `prepare` does.
  if (lists === null || !replayTouchUsers(prev, managers)) return rebuild()
  return lists
}

/**
 * The previous touch lists, each deal's moved to its index in the new data (deals removed left
 * out, added ones with none yet).
 */
function keptTouchLists(prev: Prepared, src: Sources): TouchIndexes {
  // Kept deals keep their lists (walked ones too: their bindings are checked the same); an added
  // deal takes slot 0 of an empty list.
  const fresh = Int32Array.from(src.old, (o) => (o < 0 ? 0 : -1))
  const all: Sources = { fresh, old: src.old, walked: new Int32Array(0) }
  const columns: [Float64Array, Uint8Array, Float32Array] = [prev.touchAt, prev.touchKind, prev.touchDuration]
  const none: [Float64Array, Uint8Array, Float32Array] = [new Float64Array(0), new Uint8Array(0), new Float32Array(0)]
  const lists = spliceCsr(all, new Int32Array(2), none, prev.touchStart, columns)
  return {
    touchStart: lists.start,
    touchAt: lists.columns[0],
    touchKind: lists.columns[1],
    touchDuration: lists.columns[2],
    firstTouchAt: spliceRows(all, 1, Float64Array.of(NaN), prev.firstTouchAt),
    userTouchStart: prev.userTouchStart,
    userTouchAt: prev.userTouchAt,
    userTouchKind: prev.userTouchKind,
    userTouchDuration: prev.userTouchDuration,
  }
}

/**
 * `prepare(next)`, reusing `prev` where the patch that turned `prev.data` into `next` left it valid.
 * `next` must be `applyPatch(prev.data, patch)`.
 */
export function updatePrepared(prev: Prepared, next: CrmData, patch: CrmPatch): Prepared {
  if (FRAME_TABLES.some((t) => t in patch.replaced)) return prepare(next)
  const ground = groundwork(next)
  const src = dealSources(prev, next, patch, ground.frame.dealIndex)
  const fresh = walkHistories(ground.frame, src.walked)
  const walk = spliceWalk(prev, fresh, src, ground.frame.stride)
  const updated = finish(ground, walk, fresh.orphanEvents, (managers) =>
    updateTouches(prev, next, patch, src, ground.scalars, ground.frame.dealIndex, managers),
  )
  // The report's per-data-load caches that the patch left valid come along (carry.ts).
  carryCaches({ prev, next: updated, patch })
  return updated
}
