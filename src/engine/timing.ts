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
import { coveredPipes, type PeriodScope, type QueryScope } from './filters'
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
  summarise(p: Prepared, dims: Dim[]): TimedFigure {
    const values = this.values.view()
    const deals = this.deals.view()
    const splits: Partial<Record<Dim, SplitStats[]>> = {}
    // One key buffer and one scratch buffer serve every dimension.
    const keys = new Int32Array(deals.length)
    const scratch = new Float64Array(deals.length)
    for (const dim of dims) {
      const col = p.dims[dim]
      for (let i = 0; i < deals.length; i++) keys[i] = col.codes[deals[i]]
      const stats = groupedDurationStats(keys, values, col.dict.size, scratch)
      splits[dim] = stats
        .map((st, k) => ({ key: col.dict.keys[k], name: col.dict.names[k], stats: st }))
        .filter((r) => r.stats.count > 0)
        .sort((a, b) => b.stats.count - a.stats.count || a.key.localeCompare(b.key))
    }
    // Last: the overall figure may reorder `values` in place.
    return { stats: durationStats(values), splits }
  }
}

export function splitDims(s: QueryScope): Dim[] {
  const dims = [...TIMING_SPLITS]
  if (s.q.breakdown && !dims.includes(s.q.breakdown)) dims.push(s.q.breakdown)
  return dims
}

/**
 * Stage pairs of a pipeline: consecutive main-path process stages (a branch stage is not a step),
 * each branch stage from the main-path stage before it, then last main-path stage → each success stage.
 */
export function stagePairs(p: Prepared, pi: number): [number, number][] {
  const pl = p.pipes[pi]
  const pairs: [number, number][] = []
  for (let st = 0; st < pl.processCount; st++) {
    if (pl.branch[st]) {
      if (pl.prevMain[st] >= 0) pairs.push([pl.prevMain[st], st])
    } else if (pl.nextMain[st] >= 0) pairs.push([st, pl.nextMain[st]])
  }
  if (pl.lastMain >= 0) {
    for (let st = pl.processCount; st < pl.stageIds.length; st++) {
      if (pl.semantics[st] === SEM_S) pairs.push([pl.lastMain, st])
    }
  }
  return pairs
}

/** Duration s→t of a deal counted in the period, or NaN when it does not count. */
export function betweenDuration(p: Prepared, ps: PeriodScope, d: number, from: number, to: number): number {
  const a = p.firstEntry[d * p.stride + from]
  const b = p.firstEntry[d * p.stride + to]
  if (!(b >= ps.period.start && b < ps.period.end) || !(b >= a)) return NaN
  return b - a
}

/** Close time minus creation; a close recorded before creation (bad data) counts as 0. NaN when unknown. */
export function closedCycle(p: Prepared, d: number): number {
  const ms = p.closedAt[d] - p.created[d]
  return ms === ms ? Math.max(0, ms) : NaN
}

export function firstTouchDelay(p: Prepared, d: number): number {
  return p.firstTouchAt[d] - p.created[d]
}

export function timingSection(s: QueryScope, ps: PeriodScope): TimingSection {
  const p = s.p
  const dims = splitDims(s)
  const { firstEntry, stride } = p
  const { start, end } = ps.period
  const mask = s.dealMask
  const betweenStages = coveredPipes(s).map((pi) => {
    const pl = p.pipes[pi]
    const deals = pl.deals
    const pairs = stagePairs(p, pi)
    const from = Int32Array.from(pairs, (x) => x[0])
    const to = Int32Array.from(pairs, (x) => x[1])
    const collectors = pairs.map(() => new Collector())
    // One sweep per pipeline (each deal's row of first entries read once); an inline of
    // betweenDuration, the drill-down's predicate.
    for (let i = 0; i < deals.length; i++) {
      const d = deals[i]
      if (mask[d] !== 1) continue
      const row = d * stride
      for (let k = 0; k < from.length; k++) {
        const b = firstEntry[row + to[k]]
        if (!(b >= start && b < end)) continue
        const a = firstEntry[row + from[k]]
        if (b >= a) collectors[k].add(d, b - a)
      }
    }
    return {
      categoryId: pl.categoryId,
      name: pl.name,
      pairs: pairs.map(([f, t], k) => ({
        from: pl.stageIds[f],
        to: pl.stageIds[t],
        fromName: pl.stageNames[f],
        toName: pl.stageNames[t],
        ...collectors[k].summarise(p, dims),
      })),
    }
  })
  const win = new Collector()
  const lost = new Collector()
  const touch = new Collector()
  let noTouch = 0
  for (let d = 0; d < p.n; d++) {
    if (s.dealMask[d] !== 1) continue
    const cycle = closedCycle(p, d)
    if (cycle === cycle) {
      if (ps.won[d] === 1) win.add(d, cycle)
      else if (ps.lost[d] === 1) lost.add(d, cycle)
    }
    if (ps.cohort[d] === 1) {
      const ms = firstTouchDelay(p, d)
      if (ms === ms) touch.add(d, ms)
      else noTouch++
    }
  }
  return {
    betweenStages,
    toWin: win.summarise(p, dims),
    toFirstTouch: { ...touch.summarise(p, dims), noTouch },
    lostCycle: lost.summarise(p, dims),
  }
}
