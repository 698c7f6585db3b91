import { describe, expect, it } from 'vitest'
import {
  SETTINGS_VERSION,
  defaultSettings,
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
