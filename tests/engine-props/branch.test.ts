/**
 * Properties of branch stages (metrics.md "Funnels" → "Branch stages") on any portal: declaring
 * some process stages branches changes only those stages' reached counts — each becomes exactly
 * its actual entrants — while the main path and the loss counts stay what they were.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { buildReport, prepare, type Report } from '../../src/engine/index'
import type { CrmData } from '../../src/engine/types'
import { NOW, PIPELINES, crmData, periodArb } from './arb'

const RUNS = { numRuns: 100 }
const PROCESS = PIPELINES.flatMap((p) => p.process)
/** A pipeline's first stage is where deals begin (reconstructed ones too): never a branch in practice. */
const LATER = PIPELINES.flatMap((p) => p.process.slice(1))

function build(data: CrmData, period: { from: string; to: string }): Report {
  return buildReport(prepare(data), { ...period, compare: 'none', now: NOW })
}

function withBranches(data: CrmData, branches: string[], asNoShow: boolean): CrmData {
  const settings = { ...data.settings }
  if (asNoShow) settings.noShowStageIds = branches
  else settings.branchStageIds = branches
  return { ...data, settings }
}

/** Deals of the pipeline's cohort with an actual entry into the stage (an event, or being in it now). */
function actualEntrants(data: CrmData, r: Report, categoryId: number, stageId: string): number {
  const { start, end } = r.period
  const entered = new Set(data.dealEvents.filter((e) => e.stageId === stageId).map((e) => e.ownerId))
  return data.deals.filter(
    (d) =>
      d.categoryId === categoryId &&
      d.createdAt >= start &&
      d.createdAt < end &&
      (entered.has(d.id) || d.stageId === stageId),
  ).length
}

const branchArb = fc.subarray(LATER, { minLength: 1 })

describe('branch stages', () => {
  it("a branch stage's reached count is exactly its distinct actual entrants (never more)", () => {
    fc.assert(
      fc.property(crmData(), periodArb, branchArb, fc.boolean(), (data, period, branches, asNoShow) => {
        const r = build(withBranches(data, branches, asNoShow), period)
        for (const pl of r.funnel.cohort) {
          for (const id of pl.order) {
            if (!branches.includes(id)) continue
            expect(pl.stages[id].branch).toBe(true)
            expect(pl.stages[id].conversion).toBeNull()
            expect(pl.stages[id].reached).toBe(actualEntrants(data, r, pl.categoryId, id))
          }
        }
      }),
      RUNS,
    )
  })

  it('main-path stages, cohort sizes and losses are the same with or without branches', () => {
    fc.assert(
      fc.property(crmData(), periodArb, branchArb, (data, period, branches) => {
        const before = build(data, period)
        const after = build(withBranches(data, branches, true), period)
        after.funnel.cohort.forEach((pl, i) => {
          const old = before.funnel.cohort[i]
          expect(pl.size).toBe(old.size)
          for (const id of pl.order) {
            if (branches.includes(id)) {
              expect(pl.stages[id].reached).toBeLessThanOrEqual(old.stages[id].reached)
              continue
            }
            expect(pl.stages[id].reached, id).toBe(old.stages[id].reached)
            expect(pl.stages[id].lostAt, id).toBe(old.stages[id].lostAt)
          }
        })
        after.churn.forEach((pl, i) => expect(pl.lost).toEqual(before.churn[i].lost))
        after.funnel.flow.forEach((pl, i) => {
          for (const id of pl.order) {
            if (!branches.includes(id)) expect(pl.stages[id].entered, id).toBe(before.funnel.flow[i].stages[id].entered)
          }
        })
      }),
      RUNS,
    )
  })

  it('reached never grows along the main path, and conversion skips the branch stages', () => {
    fc.assert(
      fc.property(crmData(), periodArb, branchArb, (data, period, branches) => {
        const r = build(withBranches(data, branches, false), period)
        for (const pl of r.funnel.cohort) {
          const main = pl.order.filter((id) => PROCESS.includes(id) && !branches.includes(id))
          for (let i = 1; i < main.length; i++) {
            const prev = pl.stages[main[i - 1]]
            expect(pl.stages[main[i]].reached).toBeLessThanOrEqual(prev.reached)
            const conv = prev.reached ? Math.round((pl.stages[main[i]].reached / prev.reached) * 1e4) / 1e4 : null
            expect(prev.conversion).toBe(conv)
          }
        }
      }),
      RUNS,
    )
  })
})
