/** A check shared by the funnel tests: a drill-down lists exactly the deals a funnel cell counts. */
import { expect } from 'vitest'
import type { DrillRef, Report } from '../../src/engine/index'

/** Every cohort and flow cell of the first pipeline drills to as many deals as its count. */
export function expectCellsDrillToTheirCounts(r: Report, drill: (ref: DrillRef) => number[]): void {
  const cohort = r.funnel.cohort[0]
  const flow = r.funnel.flow[0]
  for (const stageId of cohort.order) {
    for (const measure of ['reached', 'current', 'notNext', 'lostAt'] as const) {
      const n = cohort.stages[stageId][measure] ?? 0
      expect(
        drill({ section: 'cohort', categoryId: 0, stageId, measure }),
        `cohort ${stageId} ${measure}`,
      ).toHaveLength(n)
    }
    for (const measure of ['entered', 'current', 'notNext', 'lostAt'] as const) {
      const n = flow.stages[stageId][measure] ?? 0
      expect(drill({ section: 'flow', categoryId: 0, stageId, measure }), `flow ${stageId} ${measure}`).toHaveLength(n)
    }
  }
}
