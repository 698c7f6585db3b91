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

export function funnelSection(s: QueryScope, ps: PeriodScope): FunnelSection {
  const pipes = coveredPipes(s)
  return {
    cohort: pipes.map((pi) => pipelineFunnel(s, ps, pi, false, s.q.breakdown, cohortRows)),
    flow: pipes.map((pi) => pipelineFunnel(s, ps, pi, true, s.q.breakdown, flowRows)),
  }
}
