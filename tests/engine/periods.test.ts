import { describe, expect, it } from 'vitest'
import {
  bucketIndex,
  comparisonDays,
  defaultBucket,
  formatDay,
  isoWeekday,
  makeBuckets,
  parseDay,
  parsePeriod,
  timeZone,
} from '../../src/engine/periods'
import { at } from './builders'

const cmp = (from: string, to: string, mode: 'previous' | 'year') => {
  const r = comparisonDays(parseDay(from), parseDay(to), mode)!
  return [formatDay(r[0]), formatDay(r[1])]
}

describe('periods', () => {
  it('a period is [from 00:00, to+1 00:00) in a fixed-offset zone', () => {
    const p = parsePeriod(timeZone('+03:00'), '2024-03-01', '2024-03-31')
    expect(p.start).toBe(at('2024-03-01T00:00:00+03:00'))
    expect(p.end).toBe(at('2024-04-01T00:00:00+03:00'))
    expect(p.days).toBe(31)
  })

  it('reads negative and half-hour offsets and UTC', () => {
    expect(timeZone('-05:30').offsetAt(0)).toBe(-(5 * 60 + 30) * 60_000)
    expect(timeZone('UTC').offsetAt(0)).toBe(0)
    expect(parsePeriod(timeZone('-05:30'), '2024-01-01', '2024-01-01').start).toBe(at('2024-01-01T00:00:00-05:30'))
  })

  it('cuts days correctly across the spring DST change in Europe/Berlin (23-hour day)', () => {
    const p = parsePeriod(timeZone('Europe/Berlin'), '2024-03-31', '2024-03-31')
    expect(p.start).toBe(at('2024-03-31T00:00:00+01:00'))
    expect(p.end).toBe(at('2024-04-01T00:00:00+02:00'))
    expect(p.end - p.start).toBe(23 * 3_600_000)
  })

  it('cuts days correctly across the autumn DST change in Europe/Berlin (25-hour day)', () => {
    const p = parsePeriod(timeZone('Europe/Berlin'), '2024-10-27', '2024-10-27')
    expect(p.start).toBe(at('2024-10-27T00:00:00+02:00'))
    expect(p.end).toBe(at('2024-10-28T00:00:00+01:00'))
    expect(p.end - p.start).toBe(25 * 3_600_000)
  })

  it('rejects bad dates and reversed periods with a message', () => {
    expect(() => parseDay('2024-02-30')).toThrow(/not a calendar date/)
    expect(() => parseDay('01.02.2024')).toThrow(/YYYY-MM-DD/)
    expect(() => parsePeriod(timeZone('+03:00'), '2024-03-02', '2024-03-01')).toThrow(/before it starts/)
    expect(() => timeZone('Mars/Olympus')).toThrow(/Unknown time zone/)
  })

  it('compares a calendar month with the previous calendar month', () => {
    expect(cmp('2024-03-01', '2024-03-31', 'previous')).toEqual(['2024-02-01', '2024-02-29'])
    expect(cmp('2024-01-01', '2024-01-31', 'previous')).toEqual(['2023-12-01', '2023-12-31'])
  })

  it('compares a quarter with the previous quarter', () => {
    expect(cmp('2024-04-01', '2024-06-30', 'previous')).toEqual(['2024-01-01', '2024-03-31'])
  })

  it('compares an arbitrary range with the same number of days just before', () => {
    // 10 days: 2024-03-10..19 → the 10 days before: 2024-02-29..2024-03-09
    expect(cmp('2024-03-10', '2024-03-19', 'previous')).toEqual(['2024-02-29', '2024-03-09'])
  })

  it('compares with the same dates one year earlier', () => {
    expect(cmp('2024-02-01', '2024-02-29', 'year')).toEqual(['2023-02-01', '2023-02-28'])
    expect(cmp('2024-03-10', '2024-03-19', 'year')).toEqual(['2023-03-10', '2023-03-19'])
    expect(comparisonDays(parseDay('2024-03-10'), parseDay('2024-03-19'), 'none')).toBeNull()
  })

  it('ISO weeks start on Monday; a partial first week is labelled by its Monday', () => {
    expect(isoWeekday(parseDay('2024-03-04'))).toBe(1)
    expect(isoWeekday(parseDay('2024-03-03'))).toBe(7)
    const b = makeBuckets(timeZone('+03:00'), 'week', parseDay('2024-03-01'), parseDay('2024-03-14'))
    expect(b.labels).toEqual(['2024-02-26', '2024-03-04', '2024-03-11'])
    expect(b.edges).toEqual([
      at('2024-03-01T00:00:00+03:00'),
      at('2024-03-04T00:00:00+03:00'),
      at('2024-03-11T00:00:00+03:00'),
      at('2024-03-15T00:00:00+03:00'),
    ])
  })

  it('month, quarter and year buckets', () => {
    const tz = timeZone('+03:00')
    expect(makeBuckets(tz, 'month', parseDay('2024-01-15'), parseDay('2024-03-02')).labels).toEqual([
      '2024-01',
      '2024-02',
      '2024-03',
    ])
    expect(makeBuckets(tz, 'quarter', parseDay('2024-02-01'), parseDay('2024-07-01')).labels).toEqual([
      '2024-Q1',
      '2024-Q2',
      '2024-Q3',
    ])
    expect(makeBuckets(tz, 'year', parseDay('2023-12-31'), parseDay('2024-01-01')).labels).toEqual(['2023', '2024'])
  })

  it('day buckets in a DST zone put late-evening events on the right day', () => {
    const b = makeBuckets(timeZone('Europe/Berlin'), 'day', parseDay('2024-03-30'), parseDay('2024-04-01'))
    expect(b.labels).toEqual(['2024-03-30', '2024-03-31', '2024-04-01'])
    // 23:30 local on March 31 (CEST, +02:00) is 21:30 UTC: still March 31.
    expect(bucketIndex(b.edges, at('2024-03-31T21:30:00Z'))).toBe(1)
    // 00:30 local on March 31 (CET, +01:00) is 23:30 UTC on March 30: March 31 already.
    expect(bucketIndex(b.edges, at('2024-03-30T23:30:00Z'))).toBe(1)
    expect(bucketIndex(b.edges, at('2024-03-30T22:59:59Z'))).toBe(0)
  })

  it('bucket search includes the start edge and excludes the end edge', () => {
    const b = makeBuckets(timeZone('+03:00'), 'day', parseDay('2024-03-01'), parseDay('2024-03-02'))
    expect(bucketIndex(b.edges, at('2024-03-01T00:00:00+03:00'))).toBe(0)
    expect(bucketIndex(b.edges, at('2024-03-02T00:00:00+03:00'))).toBe(1)
    expect(bucketIndex(b.edges, at('2024-03-03T00:00:00+03:00'))).toBe(-1)
    expect(bucketIndex(b.edges, at('2024-02-29T23:59:59+03:00'))).toBe(-1)
  })

  it('picks a default bucket from the period length', () => {
    expect(defaultBucket(31)).toBe('day')
    expect(defaultBucket(92)).toBe('week')
    expect(defaultBucket(366)).toBe('month')
    expect(defaultBucket(2000)).toBe('quarter')
  })
})
