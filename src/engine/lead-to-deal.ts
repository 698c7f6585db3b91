/**
 * Lead-to-deal funnel (metrics.md "Consultations"): leads created in the period (lead filters)
 * → converted → a deal with a booking → held → contract → won, following the deals' `LEAD_ID`.
 *
 * A lead counts once per step, at the furthest step any of its deals (passing the deal filters)
 * reached, whenever that happened — like the cohort funnel, so every step is within the one
 * before it. "Converted" is the lead's success status or at least one deal made from it.
 * Booked/held/contract are passes (actual or implied) into stages with that role; won is any
 * success stage reached. Splits by the lead's source, city and manager.
 */
import type { Dim } from './dims'
import { QueryError } from './errors'
import type { PeriodScope, QueryScope } from './filters'
import { leadInPeriod } from './lead-in-period'
import { leadLinks } from './lead-links'
import { BOOKED, CONTRACT, HELD, passRole, roleTable, type RoleTable } from './consultation-roles'
import { SEM_S, type Prepared } from './prepare'
import { rate } from './stats'
import type { WithChanges } from './changes'

export const LEAD_STEPS = ['leads', 'converted', 'booked', 'held', 'contract', 'won'] as const
export type LeadStep = (typeof LEAD_STEPS)[number]

export type LeadToDealCounts = Record<LeadStep, number> & {
  /** won / leads. */
  overall: number | null
}

export interface LeadToDealSection extends LeadToDealCounts, WithChanges {
  /** Each step over the one before it (converted/leads, booked/converted, …). */
  conversion: Record<Exclude<LeadStep, 'leads'>, number | null>
  splits: Partial<Record<'source' | 'city' | 'manager', (LeadToDealCounts & { key: string; name: string })[]>>
}

const SPLITS = ['source', 'city', 'manager'] as const

/** A deal's furthest step: 2 booked, 3 held, 4 contract, 5 won; 1 when it reached none of them. */
export function dealStep(p: Prepared, roles: RoleTable, d: number): number {
  let bits = 0
  for (let i = p.passStart[d], e = p.passStart[d + 1]; i < e; i++) bits |= passRole(p, roles, d, i)
  if (p.successAt[d] === p.successAt[d]) return 5
  if (bits & CONTRACT) return 4
  if (bits & HELD) return 3
  if (bits & BOOKED) return 2
  return 1
}

/** Furthest step of lead i (0 created, 1 converted, … 5 won) over its deals that pass the filters. */
export function leadStep(s: QueryScope, roles: RoleTable, i: number): number {
  const p = s.p
  const links = leadLinks(p)
  let step = p.leadSemantic[i] === SEM_S ? 1 : 0
  for (let k = links.start[i]; k < links.start[i + 1]; k++) {
    const d = links.deals[k]
    if (s.dealMask[d] === 1) step = Math.max(step, dealStep(p, roles, d))
  }
  return step
}

function counts(steps: Int32Array): LeadToDealCounts {
  // steps[k] = leads whose furthest step is k; a step's count is everyone at it or beyond.
  const at = (k: number) => steps.slice(k).reduce((a, b) => a + b, 0)
  const c = Object.fromEntries(LEAD_STEPS.map((name, k) => [name, at(k)])) as Record<LeadStep, number>
  return { ...c, overall: rate(c.won, c.leads) }
}

export function leadToDealSection(s: QueryScope, ps: PeriodScope): LeadToDealSection {
  const p = s.p
  const roles = roleTable(p)
  const total = new Int32Array(LEAD_STEPS.length)
  const per = SPLITS.map((dim) => new Int32Array(p.dims[dim].dict.size * LEAD_STEPS.length))
  for (let j = 0, list = ps.leads; j < list.length; j++) {
    const i = list[j]
    const step = leadStep(s, roles, i)
    total[step]++
    SPLITS.forEach((dim, j) => per[j][p.leadDims[dim][i] * LEAD_STEPS.length + step]++)
  }
  const c = counts(total)
  const splits: LeadToDealSection['splits'] = {}
  SPLITS.forEach((dim: Dim & (typeof SPLITS)[number], j) => {
    const dict = p.dims[dim].dict
    const rows = []
    for (let k = 0; k < dict.size; k++) {
      const row = counts(per[j].subarray(k * LEAD_STEPS.length, (k + 1) * LEAD_STEPS.length))
      if (row.leads > 0) rows.push({ key: dict.keys[k], name: dict.names[k], ...row })
    }
    splits[dim] = rows.sort((a, b) => b.leads - a.leads || a.key.localeCompare(b.key))
  })
  return {
    ...c,
    conversion: {
      converted: rate(c.converted, c.leads),
      booked: rate(c.booked, c.converted),
      held: rate(c.held, c.booked),
      contract: rate(c.contract, c.held),
      won: rate(c.won, c.contract),
    },
    splits,
  }
}

/** The deals behind a step: deals (passing the filters) of leads of the period at that step or beyond, that themselves got there. */
export function leadToDealPredicate(s: QueryScope, ps: PeriodScope, step: LeadStep): (d: number) => boolean {
  const p = s.p
  const roles = roleTable(p)
  const links = leadLinks(p)
  const k = LEAD_STEPS.indexOf(step)
  if (k < 0) throw new QueryError('BAD_DRILL', `leadToDeal step must be one of ${LEAD_STEPS.join(', ')}`)
  return (d) => {
    const li = links.leadOf[d]
    if (li < 0 || s.dealMask[d] !== 1 || !leadInPeriod(s, ps, li)) return false
    return k <= 1 || dealStep(p, roles, d) >= k
  }
}
