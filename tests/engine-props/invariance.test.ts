/**
 * Properties across reports: row order does not matter, a narrower filter never counts more,
 * and the comparison block of a period is that period's own report.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { buildReport, prepare, type Report, type ReportQuery } from '../../src/engine/index'
import type { CrmData } from '../../src/engine/types'
import { CITIES, MANAGERS, NOW, SOURCES, crmData, day, periodArb, shuffled } from './arb'

const RUNS = { numRuns: 100 }

function build(data: CrmData, q: Partial<ReportQuery> & { from: string; to: string }): Report {
  return buildReport(prepare(data), { compare: 'previous', now: NOW, ...q })
}

const shuffleKeys = fc.array(fc.nat({ max: 1_000_000 }), { minLength: 1, maxLength: 50 })

function mixRows(data: CrmData, keys: number[]): CrmData {
  return {
    ...data,
    deals: shuffled(data.deals, keys),
    dealEvents: shuffled(data.dealEvents, [...keys].reverse()),
    touches: shuffled(
      data.touches,
      keys.map((k) => k * 7 + 3),
    ),
    leads: shuffled(
      data.leads,
      keys.map((k) => k + 11),
    ),
  }
}

describe('row order', () => {
  const breakdowns = fc.constantFrom(undefined, 'source' as const, 'manager' as const)

  it('shuffling deals, stage events, touches and leads gives the same report', () => {
    fc.assert(
      fc.property(crmData({ ties: false }), periodArb, shuffleKeys, breakdowns, (data, period, keys, breakdown) => {
        const q = { ...period, ...(breakdown ? { breakdown } : {}) }
        expect(build(mixRows(data, keys), q)).toEqual(build(data, q))
      }),
      RUNS,
    )
  })

  // Two stage events of one deal at the same instant (Maven engages deals at their creation;
  // Bitrix24 stamps history to the second) are ordered by the history row's ID, which Bitrix24
  // assigns in order — never by the position of the row in the input.
  it('events at the same instant: the order of the rows still does not matter (history ID decides)', () => {
    fc.assert(
      fc.property(crmData({ ties: true }), periodArb, shuffleKeys, breakdowns, (data, period, keys, breakdown) => {
        const q = { ...period, ...(breakdown ? { breakdown } : {}) }
        expect(build(mixRows(data, keys), q)).toEqual(build(data, q))
      }),
      RUNS,
    )
  })
})

/** Every count a filter can only lower (rates may go either way). */
function counts(r: Report): number[] {
  const out: number[] = []
  for (const pl of r.funnel.cohort) {
    out.push(pl.size)
    for (const id of pl.order) out.push(pl.stages[id].reached, pl.stages[id].current, pl.stages[id].lostAt)
  }
  for (const pl of r.funnel.flow) for (const id of pl.order) out.push(pl.stages[id].entered, pl.stages[id].entries)
  for (const pc of r.churn) out.push(pc.lost.cohort, pc.lost.flow)
  out.push(r.kpis.dealsCreated.value ?? 0, r.kpis.won.value ?? 0, r.kpis.lost.value ?? 0, r.timing.toWin.stats.count)
  return out
}

describe('filters are monotone', () => {
  const subset = <T>(all: T[]) => fc.subarray(all, { minLength: 1 })
  it('a subset of cities, sources or managers never yields more than the superset or no filter', () => {
    fc.assert(
      fc.property(
        crmData(),
        periodArb,
        fc.constantFrom('cityIds', 'sourceIds', 'managerIds'),
        subset([0, 1, 2]),
        subset([0, 1, 2]),
        (data, period, dim, a, b) => {
          const values = dim === 'cityIds' ? CITIES : dim === 'sourceIds' ? SOURCES : MANAGERS
          const big = [...new Set([...a, ...b])].map((i) => values[i])
          const small = a.map((i) => values[i])
          const none = counts(build(data, period))
          const wide = counts(build(data, { ...period, [dim]: big }))
          const narrow = counts(build(data, { ...period, [dim]: small }))
          wide.forEach((v, i) => expect(v).toBeLessThanOrEqual(none[i]))
          narrow.forEach((v, i) => expect(v).toBeLessThanOrEqual(wide[i]))
        },
      ),
      RUNS,
    )
  })

  it('a pipeline filter keeps that pipeline exactly as it is without the filter', () => {
    fc.assert(
      fc.property(crmData(), periodArb, fc.constantFrom(0, 1), (data, period, id) => {
        const all = build(data, period)
        const one = build(data, { ...period, categoryIds: [id] })
        expect(one.funnel.cohort).toEqual(all.funnel.cohort.filter((p) => p.categoryId === id))
        expect(one.churn).toEqual(all.churn.filter((p) => p.categoryId === id))
      }),
      RUNS,
    )
  })
})

/** The figures alone: the current period's rows also carry their `changes` (engine changes.ts). */
function withoutChanges<T>(v: T): T {
  return JSON.parse(JSON.stringify(v, (k, x) => (k === 'changes' ? undefined : x))) as T
}

/** Every change record in a report. */
function changeRecords(v: unknown, out: { significant: boolean | null }[] = []): { significant: boolean | null }[] {
  if (Array.isArray(v)) v.forEach((x) => changeRecords(x, out))
  else if (v && typeof v === 'object')
    for (const [k, x] of Object.entries(v)) {
      if (k === 'changes') out.push(...(Object.values(x as object) as { significant: boolean | null }[]))
      else changeRecords(x, out)
    }
  return out
}

describe('comparison period', () => {
  it('the comparison block of a month equals the report of the month before, and the KPIs carry it as previous', () => {
    fc.assert(
      fc.property(crmData(), fc.integer({ min: 1, max: 3 }), (data, m) => {
        const month = (k: number) => {
          const from = `2024-0${k + 1}-01`
          const next = new Date(Date.UTC(2024, k + 1, 1))
          return { from, to: new Date(next.getTime() - 86_400_000).toISOString().slice(0, 10) }
        }
        const cur = build(data, month(m))
        const prev = build(data, { ...month(m - 1), compare: 'none' })
        expect(cur.comparison).not.toBeNull()
        const { period, ...sections } = cur.comparison!
        expect(period.from).toBe(month(m - 1).from)
        expect(period.to).toBe(month(m - 1).to)
        for (const [key, value] of Object.entries(sections)) expect(value, key).toEqual(prev[key as keyof Report])
        for (const k of [
          'dealsCreated',
          'won',
          'wonSum',
          'lost',
          'conversion',
          'leads',
          'leadConversion',
          'spend',
        ] as const) {
          expect(cur.kpis[k].previous, k).toEqual(prev.kpis[k].value)
        }
      }),
      RUNS,
    )
  })

  it('a period compared with the same days a year earlier, on data that repeats a year later, compares equal figures', () => {
    fc.assert(
      fc.property(crmData({ maxDeals: 25 }), periodArb, (data, period) => {
        // Copy every row one year later (2024 is a leap year: +366 days keeps calendar dates for Jan–Feb,
        // so periods are kept inside January–February).
        const YEAR = 366 * 86_400_000
        const shift = (t: number | null) => (t === null ? null : t + YEAR)
        const later: CrmData = {
          ...data,
          deals: data.deals.map((d) => ({
            ...d,
            id: d.id + 100_000,
            createdAt: d.createdAt + YEAR,
            modifiedAt: d.modifiedAt + YEAR,
            movedAt: shift(d.movedAt),
            closedAt: shift(d.closedAt),
          })),
          dealEvents: data.dealEvents.map((e) => ({
            ...e,
            id: e.id + 100_000,
            ownerId: e.ownerId + 100_000,
            at: e.at + YEAR,
          })),
          touches: data.touches.map((t) => ({
            ...t,
            id: t.id + 100_000,
            at: t.at + YEAR,
            dealIds: t.dealIds.map((x) => x + 100_000),
          })),
          leads: data.leads.map((l) => ({
            ...l,
            id: l.id + 100_000,
            createdAt: l.createdAt + YEAR,
            modifiedAt: l.modifiedAt + YEAR,
            closedAt: shift(l.closedAt),
          })),
        }
        const both: CrmData = {
          ...data,
          budgets: [],
          deals: [...data.deals, ...later.deals],
          dealEvents: [...data.dealEvents, ...later.dealEvents],
          touches: [...data.touches, ...later.touches],
          leads: [...data.leads, ...later.leads],
        }
        // Month-end periods compare with the month end a year earlier (Feb 28 2025 → Feb 29 2024),
        // so the period ends by Feb 27 to keep both years' days one to one.
        const from = period.from < '2024-02-28' ? period.from : day(0)
        const to = period.to < '2024-02-28' && period.to >= from ? period.to : '2024-02-27'
        const q = {
          from: from.replace('2024', '2025'),
          to: to.replace('2024', '2025'),
          compare: 'year' as const,
          now: NOW + YEAR,
        }
        const r = buildReport(prepare(both), q)
        expect([r.comparison!.period.from, r.comparison!.period.to]).toEqual([from, to])
        expect(r.comparison!.funnel.cohort.map((p) => [p.size, p.stages])).toEqual(
          r.funnel.cohort.map((p) => [p.size, withoutChanges(p.stages)]),
        )
        expect(r.comparison!.churn.map((p) => p.cohort)).toEqual(r.churn.map((p) => withoutChanges(p.cohort)))
        for (const k of ['dealsCreated', 'won', 'lost', 'leads'] as const) {
          expect(r.kpis[k].previous, k).toBe(r.kpis[k].value)
          expect(r.kpis[k].significant, k).toBe(false)
        }
        // equal figures over equal days: no change anywhere is significant
        for (const c of changeRecords(r)) expect(c.significant).not.toBe(true)
      }),
      { numRuns: 60 },
    )
  })
})
