/**
 * The report assembler: resolves the query once, runs every family for the current period
 * (and the comparison period), adds the period-free sections (forecast, stuck, quality) and the
 * headline KPIs. The result is plain JSON: no Maps, no NaN or Infinity (null instead).
 */
import { resolveQuery, type PeriodScope, type QueryScope, type ReportQuery } from './filters'
import { churnSection } from './churn'
import { clientsSection } from './clients'
import { dataDays, type DataDays } from './data-days'
import { citiesSection } from './cities'
import { consultationsSection } from './consultations'
import { forecastSection, type ForecastSection } from './forecast'
import { funnelSection } from './funnel'
import { leadsSection } from './leads'
import { leadToDealSection } from './lead-to-deal'
import { lossReasonsSection } from './loss-reasons'
import { managersSection, planSection } from './managers'
import type { BucketKind } from './periods'
import type { PeriodClamp } from './period-bounds'
import type { Prepared } from './prepare'
import { overdueSection, type OverdueSection } from './overdue'
import { qualitySection, type QualitySection } from './quality'
import { roiSection } from './roi'
import { seriesSection, type SeriesSection } from './series'
import { sourcesSection } from './sources'
import type { PeriodSections } from './period-sections'
import { sectionChanges } from './section-changes'
import { changeOf, countOf, rateOf, significanceOf, type Change, type Exposure, type Figure } from './significance'
import { stagesOnDateSection, type StagesOnDateSection } from './stages-on-date'
import { rate, round2, round4 } from './stats'
import { stuckSection, type StuckSection } from './stuck'
import { timingSection } from './timing'
import { touchesSection } from './touches'

export interface PeriodInfo {
  from: string
  to: string
  /** Epoch ms of `from` 00:00 local (included) and of the day after `to` 00:00 local (excluded). */
  start: number
  end: number
  days: number
  timeZone: string
  currency: string
  bucket: BucketKind
  /** Present only when the asked period or bucket was bounded (period-bounds.ts): what was asked. */
  requested?: PeriodClamp
}

export type { PeriodSections }

/**
 * A headline figure and its change: `abs`, `rel` ((value − previous)/previous; null when previous
 * is 0 or null) and the change's significance (`test`, `p`, `significant`, `smallSample`).
 */
export interface Kpi extends Change {
  value: number | null
  previous: number | null
}

export interface Kpis {
  dealsCreated: Kpi
  won: Kpi
  wonSum: Kpi
  lost: Kpi
  /** won/(won+lost) of deals closed in the period. */
  conversion: Kpi
  /** Hours, deals won in the period. */
  meanTimeToWin: Kpi
  leads: Kpi
  leadConversion: Kpi
  spend: Kpi
  /** Percent. */
  roi: Kpi
  /** Σ P(win) × amount of open deals (as of now; no previous value). */
  forecast: Kpi
  /** Clients whose first deal ever was created in the period. */
  newClients: Kpi
  /** Open deals past their expected close date (as of now; no previous value). */
  overdue: Kpi
}

export interface Report extends PeriodSections {
  period: PeriodInfo
  comparison: (PeriodSections & { period: PeriodInfo }) | null
  forecast: ForecastSection
  stuck: StuckSection
  quality: QualitySection
  overdue: OverdueSection
  stagesOnDate: StagesOnDateSection
  kpis: Kpis
  series: SeriesSection
  /** Where the filtered deals lie in time (an empty period offers the nearest one with data). */
  dataDays: DataDays | null
}

function periodInfo(s: QueryScope, ps: PeriodScope): PeriodInfo {
  return { ...ps.period, timeZone: s.p.tz.name, currency: s.p.currency, bucket: ps.buckets.kind }
}

function periodSections(s: QueryScope, ps: PeriodScope): PeriodSections {
  return {
    funnel: funnelSection(s, ps),
    churn: churnSection(s, ps),
    sources: sourcesSection(s, ps),
    leads: leadsSection(s, ps),
    managers: managersSection(s, ps),
    cities: citiesSection(s, ps),
    timing: timingSection(s, ps),
    touches: touchesSection(s, ps),
    roi: roiSection(s, ps),
    plan: planSection(s, ps),
    lossReasons: lossReasonsSection(s, ps),
    consultations: consultationsSection(s, ps),
    leadToDeal: leadToDealSection(s, ps),
    clients: clientsSection(s, ps),
  }
}

/** Deal headline counts of a period (the KPI definitions; drill-down uses the same predicates). */
function dealTotals(s: QueryScope, ps: PeriodScope) {
  const p = s.p
  let created = 0,
    won = 0,
    wonSum = 0,
    lost = 0
  for (let j = 0, list = s.deals; j < list.length; j++) {
    const d = list[j]
    if (ps.cohort[d] === 1) created++
    if (ps.won[d] === 1) {
      won++
      wonSum += p.amount[d]
    } else if (ps.lost[d] === 1) lost++
  }
  return { created, won, wonSum: round2(wonSum), lost, conversion: rate(won, won + lost) }
}

/**
 * A KPI from its two values; `figures` (what the value is made of in each period) and the
 * periods' lengths give its significance — without them no test applies (sums, means).
 */
export function kpi(
  value: number | null,
  previous: number | null,
  isRate = false,
  figures?: { current: Figure; previous: Figure | null; days: Exposure },
): Kpi {
  const sig = significanceOf(figures?.current ?? null, figures?.previous ?? null, figures?.days ?? NO_DAYS)
  return { value, previous, ...changeOf(value, previous, sig, isRate ? round4 : round2) }
}

const NO_DAYS: Exposure = { current: 0, previous: 0 }

function kpis(
  s: QueryScope,
  cur: PeriodSections,
  cmp: PeriodSections | null,
  forecast: ForecastSection,
  overdue: OverdueSection,
): Kpis {
  const a = dealTotals(s, s.current)
  const b = s.comparison ? dealTotals(s, s.comparison) : null
  const days = { current: s.current.period.days, previous: s.comparison?.period.days ?? 0 }
  type Totals = typeof a
  const k = (f: (x: Totals) => number | null, isRate = false, fig?: (x: Totals) => Figure) =>
    kpi(f(a), b ? f(b) : null, isRate, fig && { current: fig(a), previous: b && fig(b), days })
  const ks = (f: (x: PeriodSections) => number | null, isRate = false, fig?: (x: PeriodSections) => Figure) =>
    kpi(f(cur), cmp ? f(cmp) : null, isRate, fig && { current: fig(cur), previous: cmp && fig(cmp), days })
  return {
    dealsCreated: k(
      (x) => x.created,
      false,
      (x) => countOf(x.created),
    ),
    won: k(
      (x) => x.won,
      false,
      (x) => countOf(x.won),
    ),
    wonSum: k((x) => x.wonSum),
    lost: k(
      (x) => x.lost,
      false,
      (x) => countOf(x.lost),
    ),
    conversion: k(
      (x) => x.conversion,
      true,
      (x) => rateOf(x.won, x.won + x.lost),
    ),
    meanTimeToWin: ks((x) => x.timing.toWin.stats.mean),
    leads: ks(
      (x) => x.leads.total,
      false,
      (x) => countOf(x.leads.total),
    ),
    leadConversion: ks(
      (x) => x.leads.conversionRate,
      true,
      (x) => rateOf(x.leads.converted, x.leads.total),
    ),
    spend: ks((x) => x.roi.total.spend),
    roi: ks((x) => x.roi.total.roi),
    forecast: kpi(forecast.total.expected, null),
    newClients: ks(
      (x) => x.clients.newClients,
      false,
      (x) => countOf(x.clients.newClients),
    ),
    overdue: kpi(overdue.count, null),
  }
}

/** Builds the whole report for a query. Throws an Error with a readable message on a bad query. */
export function buildReport(p: Prepared, q: ReportQuery): Report {
  const s = resolveQuery(p, q)
  const cur = periodSections(s, s.current)
  const cmp = s.comparison ? periodSections(s, s.comparison) : null
  const forecast = forecastSection(s)
  const days = { current: s.current.period.days, previous: s.comparison?.period.days ?? 0 }
  const overdue = overdueSection(s)
  return {
    period: { ...periodInfo(s, s.current), ...(s.clamp ? { requested: s.clamp } : {}) },
    ...(cmp ? sectionChanges(cur, cmp, days) : cur),
    comparison: cmp && s.comparison ? { period: periodInfo(s, s.comparison), ...cmp } : null,
    forecast,
    stuck: stuckSection(s),
    quality: qualitySection(p.quality),
    overdue,
    stagesOnDate: stagesOnDateSection(s),
    kpis: kpis(s, cur, cmp, forecast, overdue),
    series: seriesSection(s),
    dataDays: dataDays(s),
  }
}
