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

/**
 * Churn rows of one key's counts (key 0 of the total). `denominator`, when given, supplies the
 * reached counts from its total instead (the loss-reason split, see above).
 */
function rows(
  pipeline: PipeInfo,
  counts: StageCounts,
  key: number,
  stride: number,
  flow: boolean,
  denominator?: StageCounts,
): Record<string, ChurnRow> {
  const out: Record<string, ChurnRow> = {}
  for (let stage = 0; stage < pipeline.processCount; stage++) {
    const stageId = pipeline.stageIds[stage]
    const reached = (denominator ?? counts).reached[(denominator ? 0 : key) * stride + stage]
    const lostAt = counts.lostAt[key * stride + stage]
    const churn = rate(lostAt, reached)
    out[stageId] = { name: pipeline.stageNames[stage], reached, lostAt, churn }
    if (flow) out[stageId].exceedsOne = churn !== null && churn > 1
    if (pipeline.branch[stage]) out[stageId].branch = true
  }
  return out
}

function sumLost(counts: StageCounts, key: number, stride: number, processCount: number): number {
  let n = 0
  for (let st = 0; st < processCount; st++) n += counts.lostAt[key * stride + st]
  return n
}

export function churnSection(scope: QueryScope, period: PeriodScope): ChurnSection {
  const prepared = scope.p
  const stride = prepared.stride
  const breakdown = scope.q.breakdown
  const dims = [...CHURN_SPLITS]
  if (breakdown && !dims.includes(breakdown) && breakdown !== 'pipeline') dims.push(breakdown)
  return coveredPipes(scope).map((pipeIndex) => {
    const pipeline = prepared.pipes[pipeIndex]
    const processCount = pipeline.processCount
    const [cohort, ...cohortSplits] = stageCounts(scope, period, pipeIndex, 'cohort', [null, ...dims])
    const [flow, ...flowSplits] = stageCounts(scope, period, pipeIndex, 'flow', [null, ...dims])
    const flowRows = rows(pipeline, flow, 0, stride, true)
    const splits: Partial<Record<Dim, ChurnSplitRow[]>> = {}
    dims.forEach((dim, dimIndex) => {
      const dict = prepared.dims[dim].dict
      const cohortSplit = cohortSplits[dimIndex]
      const flowSplit = flowSplits[dimIndex]
      const shared = dim === 'lossReason'
      const list: ChurnSplitRow[] = []
      for (let key = 0; key < dict.size; key++) {
        const empty = cohortSplit.size[key] === 0 && flowSplit.size[key] === 0
        if (empty && sumLost(flowSplit, key, stride, processCount) === 0) continue
        list.push({
          key: dict.keys[key],
          name: dict.names[key],
          cohort: rows(pipeline, cohortSplit, key, stride, false, shared ? cohort : undefined),
          flow: rows(pipeline, flowSplit, key, stride, true, shared ? flow : undefined),
        })
      }
      list.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
      if (shared) {
        const lost = (r: ChurnSplitRow) => Object.values(r.cohort).reduce((a, x) => a + x.lostAt, 0)
        splits[dim] = list.filter((r) => lost(r) > 0 || Object.values(r.flow).some((x) => x.lostAt > 0))
      } else splits[dim] = list
    })
    return {
      categoryId: pipeline.categoryId,
      name: pipeline.name,
      order: pipeline.stageIds.slice(0, processCount),
      cohortSize: cohort.size[0],
      cohort: rows(pipeline, cohort, 0, stride, false),
      flow: flowRows,
      flowExceedsOne: Object.values(flowRows).some((r) => r.exceedsOne),
      lost: { cohort: sumLost(cohort, 0, stride, processCount), flow: sumLost(flow, 0, stride, processCount) },
      splits,
    }
  })
}
