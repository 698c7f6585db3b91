/**
 * Lead funnel (metrics.md "Leads"): leads created in the period — total, active (P), converted
 * (S), junk (F), loss % = junk/total, conversion % = converted/total; per manager and per source.
 */
import type { PeriodScope, QueryScope } from './filters'
import { SEM_F, SEM_P, SEM_S } from './prepare'
import { rate } from './stats'
import type { WithChanges } from './changes'
import { leadProcessingSection, type LeadProcessing } from './lead-processing'

export interface LeadCounts extends WithChanges {
  total: number
  active: number
  converted: number
  junk: number
  lossRate: number | null
  conversionRate: number | null
}

export interface LeadRow extends LeadCounts {
  key: string
  name: string
}

export interface LeadsSection extends LeadCounts {
  /** Leads of the period by their current status, in status order. */
  byStatus: { id: string; name: string; semantic: string; count: number }[]
  byManager: LeadRow[]
  bySource: LeadRow[]
  /** Time from creation to the first touch or status change (lead-processing.ts). */
  processing: LeadProcessing
}

function counts(total: number, active: number, converted: number, junk: number): LeadCounts {
  return { total, active, converted, junk, lossRate: rate(junk, total), conversionRate: rate(converted, total) }
}

function grouped(s: QueryScope, ps: PeriodScope, dim: 'manager' | 'source'): LeadRow[] {
  const p = s.p
  const codes = p.leadDims[dim]
  const dict = p.dims[dim].dict
  const K = dict.size
  const by = [new Int32Array(K), new Int32Array(K), new Int32Array(K), new Int32Array(K)]
  for (let j = 0, list = ps.leads; j < list.length; j++) {
    const i = list[j]
    by[0][codes[i]]++
    by[1 + p.leadSemantic[i]][codes[i]]++
  }
  const rows: LeadRow[] = []
  for (let k = 0; k < K; k++) {
    if (by[0][k] === 0) continue
    rows.push({
      key: dict.keys[k],
      name: dict.names[k],
      ...counts(by[0][k], by[1 + SEM_P][k], by[1 + SEM_S][k], by[1 + SEM_F][k]),
    })
  }
  return rows.sort((a, b) => b.total - a.total || a.key.localeCompare(b.key))
}

export function leadsSection(s: QueryScope, ps: PeriodScope): LeadsSection {
  const p = s.p
  const leads = p.data.leads
  const bySem = [0, 0, 0]
  const byStatus = new Map<string, number>()
  let total = 0
  for (let j = 0, list = ps.leads; j < list.length; j++) {
    const i = list[j]
    total++
    bySem[p.leadSemantic[i]]++
    byStatus.set(leads[i].statusId, (byStatus.get(leads[i].statusId) ?? 0) + 1)
  }
  const statuses = [...p.data.leadStatuses].sort((a, b) => a.sort - b.sort)
  const known = new Set(statuses.map((x) => x.id))
  return {
    ...counts(total, bySem[SEM_P], bySem[SEM_S], bySem[SEM_F]),
    byStatus: [
      ...statuses.map((x) => ({ id: x.id, name: x.name, semantic: x.semantic, count: byStatus.get(x.id) ?? 0 })),
      ...[...byStatus].filter(([id]) => !known.has(id)).map(([id, count]) => ({ id, name: id, semantic: '?', count })),
    ],
    byManager: grouped(s, ps, 'manager'),
    bySource: grouped(s, ps, 'source'),
    processing: leadProcessingSection(s, ps),
  }
}
