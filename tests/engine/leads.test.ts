import { describe, expect, it } from 'vitest'
import { prepare } from '../../src/engine/prepare'
import { resolveQuery } from '../../src/engine/filters'
import { leadsSection } from '../../src/engine/leads'
import { addLead, portal } from './builders'

function leads(q: Record<string, unknown> = {}) {
  const d = portal()
  d.sources = [{ id: 'ADS', name: 'Ads' }]
  d.leadStatuses = [
    { id: 'NEW', name: 'New', sort: 10, semantic: 'P' },
    { id: 'CONVERTED', name: 'Converted', sort: 20, semantic: 'S' },
    { id: 'JUNK', name: 'Junk', sort: 30, semantic: 'F' },
  ]
  const day = (n: number) => `2024-03-${String(n).padStart(2, '0')}T10:00:00+03:00`
  addLead(d, { id: 1, created: day(1), semantic: 'P', sourceId: 'ADS' })
  addLead(d, { id: 2, created: day(2), semantic: 'S', sourceId: 'ADS' })
  addLead(d, { id: 3, created: day(3), semantic: 'S', assignedById: 2 })
  addLead(d, { id: 4, created: day(4), semantic: 'F', assignedById: 2 })
  addLead(d, { id: 5, created: day(5), semantic: 'F', assignedById: 2, sourceId: 'ADS' })
  addLead(d, { id: 6, created: '2024-03-31T21:00:00Z', semantic: 'P' }) // April 1 00:00 in +03:00: outside
  const p = prepare(d)
  const s = resolveQuery(p, { from: '2024-03-01', to: '2024-03-31', compare: 'none', ...q })
  return leadsSection(s, s.current)
}

describe('lead funnel', () => {
  it('total, active, converted, junk, loss % and conversion %', () => {
    expect(leads()).toMatchObject({ total: 5, active: 1, converted: 2, junk: 2, lossRate: 0.4, conversionRate: 0.4 })
  })

  it('by current status in status order', () => {
    expect(leads().byStatus.map((x) => [x.id, x.count])).toEqual([
      ['NEW', 1],
      ['CONVERTED', 2],
      ['JUNK', 2],
    ])
  })

  it('per manager and per source', () => {
    const l = leads()
    expect(l.byManager).toEqual([
      { key: '2', name: 'Boris', total: 3, active: 0, converted: 1, junk: 2, lossRate: 0.6667, conversionRate: 0.3333 },
      { key: '1', name: 'Anna', total: 2, active: 1, converted: 1, junk: 0, lossRate: 0, conversionRate: 0.5 },
    ])
    expect(l.bySource.find((r) => r.key === 'ADS')).toMatchObject({ total: 3, converted: 1, junk: 1 })
  })

  it('filters by source; no leads → null rates', () => {
    expect(leads({ sourceIds: ['ADS'] })).toMatchObject({ total: 3 })
    expect(leads({ sourceIds: ['NOPE'] })).toMatchObject({ total: 0, lossRate: null, conversionRate: null })
  })
})
