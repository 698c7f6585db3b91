/**
 * The forecast's stage model (metrics.md "Forecast"): P(win | stage) and the median time to win
 * from each stage over the 12 months before `now`, a deal's stage at an instant, and the month
 * table forecasts are summed into. Shared by the live forecast (forecast.ts), its inflow and
 * backtest (forecast-inflow.ts) and the drill-down, so neither forecast file imports the other.
 */
import { addMonths, dayNumber, dayParts, localMidnight, makeBuckets, bucketIndex } from './periods'
import { SEM_P, SEM_S, type Prepared } from './prepare'
import { DAY_MS } from './periods'
import { quantileSorted } from './stats'
import { carryOnUpdate, touchedDeals } from './carry'

export interface StageModel {
  probability: Float64Array
  samples: Int32Array
  /** ms; NaN without won history. */
  medianToWin: Float64Array
  /** Share of the won deals won k calendar months after the month they were created in. */
  lagShares: number[]
  /** Mean amount of the won deals (report currency); NaN without wins. */
  meanWonAmount: number
}

/** Local calendar date (day number) of an instant. */
export function dayOf(p: Prepared, t: number): number {
  return Math.floor((t + p.tz.offsetAt(t)) / DAY_MS)
}

export function historyStart(p: Prepared, now: number): number {
  return localMidnight(p.tz, addMonths(dayOf(p, now), -12))
}

const models = new WeakMap<Prepared, Map<string, StageModel>>()

/** P(win | stage) and median time to win per stage of one pipeline (memoised per data load and `now`). */
export function stageModel(p: Prepared, pi: number, now: number): StageModel {
  let cache = models.get(p)
  if (!cache) models.set(p, (cache = new Map()))
  const key = `${pi}:${now}`
  let m = cache.get(key)
  if (!m) {
    if (cache.size > 64) cache.clear()
    cache.set(key, (m = computeStageModel(p, pi, now)))
  }
  return m
}

/**
 * Whether a deal reads the same to a stage model as of t before and after an update: its pipeline,
 * creation, amount, every pass before t and every stage reached before t. A deal on one side only
 * (added or removed) must have had no pass before t there. (`o`, `d`: its index in `prev` and
 * `next`, -1 when absent.)
 */
export function sameBefore(prev: Prepared, o: number, next: Prepared, d: number, t: number): boolean {
  if (o < 0 || d < 0) return o < 0 ? passBefore(next, d, t) < 0 : passBefore(prev, o, t) < 0
  if (prev.pipe[o] !== next.pipe[d] || !Object.is(prev.created[o], next.created[d])) return false
  if (!Object.is(prev.amount[o], next.amount[d])) return false
  const a = prev.passStart[o]
  const b = next.passStart[d]
  // Passes before t: up to the last one (passBefore), none when it finds none.
  const count = Math.max(0, passBefore(prev, o, t) - a + 1)
  if (Math.max(0, passBefore(next, d, t) - b + 1) !== count) return false
  for (let k = 0; k < count; k++)
    if (prev.passStage[a + k] !== next.passStage[b + k] || !Object.is(prev.passAt[a + k], next.passAt[b + k]))
      return false
  for (let st = 0; st < prev.stride; st++) {
    const x = prev.reachedAt[o * prev.stride + st]
    const y = next.reachedAt[d * next.stride + st]
    if ((x < t || y < t) && !Object.is(x, y)) return false
  }
  return true
}

/** Whether deal d is one of the closed deals the model of pipeline pi as of t counts (computeStageModel). */
function counted(p: Prepared, d: number, pi: number, t: number): boolean {
  if (d < 0 || p.pipe[d] !== pi) return false
  const i = passBefore(p, d, t)
  if (i < 0) return false
  const at = p.passAt[i]
  return p.pipes[pi].semantics[p.passStage[i]] !== SEM_P && at >= historyStart(p, t) && at < t
}

/**
 * A model as of t holds after an update when every deal the update touched reads the same before
 * t, or is counted by neither model (a deal in work moving on: the common delta). The other deals'
 * figures, and their order in each sum, are the previous ones.
 */
carryOnUpdate((update) => {
  const old = models.get(update.prev)
  if (!old) return
  const { prev, next } = update
  const touched = touchedDeals(update)
  const kept = new Map<string, StageModel>()
  for (const [key, model] of old) {
    const pi = Number(key.slice(0, key.indexOf(':')))
    const t = Number(key.slice(key.indexOf(':') + 1))
    const holds = ({ o, d }: { o: number; d: number }) =>
      (!counted(prev, o, pi, t) && !counted(next, d, pi, t)) || sameBefore(prev, o, next, d, t)
    if (touched.every(holds)) kept.set(key, model)
  }
  if (kept.size > 0) models.set(next, kept)
})

/**
 * The deal as known at instant t (events strictly before t): its stage then (-1 before it was
 * created), that stage's semantic, and when it entered that stage. The backtest forecasts as of
 * past month ends, so nothing here may look at a deal's current state.
 */
export function stateAt(p: Prepared, d: number, t: number): { stage: number; semantic: number; since: number } {
  const i = passBefore(p, d, t)
  if (i < 0) return { stage: -1, semantic: SEM_P, since: NaN }
  const stage = p.passStage[i]
  return { stage, semantic: p.pipes[p.pipe[d]].semantics[stage], since: p.passAt[i] }
}

/**
 * Index of the deal's last pass before t (-1 when none): its stage then. Passes are time-ordered
 * and a jump's implied passes come before its actual entry, so the last one is where it stood.
 * Most deals' histories end before t (or start after it): those cost two reads, no search.
 */
export function passBefore(p: Prepared, d: number, t: number): number {
  const a = p.passStart[d]
  let b = p.passStart[d + 1] - 1
  const at = p.passAt
  if (b < a || !(at[a] < t)) return -1
  if (at[b] < t) return b
  let lo = a
  while (b - lo > 1) {
    const mid = (lo + b) >> 1
    if (at[mid] < t) lo = mid
    else b = mid
  }
  return lo
}

function computeStageModel(p: Prepared, pi: number, now: number): StageModel {
  const pl = p.pipes[pi]
  const S = pl.stageIds.length
  const from = historyStart(p, now)
  const closed = new Int32Array(S),
    won = new Int32Array(S)
  const remaining: number[][] = Array.from({ length: S }, () => [])
  const lags: number[] = []
  let wins = 0,
    wonAmount = 0
  for (let di = 0, deals = pl.deals; di < deals.length; di++) {
    const d = deals[di]
    const i = passBefore(p, d, now)
    if (i < 0) continue
    const t = p.passAt[i]
    const sem = pl.semantics[p.passStage[i]]
    if (sem === SEM_P || !(t >= from && t < now)) continue
    const isWon = sem === SEM_S
    if (isWon) {
      wins++
      wonAmount += p.amount[d]
      const lag = monthIndex(p, t) - monthIndex(p, p.created[d])
      if (lag === lag) lags.push(Math.max(0, lag))
    }
    for (let st = 0; st < pl.processCount; st++) {
      const reached = p.reachedAt[d * p.stride + st]
      if (!(reached < now)) continue
      closed[st]++
      if (isWon) {
        won[st]++
        remaining[st].push(Math.max(0, t - reached))
      }
    }
  }
  const probability = new Float64Array(S).fill(NaN)
  const medianToWin = new Float64Array(S).fill(NaN)
  for (let st = 0; st < S; st++) {
    if (closed[st]) probability[st] = won[st] / closed[st]
    const r = remaining[st].sort((a, b) => a - b)
    const m = quantileSorted(r, 0.5)
    if (m !== null) medianToWin[st] = m
  }
  const lagShares: number[] = []
  for (const k of lags) lagShares[k] = (lagShares[k] ?? 0) + 1 / lags.length
  return {
    probability,
    samples: closed,
    medianToWin,
    lagShares: Array.from(lagShares, (v) => v ?? 0),
    meanWonAmount: wins ? wonAmount / wins : NaN,
  }
}

/** Calendar month of an instant in the portal's zone, as a running count (year × 12 + month). */
export function monthIndex(p: Prepared, t: number): number {
  // The zone's offset is an Intl call: month edges are computed once per data load and
  // searched, so a model over 100k deals does not ask Intl 200k times.
  const m = monthTable(p)
  const i = bucketIndex(m.edges, t)
  if (i >= 0) return m.first + i
  const { y, m: month } = dayParts(dayOf(p, t))
  return y * 12 + month - 1
}

const monthTables = new WeakMap<Prepared, { first: number; edges: number[] }>()
function monthTable(p: Prepared): { first: number; edges: number[] } {
  let table = monthTables.get(p)
  if (!table) {
    let lo = Infinity,
      hi = -Infinity
    for (let d = 0; d < p.n; d++) {
      const c = p.created[d]
      if (c < lo) lo = c
      if (c > hi) hi = c
      const t = p.closedAt[d]
      if (t > hi) hi = t
    }
    if (!(lo <= hi)) table = { first: 0, edges: [0] }
    else {
      const start = dayParts(dayOf(p, lo))
      const from = dayNumber(start.y, start.m, 1)
      const to = addMonths(dayNumber(dayParts(dayOf(p, hi)).y, dayParts(dayOf(p, hi)).m, 1), 1) - 1
      table = { first: start.y * 12 + start.m - 1, edges: makeBuckets(p.tz, 'month', from, to).edges }
    }
    monthTables.set(p, table)
  }
  return table
}

/** The forecast of one open deal: probability and expected close, or null without history. */
export function dealForecast(
  p: Prepared,
  model: StageModel,
  d: number,
  now: number,
): { probability: number; expectedAt: number } | null {
  const st = p.stage[d]
  if (st < 0 || p.semantic[d] !== SEM_P) return null
  const prob = model.probability[st]
  if (prob !== prob) return null
  const med = model.medianToWin[st]
  return { probability: prob, expectedAt: now + (med === med ? med : 0) }
}

export function forecastMonths(p: Prepared, now: number) {
  const today = dayOf(p, now)
  const { y, m } = (() => {
    const t = new Date(today * DAY_MS)
    return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1 }
  })()
  const first = dayNumber(y, m, 1)
  return makeBuckets(p.tz, 'month', first, addMonths(first, 60) - 1)
}
