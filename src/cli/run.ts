/**
 * One report run of the command line: arguments → data → engine → printed text.
 * Loads CRM data the way the app does (the sync layer over a webhook, or a dump file through
 * the same normalisation), builds one report and renders it as JSON or CSV.
 */
import {
  buildReport,
  EARLIEST_DAY,
  LATEST_DAY,
  MAX_BUCKETS,
  prepare,
  type PeriodClamp,
  type PeriodInfo,
  type ReportQuery,
} from '../engine/index'
import type { CrmData } from '../engine/types'
import { QueryError } from '../engine/errors'
import { summarizeProblems, type DataProblem } from '../b24/normalize-problems'
import { parseCliArgs, UsageError, USAGE, type CliOptions } from './args'
import { InternalError } from './errors'
import { readInputs } from './inputs'
import { loadCrmData, type LoadedData } from './load'
import { nameTopClients, unnamedTopClients } from '../engine/clients'
import type { Report } from '../engine/report'
import { toCsv, toJsonReport } from './output'

export interface CliIO {
  /** The environment: FUNNEL_LENS_WEBHOOK gives the webhook without showing it in `ps`. */
  env: Record<string, string | undefined>
  /** One line for stderr that does not stop the report. */
  warn: (line: string) => void
  /** The report builder (the engine unless a test injects one, e.g. one that fails like a bug). */
  build?: (data: CrmData, query: ReportQuery) => Report
}

const buildWithEngine = (data: CrmData, query: ReportQuery): Report => buildReport(prepare(data), query)

/** Ids given to a filter that the data does not have: the report for them would be silently empty. */
function warnUnknownIds(opts: CliOptions, data: CrmData, warn: (line: string) => void): void {
  const check = (flag: string, given: (string | number)[], known: Iterable<string | number>) => {
    const have = new Set([...known].map(String))
    const missing = given.filter((id) => !have.has(String(id)))
    if (missing.length) warn(`--${flag} ${missing.join(', ')}: no such ${flag} in the data; nothing matches it`)
  }
  check(
    'city',
    opts.cityIds,
    data.cities.map((c) => c.id),
  )
  check(
    'source',
    opts.sourceIds,
    data.sources.map((s) => s.id),
  )
  check(
    'manager',
    opts.managerIds,
    data.users.map((u) => u.id),
  )
}

const BOUND_REASONS: Record<PeriodClamp['reasons'][number], string> = {
  window: `reaches outside ${EARLIEST_DAY} … ${LATEST_DAY}`,
  data: 'reaches more than a year beyond the data',
  buckets: `needs more than ${MAX_BUCKETS} chart buckets`,
}

/** The engine bounded the period or the bucket (issue 8.4): say what the report covers instead. */
function warnBounded(period: PeriodInfo, warn: (line: string) => void): void {
  const asked = period.requested
  if (!asked) return
  const why = asked.reasons.map((r) => BOUND_REASONS[r]).join(' and ')
  warn(
    `the period ${asked.from} … ${asked.to} (by ${asked.bucket}) ${why}; ` +
      `the report covers ${period.from} … ${period.to} by ${period.bucket}`,
  )
}

/**
 * The engine throws QueryError (or a plain Error) with readable text for a query it cannot answer;
 * anything else is a bug.
 */
function engineStep<T>(step: () => T): T {
  try {
    return step()
  } catch (err) {
    if (err instanceof QueryError || (err instanceof Error && err.constructor === Error))
      throw new UsageError(err.message)
    throw new InternalError('the report engine', err)
  }
}

export async function runReport(argv: string[], io: CliIO = { env: {}, warn: () => {} }): Promise<string> {
  const opts = parseCliArgs(argv, io.env)
  if (opts.help) return USAGE + '\n'
  const loaded = await loadCrmData(opts)
  const data = loaded.data
  if (opts.inputsPath) {
    const inputs = readInputs(opts.inputsPath, data.portal.currency)
    data.budgets = inputs.budgets
    data.plans = inputs.plans
  }
  const known = data.pipelines.map((pl) => pl.id)
  const unknown = opts.categoryIds.filter((id) => !known.includes(id))
  if (unknown.length)
    throw new UsageError(
      `--category ${unknown.join(', ')}: no such pipeline; the portal has ${known.join(', ') || 'none'}`,
    )
  checkKeys('--loss-reason', opts.lossReasonIds, data.lossReasons)
  checkKeys('--stage', opts.stageIds, data.stages)
  warnUnknownIds(opts, data, io.warn)
  const query = toQuery(opts)
  const build = io.build ?? buildWithEngine
  let report = engineStep(() => build(data, query))
  warnBounded(report.period, io.warn)
  if (loaded.clientNames) report = await withClientNames(report, loaded.clientNames)
  if (opts.format === 'csv') return toCsv(report, new Set(data.stages.map((s) => s.id)))
  const json = toJsonReport(report, {
    source: opts.source.kind,
    portal: {
      domain: data.portal.domain,
      memberId: data.portal.memberId,
      timeZone: data.portal.timeZone,
      currency: data.portal.currency,
    },
    query: { ...query },
    rows: {
      deals: data.deals.length,
      leads: data.leads.length,
      dealEvents: data.dealEvents.length,
      touches: data.touches.length,
      budgets: data.budgets.length,
      plans: data.plans.length,
    },
    problems: summarizeProblems((data.problems ?? []) as DataProblem[]),
  })
  return JSON.stringify(json, null, 2) + '\n'
}

/** An id the portal does not have is a typo: say which ids it has (with their names) rather than print zeros. */
function checkKeys(flag: string, given: string[], known: { id: string; name: string }[]): void {
  const ids = new Set(known.map((k) => k.id))
  const unknown = given.filter((id) => !ids.has(id))
  if (!unknown.length) return
  const list = known.map((k) => `${k.id} (${k.name})`)
  const shown = list.length > 40 ? [...list.slice(0, 40), `… ${list.length - 40} more`] : list
  throw new UsageError(`${flag} ${unknown.join(', ')}: not on this portal; it has ${shown.join(', ') || 'none'}`)
}

/** The webhook path does not sync client names: the top clients are named by one lookup. */
async function withClientNames(report: Report, lookup: NonNullable<LoadedData['clientNames']>): Promise<Report> {
  const ids = unnamedTopClients([report.clients, report.comparison?.clients])
  if (!ids.companies.length && !ids.contacts.length) return report
  const names = await lookup(ids)
  return {
    ...report,
    clients: nameTopClients(report.clients, names),
    comparison: report.comparison && {
      ...report.comparison,
      clients: nameTopClients(report.comparison.clients, names),
    },
  }
}

export function toQuery(o: CliOptions): ReportQuery {
  const q: ReportQuery = { from: o.from, to: o.to, compare: o.compare }
  if (o.categoryIds.length) q.categoryIds = o.categoryIds
  if (o.cityIds.length) q.cityIds = o.cityIds
  if (o.sourceIds.length) q.sourceIds = o.sourceIds
  if (o.managerIds.length) q.managerIds = o.managerIds
  if (o.lossReasonIds.length) q.lossReasonIds = o.lossReasonIds
  if (o.stageIds.length) q.stageIds = o.stageIds
  if (o.bucket) q.bucket = o.bucket
  if (o.breakdown) q.breakdown = o.breakdown
  // "now" comes from here, never from inside the engine: --now, else the wall clock to the minute.
  q.now = o.now ?? Math.floor(Date.now() / 60_000) * 60_000
  if (o.asOf !== undefined) q.asOf = o.asOf
  return q
}
