import { describe, expect, it } from 'vitest'
import { prepare } from '../../src/engine/prepare'
import { resolveQuery } from '../../src/engine/filters'
import { timingSection } from '../../src/engine/timing'
import { addDeal, addTouch, portal } from './builders'

const t = (s: string) => `2024-${s}:00+03:00`

function timing(q: Record<string, unknown> = {}) {
  const data = portal()
  data.cities = [
    { id: 'MSK', name: 'Moscow' },
    { id: 'SPB', name: 'St Petersburg' },
  ]
  addDeal(data, {
    id: 1,
    stageId: 'WON',
    created: t('03-01T10:00'),
    cityId: 'MSK',
    assignedById: 1,
    history: [
      ['NEW', t('03-01T10:00')],
      ['CONTACT', t('03-01T12:00')],
      ['OFFER', t('03-02T12:00')],
      ['WON', t('03-03T12:00')],
    ],
  })
  addDeal(data, {
    id: 2,
    stageId: 'LOSE',
    created: t('03-02T10:00'),
    cityId: 'MSK',
    assignedById: 2,
    history: [
      ['NEW', t('03-02T10:00')],
      ['CONTACT', t('03-02T14:00')],
      ['OFFER', t('03-04T14:00')],
      ['LOSE', t('03-05T14:00')],
    ],
  })
  addDeal(data, {
    id: 3,
    stageId: 'CONTACT',
    created: t('03-03T10:00'),
    cityId: 'SPB',
    assignedById: 1,
    history: [
      ['NEW', t('03-03T10:00')],
      ['CONTACT', t('03-03T20:00')],
    ],
  })
  // Entered CONTACT in February: not in March's NEW→CONTACT.
  addDeal(data, {
    id: 4,
    stageId: 'CONTACT',
    created: t('02-20T10:00'),
    history: [
      ['NEW', t('02-20T10:00')],
      ['CONTACT', t('02-20T11:00')],
    ],
  })
  // Skipped CONTACT: no actual entry, so neither NEW→CONTACT nor CONTACT→OFFER.
  addDeal(data, {
    id: 5,
    stageId: 'OFFER',
    created: t('03-05T10:00'),
    history: [
      ['NEW', t('03-05T10:00')],
      ['OFFER', t('03-06T10:00')],
    ],
  })
  addTouch(data, { at: t('03-01T11:00'), kind: 'call', dealIds: [1] })
  addTouch(data, { at: t('03-02T09:00'), kind: 'email', dealIds: [2] }) // before creation: not a first touch
  addTouch(data, { at: t('03-02T16:00'), kind: 'call', dealIds: [2] })
  const p = prepare(data)
  const s = resolveQuery(p, { from: '2024-03-01', to: '2024-03-31', compare: 'none', ...q })
  return timingSection(s, s.current)
}

describe('time between stages', () => {
  const tm = timing()
  const pairs = tm.betweenStages[0].pairs

  it('lists consecutive process stages, then the last process stage to won', () => {
    expect(pairs.map((x) => `${x.from}→${x.to}`)).toEqual(['NEW→CONTACT', 'CONTACT→OFFER', 'OFFER→WON'])
  })

  it('NEW→CONTACT: count, mean, median, p90 (percentile_cont) in hours', () => {
    // 2 h, 4 h, 10 h; p90 = 4 + (10 − 4) × 0.8 = 8.8
    expect(pairs[0].stats).toEqual({ count: 3, mean: 5.33, median: 4, p90: 8.8 })
  })

  it('splits by city, manager and source', () => {
    const msk = pairs[0].splits.city!.find((r) => r.key === 'MSK')!
    expect(msk.name).toBe('Moscow')
    expect(msk.stats).toEqual({ count: 2, mean: 3, median: 3, p90: 3.8 })
    expect(pairs[0].splits.city!.find((r) => r.key === 'SPB')!.stats.count).toBe(1)
    const anna = pairs[0].splits.manager!.find((r) => r.key === '1')!
    expect(anna.stats).toEqual({ count: 2, mean: 6, median: 6, p90: 9.2 }) // 2 h and 10 h
    expect(pairs[0].splits.source!.map((r) => r.key)).toEqual([''])
  })

  it('adds the query breakdown as a further split', () => {
    const byPipeline = timing({ breakdown: 'pipeline' }).betweenStages[0].pairs[0].splits.pipeline!
    expect(byPipeline).toEqual([{ key: '0', name: 'Sales', stats: { count: 3, mean: 5.33, median: 4, p90: 8.8 } }])
  })

  it('CONTACT→OFFER and OFFER→WON', () => {
    expect(pairs[1].stats).toEqual({ count: 2, mean: 36, median: 36, p90: 45.6 })
    expect(pairs[2].stats).toEqual({ count: 1, mean: 24, median: 24, p90: 24 })
  })
})

describe('time to win, first touch, lost cycle', () => {
  const tm = timing()
  it('time to win = won time − DATE_CREATE', () => {
    expect(tm.toWin.stats).toEqual({ count: 1, mean: 50, median: 50, p90: 50 })
  })
  it('lost cycle = loss time − creation', () => {
    expect(tm.lostCycle.stats).toEqual({ count: 1, mean: 76, median: 76, p90: 76 })
  })
  it('first touch after creation; deals with no touch counted apart', () => {
    // Cohort 1,2,3,5: deal 1 after 1 h, deal 2 after 6 h (its 09:00 e-mail predates the deal).
    expect(tm.toFirstTouch.stats).toEqual({ count: 2, mean: 3.5, median: 3.5, p90: 5.5 })
    expect(tm.toFirstTouch.noTouch).toBe(2)
  })
})
