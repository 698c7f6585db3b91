/**
 * Row shaping of the cohort and flow funnels: stage counts into per-stage rows with conversion and
 * overall rates, total and per split key.
 */
import type { Semantic } from './types'
import type { Dim } from './dims'
import type { PeriodScope, QueryScope } from './filters'
import type { PipeInfo } from './prepare'
import { stageCounts, type StageCounts } from './stage-counts'
import { rate } from './stats'
import type { WithChanges } from './changes'

const SEM_LETTER: Semantic[] = ['P', 'S', 'F']

export interface CohortStageRow extends WithChanges {
  name: string
  semantic: Semantic
  /** Deals of the cohort that reached the stage (skips count, moving back does not un-reach). */
  reached: number
  /** Present on a branch stage: drawn beside the main path, not a step of it (no conversion). */
  branch?: true
  /** Deals of the cohort now in the stage. */
  current: number
  /** Reached the stage but not the next main-path one; null for won/lost stages. */
  notNext: number | null
  /** Lost deals of the cohort whose loss stage is this one. */
  lostAt: number
  /** reached(next main-path stage)/reached(s); null for won/lost and branch stages or when reached(s) is 0. */
  conversion: number | null
  /** reached(s)/cohort size. */
  overall: number | null
}

export interface FlowStageRow extends WithChanges {
  name: string
  semantic: Semantic
  /** Distinct deals that entered (or passed by a jump) the stage in the period. */
  entered: number
  /** Present on a branch stage: drawn beside the main path, not a step of it (no conversion). */
  branch?: true
  /** Same as `entered`, for a uniform row shape with the cohort funnel. */
  reached: number
  /** Passes counted with re-entries. */
  entries: number
  current: number
  notNext: number | null
  /** Deals lost in the period whose loss stage is this one. */
  lostAt: number
  /** entered(next)/entered(s): may exceed 1 (deals entering next may have entered s before the period). */
  conversion: number | null
  /** entered(s)/entered(first main-path stage). */
  overall: number | null
}

export interface SplitRows<R> {
  key: string
  name: string
  size: number
  stages: Record<string, R>
}

export interface PipelineFunnel<R> {
  categoryId: number
  name: string
  /** Deals in the cohort (cohort funnel) or passing any stage in the period (flow). */
  size: number
  /** Stage ids in funnel order (object key order is not reliable for numeric-looking ids). */
  order: string[]
  stages: Record<string, R>
  /** Present when the query asks for a breakdown. */
  splits?: SplitRows<R>[]
}

/** The count of the main-path stage after `stage`; null for won/lost and branch stages (conversion skips them). */
function nextCount(
  pipeline: PipeInfo,
  perStage: Int32Array,
  rowStart: number,
  stage: number,
  successAny: number,
): number | null {
  if (stage >= pipeline.processCount || pipeline.branch[stage]) return null
  const next = pipeline.nextMain[stage]
  return next >= 0 ? perStage[rowStart + next] : successAny
}

/** Shapes one key's counts (key 0 of the total) into stage rows; `won` feeds the last main-path conversion. */
type RowShaper<R> = (
  pipeline: PipeInfo,
  counts: StageCounts,
  key: number,
  stride: number,
  won: number,
) => Record<string, R>

export const cohortRows: RowShaper<CohortStageRow> = (pipeline, counts, key, stride, wonReached) => {
  const rowStart = key * stride
  const out: Record<string, CohortStageRow> = {}
  pipeline.stageIds.forEach((id, stage) => {
    const cell = rowStart + stage
    const reached = counts.reached[cell]
    const next = nextCount(pipeline, counts.reached, rowStart, stage, wonReached)
    out[id] = {
      name: pipeline.stageNames[stage],
      semantic: SEM_LETTER[pipeline.semantics[stage]],
      reached,
      current: counts.current[cell],
      notNext: stage < pipeline.processCount ? counts.notNext[cell] : null,
      lostAt: counts.lostAt[cell],
      conversion: next === null ? null : rate(next, reached),
      overall: rate(reached, counts.size[key]),
    }
    if (pipeline.branch[stage]) out[id].branch = true
  })
  return out
}

export const flowRows: RowShaper<FlowStageRow> = (pipeline, counts, key, stride, wonEntered) => {
  const rowStart = key * stride
  const out: Record<string, FlowStageRow> = {}
  const first = counts.reached[rowStart + Math.max(0, pipeline.firstMain)]
  pipeline.stageIds.forEach((id, stage) => {
    const cell = rowStart + stage
    const entered = counts.reached[cell]
    const next = nextCount(pipeline, counts.reached, rowStart, stage, wonEntered)
    out[id] = {
      name: pipeline.stageNames[stage],
      semantic: SEM_LETTER[pipeline.semantics[stage]],
      entered,
      reached: entered,
      entries: counts.entries[cell],
      current: counts.current[cell],
      notNext: stage < pipeline.processCount ? counts.notNext[cell] : null,
      lostAt: counts.lostAt[cell],
      conversion: next === null ? null : rate(next, entered),
      overall: rate(entered, first),
    }
    if (pipeline.branch[stage]) out[id].branch = true
  })
  return out
}

/** Split rows: largest first, ties by key (not by first appearance, so row order in the data never matters). */
function keyOrder(counts: StageCounts, keys: string[]): number[] {
  const out: number[] = []
  for (let key = 0; key < counts.keyCount; key++) if (counts.size[key] > 0) out.push(key)
  return out.sort((a, b) => counts.size[b] - counts.size[a] || (keys[a] < keys[b] ? -1 : keys[a] > keys[b] ? 1 : 0))
}

export function pipelineFunnel<R>(
  scope: QueryScope,
  period: PeriodScope,
  pipeIndex: number,
  flow: boolean,
  breakdown: Dim | undefined,
  rows: RowShaper<R>,
): PipelineFunnel<R> {
  const prepared = scope.p
  const pipeline = prepared.pipes[pipeIndex]
  const kind = flow ? 'flow' : 'cohort'
  const [total, split] = stageCounts(scope, period, pipeIndex, kind, [null, breakdown ?? null])
  const out: PipelineFunnel<R> = {
    categoryId: pipeline.categoryId,
    name: pipeline.name,
    size: total.size[0],
    order: [...pipeline.stageIds],
    stages: rows(pipeline, total, 0, prepared.stride, total.won[0]),
  }
  if (breakdown) {
    const dict = prepared.dims[breakdown].dict
    out.splits = keyOrder(split, dict.keys).map((key) => ({
      key: dict.keys[key],
      name: dict.names[key],
      size: split.size[key],
      stages: rows(pipeline, split, key, prepared.stride, split.won[key]),
    }))
  }
  return out
}
