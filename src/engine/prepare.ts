/**
 * Builds the per-deal indexes once per data load, so that every report is a few linear passes.
 *
 * Deals are numbered 0..n-1 in input order. Stage positions are local to the deal's pipeline
 * (funnel order, `Pipeline.stageIds`); per-stage columns are `n × stride` Float64Arrays where
 * `stride` is the largest pipeline's stage count and NaN means "never".
 *
 * The work is split by what it reads: the pipelines (prepare-pipes.ts), each deal's row (its
 * scalars, here), its stage history (prepare-history.ts), the dimension codes (prepare-dims.ts)
 * and the touches (prepare-touches.ts). prepare-update.ts redoes only the histories a delta touched.
 */
import type { CrmData } from './types'
import type { Dim, KeyDict } from './dims'
import { IdIndex } from './id-index'
import { emptyQuality, type QualityCounts } from './quality'
import { timeZone, type TimeZone } from './periods'
import { prepareTouches, TOUCH_KINDS } from './prepare-touches'
import { quantileSelect } from './stats'
import { buildPipes, currencyConverter, semCode, validTime, SEM_S, type PipeInfo } from './prepare-pipes'
import { buildDims, leadColumns, type DimColumns, type LeadColumns } from './prepare-dims'
import { HISTORY_FLAG, walkHistories, type DealFrame, type HistoryWalk } from './prepare-history'

export { SEM_P, SEM_S, SEM_F, type PipeInfo } from './prepare-pipes'
export { TOUCH_KINDS }
export type { Dim }

export interface Prepared extends LeadColumns {
  data: CrmData
  tz: TimeZone
  currency: string
  n: number
  stride: number
  pipes: PipeInfo[]
  pipeByCategory: Map<number, number>
  /** Pipeline index, -1 when the pipeline is unknown (deal left out). */
  pipe: Int32Array
  /** Current local stage, -1 when unknown. */
  stage: Int32Array
  semantic: Uint8Array
  created: Float64Array
  /** When the deal entered its current stage (its last stage event). */
  stageSince: Float64Array
  /** Won time (last entry into a success stage) or loss time; NaN while open. */
  closedAt: Float64Array
  /** Loss stage (last process stage before the move to failure) of deals now lost, else -1. */
  lossStage: Int32Array
  /** Amount in the report currency. */
  amount: Float64Array
  /** First pass of each stage (actual entry or implied by a jump), n × stride. */
  reachedAt: Float64Array
  /** Reached stages as bits: stage st of deal d is bit (st & 31) of word d × words + (st >> 5). */
  reachedBits: Uint32Array
  words: number
  /** First time the deal reached any success stage; NaN when never. */
  successAt: Float64Array
  /** First actual entry into each stage, n × stride. */
  firstEntry: Float64Array
  /** Every pass (actual or implied) per deal, time-ordered: CSR over deals. */
  passStart: Int32Array
  passStage: Int16Array
  passAt: Float64Array
  /** Touches of each deal (own, and its lead's/contact's before the deal existed), time-ordered. */
  touchStart: Int32Array
  touchAt: Float64Array
  touchKind: Uint8Array
  /** Seconds (calls), NaN when not given. */
  touchDuration: Float32Array
  /** First touch at or after creation, NaN when none. */
  firstTouchAt: Float64Array
  /**
   * All touches grouped by responsible user (manager dimension code), time-ordered within a
   * user: user k's touches are userTouchStart[k] .. userTouchStart[k+1]-1.
   */
  userTouchStart: Int32Array
  userTouchAt: Float64Array
  userTouchKind: Uint8Array
  userTouchDuration: Float32Array
  /** 90th percentile of completed stays per pipeline stage (ms), pipes × stride, NaN when no stays. */
  stayP90: Float64Array
  dims: DimColumns
  quality: QualityCounts
  /** Converts an amount in `currency` to the report currency. */
  toReportCurrency(amount: number, currency: string): number
  /** What an incremental update (prepare-update.ts) reuses; no report reads it. */
  kept: KeptForUpdate
}

/** The parts of a `prepare` that an incremental update splices instead of recomputing. */
export interface KeptForUpdate {
  stageLookup: Map<string, [number, number]>
  /** Deal id → deal index of this data (the next update maps its deals through it). */
  dealIndex: IdIndex
  /** Completed stays per deal (CSR), the input of `stayP90`. */
  stayStart: Int32Array
  stayKey: Int32Array
  stayMs: Float64Array
  /** HISTORY_FLAG bits and unknown-stage event counts per deal. */
  historyFlags: Uint8Array
  unknownEvents: Int32Array
  /** Manager codes handed out to deals and leads (the touch-only users come after them). */
  managersBeforeTouches: number
}

/** The portal's zone; a report in UTC beats no report, and the quality summary says why. */
export function reportZone(data: CrmData, quality: QualityCounts): TimeZone {
  try {
    return timeZone(data.portal.timeZone)
  } catch (e) {
    quality.timeZoneProblem = `${e instanceof Error ? e.message : String(e)}; periods are cut in UTC`
    return timeZone('UTC')
  }
}

export interface DealScalars {
  pipe: Int32Array
  stage: Int32Array
  semantic: Uint8Array
  created: Float64Array
  amount: Float64Array
}

/** Each deal's pipeline, stage, semantic, creation and amount, read from its row alone. */
export function dealScalars(
  data: CrmData,
  pipes: PipeInfo[],
  byCategory: Map<number, number>,
  stageLookup: Map<string, [number, number]>,
  toReportCurrency: (amount: number, currency: string) => number,
  quality: QualityCounts,
): DealScalars {
  const n = data.deals.length
  const userById = new Map(data.users.map((u) => [u.id, u]))
  const pipe = new Int32Array(n)
  const stage = new Int32Array(n)
  const semantic = new Uint8Array(n)
  const created = new Float64Array(n)
  const amount = new Float64Array(n)
  const perPipe: number[][] = pipes.map(() => [])
  for (let i = 0; i < n; i++) {
    const deal = data.deals[i]
    const pipeIndex = byCategory.get(deal.categoryId) ?? -1
    pipe[i] = pipeIndex
    if (pipeIndex < 0) quality.unknownPipeline++
    else perPipe[pipeIndex].push(i)
    const local = stageLookup.get(deal.stageId)
    stage[i] = local && local[0] === pipeIndex ? local[1] : -1
    if (pipeIndex >= 0 && stage[i] < 0) quality.unknownCurrentStage++
    semantic[i] = stage[i] >= 0 ? pipes[pipeIndex].semantics[stage[i]] : semCode(deal.semantic)
    created[i] = validTime(deal.createdAt) && deal.createdAt > 0 ? deal.createdAt : NaN
    if (Number.isNaN(created[i])) quality.missingCreateDate++
    amount[i] = toReportCurrency(Number.isFinite(deal.amount) ? deal.amount : 0, deal.currency)
    const user = userById.get(deal.assignedById)
    if (!user) quality.unknownUsers++
    else if (!user.active) quality.inactiveUsers++
  }
  pipes.forEach((p, pipeIndex) => (p.deals = Int32Array.from(perPipe[pipeIndex])))
  return { pipe, stage, semantic, created, amount }
}

/** Sums the walk's per-deal flags into the quality counts. */
export function countHistoryQuality(
  flags: Uint8Array,
  unknownEvents: Int32Array,
  orphanEvents: number,
  quality: QualityCounts,
): void {
  for (let d = 0; d < flags.length; d++) {
    const f = flags[d]
    quality.unknownStageEvents += unknownEvents[d]
    if (f === 0) continue
    if (f & HISTORY_FLAG.reconstructed) quality.reconstructed++
    if (f & HISTORY_FLAG.historyPatched) quality.historyPatched++
    if (f & HISTORY_FLAG.pipelineChanged) quality.pipelineChanged++
    if (f & HISTORY_FLAG.reopened) quality.reopened++
    if (f & HISTORY_FLAG.backwardMoves) quality.backwardMoves++
    if (f & HISTORY_FLAG.lostWithoutProcessStage) quality.lostWithoutProcessStage++
  }
  quality.orphanEvents += orphanEvents
}

/** Reached stages as bits, and the first time each deal reached any success stage. */
export function reachedSummary(
  pipes: PipeInfo[],
  pipe: Int32Array,
  stride: number,
  reachedAt: Float64Array,
): Pick<Prepared, 'reachedBits' | 'words' | 'successAt'> {
  const n = pipe.length
  const words = Math.ceil(stride / 32)
  const reachedBits = new Uint32Array(n * words)
  const successAt = new Float64Array(n).fill(NaN)
  for (let d = 0; d < n; d++) {
    if (pipe[d] < 0) continue
    const pl = pipes[pipe[d]]
    for (let stage = 0; stage < pl.stageIds.length; stage++) {
      const t = reachedAt[d * stride + stage]
      if (t !== t) continue
      reachedBits[d * words + (stage >> 5)] |= 1 << (stage & 31)
      if (pl.semantics[stage] === SEM_S && !(successAt[d] <= t)) successAt[d] = t
    }
  }
  return { reachedBits, words, successAt }
}

/** 90th percentile of the completed stays per (pipe × stride + stage), NaN where none. */
export function stayPercentiles(keyCount: number, stayKey: Int32Array, stayMs: Float64Array): Float64Array {
  const start = new Int32Array(keyCount + 1)
  for (let i = 0; i < stayKey.length; i++) start[stayKey[i] + 1]++
  for (let k = 0; k < keyCount; k++) start[k + 1] += start[k]
  const fill = start.slice(0, keyCount)
  const grouped = new Float64Array(stayMs.length)
  for (let i = 0; i < stayKey.length; i++) grouped[fill[stayKey[i]]++] = stayMs[i]
  const p90 = new Float64Array(keyCount).fill(NaN)
  for (let k = 0; k < keyCount; k++) {
    const q = quantileSelect(grouped.subarray(start[k], start[k + 1]), 0.9)
    if (q !== null) p90[k] = q
  }
  return p90
}

export function prepare(data: CrmData): Prepared {
  const ground = groundwork(data)
  const walk = walkHistories(ground.frame, null)
  return finish(ground, walk, walk.orphanEvents, (managers) =>
    prepareTouches(data, data.deals.length, ground.scalars.created, ground.frame.dealIndex, managers),
  )
}

/** What every build of the indexes reads the same way: the frame and each deal's row. */
export interface Groundwork {
  frame: DealFrame
  scalars: DealScalars
  portal: PreparedFrame
}

/** The frame (pipelines, zone, currency), the deal scalars and the deal index of `data`. */
export function groundwork(data: CrmData): Groundwork {
  const quality = emptyQuality()
  const tz = reportZone(data, quality)
  const { pipes, byCategory, stageLookup } = buildPipes(data)
  const stride = Math.max(1, ...pipes.map((p) => p.stageIds.length))
  const toReportCurrency = currencyConverter(data, quality)
  countTables(data, quality)
  const scalars = dealScalars(data, pipes, byCategory, stageLookup, toReportCurrency, quality)
  const dealIndex = new IdIndex(data.deals.map((d) => d.id))
  return {
    frame: { data, pipes, stride, stageLookup, dealIndex, ...scalars },
    scalars,
    portal: { tz, pipes, byCategory, stride, toReportCurrency, quality },
  }
}

export type TouchIndexes = Pick<
  Prepared,
  | 'touchStart'
  | 'touchAt'
  | 'touchKind'
  | 'touchDuration'
  | 'firstTouchAt'
  | 'userTouchStart'
  | 'userTouchAt'
  | 'userTouchKind'
  | 'userTouchDuration'
>

/**
 * The rest of a build once the histories are walked: their quality counts, the dimension and lead
 * columns, the touch indexes (`touches` gets the manager dictionary, which touch-only users extend)
 * and the assembled `Prepared`.
 */
export function finish(
  ground: Groundwork,
  walk: WalkColumns & KeptWalk,
  orphanEvents: number,
  touches: (managers: KeyDict) => TouchIndexes,
): Prepared {
  const { frame, scalars, portal } = ground
  const data = frame.data
  countHistoryQuality(walk.flags, walk.unknownEvents, orphanEvents, portal.quality)
  const { dims, channel } = buildDims(data, portal.pipes, scalars.pipe)
  const leads = leadColumns(data, dims, channel)
  const managersBeforeTouches = dims.manager.dict.size
  return assemble(data, portal, scalars, walk, {
    ...touches(dims.manager.dict),
    dims,
    ...leads,
    kept: {
      stageLookup: frame.stageLookup,
      dealIndex: frame.dealIndex,
      stayStart: walk.stayStart,
      stayKey: walk.stayKey,
      stayMs: walk.stayMs,
      historyFlags: walk.flags,
      unknownEvents: walk.unknownEvents,
      managersBeforeTouches,
    },
  })
}

/** Deal, lead, event and touch totals of the quality summary. */
export function countTables(data: CrmData, quality: QualityCounts): void {
  quality.deals = data.deals.length
  quality.leads = data.leads.length
  quality.dealEvents = data.dealEvents.length
  quality.touches = data.touches.length
}

/** The portal-wide frame of a prepared data set. */
export interface PreparedFrame {
  tz: TimeZone
  pipes: PipeInfo[]
  byCategory: Map<number, number>
  stride: number
  toReportCurrency: (amount: number, currency: string) => number
  quality: QualityCounts
}

type WalkColumns = Pick<
  HistoryWalk,
  'passStart' | 'passStage' | 'passAt' | 'reachedAt' | 'firstEntry' | 'stageSince' | 'closedAt' | 'lossStage'
>
/** The walk's per-deal columns an update splices: stays, flags, unknown events. */
type KeptWalk = Pick<HistoryWalk, 'stayStart' | 'stayKey' | 'stayMs' | 'flags' | 'unknownEvents'>

/** One `Prepared` from its parts (a full prepare and an incremental update end here alike). */
export function assemble(
  data: CrmData,
  frame: PreparedFrame,
  scalars: DealScalars,
  walk: WalkColumns,
  rest: TouchIndexes & Pick<Prepared, 'dims' | 'leadDims' | 'leadCreated' | 'leadSemantic' | 'kept'>,
): Prepared {
  const { pipes, stride } = frame
  return {
    data,
    tz: frame.tz,
    currency: data.portal.currency,
    n: data.deals.length,
    stride,
    pipes,
    pipeByCategory: frame.byCategory,
    ...scalars,
    stageSince: walk.stageSince,
    closedAt: walk.closedAt,
    lossStage: walk.lossStage,
    reachedAt: walk.reachedAt,
    ...reachedSummary(pipes, scalars.pipe, stride, walk.reachedAt),
    firstEntry: walk.firstEntry,
    passStart: walk.passStart,
    passStage: walk.passStage,
    passAt: walk.passAt,
    stayP90: stayPercentiles(pipes.length * stride, rest.kept.stayKey, rest.kept.stayMs),
    quality: frame.quality,
    toReportCurrency: frame.toReportCurrency,
    ...rest,
  }
}
