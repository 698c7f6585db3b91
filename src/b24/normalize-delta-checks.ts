/**
 * Whether a delta may be spliced into the cached data at all (normalize-delta.ts), or the whole
 * dump must be normalised: `spliceable` looks at the delta before any row is read, `SpliceGuard`
 * watches its rows as they are read. The city list has checks of its own (normalize-delta-cities.ts).
 */
import type { PortalDump } from './wire'
import type { Context, NormalizedCrmData } from './normalize'
import { numericKey, type RowChange, type WireRow } from './dump-after'
import type { TableName } from './tables'

/** A warm reopen's delta: rows upserted and deleted, dictionaries replaced. */
export interface WireDelta extends RowChange {
  replace?: Partial<Record<TableName, WireRow[]>>
}

/** Tables a delta may touch here; anything else (dictionaries) means a full normalisation. */
const ROW_TABLES = new Set<TableName>(['deals', 'leads', 'dealHistory', 'leadHistory', 'activities', 'calls', 'tasks'])

/** Past this many rows the splicing saves little over a whole normalisation with the row memo. */
export function deltaLimit(deals: number): number {
  return Math.max(200, Math.floor(deals * 0.05))
}

/** No dictionary replaced, the portal facts as they were, few row changes with plain ids. */
export function spliceable(
  before: PortalDump,
  data: NormalizedCrmData,
  change: WireDelta,
  portal: PortalDump['portal'],
): boolean {
  if (Object.keys(change.replace ?? {}).length > 0) return false
  if (JSON.stringify(portal ?? null) !== JSON.stringify(before.portal ?? null)) return false
  // Rows left out whole (not a row, not a list) shift nothing we could follow: normalise afresh.
  if (data.problems.some((p) => p.kind === 'not a row' || p.kind === 'not a list')) return false
  return fewRowChanges(change, data.deals.length) && plainIds(change)
}

/** Row tables only, and no more rows than deltaLimit. */
function fewRowChanges(change: RowChange, deals: number): boolean {
  let rows = 0
  for (const part of [change.upserts ?? {}, change.deletes ?? {}])
    for (const [t, list] of Object.entries(part) as [TableName, unknown[]][]) {
      if (list.length === 0) continue
      if (!ROW_TABLES.has(t)) return false
      rows += list.length
    }
  return rows <= deltaLimit(deals)
}

/** Each upserted row an object with a plain decimal id, each deleted key one (DumpAfter reads no other). */
function plainIds(change: RowChange): boolean {
  for (const [t, list] of Object.entries(change.upserts ?? {}) as [TableName, WireRow[]][])
    for (const r of list)
      if (typeof r !== 'object' || r === null || Array.isArray(r) || !(numericKey(t, r) >= 0)) return false
  for (const list of Object.values(change.deletes ?? {}))
    for (const k of list ?? []) if (String(Number(k)) !== k || !(Number(k) >= 0)) return false
  return true
}

/**
 * What rules the splice out while the delta's rows are read: a row that had a data problem when
 * the cached dump was normalised (the problem list keeps its order), a new problem, or a free-text
 * loss reason read or left behind (its spelling counts name it, so the reason list may change).
 */
export class SpliceGuard {
  private failed = false
  /** Rows that logged a problem when the cached dump was normalised: "table:id". */
  private readonly hadProblem: Set<string>
  private readonly reasonItems: { deal: number; lead: number }

  /** `ctx`: the context the delta's new rows are normalised in, before any is. */
  constructor(
    problems: NormalizedCrmData['problems'],
    private readonly ctx: Context,
  ) {
    this.hadProblem = new Set(problems.map((p) => `${p.table}:${p.rowId}`))
    this.reasonItems = { deal: ctx.dealReasons.items().length, lead: ctx.leadReasons.items().length }
  }

  /** A row to normalise again: one that had a problem before cannot be spliced. */
  again(table: string, id: number): void {
    if (this.hadProblem.has(`${table}:${id}`)) this.failed = true
  }

  /** A row that goes or changes and had a free-text reason: its spelling counts change. */
  oldReason(reason: string | null | undefined, kind: 'deal' | 'lead'): void {
    if (reason === null || reason === undefined) return
    const reader = kind === 'deal' ? this.ctx.dealReasons : this.ctx.leadReasons
    if (!reader.items().some((i) => i.id === reason)) this.failed = true
  }

  /** With every row read: whether only a whole normalisation gives the result exactly. */
  ruledOut(): boolean {
    return this.failed || this.ctx.log.items.length > 0 || this.readFreeText()
  }

  /** A free-text loss reason read (old or new row): its spelling counts name it, so the list may change. */
  private readFreeText(): boolean {
    return (
      this.ctx.dealReasons.items().length !== this.reasonItems.deal ||
      this.ctx.leadReasons.items().length !== this.reasonItems.lead
    )
  }
}
