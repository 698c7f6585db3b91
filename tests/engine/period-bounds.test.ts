/**
 * Absurd periods are bounded (issue 8.4): a shared link asking for 0001-01-01 … 9999-12-31 gets
 * the years the data covers (±1 whole year) with at most MAX_BUCKETS chart buckets, and the
 * report says what was asked; an ordinary period is left exactly as it is.
 * The March portal's deals lie between 2024-02-28 and 2024-04-01 (+03:00); "now" is pinned.
 */
import { describe, expect, it } from 'vitest'
import { buildReport, MAX_BUCKETS, prepare } from '../../src/engine/index'
import { boundPeriod } from '../../src/engine/period-bounds'
import { bucketCount, formatDay, parseDay } from '../../src/engine/periods'
import { marchPortal } from './march'

const p = prepare(marchPortal())
const NOW = Date.parse('2024-04-15T12:00:00+03:00')
const report = (from: string, to: string, bucket?: 'day' | 'week' | 'month' | 'quarter' | 'year') =>
  buildReport(p, { from, to, compare: 'previous', now: NOW, ...(bucket ? { bucket } : {}) })

describe('absurd periods', () => {
  it('0001-01-01 … 9999-12-31 becomes the data years ±1, in few buckets, and says what was asked', () => {
    const r = report('0001-01-01', '9999-12-31')
    expect([r.period.from, r.period.to]).toEqual(['2023-01-01', '2025-12-31'])
    expect(r.period.requested).toEqual({
      from: '0001-01-01',
      to: '9999-12-31',
      bucket: 'quarter',
      reasons: ['window', 'data'],
    })
    expect(r.series.labels.length).toBeLessThanOrEqual(MAX_BUCKETS)
    expect(r.series.labels.length).toBe(36) // three years by month, the default for three years
    // The comparison follows the bounded period, not the asked one.
    expect(r.comparison!.period.to).toBe('2022-12-31')
    // Every deal is still in the bounded period.
    expect(r.funnel.cohort.reduce((n, f) => n + f.size, 0)).toBe(
      report('2024-01-01', '2024-12-31').funnel.cohort.reduce((n, f) => n + f.size, 0),
    )
  })

  it('a period wholly outside 1990–2099 shrinks to the window edge instead of building its buckets', () => {
    const r = report('9000-01-01', '9999-12-31', 'day')
    expect([r.period.from, r.period.to]).toEqual(['2099-12-31', '2099-12-31'])
    expect(r.period.requested?.reasons).toEqual(['window'])
    expect(r.series.labels).toHaveLength(1)
  })

  it('too many buckets: day buckets over two years become weeks, and the report says so', () => {
    const r = report('2023-06-01', '2025-05-31', 'day')
    expect([r.period.from, r.period.to]).toEqual(['2023-06-01', '2025-05-31'])
    expect(r.period.bucket).toBe('week')
    expect(r.period.requested).toMatchObject({ bucket: 'day', reasons: ['buckets'] })
    expect(r.series.labels.length).toBeLessThanOrEqual(MAX_BUCKETS)
  })

  it('ordinary periods, even a year before the data, are untouched and carry no `requested`', () => {
    for (const [from, to] of [
      ['2024-03-01', '2024-03-31'],
      ['2023-01-01', '2023-12-31'],
      ['2024-01-01', '2025-12-31'],
    ]) {
      const r = report(from, to)
      expect([r.period.from, r.period.to]).toEqual([from, to])
      expect(r.period).not.toHaveProperty('requested')
    }
    expect(report('2024-03-01', '2024-03-31', 'day').period.bucket).toBe('day')
  })
})

describe('boundPeriod', () => {
  const span = { firstDay: parseDay('2024-02-28'), lastDay: parseDay('2024-04-15') }
  const bound = (from: string, to: string, bucket?: 'day') => {
    const b = boundPeriod(parseDay(from), parseDay(to), bucket, span)
    return { from: formatDay(b.fromDay), to: formatDay(b.toDay), bucket: b.bucket, clamp: b.clamp }
  }

  it('keeps years below 100 as written (Date.UTC would read 0001 as 1901)', () => {
    expect(formatDay(parseDay('0001-01-01'))).toBe('0001-01-01')
    expect(bound('0001-01-01', '0001-12-31').clamp).toMatchObject({ from: '0001-01-01', reasons: ['window'] })
  })

  it('never yields more than MAX_BUCKETS buckets, whatever the bucket asked', () => {
    for (const [from, to] of [
      ['1990-01-01', '2099-12-31'],
      ['0001-01-01', '9999-12-31'],
      ['2024-01-01', '2024-12-31'],
      ['2023-01-01', '2025-12-31'],
    ]) {
      const b = bound(from, to, 'day')
      expect(bucketCount(b.bucket, parseDay(b.from), parseDay(b.to)), `${from} … ${to}`).toBeLessThanOrEqual(
        MAX_BUCKETS,
      )
    }
  })

  it('a year by day (366 buckets) stays by day', () => {
    expect(bound('2024-01-01', '2024-12-31', 'day')).toMatchObject({ bucket: 'day', clamp: null })
  })
})
