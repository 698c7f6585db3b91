/**
 * One report run of the command line: arguments → data → engine → printed text.
 * Loads CRM data the way the app does (the sync layer over a webhook, or a dump file through
 * the same normalisation), builds one report and renders it as JSON or CSV.
 */
import { buildReport, prepare, type ReportQuery } from '../engine/index'
import { parseCliArgs, UsageError, USAGE, type CliOptions } from './args'
import { readInputs } from './inputs'
import { loadCrmData } from './load'
import { toCsv, toJsonReport } from './output'

export async function runReport(argv: string[]): Promise<string> {
  const opts = parseCliArgs(argv)
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
  const query = toQuery(opts)
  const prepared = prepare(data)
  let report
  try {
    report = buildReport(prepared, query)
  } catch (err) {
    // The engine throws readable messages for a query it cannot answer (e.g. an unknown pipeline).
    throw new UsageError((err as Error).message)
  }
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
  if (o.now !== undefined) q.now = o.now
  return q
}
