/**
 * One string object per distinct value in the columns that repeat (stage ids, semantics, touch
 * kinds, sources, cities, currencies, …), in place.
 *
 * Why: the data reaches the Web Worker by structured clone, which writes every string anew — the
 * same "C1:NEW" or "call" becomes one heap string per row. At 100k deals that made the worker's
 * copy of the demo portal's data 386 MB instead of the 267 MB it weighs where it was normalised;
 * with this pass it is about 300 MB. Values do not change, only which string objects hold them.
 * Titles and names are left alone: they are mostly distinct.
 *
 * The worker receives the data table by table, in slices (load-slices.ts): each slice is interned
 * as it arrives (`internRows`, one pool for the whole load), so its copies can be collected before
 * the next slice comes.
 */
import type { CrmData, Deal, Lead, StageEvent, Touch } from './types'

/** Hands back the pool's string object for a value (the first one seen becomes it). */
export type Interner = <T extends string | null | undefined>(s: T) => T

export function interner(): Interner {
  const pool = new Map<string, string>()
  return <T extends string | null | undefined>(s: T): T => {
    if (typeof s !== 'string') return s
    const hit = pool.get(s)
    if (hit !== undefined) return hit as T
    pool.set(s, s)
    return s
  }
}

function internEvents(events: readonly StageEvent[], one: Interner): void {
  for (const e of events) {
    e.stageId = one(e.stageId)
    e.semantic = one(e.semantic)
  }
}

function internTouches(touches: readonly Touch[], one: Interner): void {
  for (const t of touches) {
    t.kind = one(t.kind)
    t.direction = one(t.direction)
    // Only where present: an absent field stays absent.
    if (t.callFailedCode !== undefined) t.callFailedCode = one(t.callFailedCode)
  }
}

function internDeals(deals: readonly Deal[], one: Interner): void {
  for (const d of deals) {
    d.stageId = one(d.stageId)
    d.semantic = one(d.semantic)
    d.currency = one(d.currency)
    d.sourceId = one(d.sourceId)
    d.utmSource = one(d.utmSource)
    d.cityId = one(d.cityId)
    d.lossReasonId = one(d.lossReasonId)
    if (d.expectedCloseDay !== undefined) d.expectedCloseDay = one(d.expectedCloseDay)
  }
}

function internLeads(leads: readonly Lead[], one: Interner): void {
  for (const l of leads) {
    l.statusId = one(l.statusId)
    l.semantic = one(l.semantic)
    l.currency = one(l.currency)
    l.sourceId = one(l.sourceId)
    l.utmSource = one(l.utmSource)
    l.cityId = one(l.cityId)
    if (l.lossReasonId !== undefined) l.lossReasonId = one(l.lossReasonId)
  }
}

/** The row tables with repeating columns; the others are small. */
const INTERNED = {
  dealEvents: internEvents,
  leadEvents: internEvents,
  touches: internTouches,
  deals: internDeals,
  leads: internLeads,
} as const

/** Interns the rows of one table (or a slice of it); tables without repeating columns are left alone. */
export function internRows(table: keyof CrmData, rows: readonly unknown[], one: Interner): void {
  const intern = (INTERNED as Partial<Record<keyof CrmData, (rows: readonly never[], one: Interner) => void>>)[table]
  intern?.(rows as never[], one)
}

export function internStrings(data: CrmData): CrmData {
  const one = interner()
  for (const table of Object.keys(INTERNED) as (keyof typeof INTERNED)[]) internRows(table, data[table], one)
  return data
}
