/**
 * The report query and its resolution into what the families loop over: a deal mask, a lead
 * mask, the current and comparison periods and their chart buckets.
 */
import { DIMS, type Dim } from './dims'
import { QueryError } from './errors'
import { SEM_F, SEM_S, type Prepared } from './prepare'
import { boundPeriod, dataSpan, type PeriodClamp } from './period-bounds'
import {
  comparisonDays,
  makeBuckets,
  makePeriod,
  parseDay,
  type BucketKind,
  type Buckets,
  type CompareMode,
  type Period,
} from './periods'

export type BreakdownDim = Dim

export interface ReportQuery {
  /** First day included, 'YYYY-MM-DD' in the portal time zone. */
  from: string
  /** Last day included: the period is [from 00:00, to+1 00:00) in the portal time zone. */
  to: string
  compare: CompareMode
  categoryIds?: number[]
  cityIds?: string[]
  sourceIds?: string[]
  utmSources?: string[]
  managerIds?: number[]
  lossReasonIds?: string[]
  /** Current stage ids (any pipeline): only deals now in one of them. */
  stageIds?: string[]
  /** Chart series bucket; default picked from the period length. */
  bucket?: BucketKind
  /** Optional split applied to funnel, churn and timing rows. */
  breakdown?: BreakdownDim
  /** Epoch ms; default Date.now() (forecast, stuck, "in work", call-again list, overdue). */
  now?: number
  /** The day of the funnel on a date, 'YYYY-MM-DD'; default the period's last day (or today, if earlier). */
  asOf?: string
}

export interface PeriodScope {
  period: Period
  fromDay: number
  toDay: number
  buckets: Buckets
  /**
   * Per-deal flags (1/0) for this period under the query's filters, computed once per query:
   * cohort = created in the period; won / lost = won / lost (closed) in the period.
   * Every family and the drill-down read these, so their counts agree.
   */
  cohort: Uint8Array
  won: Uint8Array
  lost: Uint8Array
  /**
   * The same deals as lists in ascending deal index (the order of a loop over all deals, so sums
   * and first-seen orders do not change): loops visit these instead of testing every deal.
   */
  cohortDeals: Int32Array
  /** Deals won or lost in the period. */
  closedDeals: Int32Array
  /** Leads passing the filters and created in the period (ascending lead index). */
  leads: Int32Array
  /** Memo for per-period work shared by several sections (stage counts). */
  memo: Map<string, unknown>
  /** 0 for the current period, 1 for the comparison period (selects pooled scratch buffers). */
  slot: number
}

export interface QueryScope {
  p: Prepared
  q: ReportQuery
  now: number
  /** What the query asked for when the period or bucket had to be bounded (period-bounds.ts); else null. */
  clamp: PeriodClamp | null
  /** 1 where the deal passes every filter (and its pipeline is known). */
  dealMask: Uint8Array
  /** The deals of `dealMask` in ascending index: what a loop over the filtered deals visits. */
  deals: Int32Array
  leadMask: Uint8Array
  /** 1 per manager code when the manager filter lets the user's touches in. */
  managerAllowed: Uint8Array
  current: PeriodScope
  comparison: PeriodScope | null
}

/** Per-code pass table for one dimension; null when the query does not filter it. */
function allowed(
  dictFind: (k: string) => number,
  size: number,
  keys: readonly (string | number)[] | undefined,
): Uint8Array | null {
  if (!keys || keys.length === 0) return null
  const ok = new Uint8Array(size)
  for (const k of keys) {
    const c = dictFind(String(k))
    if (c >= 0) ok[c] = 1
  }
  return ok
}

/** Per (pipe × stride + local stage) pass table of the current-stage filter; null when not filtered. */
function currentStageTable(p: Prepared, stageIds: readonly string[] | undefined): Uint8Array | null {
  if (!stageIds || stageIds.length === 0) return null
  const wanted = new Set(stageIds)
  const ok = new Uint8Array(p.pipes.length * p.stride)
  p.pipes.forEach((pl, pi) => pl.stageIds.forEach((id, st) => (ok[pi * p.stride + st] = wanted.has(id) ? 1 : 0)))
  return ok
}

export function dealMask(p: Prepared, q: ReportQuery): Uint8Array {
  const table = (dim: Dim, keys: readonly (string | number)[] | undefined) => {
    const dict = p.dims[dim].dict
    return allowed((k) => dict.find(k), dict.size, keys)
  }
  const checks: [Int32Array, Uint8Array][] = []
  const add = (dim: Dim, keys: readonly (string | number)[] | undefined) => {
    const t = table(dim, keys)
    if (t) checks.push([p.dims[dim].codes, t])
  }
  add('pipeline', q.categoryIds)
  add('city', q.cityIds)
  add('source', q.sourceIds)
  add('utmSource', q.utmSources)
  add('manager', q.managerIds)
  add('lossReason', q.lossReasonIds)
  const stageOk = currentStageTable(p, q.stageIds)
  const mask = new Uint8Array(p.n)
  for (let d = 0; d < p.n; d++) {
    if (p.pipe[d] < 0) continue
    if (stageOk && (p.stage[d] < 0 || !stageOk[p.pipe[d] * p.stride + p.stage[d]])) continue
    mask[d] = 1
  }
  narrow(mask, checks)
  return mask
}

/** Clears the mask where a check fails: one tight loop per filtered dimension, not a check list per row. */
function narrow(mask: Uint8Array, checks: [Int32Array, Uint8Array][]): void {
  for (const [codes, ok] of checks)
    for (let i = 0; i < mask.length; i++) if (mask[i] === 1 && ok[codes[i]] !== 1) mask[i] = 0
}

/** Leads have no pipeline or loss reason: only city, source, UTM and manager filters apply. */
export function leadMask(p: Prepared, q: ReportQuery): Uint8Array {
  const checks: [Int32Array, Uint8Array][] = []
  const add = (dim: Dim, codes: Int32Array, keys: readonly (string | number)[] | undefined) => {
    const dict = p.dims[dim].dict
    const t = allowed((k) => dict.find(k), dict.size, keys)
    if (t) checks.push([codes, t])
  }
  add('city', p.leadDims.city, q.cityIds)
  add('source', p.leadDims.source, q.sourceIds)
  add('utmSource', p.leadDims.utmSource, q.utmSources)
  add('manager', p.leadDims.manager, q.managerIds)
  const mask = new Uint8Array(p.leadCreated.length).fill(1)
  narrow(mask, checks)
  return mask
}

/** Indexes where `flags` is 1, ascending. */
export function flagged(flags: Uint8Array): Int32Array {
  let k = 0
  for (let i = 0; i < flags.length; i++) k += flags[i]
  const out = new Int32Array(k)
  k = 0
  for (let i = 0; i < flags.length; i++) if (flags[i] === 1) out[k++] = i
  return out
}

function periodScope(
  p: Prepared,
  s: Pick<QueryScope, 'deals' | 'leadMask'>,
  fromDay: number,
  toDay: number,
  bucket: BucketKind,
  slot: number,
): PeriodScope {
  const period = makePeriod(p.tz, fromDay, toDay)
  const { start, end } = period
  const cohort = new Uint8Array(p.n),
    won = new Uint8Array(p.n),
    lost = new Uint8Array(p.n)
  const { created, closedAt, semantic } = p
  const deals = s.deals
  const cohortList = new Int32Array(deals.length)
  const closedList = new Int32Array(deals.length)
  let nc = 0,
    nx = 0
  for (let i = 0; i < deals.length; i++) {
    const d = deals[i]
    const c = created[d]
    if (c >= start && c < end) {
      cohort[d] = 1
      cohortList[nc++] = d
    }
    const t = closedAt[d]
    if (t >= start && t < end) {
      if (semantic[d] === SEM_S) won[d] = 1
      else if (semantic[d] === SEM_F) lost[d] = 1
      if (won[d] === 1 || lost[d] === 1) closedList[nx++] = d
    }
  }
  return {
    period,
    fromDay,
    toDay,
    buckets: makeBuckets(p.tz, bucket, fromDay, toDay),
    cohort,
    won,
    lost,
    cohortDeals: cohortList.slice(0, nc),
    closedDeals: closedList.slice(0, nx),
    leads: periodLeads(p, s.leadMask, start, end),
    memo: new Map(),
    slot,
  }
}

function periodLeads(p: Prepared, mask: Uint8Array, start: number, end: number): Int32Array {
  const t = p.leadCreated
  const out = new Int32Array(t.length)
  let k = 0
  for (let i = 0; i < t.length; i++) if (mask[i] === 1 && t[i] >= start && t[i] < end) out[k++] = i
  return out.slice(0, k)
}

const COMPARE = ['previous', 'year', 'none']
const BUCKETS = ['day', 'week', 'month', 'quarter', 'year']

/** Rejects a malformed query with a message naming the field and the values allowed. */
function checkQuery(q: ReportQuery): void {
  if (q.compare !== undefined && !COMPARE.includes(q.compare))
    throw new QueryError('BAD_QUERY', `compare must be one of ${COMPARE.join(', ')}, not "${q.compare}"`)
  if (q.bucket !== undefined && !BUCKETS.includes(q.bucket))
    throw new QueryError('BAD_QUERY', `bucket must be one of ${BUCKETS.join(', ')}, not "${q.bucket}"`)
  if (q.breakdown !== undefined && !DIMS.includes(q.breakdown))
    throw new QueryError('BAD_QUERY', `breakdown must be one of ${DIMS.join(', ')}, not "${q.breakdown}"`)
  if (q.now !== undefined && !Number.isFinite(q.now))
    throw new QueryError('BAD_QUERY', 'now must be a time in epoch milliseconds')
}

export function resolveQuery(p: Prepared, q: ReportQuery): QueryScope {
  checkQuery(q)
  const askedFrom = parseDay(q.from)
  const askedTo = parseDay(q.to)
  if (askedTo < askedFrom)
    throw new QueryError('BAD_PERIOD', `The period ends (${q.to}) before it starts (${q.from}); swap the dates`)
  // Default "now" is rounded to the minute so that filter changes reuse the forecast model.
  const now = q.now ?? Math.floor(Date.now() / 60_000) * 60_000
  const { fromDay, toDay, bucket, clamp } = boundPeriod(askedFrom, askedTo, q.bucket, dataSpan(p, now))
  const cmp = comparisonDays(fromDay, toDay, q.compare ?? 'previous')
  const mask = dealMask(p, q)
  const managers = p.dims.manager.dict
  const managerAllowed =
    allowed((k) => managers.find(k), managers.size, q.managerIds) ?? new Uint8Array(managers.size).fill(1)
  const lists = { deals: flagged(mask), leadMask: leadMask(p, q) }
  return {
    p,
    q,
    now,
    clamp,
    dealMask: mask,
    ...lists,
    managerAllowed,
    current: periodScope(p, lists, fromDay, toDay, bucket, 0),
    comparison: cmp ? periodScope(p, lists, cmp[0], cmp[1], bucket, 1) : null,
  }
}

const pipeDealMemo = new WeakMap<QueryScope, Int32Array[]>()

/**
 * The deals of pipeline `pi` that pass the query's filters, ascending (the order of the pipeline's
 * own deal list): per-pipeline loops visit these instead of testing the mask on every deal of the
 * pipeline. Built for all pipelines in one pass, once per query.
 */
export function pipeDeals(s: QueryScope, pi: number): Int32Array {
  let lists = pipeDealMemo.get(s)
  if (!lists) {
    const { pipe, pipes } = s.p
    const count = new Int32Array(pipes.length)
    for (let j = 0, list = s.deals; j < list.length; j++) {
      const d = list[j]
      count[pipe[d]]++
    }
    const built = Array.from(count, (c) => new Int32Array(c))
    count.fill(0)
    for (let j = 0, list = s.deals; j < list.length; j++) {
      const d = list[j]
      built[pipe[d]][count[pipe[d]]++] = d
    }
    pipeDealMemo.set(s, (lists = built))
  }
  return lists[pi]
}

/** Shorthand used by every family: is instant t inside the period? */
export function inPeriod(ps: PeriodScope, t: number): boolean {
  return t >= ps.period.start && t < ps.period.end
}

/** Pipelines the query covers: all, each apart, unless filtered. */
export function coveredPipes(scope: QueryScope): number[] {
  const ids = scope.q.categoryIds
  const pipes = scope.p.pipes
  return pipes.map((_, i) => i).filter((i) => !ids || ids.length === 0 || ids.includes(pipes[i].categoryId))
}
