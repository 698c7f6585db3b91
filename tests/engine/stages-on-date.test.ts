import { describe, expect, it } from 'vitest'
import { prepare } from '../../src/engine/prepare'
import { buildReport } from '../../src/engine/report'
import { drillDown } from '../../src/engine/drill'
import { addDeal, at, ids, portal } from './builders'

const query = {
  from: '2024-03-01',
  to: '2024-03-31',
  compare: 'previous' as const,
  now: at('2024-03-20T12:00:00+03:00'),
}

function data() {
  const d = portal()
  addDeal(d, {
    id: 1,
    stageId: 'WON',
    created: '2024-02-05T10:00:00+03:00',
    history: [
      ['NEW', '2024-02-05T10:00:00+03:00'],
      ['CONTACT', '2024-02-08T10:00:00+03:00'],
      ['OFFER', '2024-03-09T10:00:00+03:00'],
      ['WON', '2024-03-11T10:00:00+03:00'],
    ],
  })
  // Created at 23:30 local on D: counted; 00:10 the next day: not.
  addDeal(d, {
    id: 2,
    stageId: 'NEW',
    created: '2024-03-10T23:30:00+03:00',
    history: [['NEW', '2024-03-10T23:30:00+03:00']],
  })
  addDeal(d, {
    id: 3,
    stageId: 'NEW',
    created: '2024-03-11T00:10:00+03:00',
    history: [['NEW', '2024-03-11T00:10:00+03:00']],
  })
  // A jump to WON on D: the deal is in WON, not in the stages it skipped.
  addDeal(d, {
    id: 4,
    stageId: 'WON',
    created: '2024-01-01T10:00:00+03:00',
    history: [
      ['NEW', '2024-01-01T10:00:00+03:00'],
      ['WON', '2024-03-10T20:00:00+03:00'],
    ],
  })
  // No history: created at the first stage, its current stage (lost) from MOVED_TIME on March 20.
  addDeal(d, { id: 5, stageId: 'LOSE', created: '2024-02-01T10:00:00+03:00', movedAt: at('2024-03-20T10:00:00+03:00') })
  // The last millisecond of D still counts.
  addDeal(d, {
    id: 6,
    stageId: 'CONTACT',
    created: '2024-03-01T10:00:00+03:00',
    history: [
      ['NEW', '2024-03-01T10:00:00+03:00'],
      ['CONTACT', '2024-03-10T23:59:59.999+03:00'],
    ],
  })
  // A move at 00:00 the day after D is not on D.
  addDeal(d, {
    id: 7,
    stageId: 'OFFER',
    created: '2024-03-02T10:00:00+03:00',
    history: [
      ['NEW', '2024-03-02T10:00:00+03:00'],
      ['OFFER', '2024-03-11T00:00:00+03:00'],
    ],
  })
  return d
}

const counts = (rows: { stageId: string; count: number; previous: number | null }[]) =>
  Object.fromEntries(rows.map((r) => [r.stageId, [r.count, r.previous]]))

describe('the funnel on a date (metrics.md "Stage distribution on a date D")', () => {
  const p = prepare(data())

  it('the stage each deal was in at the end of D, beside the same day of the comparison period', () => {
    const r = buildReport(p, { ...query, asOf: '2024-03-10' })
    expect(r.stagesOnDate.date).toBe('2024-03-10')
    expect(r.stagesOnDate.comparisonDate).toBe('2024-02-10')
    const pl = r.stagesOnDate.pipelines[0]
    expect([pl.total, pl.previousTotal]).toEqual([6, 3])
    expect(counts(pl.stages)).toEqual({
      NEW: [3, 2],
      CONTACT: [1, 1],
      OFFER: [1, 0],
      WON: [1, 0],
      LOSE: [0, 0],
    })
  })

  it('defaults to the period’s last day, or today when the period has not ended', () => {
    const r = buildReport(p, query)
    expect([r.stagesOnDate.date, r.stagesOnDate.comparisonDate]).toEqual(['2024-03-20', '2024-02-20'])
    expect(counts(r.stagesOnDate.pipelines[0].stages).LOSE).toEqual([1, 0])
  })

  it('the last day of a month compares with the last day of the previous month; "year" a year back', () => {
    expect(buildReport(p, { ...query, asOf: '2024-03-31' }).stagesOnDate.comparisonDate).toBe('2024-02-29')
    // A quarter compares with the previous quarter: the same day of the month, three months back.
    const quarter = { ...query, from: '2024-07-01', to: '2024-09-30', asOf: '2024-09-15' }
    expect(buildReport(p, quarter).stagesOnDate.comparisonDate).toBe('2024-06-15')
    // Any other range: the same offset from the comparison period's first day.
    const days = { ...query, from: '2024-03-05', to: '2024-03-14', asOf: '2024-03-07' }
    expect(buildReport(p, days).stagesOnDate.comparisonDate).toBe('2024-02-26')
    expect(buildReport(p, { ...query, compare: 'year', asOf: '2024-03-10' }).stagesOnDate.comparisonDate).toBe(
      '2023-03-10',
    )
    expect(buildReport(p, { ...query, compare: 'none', asOf: '2024-03-10' }).stagesOnDate).toMatchObject({
      comparisonDate: null,
      pipelines: [{ previousTotal: null }],
    })
  })

  it('drill-down returns the deals in the stage on the date (and on the comparison date)', () => {
    const q = { ...query, asOf: '2024-03-10' }
    const drill = (stageId: string, period?: 'comparison') =>
      ids(drillDown(p, q, { section: 'stagesOnDate', categoryId: 0, stageId, period }))
    expect(drill('NEW')).toEqual([2, 5, 7])
    expect(drill('NEW', 'comparison')).toEqual([4, 5])
    expect(drill('WON')).toEqual([4])
  })

  it('a malformed date is refused with a message', () => {
    expect(() => buildReport(p, { ...query, asOf: '2024-02-30' })).toThrow(/asOf: "2024-02-30" is not a calendar date/)
    expect(() => buildReport(p, { ...query, asOf: '2024-02-30' })).toThrow(
      expect.objectContaining({ name: 'QueryError', code: 'BAD_DATE' }),
    )
  })
})
