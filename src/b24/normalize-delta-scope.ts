/**
 * What one delta's normalisation (normalize-delta.ts) works with: the cached dump and data, the
 * dump as the delta leaves it, and two contexts over the cached dump's dictionaries — one for the
 * rows after the delta, whose problems rule the splice out, and a scratch one for the rows as they
 * were, whose problems were logged with the cached data already.
 */
import type { PortalDump } from './wire'
import type { Probe } from '../engine/patch-splice'
import { normalizeContext, type Context, type NormalizedCrmData, type NormalizeSettings } from './normalize'
import { ProblemLog } from './normalize-problems'
import type { DumpAfter, WireRow } from './dump-after'
import type { TableName } from './tables'
import { SpliceGuard } from './normalize-delta-checks'

export interface DeltaScope {
  readonly before: PortalDump
  /** `dumpToCrmData(before, settings)`: the cached data the delta is spliced into. */
  readonly data: NormalizedCrmData
  readonly view: DumpAfter
  /** For rows after the delta: its log must stay empty. */
  readonly ctx: Context
  /** For rows as they were before the delta: a log thrown away. */
  readonly scratch: Context
  /** Department names by id, for fallback cities (`dep:<id>`). */
  readonly departments: Map<number, string>
  readonly guard: SpliceGuard
}

export function deltaScope(
  before: PortalDump,
  data: NormalizedCrmData,
  view: DumpAfter,
  settings: NormalizeSettings | undefined,
): DeltaScope {
  // Dictionary problems were logged with the cached data: a log of their own, thrown away.
  const { ctx: cached, departments } = normalizeContext(before, settings, new ProblemLog())
  const ctx = { ...cached, log: new ProblemLog() }
  return {
    before,
    data,
    view,
    ctx,
    scratch: { ...cached, log: new ProblemLog() },
    departments: new Map(departments.map((d) => [d.id, d.name])),
    guard: new SpliceGuard(data.problems, ctx),
  }
}

/** Rows to splice into a table sorted by time: the new ones, and where the old ones stood. */
export interface TimedRows<T> {
  put: T[]
  gone: Probe[]
}

/**
 * A touched row normalised again (`read`), as it was before the delta (its old place goes) and as
 * it is after (put in); `after` tells them apart. Returns the row after the delta, if any.
 */
export function reread<T extends Probe>(
  scope: DeltaScope,
  table: TableName,
  id: number,
  into: TimedRows<T>,
  read: (row: WireRow, ctx: Context, after: boolean) => T | null,
): T | null {
  scope.guard.again(table, id)
  const was = scope.view.old(table, id)
  const old = was ? read(was, scope.scratch, false) : null
  if (old) into.gone.push(old)
  const row = scope.view.now(table, id)
  const now = row ? read(row, scope.ctx, true) : null
  if (now) into.put.push(now)
  return now
}

/** Binary search in rows sorted by id (the cached deals and leads). */
export function findById<T extends { id: number }>(rows: readonly T[], id: number): T | undefined {
  let lo = 0
  let hi = rows.length - 1
  while (lo <= hi) {
    const mid = (lo + hi) >> 1
    if (rows[mid].id === id) return rows[mid]
    if (rows[mid].id < id) lo = mid + 1
    else hi = mid - 1
  }
  return undefined
}
