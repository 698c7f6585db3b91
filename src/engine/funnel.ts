/**
 * Cohort and flow funnels (metrics.md "Funnels"), per pipeline, optionally split by a dimension.
 *
 * The membership predicates below are the single definition of each count: the counting loops
 * and `drillDown` both use them, so a drill-down returns exactly the deals counted.
 */
import type { Semantic } from './types'
import type { Dim } from './dims'
import type { PeriodScope, QueryScope } from './filters'
import { SEM_F, SEM_P, SEM_S, type PipeInfo, type Prepared } from './prepare'
import { rate } from './stats'

// ---------------------------------------------------------------- predicates

export function inCohort(s: QueryScope, ps: PeriodScope, d: number): boolean {
  const t = s.p.created[d]
  return s.dealMask[d] === 1 && t >= ps.period.start && t < ps.period.end
}

export function hasReached(p: Prepared, d: number, st: number): boolean {
  return p.reachedAt[d * p.stride + st] === p.reachedAt[d * p.stride + st]
}

/**
 * When the deal first reached the stage after `st` (for the last process stage: any success
 * stage); NaN when never, or when `st` is not a process stage (no "next" to speak of).
 */
export function nextReachedAt(p: Prepared, pl: PipeInfo, d: number, st: number): number {
  if (st < 0 || st >= pl.processCount) return NaN
  const base = d * p.stride
  if (st < pl.processCount - 1) return p.reachedAt[base + st + 1]
  let best = NaN
  for (let k = pl.processCount; k < pl.stageIds.length; k++) {
    if (pl.semantics[k] !== SEM_S) continue
    const t = p.reachedAt[base + k]
    if (t === t && !(best <= t)) best = t
  }
  return best
}

export function isLostAt(p: Prepared, d: number, st: number): boolean {
  return p.semantic[d] === SEM_F && p.lossStage[d] === st
}

/** Did the deal pass stage st (actual entry or implied by a jump) inside the period? */
export function enteredIn(p: Prepared, ps: PeriodScope, d: number, st: number): boolean {
  for (let i = p.passStart[d]; i < p.passStart[d + 1]; i++) {
    const t = p.passAt[i]
    if (p.passStage[i] === st && t >= ps.period.start && t < ps.period.end) return true
  }
  return false
}

export function lostIn(p: Prepared, ps: PeriodScope, d: number): boolean {
  const t = p.closedAt[d]
  return p.semantic[d] === SEM_F && t >= ps.period.start && t < ps.period.end
}

export function wonIn(p: Prepared, ps: PeriodScope, d: number): boolean {
  const t = p.closedAt[d]
  return p.semantic[d] === SEM_S && t >= ps.period.start && t < ps.period.end
}

// ---------------------------------------------------------------- counting

const SEM_LETTER: Semantic[] = ['P', 'S', 'F']

/** Counts per (split key, stage): arrays of keyCount × stride. */
export interface StageCounts {
  keyCount: number
  size: Int32Array
  reached: Int32Array
  current: Int32Array
  notNext: Int32Array
  lostAt: Int32Array
  entries: Int32Array
}

function emptyCounts(keyCount: number, stride: number): StageCounts {
  const z = () => new Int32Array(keyCount * stride)
  return { keyCount, size: new Int32Array(keyCount), reached: z(), current: z(), notNext: z(), lostAt: z(), entries: z() }
}

/** Cohort counts for one pipeline; `codes` (a dimension column) splits, null = one total. */
export function cohortCounts(s: QueryScope, ps: PeriodScope, pi: number, codes: Int32Array | null, keyCount: number): StageCounts {
  const p = s.p
  const pl = p.pipes[pi]
  const S = p.stride
  const c = emptyCounts(codes ? keyCount : 1, S)
  const stages = pl.stageIds.length
  for (const d of pl.deals) {
    if (!inCohort(s, ps, d)) continue
    const k = codes ? codes[d] : 0
    c.size[k]++
    const row = k * S
    for (let st = 0; st < stages; st++) {
      if (!hasReached(p, d, st)) continue
      c.reached[row + st]++
      if (st < pl.processCount && Number.isNaN(nextReachedAt(p, pl, d, st))) c.notNext[row + st]++
    }
    if (p.stage[d] >= 0) c.current[row + p.stage[d]]++
    if (p.semantic[d] === SEM_F && p.lossStage[d] >= 0) c.lostAt[row + p.lossStage[d]]++
  }
  return c
}

/**
 * Flow counts for one pipeline: `reached` holds entered(s) (distinct deals passing s in the
 * period), `entries` every pass, `current` those of them now in s, `notNext` those of them
 * that had not reached the next stage by the period's end, `lostAt` deals lost in the period
 * by loss stage; `size` = deals passing any stage in the period.
 */
export function flowCounts(s: QueryScope, ps: PeriodScope, pi: number, codes: Int32Array | null, keyCount: number): StageCounts {
  const p = s.p
  const pl = p.pipes[pi]
  const S = p.stride
  const c = emptyCounts(codes ? keyCount : 1, S)
  const seen = new Int32Array(S).fill(-1)
  const { start, end } = ps.period
  for (const d of pl.deals) {
    if (s.dealMask[d] !== 1) continue
    const k = codes ? codes[d] : 0
    const row = k * S
    let any = false
    for (let i = p.passStart[d]; i < p.passStart[d + 1]; i++) {
      const t = p.passAt[i]
      if (!(t >= start && t < end)) continue
      const st = p.passStage[i]
      c.entries[row + st]++
      if (seen[st] === d) continue
      seen[st] = d
      any = true
      c.reached[row + st]++
      if (p.stage[d] === st) c.current[row + st]++
      if (st < pl.processCount && !(nextReachedAt(p, pl, d, st) < end)) c.notNext[row + st]++
    }
    if (any) c.size[k]++
    if (lostIn(p, ps, d) && p.lossStage[d] >= 0) c.lostAt[row + p.lossStage[d]]++
  }
  return c
}

/** Did the deal pass stage st in the period and not reach the next stage by the period's end? */
export function flowNotNext(p: Prepared, ps: PeriodScope, d: number, st: number): boolean {
  const pl = p.pipes[p.pipe[d]]
  return st < pl.processCount && enteredIn(p, ps, d, st) && !(nextReachedAt(p, pl, d, st) < ps.period.end)
}

// ---------------------------------------------------------------- rows

export interface CohortStageRow {
  name: string
  semantic: Semantic
  /** Deals of the cohort that reached the stage (skips count, moving back does not un-reach). */
  reached: number
  /** Deals of the cohort now in the stage. */
  current: number
  /** Reached the stage but not the next one; null for won/lost stages. */
  notNext: number | null
  /** Lost deals of the cohort whose loss stage is this one. */
  lostAt: number
  /** reached(next)/reached(s); null for won/lost stages or when reached(s) is 0. */
  conversion: number | null
  /** reached(s)/cohort size. */
  overall: number | null
}

export interface FlowStageRow {
  name: string
  semantic: Semantic
  /** Distinct deals that entered (or passed by a jump) the stage in the period. */
  entered: number
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
  /** entered(s)/entered(first stage). */
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

function nextCount(pl: PipeInfo, arr: Int32Array, row: number, st: number, successAny: number): number | null {
  if (st >= pl.processCount) return null
  return st < pl.processCount - 1 ? arr[row + st + 1] : successAny
}

export function cohortRows(pl: PipeInfo, c: StageCounts, k: number, stride: number, wonReached: number): Record<string, CohortStageRow> {
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
  })
  return out
}

export function flowRows(pl: PipeInfo, c: StageCounts, k: number, stride: number, wonEntered: number): Record<string, FlowStageRow> {
  const row = k * stride
  const out: Record<string, FlowStageRow> = {}
  const first = c.reached[row]
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
  })
  return out
}

/** Distinct deals reaching any success stage: cohort (reached at all) or flow (passed in the period). */
function successCounts(s: QueryScope, ps: PeriodScope, pi: number, codes: Int32Array | null, keyCount: number, flow: boolean): Int32Array {
  const p = s.p
  const pl = p.pipes[pi]
  const out = new Int32Array(codes ? keyCount : 1)
  for (const d of pl.deals) {
    if (flow ? s.dealMask[d] !== 1 : !inCohort(s, ps, d)) continue
    if (reachedSuccess(p, pl, d, flow ? ps : null)) out[codes ? codes[d] : 0]++
  }
  return out
}

export function reachedSuccess(p: Prepared, pl: PipeInfo, d: number, within: PeriodScope | null): boolean {
  for (let st = pl.processCount; st < pl.stageIds.length; st++) {
    if (pl.semantics[st] !== SEM_S) continue
    if (within ? enteredIn(p, within, d, st) : hasReached(p, d, st)) return true
  }
  return false
}

function keyOrder(c: StageCounts): number[] {
  const keys: number[] = []
  for (let k = 0; k < c.keyCount; k++) if (c.size[k] > 0) keys.push(k)
  return keys.sort((a, b) => c.size[b] - c.size[a] || a - b)
}

export function pipelineFunnel<R>(
  s: QueryScope, ps: PeriodScope, pi: number, flow: boolean, breakdown: Dim | undefined,
  rows: (pl: PipeInfo, c: StageCounts, k: number, stride: number, won: number) => Record<string, R>,
): PipelineFunnel<R> {
  const p = s.p
  const pl = p.pipes[pi]
  const count = flow ? flowCounts : cohortCounts
  const total = count(s, ps, pi, null, 1)
  const won = successCounts(s, ps, pi, null, 1, flow)
  const out: PipelineFunnel<R> = {
    categoryId: pl.categoryId, name: pl.name, size: total.size[0], order: [...pl.stageIds],
    stages: rows(pl, total, 0, p.stride, won[0]),
  }
  if (breakdown) {
    const col = p.dims[breakdown]
    const n = col.dict.size
    const c = count(s, ps, pi, col.codes, n)
    const w = successCounts(s, ps, pi, col.codes, n, flow)
    out.splits = keyOrder(c).map((k) => ({
      key: col.dict.keys[k], name: col.dict.names[k], size: c.size[k], stages: rows(pl, c, k, p.stride, w[k]),
    }))
  }
  return out
}

export interface FunnelSection {
  cohort: PipelineFunnel<CohortStageRow>[]
  flow: PipelineFunnel<FlowStageRow>[]
}

/** Pipelines the query covers: all, each apart, unless filtered. */
export function coveredPipes(s: QueryScope): number[] {
  const ids = s.q.categoryIds
  return s.p.pipes.map((_, i) => i).filter((i) => !ids || ids.length === 0 || ids.includes(s.p.pipes[i].categoryId))
}

export function funnelSection(s: QueryScope, ps: PeriodScope): FunnelSection {
  const pipes = coveredPipes(s)
  return {
    cohort: pipes.map((pi) => pipelineFunnel(s, ps, pi, false, s.q.breakdown, cohortRows)),
    flow: pipes.map((pi) => pipelineFunnel(s, ps, pi, true, s.q.breakdown, flowRows)),
  }
}

export { SEM_P }
