/**
 * Time (metrics.md "Time"). Durations are reported in hours (two decimals) as count, mean,
 * median and p90 (percentile_cont, linear interpolation).
 *
 * - Between stages s→t: first actual entry into t minus first actual entry into s, for deals with
 *   both entries, t not before s, and the entry into t inside the period. Pairs: consecutive
 *   main-path process stages, each branch stage from the stage before it, then the last
 *   main-path stage to each success stage.
 * - To win: won time (last entry into a success stage) minus DATE_CREATE, deals won in the period.
 * - To first touch: first touch at or after creation minus creation, deals created in the period;
 *   deals with no touch are counted apart (`noTouch`).
 * - Lost cycle: loss time minus creation, deals lost in the period.
 */
import type { Dim } from './dims'
import { coveredPipes, pipeDeals, type PeriodScope, type QueryScope } from './filters'
import type { Prepared } from './prepare'
import { SEM_S } from './prepare'
import { DealValues, durationStats, groupedDurationStats, type DurationStats } from './stats'
import type { WithChanges } from './changes'

export const TIMING_SPLITS: Dim[] = ['city', 'manager', 'source']

export interface SplitStats {
  key: string
  name: string
  stats: DurationStats
}

export interface TimedFigure extends WithChanges {
  stats: DurationStats
  splits: Partial<Record<Dim, SplitStats[]>>
}

export interface StagePairTiming extends TimedFigure {
  from: string
  to: string
  fromName: string
  toName: string
}

export interface PipelineTiming {
  categoryId: number
  name: string
  pairs: StagePairTiming[]
}

export interface TimingSection {
  betweenStages: PipelineTiming[]
  toWin: TimedFigure
  toFirstTouch: TimedFigure & { noTouch: number }
  lostCycle: TimedFigure
}

/** Collects (deal, duration) pairs and summarises them overall and per split dimension. */
class Collector extends DealValues {
  summarise(prepared: Prepared, dims: Dim[]): TimedFigure {
    const values = this.values.view()
    const deals = this.deals.view()
    const splits: Partial<Record<Dim, SplitStats[]>> = {}
    // One key buffer and one scratch buffer serve every dimension.
    const keys = new Int32Array(deals.length)
    const scratch = new Float64Array(deals.length)
    for (const dim of dims) {
      const col = prepared.dims[dim]
      for (let i = 0; i < deals.length; i++) keys[i] = col.codes[deals[i]]
      const stats = groupedDurationStats(keys, values, col.dict.size, scratch)
      splits[dim] = stats
        .map((keyStats, key) => ({ key: col.dict.keys[key], name: col.dict.names[key], stats: keyStats }))
        .filter((r) => r.stats.count > 0)
        .sort((a, b) => b.stats.count - a.stats.count || a.key.localeCompare(b.key))
    }
    // Last: the overall figure may reorder `values` in place.
    return { stats: durationStats(values), splits }
  }
}

export function splitDims(scope: QueryScope): Dim[] {
  const dims = [...TIMING_SPLITS]
  const breakdown = scope.q.breakdown
  if (breakdown && !dims.includes(breakdown)) dims.push(breakdown)
  return dims
}

/**
 * Stage pairs of a pipeline: consecutive main-path process stages (a branch stage is not a step),
 * each branch stage from the main-path stage before it, then last main-path stage → each success stage.
 */
export function stagePairs(prepared: Prepared, pipeIndex: number): [number, number][] {
  const pipeline = prepared.pipes[pipeIndex]
  const pairs: [number, number][] = []
  for (let stage = 0; stage < pipeline.processCount; stage++) {
    if (pipeline.branch[stage]) {
      if (pipeline.prevMain[stage] >= 0) pairs.push([pipeline.prevMain[stage], stage])
    } else if (pipeline.nextMain[stage] >= 0) pairs.push([stage, pipeline.nextMain[stage]])
  }
  if (pipeline.lastMain >= 0) {
    for (let stage = pipeline.processCount; stage < pipeline.stageIds.length; stage++) {
      if (pipeline.semantics[stage] === SEM_S) pairs.push([pipeline.lastMain, stage])
    }
  }
  return pairs
}

/** Duration s→t of a deal counted in the period, or NaN when it does not count. */
export function betweenDuration(
  prepared: Prepared,
  period: PeriodScope,
  deal: number,
  from: number,
  to: number,
): number {
  const fromAt = prepared.firstEntry[deal * prepared.stride + from]
  const toAt = prepared.firstEntry[deal * prepared.stride + to]
  if (!(toAt >= period.period.start && toAt < period.period.end) || !(toAt >= fromAt)) return NaN
  return toAt - fromAt
}

/** Close time minus creation; a close recorded before creation (bad data) counts as 0. NaN when unknown. */
export function closedCycle(prepared: Prepared, deal: number): number {
  const ms = prepared.closedAt[deal] - prepared.created[deal]
  return ms === ms ? Math.max(0, ms) : NaN
}

export function firstTouchDelay(prepared: Prepared, deal: number): number {
  return prepared.firstTouchAt[deal] - prepared.created[deal]
}

export function timingSection(scope: QueryScope, period: PeriodScope): TimingSection {
  const prepared = scope.p
  const dims = splitDims(scope)
  const { firstEntry, stride } = prepared
  const { start, end } = period.period
  const betweenStages = coveredPipes(scope).map((pipeIndex) => {
    const pipeline = prepared.pipes[pipeIndex]
    const deals = pipeDeals(scope, pipeIndex)
    const pairs = stagePairs(prepared, pipeIndex)
    const from = Int32Array.from(pairs, (x) => x[0])
    const to = Int32Array.from(pairs, (x) => x[1])
    const collectors = pairs.map(() => new Collector())
    // One sweep per pipeline (each deal's row of first entries read once); an inline of
    // betweenDuration, the drill-down's predicate.
    for (let i = 0; i < deals.length; i++) {
      const deal = deals[i]
      const row = deal * stride
      for (let pair = 0; pair < from.length; pair++) {
        const toAt = firstEntry[row + to[pair]]
        if (!(toAt >= start && toAt < end)) continue
        const fromAt = firstEntry[row + from[pair]]
        if (toAt >= fromAt) collectors[pair].add(deal, toAt - fromAt)
      }
    }
    return {
      categoryId: pipeline.categoryId,
      name: pipeline.name,
      pairs: pairs.map(([fromStage, toStage], pair) => ({
        from: pipeline.stageIds[fromStage],
        to: pipeline.stageIds[toStage],
        fromName: pipeline.stageNames[fromStage],
        toName: pipeline.stageNames[toStage],
        ...collectors[pair].summarise(prepared, dims),
      })),
    }
  })
  const win = new Collector()
  const lost = new Collector()
  const touch = new Collector()
  let noTouch = 0
  for (let k = 0, list = scope.deals; k < list.length; k++) {
    const deal = list[k]
    const cycle = closedCycle(prepared, deal)
    if (cycle === cycle) {
      if (period.won[deal] === 1) win.add(deal, cycle)
      else if (period.lost[deal] === 1) lost.add(deal, cycle)
    }
    if (period.cohort[deal] === 1) {
      const ms = firstTouchDelay(prepared, deal)
      if (ms === ms) touch.add(deal, ms)
      else noTouch++
    }
  }
  return {
    betweenStages,
    toWin: win.summarise(prepared, dims),
    toFirstTouch: { ...touch.summarise(prepared, dims), noTouch },
    lostCycle: lost.summarise(prepared, dims),
  }
}
