/**
 * Channel ROI (metrics.md "Channel ROI"), per source c and period P:
 * spend = manual budgets of c prorated by days (a budget month partly inside P counts
 * amount × overlap days / month days), converted to the report currency;
 * leads = leads of c created in P; deals = deals of c created in P; won / revenue = deals of c
 * won in P and their amount; conversion = won/leads (won/deals where c has no leads);
 * CPL = spend/leads; CPA = spend/won; ROI % = (revenue − spend)/spend × 100 — null where
 * spend (or the denominator) is 0.
 * Totals compare like with like: `total` sums only the channels with spend in the period (its
 * ROI is their revenue against their spend); the channels without spend are summed apart in
 * `withoutSpend` (no ROI). Adding every channel's revenue over the paid channels' spend would
 * show thousands of per cent.
 * "Won" here is won in the period (closed in a success stage inside P, whenever created); the
 * sources summary counts deals created in P and won by now.
 * City filter: budgets for the chosen cities count; all-city budgets (cityId null) cannot be
 * split by city, so with a city filter they are left out and their prorated sum is reported
 * in `unsplitSpend`.
 */
import type { PeriodScope, QueryScope } from './filters'
import { monthOverlap } from './periods'
import { round2, ratio2, rate } from './stats'
import type { WithChanges } from './changes'

export interface RoiRow extends WithChanges {
  sourceId: string
  name: string
  spend: number
  leads: number
  deals: number
  won: number
  revenue: number
  conversion: number | null
  cpl: number | null
  cpa: number | null
  /** Percent, two decimals. */
  roi: number | null
}

export interface RoiSection {
  rows: RoiRow[]
  /** The channels with spend in the period, summed (ROI over their own spend). */
  total: RoiRow
  /** The channels without spend, summed: revenue that no budget paid for (ROI undefined). */
  withoutSpend: RoiRow
  /** Spend of all-city budgets left out because of a city filter. */
  unsplitSpend: number
}

function finish(r: Omit<RoiRow, 'conversion' | 'cpl' | 'cpa' | 'roi'>): RoiRow {
  return {
    ...r,
    spend: round2(r.spend),
    revenue: round2(r.revenue),
    conversion: r.leads > 0 ? rate(r.won, r.leads) : rate(r.won, r.deals),
    cpl: r.spend ? ratio2(r.spend, r.leads) : null,
    cpa: r.spend ? ratio2(r.spend, r.won) : null,
    roi: r.spend ? ratio2((r.revenue - r.spend) * 100, r.spend) : null,
  }
}

export function roiSection(s: QueryScope, ps: PeriodScope): RoiSection {
  const p = s.p
  const dict = p.dims.source.dict
  const q = s.q
  const cityFilter = q.cityIds && q.cityIds.length ? new Set(q.cityIds) : null
  const sourceFilter = q.sourceIds && q.sourceIds.length ? new Set(q.sourceIds) : null
  const spend = new Map<string, number>()
  let unsplitSpend = 0
  for (const b of p.data.budgets) {
    if (sourceFilter && !sourceFilter.has(b.sourceId)) continue
    const o = monthOverlap(b.month, ps.fromDay, ps.toDay)
    if (!o || o.overlap === 0) continue
    const amount = (p.toReportCurrency(b.amount, b.currency) * o.overlap) / o.length
    if (cityFilter && b.cityId === null) {
      unsplitSpend += amount
      continue
    }
    if (cityFilter && !cityFilter.has(b.cityId!)) continue
    spend.set(b.sourceId, (spend.get(b.sourceId) ?? 0) + amount)
  }
  const K = dict.size
  const leads = new Int32Array(K),
    deals = new Int32Array(K),
    won = new Int32Array(K)
  const revenue = new Float64Array(K)
  for (let j = 0, list = ps.leads; j < list.length; j++) {
    const i = list[j]
    leads[p.leadDims.source[i]]++
  }
  const codes = p.dims.source.codes
  for (let j = 0, list = s.deals; j < list.length; j++) {
    const d = list[j]
    if (ps.cohort[d] === 1) deals[codes[d]]++
    if (s.dealMask[d] === 1 && ps.won[d] === 1) {
      won[codes[d]]++
      revenue[codes[d]] += p.amount[d]
    }
  }
  const keys = new Set<string>(spend.keys())
  for (let k = 0; k < K; k++) if (leads[k] || deals[k] || won[k]) keys.add(dict.keys[k])
  const rows: RoiRow[] = []
  const sum = (sourceId: string, name: string) => ({ sourceId, name, spend: 0, leads: 0, deals: 0, won: 0, revenue: 0 })
  const total = sum('total', 'Channels with spend')
  const unpaid = sum('withoutSpend', 'Channels without spend')
  for (const key of keys) {
    const k = dict.find(key)
    const raw = {
      sourceId: key,
      name: k >= 0 ? dict.names[k] : (p.data.sources.find((x) => x.id === key)?.name ?? key),
      spend: spend.get(key) ?? 0,
      leads: k >= 0 ? leads[k] : 0,
      deals: k >= 0 ? deals[k] : 0,
      won: k >= 0 ? won[k] : 0,
      revenue: k >= 0 ? revenue[k] : 0,
    }
    const into = raw.spend > 0 ? total : unpaid
    into.spend += raw.spend
    into.leads += raw.leads
    into.deals += raw.deals
    into.won += raw.won
    into.revenue += raw.revenue
    rows.push(finish(raw))
  }
  rows.sort((a, b) => b.spend - a.spend || b.revenue - a.revenue || a.sourceId.localeCompare(b.sourceId))
  return { rows, total: finish(total), withoutSpend: finish(unpaid), unsplitSpend: round2(unsplitSpend) }
}
