/**
 * The membership predicates of the funnels (metrics.md "Funnels"): the single definition of each
 * count. The counting loops (stage-counts.ts) inline the same tests for speed, and `drillDown` uses
 * these, so a drill-down returns exactly the deals counted.
 */
import type { PeriodScope, QueryScope } from './filters'
import { SEM_F, type PipeInfo, type Prepared } from './prepare'

/** Created in the period and passing the filters. */
export function inCohort(_s: QueryScope, ps: PeriodScope, d: number): boolean {
  return ps.cohort[d] === 1
}

export function hasReached(p: Prepared, d: number, stage: number): boolean {
  return ((p.reachedBits[d * p.words + (stage >> 5)] >>> (stage & 31)) & 1) === 1
}

/**
 * When the deal first reached the main-path stage after `stage` (branch stages are not steps; after
 * the last one: any success stage); NaN when never, or when `stage` is not a process stage (no
 * "next" to speak of). For a branch stage: the main-path stage its deals rejoin.
 */
export function nextReachedAt(p: Prepared, pipeline: PipeInfo, d: number, stage: number): number {
  if (stage < 0 || stage >= pipeline.processCount) return NaN
  const nextStage = pipeline.nextMain[stage]
  return nextStage >= 0 ? p.reachedAt[d * p.stride + nextStage] : p.successAt[d]
}

export function isLostAt(p: Prepared, d: number, stage: number): boolean {
  return p.semantic[d] === SEM_F && p.lossStage[d] === stage
}

/** Did the deal pass `stage` (actual entry or implied by a jump) inside the period? */
export function enteredIn(p: Prepared, ps: PeriodScope, d: number, stage: number): boolean {
  for (let i = p.passStart[d]; i < p.passStart[d + 1]; i++) {
    const t = p.passAt[i]
    if (p.passStage[i] === stage && t >= ps.period.start && t < ps.period.end) return true
  }
  return false
}

/** Lost (closed in a failure stage) in the period and passing the filters. */
export function lostIn(_p: Prepared, ps: PeriodScope, d: number): boolean {
  return ps.lost[d] === 1
}

/** Won in the period and passing the filters. */
export function wonIn(_p: Prepared, ps: PeriodScope, d: number): boolean {
  return ps.won[d] === 1
}

/** Did the deal pass stage st in the period and not reach the next stage by the period's end? */
export function flowNotNext(p: Prepared, ps: PeriodScope, d: number, st: number): boolean {
  const pl = p.pipes[p.pipe[d]]
  return st < pl.processCount && enteredIn(p, ps, d, st) && !(nextReachedAt(p, pl, d, st) < ps.period.end)
}
