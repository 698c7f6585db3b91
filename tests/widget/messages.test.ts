import { describe, expect, it } from 'vitest'
import { formatDuration, formatPercent } from '../../src/app/widgets/format'
import { days, wt } from '../../src/app/widgets/i18n'

describe('widget words', () => {
  it("counts days with each language's plural forms", () => {
    expect([1, 3, 5, 21].map((n) => days('ru', n))).toEqual(['1 день', '3 дня', '5 дней', '21 день'])
    expect([1, 2, 11].map((n) => days('uk', n))).toEqual(['1 день', '2 дні', '11 днів'])
    expect([1, 2].map((n) => days('en', n))).toEqual(['1 day', '2 days'])
  })

  it('formats durations and rates in the portal language, — for no rate', () => {
    expect(formatDuration(30 * 60_000, 'ru')).toBe('30 мин')
    expect(formatDuration(5 * 3_600_000, 'uk')).toBe('5 год')
    expect(formatDuration(3 * 86_400_000 + 4 * 3_600_000)).toBe('3 d 4 h')
    expect(formatDuration(40 * 86_400_000)).toBe('40 d')
    expect(formatPercent(0.259, 'ru')).toBe('25,9 %')
    expect(formatPercent(null)).toBe('—')
  })

  it('3 d 23 h 40 min printed "3 d 24 h" (seen on the deal tab) — hours that round up to 24 carry into the days', () => {
    expect(formatDuration(3 * 86_400_000 + 23 * 3_600_000 + 40 * 60_000)).toBe('4 d')
  })

  it('fills parameters and keeps text as text', () => {
    expect(wt('en', 'lastAgo', { days: days('en', 2) })).toBe('Last touch 2 days ago.')
    expect(wt('ru', 'risk.idle', { days: '<b>9</b>' })).toBe('Нет касаний <b>9</b>')
  })
})
