/**
 * One string object per distinct value in the columns that repeat (stage ids, semantics, touch
 * kinds, sources, cities, currencies, …), in place.
 *
 * Why: the data reaches the Web Worker by structured clone, which writes every string anew — the
 * same "C1:NEW" or "call" becomes one heap string per row. At 100k deals that made the worker's
 * copy of the demo portal's data 386 MB instead of the 267 MB it weighs where it was normalised;
 * with this pass it is about 300 MB. Values do not change, only which string objects hold them.
 * Titles and names are left alone: they are mostly distinct.
 */
import type { CrmData } from './types'

export function internStrings(data: CrmData): CrmData {
  const pool = new Map<string, string>()
  const one = <T extends string | null | undefined>(s: T): T => {
    if (typeof s !== 'string') return s
    const hit = pool.get(s)
    if (hit !== undefined) return hit as T
    pool.set(s, s)
    return s
  }
  for (const events of [data.dealEvents, data.leadEvents])
    for (const e of events) {
      e.stageId = one(e.stageId)
      e.semantic = one(e.semantic)
    }
  for (const t of data.touches) {
    t.kind = one(t.kind)
    t.direction = one(t.direction)
    // Only where present: an absent field stays absent.
    if (t.callFailedCode !== undefined) t.callFailedCode = one(t.callFailedCode)
  }
  for (const d of data.deals) {
    d.stageId = one(d.stageId)
    d.semantic = one(d.semantic)
    d.currency = one(d.currency)
    d.sourceId = one(d.sourceId)
    d.utmSource = one(d.utmSource)
    d.cityId = one(d.cityId)
    d.lossReasonId = one(d.lossReasonId)
    if (d.expectedCloseDay !== undefined) d.expectedCloseDay = one(d.expectedCloseDay)
  }
  for (const l of data.leads) {
    l.statusId = one(l.statusId)
    l.semantic = one(l.semantic)
    l.currency = one(l.currency)
    l.sourceId = one(l.sourceId)
    l.utmSource = one(l.utmSource)
    l.cityId = one(l.cityId)
    if (l.lossReasonId !== undefined) l.lossReasonId = one(l.lossReasonId)
  }
  return data
}
