/**
 * Stage counts of the cohort and flow funnels per pipeline, total or split by a dimension: the
 * hot loops behind the funnel, churn and source × stage sections. Each loop inlines the
 * predicates of funnel-predicates.ts (the drill-down's definitions) for speed.
 */
import type { Dim } from './dims'
import { pipeDeals, type PeriodScope, type QueryScope } from './filters'
import { flowEntries } from './flow-buffers'
import { SEM_F, SEM_S } from './prepare'

/** Counts per (split key, stage): arrays of keyCount × stride. */
export interface StageCounts {
  keyCount: number
  size: Int32Array
  reached: Int32Array
  current: Int32Array
  notNext: Int32Array
  lostAt: Int32Array
  entries: Int32Array
  /** Distinct deals reaching (cohort) or passing in the period (flow) any success stage, per key. */
  won: Int32Array
}

function emptyCounts(keyCount: number, stride: number): StageCounts {
  const perStage = () => new Int32Array(keyCount * stride)
  return {
    keyCount,
    size: new Int32Array(keyCount),
    reached: perStage(),
    current: perStage(),
    notNext: perStage(),
    lostAt: perStage(),
    entries: perStage(),
    won: new Int32Array(keyCount),
  }
}

type CountKind = 'cohort' | 'flow'

/** Stage counts of one pipeline, total (dim null) or split by a dimension; memoised per period. */
export function cohortCounts(scope: QueryScope, period: PeriodScope, pipeIndex: number, dim: Dim | null): StageCounts {
  return stageCounts(scope, period, pipeIndex, 'cohort', [dim])[0]
}

export function flowCounts(scope: QueryScope, period: PeriodScope, pipeIndex: number, dim: Dim | null): StageCounts {
  return stageCounts(scope, period, pipeIndex, 'flow', [dim])[0]
}

/**
 * Counts for several dimensions at once: the ones not memoised yet are computed in a single
 * pass over the pipeline's deals (the per-deal stage work is shared, only the increments fan out).
 *
 * Cohort: `reached`, `current`, `notNext` (reached s, not the next stage), `lostAt`; `size` =
 * cohort deals; `won` = cohort deals that reached a success stage.
 * Flow: `reached` holds entered(s) (distinct deals passing s in the period), `entries` every
 * pass, `current` those of them now in s, `notNext` those of them that had not reached the next
 * stage by the period's end, `lostAt` deals lost in the period by loss stage; `size` = deals
 * passing any stage in the period; `won` = deals passing a success stage in the period.
 */
export function stageCounts(
  scope: QueryScope,
  period: PeriodScope,
  pipeIndex: number,
  kind: CountKind,
  dims: (Dim | null)[],
): StageCounts[] {
  const prepared = scope.p
  const keyOf = (dim: Dim | null) => `${kind}:${pipeIndex}:${dim ?? 'total'}`
  const missing = [...new Set(dims.filter((dim) => !period.memo.has(keyOf(dim))))]
  if (missing.length) {
    const dimCodes = missing.map((dim) => (dim ? prepared.dims[dim].codes : null))
    const counts = missing.map((dim) => emptyCounts(dim ? prepared.dims[dim].dict.size : 1, prepared.stride))
    if (kind === 'cohort') countCohort(scope, period, pipeIndex, dimCodes, counts)
    else countFlow(scope, period, pipeIndex, dimCodes, counts)
    missing.forEach((dim, i) => period.memo.set(keyOf(dim), counts[i]))
  }
  return dims.map((dim) => period.memo.get(keyOf(dim)) as StageCounts)
}

/**
 * One walk over the pipeline's cohort deals. `dimCodes[split]` is the split's key per deal (null:
 * the total, key 0); `rowStart[split]` is where the deal's key row starts in that split's arrays.
 * The reached test inlines `hasReached` (funnel-predicates.ts).
 */
function countCohort(
  scope: QueryScope,
  period: PeriodScope,
  pipeIndex: number,
  dimCodes: (Int32Array | null)[],
  out: StageCounts[],
): void {
  const prepared = scope.p
  const pipeline = prepared.pipes[pipeIndex]
  const stride = prepared.stride
  const words = prepared.words
  const stageCount = pipeline.stageIds.length
  const processCount = pipeline.processCount
  const nextMain = pipeline.nextMain
  const { reachedBits, stage: currentStage, semantic, lossStage, successAt } = prepared
  const pipeOf = prepared.pipe
  // The period's cohort list is short next to the pipeline's deals; same ascending order.
  const deals = period.cohortDeals
  const splitCount = dimCodes.length
  const rowStart = new Int32Array(splitCount)
  for (let i = 0; i < deals.length; i++) {
    const deal = deals[i]
    if (pipeOf[deal] !== pipeIndex) continue
    const wonAny = successAt[deal] === successAt[deal]
    for (let split = 0; split < splitCount; split++) {
      const codes = dimCodes[split]
      const key = codes ? codes[deal] : 0
      const counts = out[split]
      rowStart[split] = key * stride
      counts.size[key]++
      if (wonAny) counts.won[key]++
      if (currentStage[deal] >= 0) counts.current[rowStart[split] + currentStage[deal]]++
      if (semantic[deal] === SEM_F && lossStage[deal] >= 0) counts.lostAt[rowStart[split] + lossStage[deal]]++
    }
    const bits = deal * words
    for (let stage = 0; stage < stageCount; stage++) {
      if (((reachedBits[bits + (stage >> 5)] >>> (stage & 31)) & 1) === 0) continue
      let notNext = false
      if (stage < processCount) {
        const next = nextMain[stage]
        notNext = next >= 0 ? ((reachedBits[bits + (next >> 5)] >>> (next & 31)) & 1) === 0 : !wonAny
      }
      for (let split = 0; split < splitCount; split++) {
        out[split].reached[rowStart[split] + stage]++
        if (notNext) out[split].notNext[rowStart[split] + stage]++
      }
    }
  }
}

/**
 * One walk over the pipeline's deals that passed a stage in the period (flowEntries) or were lost
 * in it; the splits as in countCohort. The not-next test inlines `flowNotNext`.
 */
function countFlow(
  scope: QueryScope,
  period: PeriodScope,
  pipeIndex: number,
  dimCodes: (Int32Array | null)[],
  out: StageCounts[],
): void {
  const prepared = scope.p
  const pipeline = prepared.pipes[pipeIndex]
  const stride = prepared.stride
  const { entries, any } = flowEntries(scope, period)
  const end = period.period.end
  const stageCount = pipeline.stageIds.length
  const processCount = pipeline.processCount
  const nextMain = pipeline.nextMain
  const { reachedAt, successAt, stage: currentStage, lossStage } = prepared
  const semantics = pipeline.semantics
  const lost = period.lost
  const deals = pipeDeals(scope, pipeIndex)
  const splitCount = dimCodes.length
  const rowStart = new Int32Array(splitCount)
  for (let i = 0; i < deals.length; i++) {
    const deal = deals[i]
    const isLost = lost[deal] === 1 && lossStage[deal] >= 0
    if (!isLost && any[deal] !== 1) continue
    for (let split = 0; split < splitCount; split++) {
      const codes = dimCodes[split]
      rowStart[split] = (codes ? codes[deal] : 0) * stride
      if (isLost) out[split].lostAt[rowStart[split] + lossStage[deal]]++
    }
    if (any[deal] !== 1) continue
    const dealRow = deal * stride
    let wonHere = false
    for (let stage = 0; stage < stageCount; stage++) {
      const passes = entries[dealRow + stage]
      if (passes === 0) continue
      const isCurrent = currentStage[deal] === stage
      let notNext = false
      if (stage < processCount) {
        const next = nextMain[stage]
        const nextAt = next >= 0 ? reachedAt[dealRow + next] : successAt[deal]
        notNext = !(nextAt < end)
      } else if (semantics[stage] === SEM_S) wonHere = true
      for (let split = 0; split < splitCount; split++) {
        const counts = out[split]
        const cell = rowStart[split] + stage
        counts.entries[cell] += passes
        counts.reached[cell]++
        if (isCurrent) counts.current[cell]++
        if (notNext) counts.notNext[cell]++
      }
    }
    for (let split = 0; split < splitCount; split++) {
      const key = rowStart[split] / stride
      out[split].size[key]++
      if (wonHere) out[split].won[key]++
    }
  }
}
