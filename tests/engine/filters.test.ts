/**
 * filters.ts: the query's resolution into masks and periods (issue 12 point 5: its own tests).
 * A hand-made +03:00 portal, pipeline 0 = NEW → CONTACT → OFFER → WON | LOSE.
 */
import { describe, expect, it } from 'vitest'
import { QueryError } from '../../src/engine/errors'
import { dealMask, inPeriod, leadMask, resolveQuery, type ReportQuery } from '../../src/engine/filters'
import { prepare } from '../../src/engine/prepare'
import { addDeal, addLead, at, portal } from './builders'

const data = portal()
// 0: created in March (ADS, Anna), won in March.
addDeal(data, {
  id: 1,
  stageId: 'WON',
  created: '2024-03-05T10:00+03:00',
  sourceId: 'ADS',
  history: [
    ['NEW', '2024-03-05T10:00+03:00'],
    ['WON', '2024-03-20T10:00+03:00'],
  ],
})
// 1: created in February (SEO, Boris), lost on 1 March at 00:30 local (29 Feb 21:30 UTC).
addDeal(data, {
  id: 2,
  stageId: 'LOSE',
  created: '2024-02-10T10:00+03:00',
  sourceId: 'SEO',
  assignedById: 2,
  history: [
    ['NEW', '2024-02-10T10:00+03:00'],
    ['LOSE', '2024-03-01T00:30+03:00'],
  ],
})
// 2: open in OFFER, created in February (ADS, Boris).
addDeal(data, {
  id: 3,
  stageId: 'OFFER',
  created: '2024-02-20T10:00+03:00',
  sourceId: 'ADS',
  assignedById: 2,
  history: [
    ['NEW', '2024-02-20T10:00+03:00'],
    ['OFFER', '2024-02-25T10:00+03:00'],
  ],
})
// 3: a pipeline the portal does not have: never passes.
addDeal(data, { id: 4, stageId: 'X:NEW', categoryId: 9, created: '2024-03-06T10:00+03:00', sourceId: 'ADS' })
addLead(data, { id: 1, created: '2024-03-02T10:00+03:00', semantic: 'P', sourceId: 'ADS' })
addLead(data, { id: 2, created: '2024-03-03T10:00+03:00', semantic: 'F', sourceId: 'SEO', assignedById: 2 })
const p = prepare(data)

const march: ReportQuery = {
  from: '2024-03-01',
  to: '2024-03-31',
  compare: 'previous',
  now: at('2024-04-02T12:00+03:00'),
}
const flags = (a: Uint8Array) => Array.from(a)

describe('dealMask and leadMask', () => {
  it('without filters every deal of a known pipeline passes', () => {
    expect(flags(dealMask(p, march))).toEqual([1, 1, 1, 0])
    expect(flags(leadMask(p, march))).toEqual([1, 1])
  })

  it('each filter narrows deals and leads alike; filters combine with AND', () => {
    expect(flags(dealMask(p, { ...march, sourceIds: ['ADS'] }))).toEqual([1, 0, 1, 0])
    expect(flags(leadMask(p, { ...march, sourceIds: ['ADS'] }))).toEqual([1, 0])
    expect(flags(dealMask(p, { ...march, sourceIds: ['ADS'], managerIds: [2] }))).toEqual([0, 0, 1, 0])
    expect(flags(leadMask(p, { ...march, managerIds: [2] }))).toEqual([0, 1])
    expect(flags(dealMask(p, { ...march, sourceIds: ['NOWHERE'] }))).toEqual([0, 0, 0, 0])
  })

  it('the current-stage filter keeps deals now in one of the stages', () => {
    expect(flags(dealMask(p, { ...march, stageIds: ['OFFER', 'WON'] }))).toEqual([1, 0, 1, 0])
  })
})

describe('resolveQuery', () => {
  const s = resolveQuery(p, march)

  it('cuts the period in the portal time zone and flags cohort, won and lost per deal', () => {
    expect(s.current.period.start).toBe(at('2024-03-01T00:00+03:00'))
    expect(s.current.period.end).toBe(at('2024-04-01T00:00+03:00'))
    expect(flags(s.current.cohort)).toEqual([1, 0, 0, 0])
    expect(flags(s.current.won)).toEqual([1, 0, 0, 0])
    // Lost at 00:30 local on 1 March: inside March although it is still February in UTC.
    expect(flags(s.current.lost)).toEqual([0, 1, 0, 0])
  })

  it('a whole month compares with the month before, with its own flags', () => {
    expect(s.comparison?.period).toMatchObject({ from: '2024-02-01', to: '2024-02-29' })
    expect(flags(s.comparison!.cohort)).toEqual([0, 1, 1, 0])
    expect(flags(s.comparison!.lost)).toEqual([0, 0, 0, 0])
    expect(resolveQuery(p, { ...march, compare: 'none' }).comparison).toBeNull()
  })

  it('period flags follow the filters', () => {
    const seo = resolveQuery(p, { ...march, sourceIds: ['SEO'] })
    expect(flags(seo.current.won)).toEqual([0, 0, 0, 0])
    expect(flags(seo.current.lost)).toEqual([0, 1, 0, 0])
  })

  it('inPeriod: start included, end excluded', () => {
    expect(inPeriod(s.current, at('2024-03-01T00:00+03:00'))).toBe(true)
    expect(inPeriod(s.current, at('2024-03-31T23:59+03:00'))).toBe(true)
    expect(inPeriod(s.current, at('2024-04-01T00:00+03:00'))).toBe(false)
    expect(inPeriod(s.current, NaN)).toBe(false)
  })

  it('rejects a malformed query with a QueryError naming the field', () => {
    const bad = (q: Partial<ReportQuery>) => () => resolveQuery(p, { ...march, ...q } as ReportQuery)
    expect(bad({ from: '2024-04-01', to: '2024-03-01' })).toThrow(/ends \(2024-03-01\) before it starts/)
    expect(bad({ compare: 'month' as never })).toThrow(/compare must be one of previous, year, none/)
    expect(bad({ bucket: 'hour' as never })).toThrow(QueryError)
    expect(bad({ now: NaN })).toThrow(/now must be a time/)
  })
})
