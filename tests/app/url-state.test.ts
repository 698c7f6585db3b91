import { describe, expect, it } from 'vitest'
import { defaultFilters, parseHash, toHash, type FilterState } from '../../src/app/services/url-state'
import { DEFAULT_PRESET, presetRange, todayIn } from '../../src/app/services/period-presets'
import { queryFromFilters } from '../../src/app/stores/report'

describe('filters in the URL hash', () => {
  it('round-trips every field, ids with commas and spaces included', () => {
    const state: FilterState = {
      ...defaultFilters(),
      page: 'churn',
      preset: 'custom',
      from: '2024-01-15',
      to: '2024-03-31',
      compare: 'year',
      pipeline: 3,
      cities: ['msk', 'Nizhny, Novgorod', 'dep:12'],
      sources: ['WEB', 'CALL'],
      managers: [7, 11],
      mode: 'flow',
      churnBy: 'manager',
      lang: 'uk',
    }
    const hash = toHash(state)
    expect(hash.startsWith('#/churn?')).toBe(true)
    expect(parseHash(hash)).toEqual(state)
  })

  it('keeps default-only links short and reads an empty hash as the defaults', () => {
    expect(toHash(defaultFilters())).toBe('#/overview')
    expect(parseHash('')).toEqual(defaultFilters())
  })

  it('drops malformed parts and keeps the rest', () => {
    const s = parseHash(
      '#/nowhere?period=fortnight&cmp=decade&pipeline=x&manager=5&manager=abc&city=spb&period=custom&from=2024-02-30&to=2024-03-01',
    )
    expect(s.page).toBe('overview')
    expect(s.preset).toBe(DEFAULT_PRESET)
    expect(s.compare).toBe('previous')
    expect(s.pipeline).toBeNull()
    expect(s.managers).toEqual([5])
    expect(s.cities).toEqual(['spb'])
    const reversed = parseHash('#/funnels?period=custom&from=2024-03-10&to=2024-03-01')
    expect(reversed.preset).toBe(DEFAULT_PRESET)
  })

  it('turns filters into the engine query', () => {
    const state = { ...defaultFilters(), pipeline: 0, cities: ['msk'], managers: [2], compare: 'none' as const }
    expect(queryFromFilters(state, { from: '2024-03-01', to: '2024-03-31' })).toEqual({
      from: '2024-03-01',
      to: '2024-03-31',
      compare: 'none',
      categoryIds: [0],
      cityIds: ['msk'],
      sourceIds: undefined,
      managerIds: [2],
    })
  })
})

describe('period presets', () => {
  it('cut calendar periods around a day, last day included', () => {
    const today = '2024-05-15' // a Wednesday
    expect(presetRange('this-week', today)).toEqual({ from: '2024-05-13', to: '2024-05-19' })
    expect(presetRange('last-week', today)).toEqual({ from: '2024-05-06', to: '2024-05-12' })
    expect(presetRange('this-month', today)).toEqual({ from: '2024-05-01', to: '2024-05-31' })
    expect(presetRange('last-month', '2024-03-31')).toEqual({ from: '2024-02-01', to: '2024-02-29' })
    expect(presetRange('last-month', '2024-01-10')).toEqual({ from: '2023-12-01', to: '2023-12-31' })
    expect(presetRange('this-quarter', today)).toEqual({ from: '2024-04-01', to: '2024-06-30' })
    expect(presetRange('last-quarter', '2024-02-01')).toEqual({ from: '2023-10-01', to: '2023-12-31' })
    expect(presetRange('this-half', today)).toEqual({ from: '2024-01-01', to: '2024-06-30' })
    expect(presetRange('last-half', today)).toEqual({ from: '2023-07-01', to: '2023-12-31' })
    expect(presetRange('last-half', '2024-09-01')).toEqual({ from: '2024-01-01', to: '2024-06-30' })
    expect(presetRange('this-year', today)).toEqual({ from: '2024-01-01', to: '2024-12-31' })
    expect(presetRange('last-year', today)).toEqual({ from: '2023-01-01', to: '2023-12-31' })
  })

  it('take "today" in the portal zone, IANA or a fixed offset', () => {
    const instant = Date.parse('2024-03-31T22:30:00Z')
    expect(todayIn('Europe/Moscow', instant)).toBe('2024-04-01')
    expect(todayIn('+03:00', instant)).toBe('2024-04-01')
    expect(todayIn('America/New_York', instant)).toBe('2024-03-31')
    expect(todayIn('-05:00', instant)).toBe('2024-03-31')
  })
})

describe('absurd periods in a link (issue 8.4)', () => {
  it('are bounded to the 1990–2099 window, remembered as asked, and only the bounded period goes back to the URL', () => {
    const s = parseHash('#/overview?period=custom&from=0001-01-01&to=9999-12-31')
    expect([s.preset, s.from, s.to]).toEqual(['custom', '1990-01-01', '2099-12-31'])
    expect(s.periodAsked).toEqual({ from: '0001-01-01', to: '9999-12-31' })
    expect(toHash(s)).toBe('#/overview?period=custom&from=1990-01-01&to=2099-12-31')
    // Wholly outside: the nearest day of the window; a year below 100 is not read as 19xx.
    expect(parseHash('#/overview?period=custom&from=0001-01-01&to=0002-12-31')).toMatchObject({
      from: '1990-01-01',
      to: '1990-01-01',
      periodAsked: { from: '0001-01-01', to: '0002-12-31' },
    })
    expect(parseHash('#/overview?period=custom&from=2024-01-01&to=2024-03-31').periodAsked).toBeNull()
  })
})
