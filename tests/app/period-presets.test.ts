/**
 * Period presets are cut in the portal's time zone (issue 12.8): "today" is the portal's date,
 * DST included, and the calendar arithmetic (dayjs) never slips a day.
 */
import { describe, expect, it } from 'vitest'
import { DEFAULT_PRESET, isIsoDate, presetIn, presetRange, todayIn } from '../../src/app/services/period-presets'

describe('the default period', () => {
  it('is the last 30 whole days, yesterday included', () => {
    expect(DEFAULT_PRESET).toBe('last-30-days')
    expect(presetRange('last-30-days', '2026-12-04')).toEqual({ from: '2026-11-04', to: '2026-12-03' })
    expect(presetRange('last-30-days', '2024-03-01')).toEqual({ from: '2024-01-31', to: '2024-02-29' })
  })
})

describe('presets in the portal zone', () => {
  it('a non-UTC zone: Tokyo is already in April when UTC is still in March', () => {
    const instant = Date.parse('2024-03-31T15:30:00Z') // 00:30 on April 1 in Tokyo
    expect(presetIn('this-month', 'Asia/Tokyo', instant)).toEqual({ from: '2024-04-01', to: '2024-04-30' })
    expect(presetIn('this-month', 'UTC', instant)).toEqual({ from: '2024-03-01', to: '2024-03-31' })
    expect(presetIn('last-30-days', 'Asia/Tokyo', instant)).toEqual({ from: '2024-03-02', to: '2024-03-31' })
  })

  it('a DST zone: the offset of the day itself decides, not the one of another season', () => {
    // New York left DST on 2024-11-03: 04:30 UTC on Nov 4 is 23:30 EST on Sunday Nov 3
    // (with the summer offset it would be Monday 00:30, a week later).
    const autumn = Date.parse('2024-11-04T04:30:00Z')
    expect(todayIn('America/New_York', autumn)).toBe('2024-11-03')
    expect(presetIn('this-week', 'America/New_York', autumn)).toEqual({ from: '2024-10-28', to: '2024-11-03' })
    // Berlin entered DST on 2024-03-31: 22:30 UTC that day is 00:30 CEST on April 1.
    const spring = Date.parse('2024-03-31T22:30:00Z')
    expect(presetIn('this-quarter', 'Europe/Berlin', spring)).toEqual({ from: '2024-04-01', to: '2024-06-30' })
    expect(presetIn('last-month', 'Europe/Berlin', spring)).toEqual({ from: '2024-03-01', to: '2024-03-31' })
  })

  it('a fixed offset, and an unknown zone falls back to UTC', () => {
    const instant = Date.parse('2024-03-31T22:30:00Z')
    expect(todayIn('+0300', instant)).toBe('2024-04-01')
    expect(todayIn('Mars/Olympus', instant)).toBe('2024-03-31')
  })
})

describe('date-picker input', () => {
  it('accepts real calendar dates only', () => {
    expect(isIsoDate('2024-02-29')).toBe(true)
    expect(isIsoDate('2023-02-29')).toBe(false)
    expect(isIsoDate('2024-02-30')).toBe(false)
    expect(isIsoDate('2024-2-3')).toBe(false)
    expect(isIsoDate(20240203)).toBe(false)
  })
})
