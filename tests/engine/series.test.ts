/**
 * series.ts: chart series per bucket, current and comparison aligned bucket by bucket (issue 12
 * point 5: its own tests). A hand-made +03:00 portal; buckets cut at local midnight.
 */
import { describe, expect, it } from 'vitest'
import { resolveQuery, type ReportQuery } from '../../src/engine/filters'
import { prepare } from '../../src/engine/prepare'
import { seriesBucket, seriesSection } from '../../src/engine/series'
import { addDeal, addLead, at, portal } from './builders'

const data = portal()
const won = (id: number, created: string, closed: string, amount: number, sourceId = 'ADS') =>
  addDeal(data, {
    id,
    stageId: 'WON',
    created,
    amount,
    sourceId,
    history: [
      ['NEW', created],
      ['WON', closed],
    ],
  })
// Current period 2024-03-04 … 03-06 (3 days); the previous one is 03-01 … 03-03.
won(1, '2024-03-04T10:00+03:00', '2024-03-05T10:00+03:00', 100.004)
won(2, '2024-03-04T23:30+03:00', '2024-03-06T01:00+03:00', 50, 'SEO') // 03-04 local, 03-04 20:30 UTC
addDeal(data, {
  id: 3,
  stageId: 'LOSE',
  created: '2024-03-02T10:00+03:00',
  sourceId: 'ADS',
  history: [
    ['NEW', '2024-03-02T10:00+03:00'],
    ['LOSE', '2024-03-06T00:10+03:00'], // 03-05 21:10 UTC: still 03-06 local
  ],
})
addDeal(data, { id: 4, stageId: 'NEW', created: '2024-03-01T10:00+03:00', sourceId: 'SEO' })
addLead(data, { id: 1, created: '2024-03-05T10:00+03:00', semantic: 'P', sourceId: 'ADS' })
addLead(data, { id: 2, created: '2024-03-03T10:00+03:00', semantic: 'P', sourceId: 'ADS' })
const p = prepare(data)
const q: ReportQuery = {
  from: '2024-03-04',
  to: '2024-03-06',
  compare: 'previous',
  bucket: 'day',
  now: at('2024-03-10T12:00+03:00'),
}

describe('seriesSection', () => {
  it('counts created, won, lost, revenue and leads per local day, and the previous period beside it', () => {
    const s = seriesSection(resolveQuery(p, q))
    expect(s.bucket).toBe('day')
    expect(s.labels).toEqual(['2024-03-04', '2024-03-05', '2024-03-06'])
    expect(s.comparisonLabels).toEqual(['2024-03-01', '2024-03-02', '2024-03-03'])
    expect(s.current).toEqual({
      created: [2, 0, 0],
      won: [0, 1, 1],
      lost: [0, 0, 1],
      revenue: [0, 100, 50], // money rounded to two decimals
      leads: [0, 1, 0],
    })
    expect(s.comparison).toEqual({
      created: [1, 1, 0],
      won: [0, 0, 0],
      lost: [0, 0, 0],
      revenue: [0, 0, 0],
      leads: [0, 0, 1],
    })
  })

  it('follows the filters', () => {
    const s = seriesSection(resolveQuery(p, { ...q, sourceIds: ['SEO'] }))
    expect(s.current.created).toEqual([1, 0, 0])
    expect(s.current.won).toEqual([0, 0, 1])
    expect(s.current.leads).toEqual([0, 0, 0])
    expect(s.comparison?.created).toEqual([1, 0, 0])
  })

  it('a shorter comparison period is padded with null where it has no bucket', () => {
    // March (31 days) by day against February 2024 (29 days).
    const s = seriesSection(resolveQuery(p, { ...q, from: '2024-03-01', to: '2024-03-31' }))
    expect(s.labels).toHaveLength(31)
    expect(s.comparisonLabels?.slice(28)).toEqual(['2024-02-29', null, null])
    expect(s.comparison?.created.slice(28)).toEqual([0, null, null])
    expect(s.current.created.slice(0, 4)).toEqual([1, 1, 0, 2])
  })

  it('without a comparison there is no second series', () => {
    const s = seriesSection(resolveQuery(p, { ...q, compare: 'none' }))
    expect(s.comparison).toBeNull()
    expect(s.comparisonLabels).toBeNull()
  })
})

describe('seriesBucket (the drill-down side) agrees with the series', () => {
  it('puts each deal in the same bucket the series counted it in, or -1', () => {
    const scope = resolveQuery(p, q)
    const at3 = (measure: 'created' | 'won' | 'lost') =>
      [0, 1, 2, 3].map((d) => seriesBucket(scope, scope.current, d, measure))
    expect(at3('created')).toEqual([0, 0, -1, -1])
    expect(at3('won')).toEqual([1, 2, -1, -1])
    expect(at3('lost')).toEqual([-1, -1, 2, -1])
  })
})
