import { describe, expect, it } from 'vitest'
import { prepare } from '../../src/engine/prepare'
import { resolveQuery } from '../../src/engine/filters'
import { forecastSection } from '../../src/engine/forecast'
import { addDeal, at, portal } from './builders'

const d = (s: string) => `${s}T12:00:00+03:00`
const NOW = at('2024-06-28T12:00:00+03:00')

function forecast() {
  const data = portal()
  // History: closed in the 12 months before now.
  addDeal(data, {
    id: 1,
    stageId: 'WON',
    created: d('2024-01-01'),
    history: [
      ['NEW', d('2024-01-01')],
      ['CONTACT', d('2024-01-03')],
      ['OFFER', d('2024-01-05')],
      ['WON', d('2024-01-06')],
    ],
  })
  addDeal(data, {
    id: 2,
    stageId: 'WON',
    created: d('2024-02-01'),
    history: [
      ['NEW', d('2024-02-01')],
      ['CONTACT', d('2024-02-02')],
      ['OFFER', d('2024-02-03')],
      ['WON', d('2024-02-04')],
    ],
  })
  addDeal(data, {
    id: 3,
    stageId: 'LOSE',
    created: d('2024-03-01'),
    history: [
      ['NEW', d('2024-03-01')],
      ['CONTACT', d('2024-03-02')],
      ['LOSE', d('2024-03-03')],
    ],
  })
  addDeal(data, {
    id: 4,
    stageId: 'LOSE',
    created: d('2024-03-01'),
    history: [
      ['NEW', d('2024-03-01')],
      ['LOSE', d('2024-03-02')],
    ],
  })
  // Closed before the 12-month window: ignored.
  addDeal(data, {
    id: 5,
    stageId: 'WON',
    created: d('2023-01-01'),
    history: [
      ['NEW', d('2023-01-01')],
      ['WON', d('2023-02-01')],
    ],
  })
  // Open deals to forecast.
  addDeal(data, {
    id: 11,
    stageId: 'OFFER',
    created: d('2024-06-01'),
    amount: 1000,
    history: [
      ['NEW', d('2024-06-01')],
      ['CONTACT', d('2024-06-02')],
      ['OFFER', d('2024-06-03')],
    ],
  })
  addDeal(data, { id: 12, stageId: 'NEW', created: d('2024-06-10'), amount: 2000, history: [['NEW', d('2024-06-10')]] })
  addDeal(data, {
    id: 13,
    stageId: 'CONTACT',
    created: d('2024-06-10'),
    amount: 3000,
    history: [
      ['NEW', d('2024-06-10')],
      ['CONTACT', d('2024-06-11')],
    ],
  })
  const p = prepare(data)
  const s = resolveQuery(p, { from: '2024-06-01', to: '2024-06-30', compare: 'none', now: NOW })
  return forecastSection(s)
}

describe('forecast', () => {
  const f = forecast()
  const st = f.pipelines[0].stages

  it('P(win | stage) from deals closed in the last 12 months that reached the stage', () => {
    expect(st.NEW).toMatchObject({ probability: 0.5, samples: 4 }) // 2 won of 1,2,3,4
    expect(st.CONTACT).toMatchObject({ probability: 0.6667, samples: 3 }) // 1,2 won; 3 lost
    expect(st.OFFER).toMatchObject({ probability: 1, samples: 2 })
  })

  it('median remaining time to win from each stage', () => {
    expect(st.NEW.medianDaysToWin).toBe(4) // 5 d and 3 d
    expect(st.CONTACT.medianDaysToWin).toBe(2.5) // 3 d and 2 d
    expect(st.OFFER.medianDaysToWin).toBe(1)
  })

  it('puts each open deal in the month of now + median and sums P × amount', () => {
    // 11: now + 1 d = June 29 → June, 1 × 1000.
    // 12: now + 4 d = July 2 → July, 0.5 × 2000. 13: now + 2.5 d = July 1 00:00 local (the month's first instant) → July, 2/3 × 3000.
    expect(f.months).toEqual([
      { month: '2024-06', deals: 1, amount: 1000, expected: 1000 },
      { month: '2024-07', deals: 2, amount: 5000, expected: 3000 },
    ])
    expect(f.total).toEqual({ deals: 3, amount: 6000, expected: 4000 })
    expect(st.CONTACT).toMatchObject({ openDeals: 1, openAmount: 3000, expected: 2000 })
    expect(f.noHistory).toBe(0)
    expect(f.historyFrom).toBe(at('2023-06-28T00:00:00+03:00'))
  })

  it('a stage no closed deal reached has no probability and its deals are counted apart', () => {
    const data = portal()
    addDeal(data, { id: 1, stageId: 'NEW', created: d('2024-06-10'), amount: 10, history: [['NEW', d('2024-06-10')]] })
    const p = prepare(data)
    const f2 = forecastSection(resolveQuery(p, { from: '2024-06-01', to: '2024-06-30', compare: 'none', now: NOW }))
    expect(f2.pipelines[0].stages.NEW.probability).toBeNull()
    expect(f2.noHistory).toBe(1)
    expect(f2.total.expected).toBe(0)
  })
})
