/**
 * Deals ↔ their source leads, following the deal's `LEAD_ID` (memoised per data load): the lead
 * index of each deal, and each lead's deals (CSR). A deal whose lead is not in the data has none.
 */
import type { Prepared } from './prepare'
import { carryOnUpdate, changedDeals, sameDealOrder, untouched } from './carry'

export interface LeadLinks {
  /** Lead index per deal, -1 when the deal has no known lead. */
  leadOf: Int32Array
  /** Lead i's deals are deals[start[i] .. start[i+1]-1], in deal order. */
  start: Int32Array
  deals: Int32Array
}

const cache = new WeakMap<Prepared, LeadLinks>()

export function leadLinks(p: Prepared): LeadLinks {
  const hit = cache.get(p)
  if (hit) return hit
  const leads = p.data.leads
  const byId = new Map<number, number>()
  leads.forEach((l, i) => {
    if (!byId.has(l.id)) byId.set(l.id, i)
  })
  const leadOf = new Int32Array(p.n).fill(-1)
  const start = new Int32Array(leads.length + 1)
  p.data.deals.forEach((d, i) => {
    const li = d.leadId === null ? undefined : byId.get(d.leadId)
    if (li === undefined) return
    leadOf[i] = li
    start[li + 1]++
  })
  for (let i = 0; i < leads.length; i++) start[i + 1] += start[i]
  const fill = start.slice(0, leads.length)
  const deals = new Int32Array(start[leads.length])
  for (let d = 0; d < p.n; d++) if (leadOf[d] >= 0) deals[fill[leadOf[d]]++] = d
  const links = { leadOf, start, deals }
  cache.set(p, links)
  return links
}

/** Carried when leads are untouched and deals keep their order and their leads. */
carryOnUpdate((update) => {
  const old = cache.get(update.prev)
  if (!old || !untouched(update.patch.leads) || !sameDealOrder(update)) return
  if (changedDeals(update).every(({ was, now }) => was.leadId === now.leadId)) cache.set(update.next, old)
})

/** When the contacts arrived: the source lead's creation when the deal came from a lead, else the deal's. */
export function contactsArrivedAt(p: Prepared, links: LeadLinks, d: number): number {
  const li = links.leadOf[d]
  const t = li >= 0 ? p.leadCreated[li] : NaN
  return t === t ? t : p.created[d]
}
