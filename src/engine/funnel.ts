/**
 * Cohort and flow funnels (metrics.md "Funnels"), per pipeline, optionally split by a dimension.
 *
 * The work is split by what it does: membership predicates (funnel-predicates.ts, the drill-down's
 * definitions), pooled flow passes (flow-buffers.ts), the counting loops (stage-counts.ts) and
 * row shaping (funnel-rows.ts). This file assembles the report section.
 */
import { coveredPipes, type PeriodScope, type QueryScope } from './filters'
import {
  cohortRows,
  flowRows,
  pipelineFunnel,
  type CohortStageRow,
  type FlowStageRow,
  type PipelineFunnel,
} from './funnel-rows'

export type { CohortStageRow, FlowStageRow, PipelineFunnel, SplitRows } from './funnel-rows'

export interface FunnelSection {
  cohort: PipelineFunnel<CohortStageRow>[]
  flow: PipelineFunnel<FlowStageRow>[]
}

export function funnelSection(scope: QueryScope, period: PeriodScope): FunnelSection {
  const pipeIndexes = coveredPipes(scope)
  const breakdown = scope.q.breakdown
  return {
    cohort: pipeIndexes.map((pipeIndex) => pipelineFunnel(scope, period, pipeIndex, false, breakdown, cohortRows)),
    flow: pipeIndexes.map((pipeIndex) => pipelineFunnel(scope, period, pipeIndex, true, breakdown, flowRows)),
  }
}
