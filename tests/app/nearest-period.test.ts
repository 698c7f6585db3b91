/** Issue 14.3: an empty period offers the nearest period with deals, as long as the one on screen. */
import { describe, expect, it } from 'vitest'
import { nearestPeriod } from '../../src/app/services/nearest-period'

const data = (lastBefore: string | null, firstAfter: string | null) => ({
  first: '2024-01-01',
  last: '2024-12-31',
  lastBefore,
  firstAfter,
})

describe('nearestPeriod', () => {
  it('after the data: the same number of days, ending on the last day with deals', () => {
    const range = { from: '2026-11-04', to: '2026-12-03' } // 30 days
    expect(nearestPeriod(range, data('2026-10-20', null))).toEqual({ from: '2026-09-21', to: '2026-10-20' })
  })

  it('before the data: starting on the first day with deals', () => {
    expect(nearestPeriod({ from: '2024-02-01', to: '2024-02-29' }, data(null, '2024-03-10'))).toEqual({
      from: '2024-03-10',
      to: '2024-04-07',
    })
  })

  it('a gap inside the data: the closer side; the earlier one on a tie', () => {
    const range = { from: '2024-05-10', to: '2024-05-19' } // 10 days
    expect(nearestPeriod(range, data('2024-05-01', '2024-05-22'))).toEqual({ from: '2024-05-22', to: '2024-05-31' })
    expect(nearestPeriod(range, data('2024-05-07', '2024-05-22'))).toEqual({ from: '2024-04-28', to: '2024-05-07' })
  })

  it('nothing to offer without data, or from a saved report that does not say', () => {
    expect(nearestPeriod({ from: '2024-05-01', to: '2024-05-31' }, null)).toBeNull()
    expect(nearestPeriod({ from: '2024-05-01', to: '2024-05-31' }, undefined)).toBeNull()
    expect(nearestPeriod({ from: '2024-05-01', to: '2024-05-31' }, data(null, null))).toBeNull()
  })
})
