/**
 * The two printed forms of a report: JSON (the stable machine-readable one, schema in the
 * docs/cli.md) and CSV (one flat table, current and previous side by side).
 */
import type { Report } from '../engine/report'
import { flattenSection, rowId, type FlatRow, type FlatValue } from './flatten'

export const REPORT_SCHEMA = 'funnel-lens-report/1'

export interface ReportMeta {
  /** Where the rows came from: 'dump' or 'webhook'. */
  source: 'dump' | 'webhook'
  portal: { domain: string; memberId: string; timeZone: string; currency: string }
  query: Record<string, unknown>
  /** Deals, leads, stage events and touches loaded. */
  rows: { deals: number; leads: number; dealEvents: number; touches: number; budgets: number; plans: number }
  /** Malformed rows kept with a default or left out, one entry per table and kind (never a stop). */
  problems: { table: string; kind: string; count: number; dropped: number; example: string }[]
}

export type JsonReport = { schema: typeof REPORT_SCHEMA; meta: ReportMeta } & Report

export function toJsonReport(report: Report, meta: ReportMeta): JsonReport {
  return { schema: REPORT_SCHEMA, meta, ...report }
}

export const CSV_COLUMNS = [
  'section',
  'pipeline',
  'stage',
  'key',
  'name',
  'measure',
  'value',
  'previous',
  'change',
  'change_pct',
  'significant',
  'p_value',
  'small_sample',
] as const

const FORMULA_START = /^[=+\-@\t\r]/

/** CRM text is untrusted: a cell a spreadsheet would run as a formula is kept as text. */
export function csvCell(v: FlatValue | undefined): string {
  if (v === null || v === undefined) return ''
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : ''
  if (typeof v === 'boolean') return v ? 'true' : 'false'
  const text = FORMULA_START.test(v) ? `'${v}` : v
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

function change(cur: FlatValue, prev: FlatValue | undefined): [number | null, number | null] {
  if (typeof cur !== 'number' || typeof prev !== 'number') return [null, null]
  const abs = Math.round((cur - prev) * 1e4) / 1e4
  return [abs, prev === 0 ? null : Math.round(((cur - prev) / prev) * 1e4) / 1e4]
}

/** Sections in print order: every top-level key of the report except the comparison block. */
export function reportRows(report: Report, stageIds: ReadonlySet<string>): FlatRow[] {
  return Object.entries(report)
    .filter(([k]) => k !== 'comparison')
    .flatMap(([k, v]) => flattenSection(k, v, stageIds))
}

export function toCsv(report: Report, stageIds: ReadonlySet<string>): string {
  const previous = new Map<string, FlatValue>()
  if (report.comparison) {
    for (const r of Object.entries(report.comparison).flatMap(([k, v]) => flattenSection(k, v, stageIds)))
      previous.set(rowId(r), r.value)
  }
  const lines = [CSV_COLUMNS.join(',')]
  for (const r of reportRows(report, stageIds)) {
    const prev = previous.get(rowId(r))
    const [abs, rel] = change(r.value, prev)
    const c = r.change
    lines.push(
      [r.section, r.pipeline, r.stage, r.key, r.name, r.measure, r.value, prev, abs, rel]
        .concat([c?.significant ?? null, c?.p ?? null, c ? c.smallSample : null])
        .map(csvCell)
        .join(','),
    )
  }
  return lines.join('\n') + '\n'
}
