/**
 * Managers (metrics.md "Managers") and plan vs fact.
 *
 * Per responsible user: deals in work = open deals now (at `now`, whatever the period);
 * won / lost = deals closed in the period; conversion = won/(won+lost); plan = the manual
 * monthly plans prorated by days for months the period only partly covers; fact = won sum;
 * calls = call touches of the user in the period; time to first touch = mean over the user's
 * deals created in the period that have a touch.
 * Plans are per manager only: city and source filters narrow the fact, not the plan.
 */
import type { PeriodScope, QueryScope } from './filters'
import { monthOverlap, makeBuckets, bucketIndex } from './periods'
import { SEM_P } from './prepare'
import { firstTouchDelay } from './timing'
import { HOUR_MS, rate, ratio2, round2 } from './stats'
import type { WithChanges } from './changes'
import { callsByManager, noCalls, type ManagerCalls } from './calls'

export interface ManagerRow extends WithChanges {
  managerId: string
  name: string
  /** false for inactive (fired) users; deleted users are named "#id (deleted)". */
  active: boolean
  created: number
  inWork: { count: number; sum: number }
  won: { count: number; sum: number; mean: number | null }
  lost: number
  conversion: number | null
  plan: { amount: number; deals: number } | null
  /** fact (won sum) / plan amount. */
  planDone: number | null
  /** Calls of the period: all, incoming, outgoing, missed, share missed (calls.ts). */
  calls: ManagerCalls
  /** Hours. */
  meanTimeToFirstTouch: number | null
}

/**
 * Plan vs fact of one month (or the total). Like with like: `fact` counts only the deals won by
 * managers who have a plan for that month; what the others won is `unplannedFact` (shown apart).
 */
export interface PlanMonth {
  month: string
  plan: number
  planDeals: number
  fact: number
  factDeals: number
  done: number | null
  /** Managers with a plan for the month (the total: with a plan in any month of the period). */
  plannedManagers: number
  /** Won sum and count of managers without a plan for the month: not compared with any plan. */
  unplannedFact: number
  unplannedDeals: number
}

export interface PlanSection {
  months: PlanMonth[]
  total: PlanMonth
}

/** Manager codes (passing the manager filter) that have a plan for month "YYYY-MM". */
export function plannedManagers(s: QueryScope, month: string): Set<number> {
  const out = new Set<number>()
  for (const plan of s.p.data.plans) {
    const code = s.p.dims.manager.dict.find(String(plan.userId))
    if (plan.month === month && code >= 0 && s.managerAllowed[code] === 1) out.add(code)
  }
  return out
}

/** Prorated plan per manager code for the period. */
function proratedPlans(s: QueryScope, ps: PeriodScope): Map<number, { amount: number; deals: number }> {
  const p = s.p
  const out = new Map<number, { amount: number; deals: number }>()
  for (const plan of p.data.plans) {
    const code = p.dims.manager.dict.find(String(plan.userId))
    if (code < 0 || s.managerAllowed[code] !== 1) continue
    const o = monthOverlap(plan.month, ps.fromDay, ps.toDay)
    if (!o || o.overlap === 0) continue
    const share = o.overlap / o.length
    const cur = out.get(code) ?? { amount: 0, deals: 0 }
    cur.amount += p.toReportCurrency(plan.amount, plan.currency) * share
    cur.deals += plan.deals * share
    out.set(code, cur)
  }
  return out
}

export function isInWork(s: QueryScope, d: number): boolean {
  return s.dealMask[d] === 1 && s.p.semantic[d] === SEM_P && s.p.created[d] <= s.now
}

export function managersSection(s: QueryScope, ps: PeriodScope): ManagerRow[] {
  const p = s.p
  const dict = p.dims.manager.dict
  const codes = p.dims.manager.codes
  const K = dict.size
  const created = new Int32Array(K),
    inWork = new Int32Array(K),
    won = new Int32Array(K),
    lost = new Int32Array(K)
  const inWorkSum = new Float64Array(K),
    wonSum = new Float64Array(K),
    touchSum = new Float64Array(K)
  const touchN = new Int32Array(K)
  for (let j = 0, list = s.deals; j < list.length; j++) {
    const d = list[j]
    const k = codes[d]
    if (isInWork(s, d)) {
      inWork[k]++
      inWorkSum[k] += p.amount[d]
    }
    if (ps.won[d] === 1) {
      won[k]++
      wonSum[k] += p.amount[d]
    } else if (ps.lost[d] === 1) lost[k]++
    if (ps.cohort[d] === 1) {
      created[k]++
      const ms = firstTouchDelay(p, d)
      if (ms === ms) {
        touchSum[k] += ms
        touchN[k]++
      }
    }
  }
  const calls = callsByManager(s, ps)
  const plans = proratedPlans(s, ps)
  const users = new Map(p.data.users.map((u) => [String(u.id), u]))
  const rows: ManagerRow[] = []
  for (let k = 0; k < K; k++) {
    if (s.managerAllowed[k] !== 1) continue
    if (!created[k] && !inWork[k] && !won[k] && !lost[k] && !calls.has(k) && !plans.has(k)) continue
    const plan = plans.get(k)
    rows.push({
      managerId: dict.keys[k],
      name: dict.names[k],
      active: users.get(dict.keys[k])?.active ?? false,
      created: created[k],
      inWork: { count: inWork[k], sum: round2(inWorkSum[k]) },
      won: { count: won[k], sum: round2(wonSum[k]), mean: ratio2(wonSum[k], won[k]) },
      lost: lost[k],
      conversion: rate(won[k], won[k] + lost[k]),
      plan: plan ? { amount: round2(plan.amount), deals: round2(plan.deals) } : null,
      planDone: plan ? rate(wonSum[k], plan.amount) : null,
      calls: calls.get(k) ?? noCalls(),
      meanTimeToFirstTouch: touchN[k] ? round2(touchSum[k] / touchN[k] / HOUR_MS) : null,
    })
  }
  return rows.sort((a, b) => b.won.sum - a.won.sum || b.created - a.created || a.managerId.localeCompare(b.managerId))
}

export function planSection(s: QueryScope, ps: PeriodScope): PlanSection {
  const p = s.p
  const months = makeBuckets(p.tz, 'month', ps.fromDay, ps.toDay)
  const empty = (month: string): PlanMonth => ({
    month,
    plan: 0,
    planDeals: 0,
    fact: 0,
    factDeals: 0,
    done: null,
    plannedManagers: 0,
    unplannedFact: 0,
    unplannedDeals: 0,
  })
  const rows = months.labels.map(empty)
  const planned = months.labels.map(() => new Set<number>())
  for (const plan of p.data.plans) {
    const code = p.dims.manager.dict.find(String(plan.userId))
    if (code < 0 || s.managerAllowed[code] !== 1) continue
    const i = months.labels.indexOf(plan.month)
    if (i < 0) continue
    const o = monthOverlap(plan.month, ps.fromDay, ps.toDay)!
    planned[i].add(code)
    rows[i].plan += (p.toReportCurrency(plan.amount, plan.currency) * o.overlap) / o.length
    rows[i].planDeals += (plan.deals * o.overlap) / o.length
  }
  for (let j = 0, list = ps.closedDeals; j < list.length; j++) {
    const d = list[j]
    if (s.dealMask[d] !== 1 || ps.won[d] !== 1) continue
    const i = bucketIndex(months.edges, p.closedAt[d])
    if (planned[i].has(p.dims.manager.codes[d])) {
      rows[i].fact += p.amount[d]
      rows[i].factDeals++
    } else {
      rows[i].unplannedFact += p.amount[d]
      rows[i].unplannedDeals++
    }
  }
  rows.forEach((r, i) => (r.plannedManagers = planned[i].size))
  const total = empty('total')
  for (const r of rows) {
    total.plan += r.plan
    total.planDeals += r.planDeals
    total.fact += r.fact
    total.factDeals += r.factDeals
    total.unplannedFact += r.unplannedFact
    total.unplannedDeals += r.unplannedDeals
  }
  total.plannedManagers = new Set(planned.flatMap((set) => [...set])).size
  const fin = (r: PlanMonth): PlanMonth => ({
    ...r,
    plan: round2(r.plan),
    planDeals: round2(r.planDeals),
    fact: round2(r.fact),
    unplannedFact: round2(r.unplannedFact),
    done: rate(r.fact, r.plan),
  })
  return { months: rows.map(fin), total: fin(total) }
}
