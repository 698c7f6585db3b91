import { describe, expect, it } from 'vitest'
import { prepare } from '../../src/engine/prepare'
import { buildReport } from '../../src/engine/report'
import { drillDown } from '../../src/engine/drill'
import { addDeal, ids, portal } from './builders'

/** "Now" is 01:30 on March 16 in the portal's +03:00 (still March 15 in UTC). */
const now = Date.parse('2024-03-15T22:30:00Z')
const query = { from: '2024-03-01', to: '2024-03-31', compare: 'previous' as const, now }

function data() {
  const d = portal()
  const created = '2024-02-01T10:00:00+03:00'
  const deal = (id: number, stageId: string, expectedCloseDay: string | null, amount: number, extra: object = {}) =>
    addDeal(d, { id, stageId, created, amount, expectedCloseDay, history: [[stageId, created]], ...extra })
  deal(1, 'NEW', '2024-03-15', 100) // one day overdue in the portal's zone
  deal(2, 'CONTACT', '2024-03-16', 10) // due today: not overdue
  deal(3, 'OFFER', '2024-03-01', 50, { assignedById: 2 }) // 15 days
  deal(4, 'WON', '2024-03-01', 70) // closed: never overdue
  deal(5, 'NEW', null, 5) // no expected close date
  deal(6, 'NEW', '2024-02-16', 25) // 29 days
  deal(7, 'NEW', '2024-03-10', 5, { created: '2024-03-20T10:00:00+03:00' }) // created after "now"
  return d
}

describe('overdue deals (metrics.md "Overdue")', () => {
  const p = prepare(data())
  const r = buildReport(p, query)

  it('open deals whose expected close day is before today in the portal zone: count, amount, days', () => {
    expect(r.overdue).toMatchObject({ today: '2024-03-16', count: 3, amount: 175, meanDays: 15, maxDays: 29 })
    expect(r.kpis.overdue).toMatchObject({ value: 3, previous: null })
  })

  it('per manager and per stage', () => {
    expect(r.overdue.byManager.map((m) => [m.managerId, m.count, m.amount, m.meanDays])).toEqual([
      ['1', 2, 125, 15],
      ['2', 1, 50, 15],
    ])
    expect(r.overdue.byStage.map((x) => [x.stageId, x.count, x.amount, x.maxDays])).toEqual([
      ['NEW', 2, 125, 29],
      ['OFFER', 1, 50, 15],
    ])
  })

  it('"today" comes from the query, not the clock', () => {
    const earlier = buildReport(p, { ...query, now: Date.parse('2024-03-01T12:00:00+03:00') })
    expect(earlier.overdue).toMatchObject({ today: '2024-03-01', count: 1, amount: 25 })
  })

  it('drill-down: all, one manager, one stage', () => {
    const drill = (ref: object) => ids(drillDown(p, query, { section: 'overdue', ...ref }))
    expect(drill({})).toEqual([1, 3, 6])
    expect(drill({ managerId: '2' })).toEqual([3])
    expect(drill({ categoryId: 0, stageId: 'NEW' })).toEqual([1, 6])
  })

  it('follows the filters', () => {
    expect(buildReport(p, { ...query, managerIds: [2] }).overdue).toMatchObject({ count: 1, amount: 50 })
  })
})
