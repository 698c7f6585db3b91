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

function channel(scope: QueryScope, period: PeriodScope, dim: 'source' | 'utmSource'): ChannelSection {
  const prepared = scope.p
  const col = prepared.dims[dim]
  const leadCodes = prepared.leadDims[dim]
  const keyCount = col.dict.size
  const leads = new Int32Array(keyCount)
  const deals = new Int32Array(keyCount)
  const won = new Int32Array(keyCount)
  const revenue = new Float64Array(keyCount)
  for (let k = 0, list = period.leads; k < list.length; k++) {
    const lead = list[k]
    leads[leadCodes[lead]]++
  }
  for (let k = 0, list = period.cohortDeals; k < list.length; k++) {
    const deal = list[k]
    const key = col.codes[deal]
    deals[key]++
    if (prepared.semantic[deal] === SEM_S) {
      won[key]++
      revenue[key] += prepared.amount[deal]
    }
  }
  const spellings = dim === 'utmSource' ? rawSpellings(scope, period, keyCount) : null
  const summary: SourceSummaryRow[] = []
  for (let key = 0; key < keyCount; key++) {
    if (leads[key] === 0 && deals[key] === 0) continue
    summary.push({
      key: col.dict.keys[key],
      name: col.dict.names[key],
      leads: leads[key],
      deals: deals[key],
      won: won[key],
      revenue: round2(revenue[key]),
      conversion: rate(won[key], deals[key]),
      ...(spellings ? { spellings: [...spellings[key]].sort() } : {}),
    })
  }
  summary.sort((a, b) => b.deals - a.deals || b.leads - a.leads || a.key.localeCompare(b.key))
  const matrix = coveredPipes(scope).map((pipeIndex) => {
    const pipeline = prepared.pipes[pipeIndex]
    const counts = cohortCounts(scope, period, pipeIndex, dim)
    const rows: SourceMatrix['rows'] = []
    for (let key = 0; key < keyCount; key++) {
      if (counts.size[key] === 0) continue
      const stages: Record<string, SourceMatrixCell> = {}
      pipeline.stageIds.forEach((id, stage) => {
        const reached = counts.reached[key * prepared.stride + stage]
        stages[id] = { reached, share: rate(reached, counts.size[key]) }
      })
      rows.push({ key: col.dict.keys[key], name: col.dict.names[key], size: counts.size[key], stages })
    }
    rows.sort((a, b) => b.size - a.size || a.key.localeCompare(b.key))
    return { categoryId: pipeline.categoryId, name: pipeline.name, order: [...pipeline.stageIds], rows }
  })
  return { summary, matrix }
}

/** Per UTM channel code, the raw values of its leads and deals of the period. */
function rawSpellings(scope: QueryScope, period: PeriodScope, keyCount: number): Set<string>[] {
  const prepared = scope.p
  const out = Array.from({ length: keyCount }, () => new Set<string>())
  const add = (code: number, raw: string | null) => {
    if (raw !== null && raw.trim() !== '') out[code].add(raw)
  }
  for (let k = 0, list = period.leads; k < list.length; k++) {
    const lead = list[k]
    add(prepared.leadDims.utmSource[lead], prepared.data.leads[lead].utmSource)
  }
  for (let k = 0, list = period.cohortDeals; k < list.length; k++) {
    const deal = list[k]
    add(prepared.dims.utmSource.codes[deal], prepared.data.deals[deal].utmSource)
  }
  return out
}

export function sourcesSection(scope: QueryScope, period: PeriodScope): SourcesSection {
  return { ...channel(scope, period, 'source'), utm: channel(scope, period, 'utmSource') }
}
