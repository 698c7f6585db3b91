/**
 * Sources and channels (metrics.md "Sources and channels"): a per-source summary of the cohort
 * and the source × stage matrix of reached(s) and reached(s)/cohort size of that source; the
 * same for the UTM source as a second channel dimension.
 */
import { coveredPipes, type PeriodScope, type QueryScope } from './filters'
import { cohortCounts } from './stage-counts'
import { SEM_S } from './prepare'
import { rate, round2 } from './stats'
import type { WithChanges } from './changes'

export interface SourceSummaryRow extends WithChanges {
  key: string
  name: string
  leads: number
  /** Deals created in the period (the cohort). */
  deals: number
  /** Deals of the cohort now won, and their amount (report currency). */
  won: number
  revenue: number
  /** won/deals of the cohort. */
  conversion: number | null
  /** UTM channels only: the raw utm_source spellings merged into the row (its leads and deals). */
  spellings?: string[]
}

export interface SourceMatrixCell {
  reached: number
  /** reached(s)/cohort size of the source. */
  share: number | null
}

export interface SourceMatrix {
  categoryId: number
  name: string
  order: string[]
  rows: { key: string; name: string; size: number; stages: Record<string, SourceMatrixCell> }[]
}

export interface ChannelSection {
  summary: SourceSummaryRow[]
  matrix: SourceMatrix[]
}

export interface SourcesSection extends ChannelSection {
  utm: ChannelSection
}

function channel(s: QueryScope, ps: PeriodScope, dim: 'source' | 'utmSource'): ChannelSection {
  const p = s.p
  const col = p.dims[dim]
  const leadCodes = p.leadDims[dim]
  const K = col.dict.size
  const leads = new Int32Array(K)
  const deals = new Int32Array(K)
  const won = new Int32Array(K)
  const revenue = new Float64Array(K)
  for (let i = 0; i < leadCodes.length; i++) {
    const t = p.leadCreated[i]
    if (s.leadMask[i] === 1 && t >= ps.period.start && t < ps.period.end) leads[leadCodes[i]]++
  }
  for (let d = 0; d < p.n; d++) {
    if (ps.cohort[d] !== 1) continue
    const k = col.codes[d]
    deals[k]++
    if (p.semantic[d] === SEM_S) {
      won[k]++
      revenue[k] += p.amount[d]
    }
  }
  const spellings = dim === 'utmSource' ? rawSpellings(s, ps, K) : null
  const summary: SourceSummaryRow[] = []
  for (let k = 0; k < K; k++) {
    if (leads[k] === 0 && deals[k] === 0) continue
    summary.push({
      key: col.dict.keys[k],
      name: col.dict.names[k],
      leads: leads[k],
      deals: deals[k],
      won: won[k],
      revenue: round2(revenue[k]),
      conversion: rate(won[k], deals[k]),
      ...(spellings ? { spellings: [...spellings[k]].sort() } : {}),
    })
  }
  summary.sort((a, b) => b.deals - a.deals || b.leads - a.leads || a.key.localeCompare(b.key))
  const matrix = coveredPipes(s).map((pi) => {
    const pl = p.pipes[pi]
    const c = cohortCounts(s, ps, pi, dim)
    const rows: SourceMatrix['rows'] = []
    for (let k = 0; k < K; k++) {
      if (c.size[k] === 0) continue
      const stages: Record<string, SourceMatrixCell> = {}
      pl.stageIds.forEach((id, st) => {
        const reached = c.reached[k * p.stride + st]
        stages[id] = { reached, share: rate(reached, c.size[k]) }
      })
      rows.push({ key: col.dict.keys[k], name: col.dict.names[k], size: c.size[k], stages })
    }
    rows.sort((a, b) => b.size - a.size || a.key.localeCompare(b.key))
    return { categoryId: pl.categoryId, name: pl.name, order: [...pl.stageIds], rows }
  })
  return { summary, matrix }
}

/** Per UTM channel code, the raw values of its leads and deals of the period. */
function rawSpellings(s: QueryScope, ps: PeriodScope, K: number): Set<string>[] {
  const p = s.p
  const out = Array.from({ length: K }, () => new Set<string>())
  const add = (code: number, raw: string | null) => {
    if (raw !== null && raw.trim() !== '') out[code].add(raw)
  }
  for (let i = 0; i < p.leadCreated.length; i++) {
    const t = p.leadCreated[i]
    if (s.leadMask[i] === 1 && t >= ps.period.start && t < ps.period.end)
      add(p.leadDims.utmSource[i], p.data.leads[i].utmSource)
  }
  for (let d = 0; d < p.n; d++) if (ps.cohort[d] === 1) add(p.dims.utmSource.codes[d], p.data.deals[d].utmSource)
  return out
}

export function sourcesSection(s: QueryScope, ps: PeriodScope): SourcesSection {
  return { ...channel(s, ps, 'source'), utm: channel(s, ps, 'utmSource') }
}
