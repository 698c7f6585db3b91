/**
 * Properties of the funnel and churn figures that must hold for ANY portal (metrics.md):
 * reached never grows along the funnel, the cohort's current stages add up to the cohort,
 * cohort churn is a share, and rates are null exactly when their denominator is 0.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { buildReport, prepare, type Report } from '../../src/engine/index'
import type { CrmData } from '../../src/engine/types'
import { NOW, crmData, periodArb } from './arb'

const RUNS = { numRuns: 120 }

function build(data: CrmData, period: { from: string; to: string }, extra: Record<string, unknown> = {}): Report {
  return buildReport(prepare(data), { ...period, compare: 'none', now: NOW, ...extra })
}

function stageSemantic(data: CrmData, id: string) {
  return data.stages.find((s) => s.id === id)!.semantic
}

describe('cohort funnel', () => {
  it('reached never grows along the process stages, and no success stage exceeds the last process stage', () => {
    fc.assert(
      fc.property(
        crmData(),
        periodArb,
        fc.constantFrom(undefined, 'source', 'city', 'manager'),
        (data, period, breakdown) => {
          const r = build(data, period, breakdown ? { breakdown } : {})
          for (const pl of r.funnel.cohort) {
            const process = pl.order.filter((id) => stageSemantic(data, id) === 'P')
            const success = pl.order.filter((id) => stageSemantic(data, id) === 'S')
            for (const rows of [pl.stages, ...(pl.splits ?? []).map((s) => s.stages)]) {
              for (let i = 1; i < process.length; i++)
                expect(rows[process[i]].reached).toBeLessThanOrEqual(rows[process[i - 1]].reached)
              for (const s of success)
                expect(rows[s].reached).toBeLessThanOrEqual(rows[process[process.length - 1]].reached)
              for (const id of pl.order) expect(rows[id].reached).toBeLessThanOrEqual(rows[process[0]].reached)
            }
          }
        },
      ),
      RUNS,
    )
  })

  it('current stages add up to the cohort size, and the first stage is reached by the whole cohort', () => {
    fc.assert(
      fc.property(crmData(), periodArb, (data, period) => {
        const r = build(data, period, { breakdown: 'city' })
        for (const pl of r.funnel.cohort) {
          const sum = pl.order.reduce((n, id) => n + pl.stages[id].current, 0)
          expect(sum).toBe(pl.size)
          expect(pl.stages[pl.order[0]].reached).toBe(pl.size)
          // A breakdown partitions the cohort: every deal has exactly one city key ('' = not set).
          expect((pl.splits ?? []).reduce((n, s) => n + s.size, 0)).toBe(pl.size)
          for (const sp of pl.splits ?? [])
            expect(pl.order.reduce((n, id) => n + sp.stages[id].current, 0)).toBe(sp.size)
        }
      }),
      RUNS,
    )
  })

  it('the cohort is exactly the deals created in the period', () => {
    fc.assert(
      fc.property(crmData(), periodArb, (data, period) => {
        const r = build(data, period)
        const { start, end } = r.period
        for (const pl of r.funnel.cohort) {
          expect(pl.size).toBe(
            data.deals.filter((d) => d.categoryId === pl.categoryId && d.createdAt >= start && d.createdAt < end)
              .length,
          )
        }
      }),
      RUNS,
    )
  })
})

describe('churn', () => {
  it('cohort churn is within [0, 1] and lost_at adds up to the lost deals of the cohort', () => {
    fc.assert(
      fc.property(crmData(), periodArb, (data, period) => {
        const r = build(data, period)
        for (const pc of r.churn) {
          const tables = [pc.cohort, ...Object.values(pc.splits).flatMap((rows) => (rows ?? []).map((x) => x.cohort))]
          for (const t of tables) {
            for (const row of Object.values(t)) {
              if (row.churn !== null) {
                expect(row.churn).toBeGreaterThanOrEqual(0)
                expect(row.churn).toBeLessThanOrEqual(1)
              }
              expect(row.lostAt).toBeLessThanOrEqual(row.reached)
            }
          }
          const lostAt = Object.values(pc.cohort).reduce((n, x) => n + x.lostAt, 0)
          expect(lostAt).toBe(pc.lost.cohort)
          const { start, end } = r.period
          const lostDeals = data.deals.filter(
            (d) => d.categoryId === pc.categoryId && d.semantic === 'F' && d.createdAt >= start && d.createdAt < end,
          ).length
          expect(pc.lost.cohort).toBe(lostDeals)
        }
      }),
      RUNS,
    )
  })
})

describe('flow funnel and churn splits', () => {
  it('entries ≥ entered per stage; flow churn flags exactly the figures above 1', () => {
    fc.assert(
      fc.property(crmData(), periodArb, (data, period) => {
        const r = build(data, period)
        for (const pl of r.funnel.flow)
          for (const id of pl.order) expect(pl.stages[id].entries).toBeGreaterThanOrEqual(pl.stages[id].entered)
        for (const pc of r.churn) {
          let any = false
          for (const row of Object.values(pc.flow)) {
            expect(row.exceedsOne).toBe(row.churn !== null && row.churn > 1)
            any ||= row.exceedsOne === true
          }
          expect(pc.flowExceedsOne).toBe(any)
        }
      }),
      RUNS,
    )
  })

  it('churn split by source, city or manager adds up to the stage totals (each deal has one key)', () => {
    fc.assert(
      fc.property(crmData(), periodArb, (data, period) => {
        const r = build(data, period)
        for (const pc of r.churn) {
          for (const dim of ['source', 'city', 'manager'] as const) {
            const rows = pc.splits[dim] ?? []
            for (const id of pc.order) {
              expect(
                rows.reduce((n, x) => n + (x.cohort[id]?.lostAt ?? 0), 0),
                `${dim} ${id} lostAt`,
              ).toBe(pc.cohort[id].lostAt)
              expect(
                rows.reduce((n, x) => n + (x.cohort[id]?.reached ?? 0), 0),
                `${dim} ${id} reached`,
              ).toBe(pc.cohort[id].reached)
            }
          }
        }
      }),
      RUNS,
    )
  })
})

describe('rates are null exactly when their denominator is 0', () => {
  it('funnel conversion and overall, churn, leads, managers, source conversion', () => {
    fc.assert(
      fc.property(crmData(), periodArb, (data, period) => {
        const r = build(data, period, { breakdown: 'source' })
        for (const pl of r.funnel.cohort) {
          for (const rows of [{ size: pl.size, stages: pl.stages }, ...(pl.splits ?? [])]) {
            for (const id of pl.order) {
              const row = rows.stages[id]
              expect(row.overall === null).toBe(rows.size === 0)
              if (stageSemantic(data, id) === 'P') expect(row.conversion === null, id).toBe(row.reached === 0)
              else expect(row.conversion).toBeNull()
            }
          }
        }
        for (const pc of r.churn)
          for (const row of [...Object.values(pc.cohort), ...Object.values(pc.flow)])
            expect(row.churn === null).toBe(row.reached === 0)
        const leadRows = [r.leads, ...r.leads.bySource, ...r.leads.byManager]
        for (const l of leadRows) {
          expect(l.conversionRate === null).toBe(l.total === 0)
          expect(l.lossRate === null).toBe(l.total === 0)
        }
        for (const m of r.managers) expect(m.conversion === null).toBe(m.won.count + m.lost === 0)
        for (const c of r.cities) expect(c.conversion === null).toBe(c.won + c.lost === 0)
        for (const s of r.sources.summary) expect(s.conversion === null).toBe(s.deals === 0)
        for (const row of [...r.roi.rows, r.roi.total]) {
          expect(row.roi === null).toBe(row.spend === 0)
          expect(row.cpl === null).toBe(row.spend === 0 || row.leads === 0)
          expect(row.cpa === null).toBe(row.spend === 0 || row.won === 0)
        }
        expect(r.kpis.conversion.value === null).toBe((r.kpis.won.value ?? 0) + (r.kpis.lost.value ?? 0) === 0)
      }),
      RUNS,
    )
  })
})
