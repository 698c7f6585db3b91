/**
 * The membership predicates of the funnels (metrics.md "Funnels"): the single definition of each
 * count. The counting loops (stage-counts.ts) inline the same tests for speed, and `drillDown` uses
 * these, so a drill-down returns exactly the deals counted.
 *
 * `deal` and `stage` are indexes: a deal's row in the prepared arrays, a stage's place in its pipeline.
 */
import type { PeriodScope, QueryScope } from './filters'
import { SEM_F, type PipeInfo, type Prepared } from './prepare'

/** Created in the period and passing the filters. */
export function inCohort(_scope: QueryScope, period: PeriodScope, deal: number): boolean {
  return period.cohort[deal] === 1
}

export function hasReached(prepared: Prepared, deal: number, stage: number): boolean {
  return ((prepared.reachedBits[deal * prepared.words + (stage >> 5)] >>> (stage & 31)) & 1) === 1
}

/**
 * When the deal first reached the main-path stage after `stage` (branch stages are not steps; after
 * the last one: any success stage); NaN when never, or when `stage` is not a process stage (no
 * "next" to speak of). For a branch stage: the main-path stage its deals rejoin.
 */
export function nextReachedAt(prepared: Prepared, pipeline: PipeInfo, deal: number, stage: number): number {
  if (stage < 0 || stage >= pipeline.processCount) return NaN
  const nextStage = pipeline.nextMain[stage]
  return nextStage >= 0 ? prepared.reachedAt[deal * prepared.stride + nextStage] : prepared.successAt[deal]
}

export function isLostAt(prepared: Prepared, deal: number, stage: number): boolean {
  return prepared.semantic[deal] === SEM_F && prepared.lossStage[deal] === stage
}

/** Did the deal pass `stage` (actual entry or implied by a jump) inside the period? */
export function enteredIn(prepared: Prepared, period: PeriodScope, deal: number, stage: number): boolean {
  const { start, end } = period.period
  for (let pass = prepared.passStart[deal]; pass < prepared.passStart[deal + 1]; pass++) {
    const passedAt = prepared.passAt[pass]
    if (prepared.passStage[pass] === stage && passedAt >= start && passedAt < end) return true
  }
  return false
}

/** Lost (closed in a failure stage) in the period and passing the filters. */
export function lostIn(_prepared: Prepared, period: PeriodScope, deal: number): boolean {
  return period.lost[deal] === 1
}

/** Won in the period and passing the filters. */
export function wonIn(_prepared: Prepared, period: PeriodScope, deal: number): boolean {
  return period.won[deal] === 1
}

/** Did the deal pass `stage` in the period and not reach the next stage by the period's end? */
export function flowNotNext(prepared: Prepared, period: PeriodScope, deal: number, stage: number): boolean {
  const pipeline = prepared.pipes[prepared.pipe[deal]]
  return (
    stage < pipeline.processCount &&
    enteredIn(prepared, period, deal, stage) &&
    !(nextReachedAt(prepared, pipeline, deal, stage) < period.period.end)
  )
}
