/**
 * Forecast (metrics.md "Forecast"), as of `now`.
 *
 * History = deals of the same pipeline closed (won or lost) in the 12 calendar months before
 * `now`, whatever the query's other filters (a pipeline-wide rate is steadier than one cut by
 * city or manager). Open deals are left out of the history: they are neither wins nor losses yet.
 * P(win | s) = won / closed among those that reached s. Remaining time from s = won time minus
 * the first time s was reached, median over the won ones. For each open deal (filters apply)
 * in stage s: expected close = now + median remaining time; a month's forecast =
 * Σ P × amount over the deals expected in it. Deals in a stage with no history (no closed deal
 * reached it) are counted in `noHistory` and left out of the sums.
 */
import { coveredPipes, pipeDeals, type QueryScope } from './filters'
import { backtest, inflowAt, type BacktestSection, type InflowSection } from './forecast-inflow'
import { dealForecast, forecastMonths, historyStart, stageModel } from './forecast-model'
import { bucketIndex } from './periods'
import { SEM_P } from './prepare'
import { DAY_MS } from './periods'
import { round2, round4 } from './stats'

export interface StageForecast {
  name: string
  /** P(win | reached this stage); null without history. */
  probability: number | null
  /** Closed deals of the last 12 months that reached the stage. */
  samples: number
  medianDaysToWin: number | null
  openDeals: number
  openAmount: number
  expected: number
}

export interface ForecastMonth {
  month: string
  deals: number
  amount: number
  expected: number
}

export interface ForecastSection {
  asOf: number
  historyFrom: number
  months: ForecastMonth[]
  total: { deals: number; amount: number; expected: number }
  noHistory: number
  pipelines: { categoryId: number; name: string; order: string[]; stages: Record<string, StageForecast> }[]
  /** The next two calendar months from open deals plus expected new inflow (forecast-inflow.ts). */
  inflow: InflowSection
  /** The inflow forecast made as of each of the last six month ends against what happened. */
  backtest: BacktestSection
}

export function forecastSection(s: QueryScope): ForecastSection {
  const p = s.p
  const now = s.now
  const months = forecastMonths(p, now)
  const rows: ForecastMonth[] = months.labels.map((month) => ({ month, deals: 0, amount: 0, expected: 0 }))
  let noHistory = 0
  const pipelines = coveredPipes(s).map((pi) => {
    const pl = p.pipes[pi]
    const model = stageModel(p, pi, now)
    const stages: Record<string, StageForecast> = {}
    const openDeals = new Int32Array(pl.stageIds.length),
      openAmount = new Float64Array(pl.stageIds.length)
    const expected = new Float64Array(pl.stageIds.length)
    for (let di = 0, deals = pipeDeals(s, pi); di < deals.length; di++) {
      const d = deals[di]
      if (p.semantic[d] !== SEM_P || p.stage[d] < 0) continue
      const st = p.stage[d]
      openDeals[st]++
      openAmount[st] += p.amount[d]
      const f = dealForecast(p, model, d, now)
      if (!f) {
        noHistory++
        continue
      }
      expected[st] += f.probability * p.amount[d]
      const i = bucketIndex(months.edges, f.expectedAt)
      const row = rows[i < 0 ? rows.length - 1 : i]
      row.deals++
      row.amount += p.amount[d]
      row.expected += f.probability * p.amount[d]
    }
    for (let st = 0; st < pl.processCount; st++) {
      const med = model.medianToWin[st]
      stages[pl.stageIds[st]] = {
        name: pl.stageNames[st],
        probability: model.probability[st] === model.probability[st] ? round4(model.probability[st]) : null,
        samples: model.samples[st],
        medianDaysToWin: med === med ? round2(med / DAY_MS) : null,
        openDeals: openDeals[st],
        openAmount: round2(openAmount[st]),
        expected: round2(expected[st]),
      }
    }
    return { categoryId: pl.categoryId, name: pl.name, order: pl.stageIds.slice(0, pl.processCount), stages }
  })
  const used = rows
    .filter((r) => r.deals > 0)
    .map((r) => ({ ...r, amount: round2(r.amount), expected: round2(r.expected) }))
  const total = rows.reduce(
    (a, r) => ({ deals: a.deals + r.deals, amount: a.amount + r.amount, expected: a.expected + r.expected }),
    { deals: 0, amount: 0, expected: 0 },
  )
  return {
    asOf: now,
    historyFrom: historyStart(p, now),
    months: used,
    total: { deals: total.deals, amount: round2(total.amount), expected: round2(total.expected) },
    noHistory,
    pipelines,
    inflow: inflowAt(s, now),
    backtest: backtest(s),
  }
}
