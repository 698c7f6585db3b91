import { describe, expect, it } from 'vitest'
import {
  SETTINGS_VERSION,
  defaultSettings,
  formatSourceAliases,
  parseSourceAliases,
  parseSettings,
  serializeSettings,
  storedSettingsVersion,
} from '../../src/b24/settings'

describe('settings', () => {
  it('round-trips through the app option string', () => {
    const s = defaultSettings()
    s.cityField = 'UF_CRM_CITY'
    s.currency = 'usd'
    s.analytics.noShowStageIds = ['C1:NOSHOW']
    const back = parseSettings(serializeSettings(s))
    expect(back).toEqual({ ...s, currency: 'USD' })
  })

  it('upgrades an older blob field by field and keeps what the admin chose', () => {
    const old = JSON.stringify({
      version: 0,
      cityField: 'UF_CRM_TOWN',
      analytics: { workingHours: { start: 25, end: 3 } },
    })
    const s = parseSettings(old)
    expect(storedSettingsVersion(old)).toBe(0)
    expect(s.version).toBe(SETTINGS_VERSION)
    expect(s.cityField).toBe('UF_CRM_TOWN')
    expect(s.analytics.workingHours).toEqual(defaultSettings().analytics.workingHours)
  })

  it('falls back to defaults on garbage', () => {
    expect(parseSettings('{not json')).toEqual(defaultSettings())
    expect(parseSettings(null)).toEqual(defaultSettings())
    expect(storedSettingsVersion('{bad')).toBe(0)
  })
})

describe('UTM alias settings', () => {
  it('default to the common networks, and an older blob without them gets the defaults', () => {
    const d = defaultSettings().analytics.sourceAliases!
    expect(d.yandex).toEqual(expect.arrayContaining(['ya', 'yandex.direct']))
    expect(d.google).toEqual(expect.arrayContaining(['google ads', 'adwords']))
    expect(Object.keys(d)).toEqual(expect.arrayContaining(['vk', 'facebook', 'instagram', 'telegram']))
    expect(parseSettings(JSON.stringify({ version: 1, analytics: {} })).analytics.sourceAliases).toEqual(d)
  })

  it('keep what the admin saved, folded; an empty map stays empty', () => {
    const s = parseSettings(JSON.stringify({ analytics: { sourceAliases: { ' Search ': ['Yandex', 'search', 3] } } }))
    expect(s.analytics.sourceAliases).toEqual({ search: ['yandex'] })
    expect(parseSettings(JSON.stringify({ analytics: { sourceAliases: {} } })).analytics.sourceAliases).toEqual({})
  })

  it('read back from the form text, naming the lines that have no channel', () => {
    const text = formatSourceAliases({ yandex: ['ya', 'yandex.direct'], blog: [] })
    expect(text).toBe('yandex: ya, yandex.direct\nblog')
    expect(parseSourceAliases(text)).toEqual({ aliases: { yandex: ['ya', 'yandex.direct'], blog: [] }, badLines: [] })
    expect(parseSourceAliases('Yandex: YA,  Direct ,\n\n: vk\nyandex: ya.ru')).toEqual({
      aliases: { yandex: ['ya', 'direct', 'ya.ru'] },
      badLines: [3],
    })
  })
})
