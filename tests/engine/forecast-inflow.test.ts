import { describe, expect, it } from 'vitest'
import { prepare } from '../../src/engine/prepare'
import { resolveQuery } from '../../src/engine/filters'
import { backtest, inflowAt } from '../../src/engine/forecast-inflow'
import { stageModel } from '../../src/engine/forecast-model'
import { buildReport } from '../../src/engine/report'
import type { CrmData } from '../../src/engine/types'
import { generateBenchData } from '../bench/engine-data'
import { addDeal, at, portal } from './builders'

const d = (s: string) => `${s}T12:00:00+03:00`
const JULY_1 = at('2024-07-01T00:00:00+03:00')

/**
 * As of 1 July: D1 (created Apr, won Apr, 100), D2 (created May, won Jun, 300, via CONTACT),
 * D3 (created Jun, lost Jun), D4 (created Jun, in CONTACT then; won 20 July, 1000).
 */
function sample(): CrmData {
  const data = portal()
  addDeal(data, {
    id: 1,
    stageId: 'WON',
    created: d('2024-04-10'),
    amount: 100,
    history: [
      ['NEW', d('2024-04-10')],
      ['WON', d('2024-04-20')],
    ],
  })
  addDeal(data, {
    id: 2,
    stageId: 'WON',
    created: d('2024-05-10'),
    amount: 300,
    history: [
      ['NEW', d('2024-05-10')],
      ['CONTACT', d('2024-05-11')],
      ['WON', d('2024-06-15')],
    ],
  })
  addDeal(data, {
    id: 3,
    stageId: 'LOSE',
    created: d('2024-06-05'),
    history: [
      ['NEW', d('2024-06-05')],
      ['LOSE', d('2024-06-06')],
    ],
  })
  addDeal(data, {
    id: 4,
    stageId: 'WON',
    created: d('2024-06-10'),
    amount: 1000,
    history: [
      ['NEW', d('2024-06-10')],
      ['CONTACT', d('2024-06-11')],
      ['WON', d('2024-07-20')],
    ],
  })
  return data
}

const scope = (data: CrmData, now: number) =>
  resolveQuery(prepare(data), { from: '2024-07-01', to: '2024-07-31', compare: 'none', now })

describe('inflow forecast (metrics.md Inflow forecast)', () => {
  it('adds the open deals forecast to the expected wins of deals not yet created', () => {
    const f = inflowAt(scope(sample(), at('2024-08-15T12:00:00+03:00')), JULY_1)
    // P(win | created) = 2/3 (D1, D2 won, D3 lost); inflow 4 deals / 3 months; lags 0 and 1
    // month, half each; mean won amount 200. D4 sat in CONTACT: P = 1 (D1 passed it at its jump
    // to WON, 0 days before the win; D2 35 days): median 17.5 days → July.
    expect(f.meanInflow).toBe(1.33)
    expect(f.months.map((m) => m.month)).toEqual(['2024-07', '2024-08'])
    expect(f.months[0]).toEqual({
      month: '2024-07',
      openWon: 1,
      openRevenue: 1000,
      newWon: 0.44, // 4/3 × 2/3 × 1/2
      newRevenue: 88.89,
      won: 1.44,
      revenue: 1088.89,
    })
    expect(f.months[1]).toEqual({
      month: '2024-08',
      openWon: 0,
      openRevenue: 0,
      newWon: 0.89, // July's new deals won a month later + August's won at once
      newRevenue: 177.78,
      won: 0.89,
      revenue: 177.78,
    })
  })

  it('as of mid-month counts only the days left for the deals still to be created', () => {
    const data = sample()
    const mid = at('2024-07-16T00:00:00+03:00') // 16 of 31 days left
    const f = inflowAt(scope(data, mid), mid)
    // D4 is still open on the 16th: 17.5 days later is 2 August.
    expect(f.months[1].openWon).toBe(1)
    // Inflow from April–June still: 4/3 per month; July's share 16/31.
    expect(f.months[0].newWon).toBeCloseTo((4 / 3) * (16 / 31) * (2 / 3) * 0.5, 2)
  })

  it('is part of the report, with the live forecast as of the injected now', () => {
    const now = at('2024-07-01T00:00:00+03:00')
    const r = buildReport(prepare(sample()), { from: '2024-06-01', to: '2024-06-30', compare: 'none', now })
    expect(r.forecast.inflow.asOf).toBe(now)
    expect(r.forecast.inflow.months[0].won).toBe(1.44)
    expect(r.forecast.backtest.months).toHaveLength(6)
  })
})

describe('inflow backtest', () => {
  it('compares the forecast as of each of the last six month ends with the wins of the month after', () => {
    const s = scope(sample(), at('2024-08-15T12:00:00+03:00'))
    const b = backtest(s)
    expect(b.months.map((m) => m.month)).toEqual(['2024-02', '2024-03', '2024-04', '2024-05', '2024-06', '2024-07'])
    const july = b.months[5]
    expect(july).toMatchObject({
      asOf: JULY_1,
      forecastWon: 1.44,
      actualWon: 1,
      forecastRevenue: 1088.89,
      actualRevenue: 1000,
      errorWon: 0.4444,
      errorRevenue: 0.0889,
    })
    // Months without wins carry no error and stay out of the mean.
    expect(b.months[0]).toMatchObject({ actualWon: 0, errorWon: null, errorRevenue: null })
    const scored = b.months.filter((m) => m.actualWon > 0)
    expect(scored.map((m) => m.month)).toEqual(['2024-04', '2024-06', '2024-07'])
    const mean = (xs: number[]) => xs.reduce((a, v) => a + v, 0) / xs.length
    expect(b.mapeWon).toBeCloseTo(mean(scored.map((m) => Math.abs(m.forecastWon - m.actualWon) / m.actualWon)), 3)
    expect(b.mapeRevenue).toBeCloseTo(
      mean(scored.map((m) => Math.abs(m.forecastRevenue - m.actualRevenue) / m.actualRevenue)),
      3,
    )
  })

  it('follows the filters (a kept result is reused only for the same deals and month)', () => {
    const data = sample()
    data.deals.find((x) => x.id === 4)!.assignedById = 2
    const p = prepare(data)
    const q = { from: '2024-07-01', to: '2024-07-31', compare: 'none' as const, now: at('2024-08-15T12:00:00+03:00') }
    const all = backtest(resolveQuery(p, q))
    const boris = backtest(resolveQuery(p, { ...q, managerIds: [2] }))
    expect(all.months[5].actualWon).toBe(1)
    expect(boris.months[5].actualWon).toBe(1)
    expect(boris.months[2].actualWon).toBe(0) // D1 (April) is Anna's
    expect(all.months[2].actualWon).toBe(1)
    expect(backtest(resolveQuery(p, { ...q, from: '2024-06-01', to: '2024-06-30' }))).toBe(all)
    expect(backtest(resolveQuery(p, { ...q, now: at('2024-09-02T12:00:00+03:00') })).months[5].month).toBe('2024-08')
  })

  it('uses only what was known at each month end: the same forecast from data cut at that instant', () => {
    const full = generateBenchData(7, { deals: 3000, leads: 0, touchesPerDeal: 0 })
    const asOf = at('2026-06-01T00:00:00+03:00')
    const now = at('2026-11-20T12:00:00+03:00')
    const fromFull = inflowAt(scope(full, now), asOf)
    const fromCut = inflowAt(scope(cutAt(full, asOf), now), asOf)
    expect(fromCut).toEqual(fromFull)
    // The data after the cut does change the figures a forecast made later would give.
    expect(inflowAt(scope(full, now), at('2026-09-01T00:00:00+03:00'))).not.toEqual(fromFull)
    expect(fromFull.months[0].openWon).toBeGreaterThan(0)
    expect(fromFull.months[1].newWon).toBeGreaterThan(0)
  })
})

describe('stage model as of a past instant', () => {
  it('does not see a stage that a lost deal reached after it was reopened later', () => {
    const data = sample()
    addDeal(data, {
      id: 5,
      stageId: 'OFFER',
      created: d('2024-05-01'),
      history: [
        ['NEW', d('2024-05-01')],
        ['LOSE', d('2024-05-02')],
        ['OFFER', d('2024-07-05')],
      ],
    })
    const p = prepare(data)
    const offer = p.pipes[0].stageIds.indexOf('OFFER')
    const contact = p.pipes[0].stageIds.indexOf('CONTACT')
    // As of 1 July deal 5 is a loss that never got past NEW: OFFER's history is D1 and D2 (both
    // passed it on their jump to WON).
    const m = stageModel(p, 0, JULY_1)
    expect(m.samples[offer]).toBe(2)
    expect(m.probability[offer]).toBe(1)
    expect(m.samples[contact]).toBe(2)
    expect(m.probability[0]).toBe(2 / 4)
  })
})

/** The portal as it stood at instant t: later deals gone, later stage moves undone. */
function cutAt(data: CrmData, t: number): CrmData {
  const stageById = new Map(data.stages.map((s) => [s.id, s]))
  const events = data.dealEvents.filter((e) => e.at < t)
  const last = new Map<number, (typeof events)[number]>()
  for (const e of events) {
    const prev = last.get(e.ownerId)
    if (!prev || prev.at < e.at || (prev.at === e.at && prev.id < e.id)) last.set(e.ownerId, e)
  }
  const deals = data.deals
    .filter((deal) => deal.createdAt < t)
    .map((deal) => {
      const e = last.get(deal.id)
      if (!e) throw new Error(`deal ${deal.id} has no history before the cut`)
      const semantic = stageById.get(e.stageId)!.semantic
      return {
        ...deal,
        stageId: e.stageId,
        semantic,
        movedAt: e.at,
        modifiedAt: e.at,
        closed: semantic !== 'P',
        closedAt: semantic === 'P' ? null : e.at,
      }
    })
  return { ...data, deals, dealEvents: events }
}
