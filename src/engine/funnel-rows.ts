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

/** The count of the main-path stage after `st`; null for won/lost and branch stages (conversion skips them). */
function nextCount(pl: PipeInfo, arr: Int32Array, row: number, st: number, successAny: number): number | null {
  if (st >= pl.processCount || pl.branch[st]) return null
  const nx = pl.nextMain[st]
  return nx >= 0 ? arr[row + nx] : successAny
}

export function cohortRows(
  pl: PipeInfo,
  c: StageCounts,
  k: number,
  stride: number,
  wonReached: number,
): Record<string, CohortStageRow> {
  const row = k * stride
  const out: Record<string, CohortStageRow> = {}
  pl.stageIds.forEach((id, st) => {
    const reached = c.reached[row + st]
    const next = nextCount(pl, c.reached, row, st, wonReached)
    out[id] = {
      name: pl.stageNames[st],
      semantic: SEM_LETTER[pl.semantics[st]],
      reached,
      current: c.current[row + st],
      notNext: st < pl.processCount ? c.notNext[row + st] : null,
      lostAt: c.lostAt[row + st],
      conversion: next === null ? null : rate(next, reached),
      overall: rate(reached, c.size[k]),
    }
    if (pl.branch[st]) out[id].branch = true
  })
  return out
}

export function flowRows(
  pl: PipeInfo,
  c: StageCounts,
  k: number,
  stride: number,
  wonEntered: number,
): Record<string, FlowStageRow> {
  const row = k * stride
  const out: Record<string, FlowStageRow> = {}
  const first = c.reached[row + Math.max(0, pl.firstMain)]
  pl.stageIds.forEach((id, st) => {
    const entered = c.reached[row + st]
    const next = nextCount(pl, c.reached, row, st, wonEntered)
    out[id] = {
      name: pl.stageNames[st],
      semantic: SEM_LETTER[pl.semantics[st]],
      entered,
      reached: entered,
      entries: c.entries[row + st],
      current: c.current[row + st],
      notNext: st < pl.processCount ? c.notNext[row + st] : null,
      lostAt: c.lostAt[row + st],
      conversion: next === null ? null : rate(next, entered),
      overall: rate(entered, first),
    }
    if (pl.branch[st]) out[id].branch = true
  })
  return out
}

/** Split rows: largest first, ties by key (not by first appearance, so row order in the data never matters). */
function keyOrder(c: StageCounts, keys: string[]): number[] {
  const out: number[] = []
  for (let k = 0; k < c.keyCount; k++) if (c.size[k] > 0) out.push(k)
  return out.sort((a, b) => c.size[b] - c.size[a] || (keys[a] < keys[b] ? -1 : keys[a] > keys[b] ? 1 : 0))
}

export function pipelineFunnel<R>(
  s: QueryScope,
  ps: PeriodScope,
  pi: number,
  flow: boolean,
  breakdown: Dim | undefined,
  rows: (pl: PipeInfo, c: StageCounts, k: number, stride: number, won: number) => Record<string, R>,
): PipelineFunnel<R> {
  const p = s.p
  const pl = p.pipes[pi]
  const [total, split] = stageCounts(s, ps, pi, flow ? 'flow' : 'cohort', [null, breakdown ?? null])
  const out: PipelineFunnel<R> = {
    categoryId: pl.categoryId,
    name: pl.name,
    size: total.size[0],
    order: [...pl.stageIds],
    stages: rows(pl, total, 0, p.stride, total.won[0]),
  }
  if (breakdown) {
    const col = p.dims[breakdown]
    const c = split
    out.splits = keyOrder(c, col.dict.keys).map((k) => ({
      key: col.dict.keys[k],
      name: col.dict.names[k],
      size: c.size[k],
      stages: rows(pl, c, k, p.stride, c.won[k]),
    }))
  }
  return out
}
