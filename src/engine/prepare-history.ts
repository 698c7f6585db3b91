/**
 * Stage histories of `prepare`: every deal's events in its current pipeline, ordered, completed
 * where the data falls short, and walked once into passes (actual and implied), first entries,
 * the loss stage, the close time and the completed stays.
 *
 * The walk runs over all deals (a full `prepare`) or over the few deals a delta touched (an
 * incremental update, `prepare-update.ts`): its output is CSR over the walked deals' slots, so
 * the update can splice fresh slots between the kept ones.
 */
import type { CrmData, Deal } from './types'
import type { IdIndex } from './id-index'
import { SEM_F, SEM_P, SEM_S, validTime, type PipeInfo } from './prepare-pipes'

/** What a deal's history says about the data (summed into the quality counts). */
export const HISTORY_FLAG = {
  reconstructed: 1,
  historyPatched: 2,
  pipelineChanged: 4,
  reopened: 8,
  backwardMoves: 16,
  lostWithoutProcessStage: 32,
} as const

/** The per-deal columns the walk reads: fixed by the pipelines and the deal rows. */
export interface DealFrame {
  data: CrmData
  pipes: PipeInfo[]
  stride: number
  stageLookup: Map<string, [number, number]>
  dealIndex: IdIndex
  /** Pipeline index per deal, -1 when unknown. */
  pipe: Int32Array
  /** Current local stage per deal, -1 when unknown. */
  stage: Int32Array
  semantic: Uint8Array
}

/** The walk's output over `slots` deals, CSR where a deal has a variable number of rows. */
export interface HistoryWalk {
  slots: number
  passStart: Int32Array
  passStage: Int16Array
  passAt: Float64Array
  /** Completed stays: key pipe × stride + stage, length in ms (not for reconstructed histories). */
  stayStart: Int32Array
  stayKey: Int32Array
  stayMs: Float64Array
  /** slots × stride */
  reachedAt: Float64Array
  firstEntry: Float64Array
  stageSince: Float64Array
  closedAt: Float64Array
  lossStage: Int32Array
  /** HISTORY_FLAG bits per slot. */
  flags: Uint8Array
  /** Events whose stage is in no pipeline, per slot. */
  unknownEvents: Int32Array
  /** Events of deals that are not in the data (counted over all events, walked or not). */
  orphanEvents: number
}

/**
 * Walked deals' stage events grouped CSR-style by slot (typed arrays, no object per event): slot
 * k's events are positions start[k] .. start[k+1]-1 of `event` (index into data.dealEvents),
 * `stage` and `at`, so a deal's history is read from contiguous memory.
 */
interface EventIndex {
  start: Int32Array
  event: Int32Array
  stage: Int16Array
  at: Float64Array
  /** Longest history (events of one deal). */
  maxLen: number
  otherPipe: Uint8Array
  unknown: Int32Array
  orphans: number
}

/** `slotOf[d]` is deal d's slot, -1 when it is not walked; null walks every deal (slot = deal). */
function indexEvents(frame: DealFrame, slotOf: Int32Array | null, slots: number): EventIndex {
  const events = frame.data.dealEvents
  const { dealIndex, pipe, stageLookup } = frame
  const m = events.length
  const owner = new Int32Array(m).fill(-1)
  const ownStage = new Int16Array(m)
  // Times are copied here so that the event objects are walked once (they are scattered in memory).
  const ownAt = new Float64Array(m)
  const otherPipe = new Uint8Array(slots)
  const unknown = new Int32Array(slots)
  const start = new Int32Array(slots + 1)
  let orphans = 0
  // Stage id → (pipe << 16) | local stage in a null-prototype object: a keyed load per event is
  // cheaper than Map.get with a string key, and one int needs no second load.
  const stageCode: Record<string, number> = Object.create(null) as Record<string, number>
  for (const [id, [pipeIndex, local]] of stageLookup) stageCode[id] = (pipeIndex << 16) | local
  for (let i = 0; i < m; i++) {
    const e = events[i]
    const deal = dealIndex.get(e.ownerId)
    if (deal < 0) {
      orphans++
      continue
    }
    const slot = slotOf === null ? deal : slotOf[deal]
    if (slot < 0) continue
    const sid = e.stageId
    const code = typeof sid === 'string' ? stageCode[sid] : undefined
    if (code === undefined) {
      unknown[slot]++
      continue
    }
    const eventPipe = code >> 16
    // TYPE_ID 5 = moved between pipelines; events of another pipeline do not count here.
    if (eventPipe !== pipe[deal] || e.typeId === 5) otherPipe[slot] = 1
    if (eventPipe !== pipe[deal] || !validTime(e.at)) continue
    owner[i] = slot
    ownStage[i] = code & 0xffff
    ownAt[i] = e.at
    start[slot + 1]++
  }
  let maxLen = 0
  for (let k = 0; k < slots; k++) {
    if (start[k + 1] > maxLen) maxLen = start[k + 1]
    start[k + 1] += start[k]
  }
  const total = start[slots]
  const event = new Int32Array(total)
  const stage = new Int16Array(total)
  const at = new Float64Array(total)
  const fill = start.slice(0, slots)
  for (let i = 0; i < m; i++) {
    const slot = owner[i]
    if (slot < 0) continue
    const k = fill[slot]++
    event[k] = i
    stage[k] = ownStage[i]
    at[k] = ownAt[i]
  }
  return { start, event, stage, at, maxLen, otherPipe, unknown, orphans }
}

/**
 * A deal's usable history in its current pipeline, written into the reusable `hs`/`ha`
 * (stage, time) buffers: its events ordered by time, then history id (Bitrix24 assigns ids in
 * order, so the id settles events at the same instant), completed where the data falls short.
 * Returns the history length and sets the slot's reconstructed/patched flags.
 * `firstStage` is -1 for a pipeline without any stage we know (its stages missing from the
 * portal's stage list): a deal there has no history to reconstruct.
 */
function dealHistory(
  events: CrmData['dealEvents'],
  deal: Deal,
  ix: EventIndex,
  slot: number,
  curStage: number,
  firstStage: number,
  hs: Int16Array,
  ha: Float64Array,
  flags: Uint8Array,
): number {
  const fallbackAt = validTime(deal.movedAt) ? deal.movedAt : deal.modifiedAt
  const a = ix.start[slot]
  const b = ix.start[slot + 1]
  if (a === b) {
    flags[slot] |= HISTORY_FLAG.reconstructed
    if (firstStage < 0) return 0
    // Created at the first main-path stage: a branch stage is never assumed, only entered.
    const first = firstStage
    hs[0] = first
    // Only numbers go into the buffer as they are (a missing date stays invalid, not 0).
    ha[0] = typeof deal.createdAt === 'number' ? deal.createdAt : NaN
    if (curStage >= 0 && curStage !== first) {
      hs[1] = curStage
      ha[1] = Math.max(deal.createdAt, fallbackAt)
      return 2
    }
    return 1
  }
  const { event, stage, at } = ix
  // Insertion sort: histories are short and usually already in order; ids only settle ties.
  for (let i = a + 1; i < b; i++) {
    const v = event[i]
    const tv = at[i]
    const sv = stage[i]
    let j = i - 1
    while (j >= a) {
      const tw = at[j]
      if (tw < tv || (tw === tv && events[event[j]].id <= events[v].id)) break
      event[j + 1] = event[j]
      at[j + 1] = tw
      stage[j + 1] = stage[j]
      j--
    }
    event[j + 1] = v
    at[j + 1] = tv
    stage[j + 1] = sv
  }
  let len = 0
  for (let i = a; i < b; i++, len++) {
    hs[len] = stage[i]
    ha[len] = at[i]
  }
  const lastAt = ha[len - 1]
  if (curStage >= 0 && hs[len - 1] !== curStage) {
    flags[slot] |= HISTORY_FLAG.historyPatched
    hs[len] = curStage
    ha[len++] = Math.max(lastAt, validTime(fallbackAt) ? fallbackAt : lastAt)
  }
  return len
}

/** Growable (stage, time) pass columns; every pass also lowers the slot's reachedAt. */
class PassColumns {
  stage: Int16Array
  at: Float64Array
  length = 0

  constructor(
    capacity: number,
    private readonly reachedAt: Float64Array,
    private readonly stride: number,
  ) {
    this.stage = new Int16Array(capacity)
    this.at = new Float64Array(capacity)
  }

  push(slot: number, stage: number, at: number): void {
    if (this.length === this.stage.length) this.grow()
    this.stage[this.length] = stage
    this.at[this.length++] = at
    const k = slot * this.stride + stage
    if (!(this.reachedAt[k] <= at)) this.reachedAt[k] = at
  }

  private grow(): void {
    const stage = new Int16Array(this.stage.length * 2)
    stage.set(this.stage)
    this.stage = stage
    const at = new Float64Array(this.at.length * 2)
    at.set(this.at)
    this.at = at
  }

  /** The columns cut to size when much is left over (a view otherwise: no copy). */
  trimmed(): { stage: Int16Array; at: Float64Array } {
    const cut = this.length < this.stage.length * 0.9
    return {
      stage: cut ? this.stage.slice(0, this.length) : this.stage.subarray(0, this.length),
      at: cut ? this.at.slice(0, this.length) : this.at.subarray(0, this.length),
    }
  }
}

/** Walks the histories of `deals` (ascending deal indexes), or of every deal when null. */
export function walkHistories(frame: DealFrame, deals: Int32Array | null): HistoryWalk {
  const { data, pipes, stride, pipe, stage, semantic } = frame
  const n = data.deals.length
  const slots = deals === null ? n : deals.length
  let slotOf: Int32Array | null = null
  if (deals !== null) {
    slotOf = new Int32Array(n).fill(-1)
    deals.forEach((d, k) => (slotOf![d] = k))
  }
  const ix = indexEvents(frame, slotOf, slots)
  const reachedAt = new Float64Array(slots * stride).fill(NaN)
  const firstEntry = new Float64Array(slots * stride).fill(NaN)
  const stageSince = new Float64Array(slots).fill(NaN)
  const closedAt = new Float64Array(slots).fill(NaN)
  const lossStage = new Int32Array(slots).fill(-1)
  const flags = new Uint8Array(slots)
  const unknownEvents = new Int32Array(slots)
  const passStart = new Int32Array(slots + 1)
  // Passes = events + implied passes (skips are few): the columns double if the guess falls short.
  const passes = new PassColumns(Math.max(64, ix.start[slots] + slots), reachedAt, stride)
  // A history has at most one entry more than its events, so stays never outnumber the events.
  const stayStart = new Int32Array(slots + 1)
  const stayKey = new Int32Array(ix.start[slots])
  const stayMs = new Float64Array(ix.start[slots])
  let stays = 0
  const hs = new Int16Array(ix.maxLen + 2)
  const ha = new Float64Array(ix.maxLen + 2)
  const events = data.dealEvents

  for (let slot = 0; slot < slots; slot++) {
    passStart[slot] = passes.length
    stayStart[slot] = stays
    const d = deals === null ? slot : deals[slot]
    const pipeIndex = pipe[d]
    if (pipeIndex < 0) continue
    const pl = pipes[pipeIndex]
    const deal = data.deals[d]
    if (ix.otherPipe[slot]) flags[slot] |= HISTORY_FLAG.pipelineChanged
    unknownEvents[slot] = ix.unknown[slot]
    const first = pl.stageIds.length ? Math.max(0, pl.firstMain) : -1
    const hn = dealHistory(events, deal, ix, slot, stage[d], first, hs, ha, flags)
    const reconstructed = ix.start[slot] === ix.start[slot + 1]
    // pos: the deal's place on the main path (every main-path stage up to it is passed);
    // cur: the process stage it is actually in (a branch stage too), for the loss stage.
    let pos = -1
    let cur = -1
    let prevSem = -1
    let lastLossStage = -1
    let lastLossAt = NaN
    let lastWinAt = NaN
    let lostWithoutStage = false
    const { branch } = pl
    for (let i = 0; i < hn; i++) {
      const s = hs[i]
      const t = ha[i]
      const sem = pl.semantics[s]
      if (!validTime(t)) continue
      if (sem === SEM_P) {
        if (prevSem === SEM_S || prevSem === SEM_F) flags[slot] |= HISTORY_FLAG.reopened
        if (s < pos) flags[slot] |= HISTORY_FLAG.backwardMoves
        // A jump passes the main-path stages it skips; never a branch stage (metrics.md).
        for (let k = pos + 1; k < s; k++) if (!branch[k]) passes.push(slot, k, t)
        // In a branch stage the deal stands on the main path just before it: returning to
        // that stage (booked → no-show → booked again) is a re-entry, not a move back.
        pos = branch[s] ? pl.prevMain[s] : s
        cur = s
      } else if (sem === SEM_S) {
        for (let k = pos + 1; k < pl.processCount; k++) if (!branch[k]) passes.push(slot, k, t)
        pos = Math.max(pos, pl.processCount - 1)
        if (cur < pl.lastMain) cur = pl.lastMain
        lastWinAt = t
      } else {
        // Created straight into a failure stage: the deal still began at the first stage.
        if (cur < 0 && pl.firstMain >= 0) {
          passes.push(slot, pl.firstMain, t)
          lostWithoutStage = true
        }
        // Only a process stage is a loss stage: a pipeline with none known has no loss stage.
        lastLossStage = cur >= 0 ? cur : pl.processCount > 0 ? Math.max(0, pl.firstMain) : -1
        lastLossAt = t
      }
      passes.push(slot, s, t)
      const k = slot * stride + s
      if (!(firstEntry[k] <= t)) firstEntry[k] = t
      if (!reconstructed && i + 1 < hn && validTime(ha[i + 1])) {
        stayKey[stays] = pipeIndex * stride + s
        stayMs[stays++] = ha[i + 1] - t
      }
      prevSem = sem
    }
    // A one-entry reconstructed history is the raw creation date, stored as before (null → 0).
    stageSince[slot] = hn === 0 ? NaN : reconstructed && hn === 1 ? (deal.createdAt as number) : ha[hn - 1]
    if (semantic[d] === SEM_F) {
      lossStage[slot] = lastLossStage >= 0 ? lastLossStage : pl.processCount > 0 ? Math.max(0, cur) : -1
      if (lostWithoutStage || cur < 0) flags[slot] |= HISTORY_FLAG.lostWithoutProcessStage
      closedAt[slot] = validTime(lastLossAt) ? lastLossAt : (deal.closedAt ?? stageSince[slot])
    } else if (semantic[d] === SEM_S) {
      closedAt[slot] = validTime(lastWinAt) ? lastWinAt : (deal.closedAt ?? stageSince[slot])
    }
  }
  passStart[slots] = passes.length
  stayStart[slots] = stays
  const cut = passes.trimmed()
  return {
    slots,
    passStart,
    passStage: cut.stage,
    passAt: cut.at,
    stayStart,
    stayKey: stayKey.slice(0, stays),
    stayMs: stayMs.slice(0, stays),
    reachedAt,
    firstEntry,
    stageSince,
    closedAt,
    lossStage,
    flags,
    unknownEvents,
    orphanEvents: ix.orphans,
  }
}
