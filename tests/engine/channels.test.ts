import { describe, expect, it } from 'vitest'
import { prepare } from '../../src/engine/prepare'
import { resolveQuery } from '../../src/engine/filters'
import { sourcesSection } from '../../src/engine/sources'
import { drillDown } from '../../src/engine/drill'
import { channelResolver, DEFAULT_SOURCE_ALIASES } from '../../src/engine/channels'
import type { CrmData } from '../../src/engine/types'
import { addDeal, addLead, portal } from './builders'

const Q = { from: '2024-03-01', to: '2024-03-31', compare: 'none' as const, now: Date.parse('2024-04-01T00:00:00Z') }

function spelled(aliases?: Record<string, string[]>): CrmData {
  const data = portal()
  if (aliases) data.settings.sourceAliases = aliases
  const utm = ['yandex', 'Yandex', 'yandex.direct', ' YA ', 'google', 'AdWords', 'partner_blog', 'Partner_Blog', null]
  utm.forEach((u, i) =>
    addDeal(data, {
      id: i + 1,
      stageId: i % 2 ? 'WON' : 'NEW',
      created: `2024-03-${String(i + 2).padStart(2, '0')}T10:00:00+03:00`,
      amount: 100,
      utmSource: u,
    }),
  )
  addLead(data, { id: 1, created: '2024-03-05T10:00:00+03:00', semantic: 'P', utmSource: 'Yandex.Direct' })
  return data
}

describe('UTM channels (issue 10.7)', () => {
  it('merges spellings of one network by case and by the default alias map', () => {
    const p = prepare(spelled())
    const s = resolveQuery(p, Q)
    const rows = sourcesSection(s, s.current).utm.summary
    const by = Object.fromEntries(rows.map((r) => [r.key, r]))
    expect(Object.keys(by).sort()).toEqual(['', 'google', 'partner_blog', 'yandex'])
    expect(by.yandex).toMatchObject({ name: 'yandex', deals: 4, leads: 1, won: 2 })
    expect(by.yandex.spellings).toEqual([' YA ', 'Yandex', 'Yandex.Direct', 'yandex', 'yandex.direct'])
    expect(by.google).toMatchObject({ deals: 2, spellings: ['AdWords', 'google'] })
    // Unknown values still merge by case.
    expect(by.partner_blog).toMatchObject({ deals: 2, spellings: ['Partner_Blog', 'partner_blog'] })
    // The plain source summary has no spellings column.
    expect(sourcesSection(s, s.current).summary[0].spellings).toBeUndefined()
  })

  it('follows the alias map from the settings', () => {
    const p = prepare(spelled({ search: ['yandex', 'google', 'adwords', 'ya', 'yandex.direct'] }))
    const s = resolveQuery(p, Q)
    const keys = sourcesSection(s, s.current)
      .utm.summary.map((r) => `${r.key}:${r.deals}`)
      .sort()
    expect(keys).toEqual([':1', 'partner_blog:2', 'search:6'])
  })

  it('filters by the merged channel and keeps the raw value in the drill rows', () => {
    const p = prepare(spelled())
    const q = { ...Q, utmSources: ['yandex'] }
    const rows = drillDown(p, q, { section: 'sources', dim: 'utmSource', key: 'yandex', measure: 'deals' })
    expect(rows.map((r) => r.utmSource).sort()).toEqual([' YA ', 'Yandex', 'yandex', 'yandex.direct'])
  })

  it('default aliases cover the common networks', () => {
    const channel = channelResolver(DEFAULT_SOURCE_ALIASES)
    const cases: [string, string][] = [
      ['Yandex.Direct', 'yandex'],
      ['Google Ads', 'google'],
      ['adwords', 'google'],
      ['VKontakte', 'vk'],
      ['FB', 'facebook'],
      ['IG', 'instagram'],
      ['tg', 'telegram'],
      ['Telegram', 'telegram'],
      ['  Some   Blog ', 'some blog'],
    ]
    for (const [raw, key] of cases) expect(channel(raw), raw).toBe(key)
    expect(channel('   ')).toBeNull()
    expect(channel(null)).toBeNull()
  })
})
