import { describe, expect, it } from 'vitest'
import { prepare } from '../../src/engine/prepare'
import { buildReport } from '../../src/engine/report'
import { drillDown } from '../../src/engine/drill'
import { addDeal, ids, portal } from './builders'

/**
 * March 2024 in +03:00 (comparison: February). Company 7 is an old client (first deal in January);
 * contact 7 is a different, new client; a deal with both a company and a contact belongs to the
 * company; contact 8's first deal is at 23:30 local on Feb 28 (the comparison period).
 */
function data() {
  const d = portal()
  const won = (id: number, created: string, amount: number, extra: object) =>
    addDeal(d, {
      id,
      stageId: 'WON',
      created,
      amount,
      history: [
        ['NEW', created],
        ['WON', created],
      ],
      ...extra,
    })
  const open = (id: number, created: string, extra: object) =>
    addDeal(d, { id, stageId: 'NEW', created, amount: 10, history: [['NEW', created]], ...extra })
  open(1, '2024-01-10T10:00:00+03:00', { companyId: 7 })
  won(2, '2024-03-05T10:00:00+03:00', 100, { companyId: 7 })
  open(3, '2024-03-06T10:00:00+03:00', { contactId: 7 })
  won(4, '2024-03-07T10:00:00+03:00', 200, { contactId: 7, companyId: 9 })
  open(5, '2024-04-02T10:00:00+03:00', { contactId: 7 })
  won(6, '2024-03-10T10:00:00+03:00', 30, {})
  open(7, '2024-03-31T23:30:00+03:00', { companyId: 9, assignedById: 2 })
  open(8, '2024-02-28T23:30:00+03:00', { contactId: 8 })
  open(9, '2024-03-01T00:10:00+03:00', { contactId: 8 })
  d.companies = [{ id: 9, name: 'Steel LLC' }]
  d.contacts = [{ id: 7, name: 'Ivan Petrov' }]
  return d
}

const query = { from: '2024-03-01', to: '2024-03-31', compare: 'previous' as const, now: Date.parse('2024-05-01') }

describe('clients: new vs existing (metrics.md "Client")', () => {
  const p = prepare(data())
  const r = buildReport(p, query)

  it('splits the period’s deals into new clients, existing clients and no client', () => {
    expect(r.clients).toMatchObject({
      newClients: 2,
      existingClients: 2,
      newClientDeals: { deals: 3, won: 1, revenue: 200 },
      existingClientDeals: { deals: 2, won: 1, revenue: 100 },
      noClientDeals: { deals: 1, won: 1, revenue: 30 },
    })
  })

  it('a client first seen at 23:30 local on the last day of February is new in February, existing in March', () => {
    expect(r.comparison?.clients).toMatchObject({ newClients: 1, existingClients: 0 })
    expect(r.clients.top.find((c) => c.key === 'contact:8')).toMatchObject({ isNew: false, deals: 1 })
    // A count of events: its change carries the Poisson test (metrics.md "Changes between periods").
    expect(r.kpis.newClients).toMatchObject({ value: 2, previous: 1, test: 'poisson' })
  })

  it('top clients by revenue, with names, first and last deal; company 7 and contact 7 apart', () => {
    expect(r.clients.top.map((c) => [c.key, c.name, c.isNew, c.deals, c.won, c.revenue])).toEqual([
      ['company:9', 'Steel LLC', true, 2, 1, 200],
      ['company:7', null, false, 1, 1, 100],
      ['contact:8', null, false, 1, 0, 0],
      ['contact:7', 'Ivan Petrov', true, 1, 0, 0],
    ])
    const c7 = r.clients.top.find((c) => c.key === 'contact:7')!
    expect([c7.firstDealAt, c7.lastDealAt]).toEqual([
      Date.parse('2024-03-06T10:00:00+03:00'),
      Date.parse('2024-04-02T10:00:00+03:00'),
    ])
  })

  it('per manager and per source', () => {
    expect(r.clients.byManager.map((m) => [m.key, m.newClients, m.existingClients, m.newClientDeals.deals])).toEqual([
      ['1', 2, 2, 2],
      ['2', 1, 0, 1],
    ])
    expect(r.clients.bySource).toHaveLength(1)
    expect(r.clients.bySource[0]).toMatchObject({ key: '', newClients: 2, noClientDeals: { deals: 1 } })
  })

  it('drill-down returns the deals counted: one client, a group, won only, a manager', () => {
    const drill = (ref: object) => ids(drillDown(p, query, { section: 'clients', measure: 'deals', ...ref } as never))
    expect(drill({ client: 'company:9' })).toEqual([4, 7])
    expect(drill({ client: 'company:9', measure: 'won' })).toEqual([4])
    expect(drill({ group: 'new' })).toEqual([3, 4, 7])
    expect(drill({ group: 'existing' })).toEqual([2, 9])
    expect(drill({ group: 'none' })).toEqual([6])
    expect(drill({ group: 'new', split: { dim: 'manager', key: '2' } })).toEqual([7])
    expect(drill({ client: 'contact:8', period: 'comparison' })).toEqual([8])
    expect(() => drill({ client: 'company:404' })).toThrow(/No client company:404/)
    expect(() => drill({ client: 'company:404' })).toThrow(expect.objectContaining({ code: 'UNKNOWN_CLIENT' }))
  })

  it('filters narrow the deals but not what "first deal ever" means', () => {
    const only2 = buildReport(p, { ...query, managerIds: [2] })
    // Company 9's first deal (manager 1) is still in March: new.
    expect(only2.clients).toMatchObject({ newClients: 1, existingClients: 0, newClientDeals: { deals: 1 } })
  })
})
