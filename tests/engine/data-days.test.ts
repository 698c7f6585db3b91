/**
 * Where the filtered deals lie in time (issue 14.3: an empty period offers the nearest one with
 * data). The March portal's deals are created or closed between 02-28 and 04-01 local (+03:00).
 */
import { describe, expect, it } from 'vitest'
import { buildReport, prepare } from '../../src/engine/index'
import { marchPortal } from './march'

const p = prepare(marchPortal())
const days = (from: string, to: string, extra: { sourceIds?: string[] } = {}) =>
  buildReport(p, { from, to, compare: 'none', ...extra }).dataDays

describe('dataDays', () => {
  it('a period after the data: the last day with deals is before it, none after', () => {
    expect(days('2024-04-02', '2024-04-30')).toEqual({
      first: '2024-02-28',
      last: '2024-04-01', // deal 6, created 04-01 00:00 local (03-31 21:00 UTC)
      lastBefore: '2024-04-01',
      firstAfter: null,
    })
  })

  it('a period before the data: the first day with deals is after it', () => {
    expect(days('2024-01-01', '2024-01-31')).toMatchObject({ lastBefore: null, firstAfter: '2024-02-28' })
  })

  it('follows the filters, and a gap inside the data has days on both sides', () => {
    // Source ADS: deals 1 and 2, created 03-05, closed 03-09 (lost) and 03-10 (won).
    expect(days('2024-03-06', '2024-03-08', { sourceIds: ['ADS'] })).toEqual({
      first: '2024-03-05',
      last: '2024-03-10',
      lastBefore: '2024-03-05',
      firstAfter: '2024-03-09',
    })
  })

  it('is null when no deal passes the filters', () => {
    expect(days('2024-03-01', '2024-03-31', { sourceIds: ['NOWHERE'] })).toBeNull()
  })
})
