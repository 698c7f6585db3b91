/**
 * Churn by stage (metrics.md "Churn by stage"): lost_at(s)/reached(s), cohort and flow, per
 * pipeline, split by source, city, manager and loss reason (and the query's breakdown).
 *
 * Flow churn divides deals lost in the period by deals that entered the stage in the period,
 * so it can exceed 1 (`exceedsOne` says so). For the loss-reason split the denominator stays the
 * stage's whole reached/entered count: open and won deals have no loss reason, so a per-reason
 * denominator would mean nothing; the reason rows then add up to the stage's churn.
 */
import type { Dim } from './dims'
import { coveredPipes, type PeriodScope, type QueryScope } from './filters'
import { stageCounts, type StageCounts } from './stage-counts'
import type { PipeInfo } from './prepare'
import { rate } from './stats'
import type { WithChanges } from './changes'

export interface ChurnRow extends WithChanges {
  name: string
  /** Cohort: reached(s). Flow: entered(s) in the period. */
  reached: number
  lostAt: number
  churn: number | null
  /** Flow only: churn above 1 (more deals lost at s in the period than entered it). */
  exceedsOne?: boolean
  /** Present on a branch stage (metrics.md "Branch stages"): reached only by an actual entry. */
  branch?: true
}

export interface ChurnSplitRow {
  key: string
  name: string
  cohort: Record<string, ChurnRow>
  flow: Record<string, ChurnRow>
}

export interface PipelineChurn {
  categoryId: number
  name: string
  /** Process stages in funnel order (a loss stage is always a process stage). */
  order: string[]
  cohortSize: number
  cohort: Record<string, ChurnRow>
  flow: Record<string, ChurnRow>
  /** True when any flow churn figure exceeds 1 (show the caveat). */
  flowExceedsOne: boolean
  lost: { cohort: number; flow: number }
  splits: Partial<Record<Dim, ChurnSplitRow[]>>
}

export type ChurnSection = PipelineChurn[]

export const CHURN_SPLITS: Dim[] = ['source', 'city', 'manager', 'lossReason']

function rows(
  pl: PipeInfo,
  c: StageCounts,
  k: number,
  stride: number,
  flow: boolean,
  den?: StageCounts,
): Record<string, ChurnRow> {
  const out: Record<string, ChurnRow> = {}
  for (let st = 0; st < pl.processCount; st++) {
    const reached = (den ?? c).reached[(den ? 0 : k) * stride + st]
    const lostAt = c.lostAt[k * stride + st]
    const churn = rate(lostAt, reached)
    out[pl.stageIds[st]] = { name: pl.stageNames[st], reached, lostAt, churn }
    if (flow) out[pl.stageIds[st]].exceedsOne = churn !== null && churn > 1
    if (pl.branch[st]) out[pl.stageIds[st]].branch = true
  }
  return out
}

function sumLost(c: StageCounts, k: number, stride: number, processCount: number): number {
  let n = 0
  for (let st = 0; st < processCount; st++) n += c.lostAt[k * stride + st]
  return n
}

export function churnSection(s: QueryScope, ps: PeriodScope): ChurnSection {
  const p = s.p
  const S = p.stride
  const dims = [...CHURN_SPLITS]
  if (s.q.breakdown && !dims.includes(s.q.breakdown) && s.q.breakdown !== 'pipeline') dims.push(s.q.breakdown)
  return coveredPipes(s).map((pi) => {
    const pl = p.pipes[pi]
    const [cohort, ...cohortSplits] = stageCounts(s, ps, pi, 'cohort', [null, ...dims])
    const [flow, ...flowSplits] = stageCounts(s, ps, pi, 'flow', [null, ...dims])
    const flowRows = rows(pl, flow, 0, S, true)
    const splits: Partial<Record<Dim, ChurnSplitRow[]>> = {}
    dims.forEach((dim, di) => {
      const col = p.dims[dim]
      const n = col.dict.size
      const cc = cohortSplits[di]
      const fc = flowSplits[di]
      const shared = dim === 'lossReason'
      const list: ChurnSplitRow[] = []
      for (let k = 0; k < n; k++) {
        if (cc.size[k] === 0 && fc.size[k] === 0 && sumLost(fc, k, S, pl.processCount) === 0) continue
        list.push({
          key: col.dict.keys[k],
          name: col.dict.names[k],
          cohort: rows(pl, cc, k, S, false, shared ? cohort : undefined),
          flow: rows(pl, fc, k, S, true, shared ? flow : undefined),
        })
      }
      list.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
      if (shared) {
        const lost = (r: ChurnSplitRow) => Object.values(r.cohort).reduce((a, x) => a + x.lostAt, 0)
        splits[dim] = list.filter((r) => lost(r) > 0 || Object.values(r.flow).some((x) => x.lostAt > 0))
      } else splits[dim] = list
    })
    return {
      categoryId: pl.categoryId,
      name: pl.name,
      order: pl.stageIds.slice(0, pl.processCount),
      cohortSize: cohort.size[0],
      cohort: rows(pl, cohort, 0, S, false),
      flow: flowRows,
      flowExceedsOne: Object.values(flowRows).some((r) => r.exceedsOne),
      lost: { cohort: sumLost(cohort, 0, S, pl.processCount), flow: sumLost(flow, 0, S, pl.processCount) },
      splits,
    }
  })
}
