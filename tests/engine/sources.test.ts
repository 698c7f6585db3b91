import { describe, expect, it } from 'vitest'
import { prepare } from '../../src/engine/prepare'
import { resolveQuery } from '../../src/engine/filters'
import { sourcesSection } from '../../src/engine/sources'
import { addDeal, addLead } from './builders'
import { drillDown } from '../../src/engine/drill'
import { buildReport } from '../../src/engine/report'
import { MARCH, marchPortal } from './march'

function sources() {
  const data = marchPortal()
  data.deals.find((d) => d.id === 1)!.utmSource = 'google'
  data.deals.find((d) => d.id === 3)!.utmSource = 'google'
  addLead(data, { id: 1, created: '2024-03-02T10:00:00+03:00', semantic: 'S', sourceId: 'ADS' })
  addLead(data, { id: 2, created: '2024-03-03T10:00:00+03:00', semantic: 'F', sourceId: 'ADS' })
  const p = prepare(data)
  const s = resolveQuery(p, MARCH)
  return sourcesSection(s, s.current)
}

describe('sources', () => {
  const src = sources()

  it('summary per source over the cohort', () => {
    expect(src.summary).toEqual([
      // cohort without source: 3, 4, 7, 8, 9 (9 won, 2000)
      { key: '', name: '(not set)', leads: 0, deals: 5, won: 1, revenue: 2000, conversion: 0.2 },
      { key: 'ADS', name: 'Ads', leads: 2, deals: 2, won: 1, revenue: 1000, conversion: 0.5 },
    ])
  })

  it('source × stage matrix: reached and reached / cohort size of the source', () => {
    const ads = src.matrix[0].rows.find((r) => r.key === 'ADS')!
    expect(ads.size).toBe(2)
    expect(ads.stages.NEW).toEqual({ reached: 2, share: 1 })
    expect(ads.stages.CONTACT).toEqual({ reached: 2, share: 1 }) // deal 2 skipped it
    expect(ads.stages.WON).toEqual({ reached: 1, share: 0.5 })
    const none = src.matrix[0].rows.find((r) => r.key === '')!
    expect(none.stages.CONTACT).toEqual({ reached: 3, share: 0.6 }) // 3, 7, 9
    expect(none.stages.OFFER).toEqual({ reached: 1, share: 0.2 }) // 9 (implied by the win)
  })

  it('the UTM source is a second channel dimension', () => {
    const google = src.utm.matrix[0].rows.find((r) => r.key === 'google')!
    expect(google.size).toBe(2)
    expect(google.stages.CONTACT).toEqual({ reached: 2, share: 1 })
    expect(google.stages.OFFER).toEqual({ reached: 1, share: 0.5 })
  })
})

describe("a deal without a source takes its lead's", () => {
  it("counts under the lead's source and shows it in drill rows", () => {
    const data = marchPortal()
    addLead(data, { id: 70, created: '2024-03-01T09:00:00+03:00', semantic: 'S', sourceId: 'ADS' })
    addDeal(data, {
      id: 70,
      stageId: 'NEW',
      created: '2024-03-20T10:00:00+03:00',
      leadId: 70,
      history: [['NEW', '2024-03-20T10:00:00+03:00']],
    })
    const p = prepare(data)
    const r = buildReport(p, MARCH)
    expect(r.sources.summary.find((x) => x.key === 'ADS')).toMatchObject({ leads: 1, deals: 3 })
    const rows = drillDown(p, MARCH, { section: 'sources', key: 'ADS', measure: 'deals' })
    expect(rows.map((x) => [x.id, x.sourceId, x.sourceName])).toEqual([
      [1, 'ADS', 'Ads'],
      [2, 'ADS', 'Ads'],
      [70, 'ADS', 'Ads'],
    ])
  })
})
