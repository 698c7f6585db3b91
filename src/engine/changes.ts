/**
 * Period-over-period changes with their significance, attached in one place (buildReport) so
 * every page, the JSON and the CSV read the same flags (metrics.md "Changes between periods").
 *
 * A section opts in with a `ChangeSpec` for its rows: which fields are counts (Poisson test,
 * per day of each period) and which are rates (two-proportion z-test, from the row's own
 * numerator and denominator). `withChanges` then pairs the current rows with the comparison
 * rows by a key and gives every current row a `changes` record keyed by the field path:
 *
 *   row.changes = { won: { abs, rel, test: 'poisson', p, significant, smallSample }, … }
 *
 * Fields not in the spec (money, means, quantiles, flow ratios that may exceed 1) get no
 * change record: no test applies to them. See docs/engine.md "Changes between periods".
 */
import { countOf, rateOf, significanceOf, changeOf, type Change, type Exposure, type Figure } from './significance'
import { round2, round4 } from './stats'

/** A row's changes keyed by field path ("conversion", "won.count"). */
export type Changes = Record<string, Change>

export interface WithChanges {
  /** Present on current-period rows when there is a comparison period. */
  changes?: Changes
}

/**
 * How a field is tested: 'count' (the field is a count of events in the period), or a function
 * giving the rate's numerator and denominator from the row (null: not a proportion here).
 */
export type FieldTest<Row, Ctx = undefined> = 'count' | ((row: Row, ctx: Ctx) => { num: number; den: number } | null)

export type ChangeSpec<Row, Ctx = undefined> = Record<string, FieldTest<Row, Ctx>>

/**
 * What a rate's denominator may need beyond its row, once per period (e.g. the pipeline's
 * cohort size, all deals lost in the period).
 */
export interface PeriodContext<Ctx> {
  current: Ctx
  previous: Ctx
}

/** A field's value by dotted path ("won.count"); null when it is not a number. */
function read(row: unknown, path: string): number | null {
  let v: unknown = row
  for (const part of path.split('.')) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[part] : undefined
  return typeof v === 'number' && Number.isFinite(v) ? v : null
}

function figure<Row, Ctx>(row: Row, path: string, test: FieldTest<Row, Ctx>, ctx: Ctx): Figure | null {
  if (test === 'count') {
    const v = read(row, path)
    return v === null ? null : countOf(v)
  }
  const r = test(row, ctx)
  return r ? rateOf(r.num, r.den) : null
}

/** The changes of one row against its comparison-period twin, for every field in the spec. */
export function rowChanges<Row, Ctx = undefined>(
  cur: Row,
  prev: Row | undefined,
  spec: ChangeSpec<Row, Ctx>,
  days: Exposure,
  ctx?: PeriodContext<Ctx>,
): Changes {
  const out: Changes = {}
  for (const [path, test] of Object.entries(spec)) {
    const value = read(cur, path)
    const previous = prev === undefined ? null : read(prev, path)
    const a = figure(cur, path, test, ctx?.current as Ctx)
    const b = prev === undefined ? null : figure(prev, path, test, ctx?.previous as Ctx)
    out[path] = changeOf(value, previous, significanceOf(a, b, days), test === 'count' ? round2 : round4)
  }
  return out
}

/** One object (a section's totals) with its `changes`. */
export function objectWithChanges<Row extends object, Ctx = undefined>(
  cur: Row,
  prev: Row | undefined,
  spec: ChangeSpec<Row, Ctx>,
  days: Exposure,
  ctx?: PeriodContext<Ctx>,
): Row & WithChanges {
  return { ...cur, changes: rowChanges(cur, prev, spec, days, ctx) }
}

/**
 * Rows paired by key: a row missing from the comparison period compares with nothing (its
 * changes are null, not "from zero": a new manager is not a significant rise).
 */
export function withChanges<Row extends object, Ctx = undefined>(
  cur: readonly Row[],
  prev: readonly Row[] | undefined,
  key: (row: Row) => string | number,
  spec: ChangeSpec<Row, Ctx>,
  days: Exposure,
  ctx?: PeriodContext<Ctx>,
): (Row & WithChanges)[] {
  const byKey = new Map((prev ?? []).map((r) => [key(r), r]))
  return cur.map((r) => objectWithChanges(r, byKey.get(key(r)), spec, days, ctx))
}

/** Records keyed by id (stage rows keyed by STAGE_ID), paired by that id. */
export function recordWithChanges<Row extends object, Ctx = undefined>(
  cur: Record<string, Row>,
  prev: Record<string, Row> | undefined,
  spec: ChangeSpec<Row, Ctx>,
  days: Exposure,
  ctx?: PeriodContext<Ctx>,
): Record<string, Row & WithChanges> {
  const out: Record<string, Row & WithChanges> = {}
  for (const [k, r] of Object.entries(cur)) out[k] = objectWithChanges(r, prev?.[k], spec, days, ctx)
  return out
}

/**
 * A rate stored rounded to four decimals, with its denominator: the numerator recovered as
 * round(rate × den) — exact while den < 10,000, within a deal or two above that (immaterial
 * to a z-test on that many).
 */
export function storedRate(rateValue: number | null | undefined, den: number): { num: number; den: number } | null {
  if (rateValue === null || rateValue === undefined || !(den > 0) || rateValue > 1) return null
  return { num: Math.round(rateValue * den), den }
}
