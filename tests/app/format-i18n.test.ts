import { describe, expect, it } from 'vitest'
import { createFormatter, DASH } from '../../src/app/services/format'
import { pickLanguage, translate } from '../../src/app/i18n'

describe('formatting in the portal language and zone', () => {
  it('shows — for missing figures, never 0 % or NaN', () => {
    const f = createFormatter({ locale: 'ru-RU', timeZone: 'Europe/Moscow', currency: 'RUB' })
    for (const fn of [f.number, f.money, f.percent, f.signedPercent, f.date, f.duration]) {
      expect(fn(null)).toBe(DASH)
      expect(fn(Number.NaN)).toBe(DASH)
    }
  })

  it('formats money in the report currency and dates in the portal zone', () => {
    const ru = createFormatter({ locale: 'ru-RU', timeZone: 'Europe/Moscow', currency: 'RUB' })
    // Whole units from a thousand up and for whole amounts; cents below that, where they tell.
    expect(ru.money(1234.5)).toMatch(/^1\s235\s₽$/)
    expect(ru.money(350_600)).toMatch(/^350\s600\s₽$/)
    expect(ru.money(0)).toMatch(/^0\s₽$/)
    expect(ru.money(12.5)).toMatch(/^12,50\s₽$/)
    expect(ru.money(-147_937.14)).toMatch(/^-147\s937\s₽$/)
    expect(ru.percent(0.256)).toMatch(/25,6\s?%/)
    const late = Date.parse('2024-03-31T22:30:00Z')
    expect(ru.date(late)).toBe('01.04.2024')
    const ny = createFormatter({ locale: 'en-GB', timeZone: '-05:00', currency: 'USD' })
    expect(ny.date(late)).toBe('31/03/2024')
    expect(ny.signedPercent(0.1)).toBe('+10%')
    expect(ny.duration(5 * 3_600_000)).toBe('5 h')
    expect(ny.duration(3 * 86_400_000)).toBe('3 d')
    // A change reads in the unit of the value it changes: 45 h beside 8.7 d.
    expect(ny.duration(45 * 3_600_000, 8.7 * 86_400_000)).toBe('1.9 d')
    expect(ny.duration(-3 * 86_400_000, 30 * 3_600_000)).toBe('-72 h')
  })

  it('a currency Intl does not know still shows with its code', () => {
    const f = createFormatter({ locale: 'en-GB', timeZone: 'UTC', currency: 'BONUS' })
    expect(f.money(5)).toBe('5 BONUS')
    expect(f.money(5.5)).toBe('5.50 BONUS')
    expect(f.money(12_345.5)).toBe('12,346 BONUS')
  })
})

describe('languages', () => {
  it('picks the UI language from the portal language', () => {
    expect(pickLanguage('ru')).toBe('ru')
    expect(pickLanguage('ua')).toBe('uk')
    expect(pickLanguage('uk')).toBe('uk')
    expect(pickLanguage('de')).toBe('en')
    expect(pickLanguage(null)).toBe('en')
    expect(translate('ru', 'table.rows', { n: 3 })).toBe('Строк: 3')
  })
})
