/**
 * Inflow forecast and its backtest (metrics.md "Clients, calls, leads, deadlines" → Inflow forecast).
 *
 * As of an instant t, for the month t falls in (from t to its end) and the month after — as of a
 * month end, the next two whole calendar months — expected won deals and revenue =
 *   open deals: Σ P(win | stage at t) over the open deals whose expected close falls in the month
 *     (the "Forecast" model, metrics.md), revenue Σ P × amount;
 *   new deals: mean monthly inflow of deals created in the 3 full months before t's month
 *     × P(win | created) (the first stage's P) × share of wins that came k calendar months after
 *     the creation month (k = forecast month − creation month; the current month counts only
 *     for its days left), revenue × the mean amount of those wins.
 * Everything is read as known at t: stages and closes from events before t, deals created
 * before t, and the history window of the stage model ends at t. Amounts are the deals' current
 * amounts (the portal keeps no history of them), pipelines the current ones.
 *
 * Backtest: the same forecast as of each of the last six month ends whose next month is over,
 * for that next month, against the deals won in it (closed in a success stage, as the KPIs count
 * "won in the period"). MAPE = mean of |forecast − actual| / actual over months with actual > 0.
 */
import { coveredPipes, pipeDeals, type QueryScope } from './filters'
import { dayOf, passBefore, sameBefore, stageModel } from './forecast-model'
import { carryOnUpdate, sameDealOrder, touchedDeals } from './carry'
import { addMonths, dayNumber, dayParts, localMidnight, monthKey, bucketIndex } from './periods'
import { SEM_P, SEM_S, type Prepared } from './prepare'
import { round2, round4 } from './stats'

export const INFLOW_MONTHS = 2
export const INFLOW_HISTORY_MONTHS = 3
export const BACKTEST_MONTHS = 6

export interface InflowMonth {
  month: string
  /** Expected wins among the deals open at the forecast time, and their revenue. */
  openWon: number
  openRevenue: number
  /** Expected wins among deals not yet created, and their revenue. */
  newWon: number
  newRevenue: number
  won: number
  revenue: number
}

export interface InflowSection {
  asOf: number
  months: InflowMonth[]
  /** Mean deals created per month over the last 3 full months (filters apply). */
  meanInflow: number
  /** Open deals in a stage without history (left out of the open part). */
  noHistory: number
}

export interface BacktestMonth {
  /** The month end the forecast was made at (epoch ms, the next month's first instant). */
  asOf: number
  month: string
  forecastWon: number
  actualWon: number
  forecastRevenue: number
  actualRevenue: number
  /** |forecast − actual| / actual; null when nothing was won. */
  errorWon: number | null
  errorRevenue: number | null
}

export interface BacktestSection {
  months: BacktestMonth[]
  /** Mean absolute percentage error as a share (0.25 = 25 %); null when no month had wins. */
  mapeWon: number | null
  mapeRevenue: number | null
}

/** First day (day number) of the calendar month holding instant t, in the portal's zone. */
function monthStartDay(s: QueryScope, t: number): number {
  const { y, m } = dayParts(dayOf(s.p, t))
  return dayNumber(y, m, 1)
}

interface RawMonth {
  month: string
  openWon: number
  openRevenue: number
  newWon: number
  newRevenue: number
}

function rawInflow(s: QueryScope, t: number): { rows: RawMonth[]; meanInflow: number; noHistory: number } {
  const p = s.p
  const first = monthStartDay(s, t)
  const monthDays = Array.from({ length: INFLOW_MONTHS + 1 }, (_, i) => addMonths(first, i))
  const edges = monthDays.map((day) => localMidnight(p.tz, day))
  // The forecast starts at t: month 0 is what is left of t's month.
  const windows = edges.slice(0, INFLOW_MONTHS).map((e, i) => ({ from: Math.max(e, t), to: edges[i + 1] }))
  const rows: RawMonth[] = monthDays
    .slice(0, INFLOW_MONTHS)
    .map((day) => ({ month: monthKey(day), openWon: 0, openRevenue: 0, newWon: 0, newRevenue: 0 }))
  const openEdges = [windows[0].from, ...windows.map((w) => w.to)]
  const inflowFrom = localMidnight(p.tz, addMonths(first, -INFLOW_HISTORY_MONTHS))
  const inflowTo = edges[0]
  let noHistory = 0
  let inflowAll = 0
  for (const pi of coveredPipes(s)) {
    const model = stageModel(p, pi, t)
    const pl = p.pipes[pi]
    let inflow = 0
    for (let di = 0, deals = pipeDeals(s, pi); di < deals.length; di++) {
      const d = deals[di]
      if (!(p.created[d] < t)) continue
      if (p.created[d] >= inflowFrom && p.created[d] < inflowTo) inflow++
      const i = passBefore(p, d, t)
      if (i < 0) continue
      const stage = p.passStage[i]
      if (pl.semantics[stage] !== SEM_P) continue
      const prob = model.probability[stage]
      if (prob !== prob) {
        noHistory++
        continue
      }
      const med = model.medianToWin[stage]
      const m = bucketIndex(openEdges, t + (med === med ? med : 0))
      if (m < 0) continue
      rows[m].openWon += prob
      rows[m].openRevenue += prob * p.amount[d]
    }
    inflowAll += inflow
    const perMonth = inflow / INFLOW_HISTORY_MONTHS
    const winRate = model.probability[Math.max(0, pl.firstMain)]
    if (!(winRate > 0) || !(model.meanWonAmount === model.meanWonAmount)) continue
    for (let j = 0; j < INFLOW_MONTHS; j++) {
      for (let c = 0; c <= j; c++) {
        const w = windows[c]
        const share = (w.to - w.from) / (edges[c + 1] - edges[c])
        const won = perMonth * share * winRate * (model.lagShares[j - c] ?? 0)
        rows[j].newWon += won
        rows[j].newRevenue += won * model.meanWonAmount
      }
    }
  }
  return { rows, meanInflow: inflowAll / INFLOW_HISTORY_MONTHS, noHistory }
}

/** The inflow forecast as of instant t (the query's filters apply). */
export function inflowAt(s: QueryScope, t: number): InflowSection {
  const { rows, meanInflow, noHistory } = rawInflow(s, t)
  return {
    asOf: t,
    meanInflow: round2(meanInflow),
    noHistory,
    months: rows.map((r) => ({
      month: r.month,
      openWon: round2(r.openWon),
      openRevenue: round2(r.openRevenue),
      newWon: round2(r.newWon),
      newRevenue: round2(r.newRevenue),
      won: round2(r.openWon + r.newWon),
      revenue: round2(r.openRevenue + r.newRevenue),
    })),
  }
}

/** Deals (filters apply) won in [from, to) as the KPIs count them, and their amount. */
function wonBetween(s: QueryScope, from: number, to: number): { won: number; revenue: number } {
  const p = s.p
  let won = 0,
    revenue = 0
  for (const pi of coveredPipes(s)) {
    for (let di = 0, deals = pipeDeals(s, pi); di < deals.length; di++) {
      const d = deals[di]
      const t = p.closedAt[d]
      if (p.semantic[d] !== SEM_S || !(t >= from && t < to)) continue
      won++
      revenue += p.amount[d]
    }
  }
  return { won, revenue }
}

const ape = (forecast: number, actual: number): number | null =>
  actual > 0 ? Math.abs(forecast - actual) / actual : null

function mean(values: (number | null)[]): number | null {
  const v = values.filter((x): x is number => x !== null)
  return v.length ? round4(v.reduce((a, b) => a + b, 0) / v.length) : null
}

interface BacktestMemo {
  month: number
  pipes: string
  mask: Uint8Array
  result: BacktestSection
}
const backtests = new WeakMap<Prepared, BacktestMemo[]>()

/**
 * The forecast as of each of the last six month ends, for the month after, against what happened.
 * It depends on the deals the filters let in and on `now`'s month only, not on the period: kept
 * per data load for the last few filter sets, so a period change or a page switch costs nothing.
 */
export function backtest(s: QueryScope): BacktestSection {
  const month = monthStartDay(s, s.now)
  const pipes = coveredPipes(s).join(',')
  let memo = backtests.get(s.p)
  if (!memo) backtests.set(s.p, (memo = []))
  const hit = memo.find((m) => m.month === month && m.pipes === pipes && sameMask(m.mask, s.dealMask))
  if (hit) return hit.result
  const result = computeBacktest(s, month)
  if (memo.length >= 4) memo.shift()
  memo.push({ month, pipes, mask: s.dealMask.slice(), result })
  return result
}

/**
 * A backtest holds after an update that keeps the deals in order when every deal it touched reads
 * the same as known before the month the backtest was made in (the forecasts and the wins it
 * counts all end there), and was won before then alike. Whether the filters let the same deals in
 * is the memo's own mask check.
 */
carryOnUpdate((update) => {
  const old = backtests.get(update.prev)
  if (!old || !sameDealOrder(update)) return
  const { prev, next } = update
  const touched = touchedDeals(update)
  const wonBefore = (p: Prepared, d: number, t: number) =>
    p.semantic[d] === SEM_S && p.closedAt[d] < t ? p.closedAt[d] : -1
  const kept = old.filter((memo) => {
    const end = localMidnight(prev.tz, memo.month)
    return touched.every(
      ({ o, d }) => sameBefore(prev, o, next, d, end) && Object.is(wonBefore(prev, o, end), wonBefore(next, d, end)),
    )
  })
  if (kept.length > 0) backtests.set(next, kept)
})

function sameMask(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

function computeBacktest(s: QueryScope, current: number): BacktestSection {
  const p = s.p
  const months: BacktestMonth[] = []
  const errors: { won: number | null; revenue: number | null }[] = []
  for (let k = BACKTEST_MONTHS; k >= 1; k--) {
    const asOf = localMidnight(p.tz, addMonths(current, -k))
    const end = localMidnight(p.tz, addMonths(current, -k + 1))
    const f = rawInflow(s, asOf).rows[0]
    const a = wonBetween(s, asOf, end)
    const forecastWon = f.openWon + f.newWon
    const forecastRevenue = f.openRevenue + f.newRevenue
    const errorWon = ape(forecastWon, a.won)
    const errorRevenue = ape(forecastRevenue, a.revenue)
    errors.push({ won: errorWon, revenue: errorRevenue })
    months.push({
      asOf,
      month: f.month,
      forecastWon: round2(forecastWon),
      actualWon: a.won,
      forecastRevenue: round2(forecastRevenue),
      actualRevenue: round2(a.revenue),
      errorWon: errorWon === null ? null : round4(errorWon),
      errorRevenue: errorRevenue === null ? null : round4(errorRevenue),
    })
  }
  return {
    months,
    mapeWon: mean(errors.map((e) => e.won)),
    mapeRevenue: mean(errors.map((e) => e.revenue)),
  }
}
