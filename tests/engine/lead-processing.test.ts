import { describe, expect, it } from 'vitest'
import { prepare } from '../../src/engine/prepare'
import { buildReport } from '../../src/engine/report'
import type { CrmData } from '../../src/engine/types'
import { addLead, addTouch, at, portal } from './builders'

let eventId = 1
function leadEvent(d: CrmData, ownerId: number, typeId: number, stageId: string, iso: string) {
  d.leadEvents.push({ id: eventId++, ownerId, typeId, stageId, categoryId: -1, semantic: 'P', at: at(iso) })
}

/** March 2024 in +03:00; processing times 2 h, 4 h, 10 h, 1 h and one lead never processed. */
function data() {
  const d = portal()
  d.sources = [{ id: 'ADS', name: 'Ads' }]
  const t = (day: number, hour: number) =>
    `2024-03-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00+03:00`
  // 1: a touch after 2 h comes before the status change after 5 h.
  addLead(d, { id: 1, created: t(1, 10), semantic: 'P' })
  addTouch(d, { kind: 'call', at: t(1, 12), leadIds: [1] })
  leadEvent(d, 1, 1, 'NEW', t(1, 10))
  leadEvent(d, 1, 2, 'IN_PROCESS', t(1, 15))
  // 2: the status change after 4 h; a touch before the lead existed does not count.
  addLead(d, { id: 2, created: t(2, 10), semantic: 'P' })
  addTouch(d, { kind: 'email', at: t(2, 9), leadIds: [2] })
  leadEvent(d, 2, 1, 'NEW', t(2, 10))
  leadEvent(d, 2, 2, 'IN_PROCESS', t(2, 14))
  // 3: a history row that names the same status is no change; the touch after 10 h is.
  addLead(d, { id: 3, created: t(3, 10), semantic: 'P' })
  leadEvent(d, 3, 1, 'NEW', t(3, 10))
  leadEvent(d, 3, 2, 'NEW', t(3, 11))
  addTouch(d, { kind: 'call', at: t(3, 20), leadIds: [3] })
  // 4: nothing at all; 5: no history, junked an hour after creation.
  addLead(d, { id: 4, created: t(4, 10), semantic: 'P', assignedById: 2 })
  const junk = addLead(d, { id: 5, created: t(5, 10), semantic: 'F', assignedById: 2, sourceId: 'ADS' })
  junk.closedAt = at(t(5, 11))
  // February: the comparison period.
  addLead(d, { id: 6, created: '2024-02-10T10:00:00+03:00', semantic: 'P' })
  addTouch(d, { kind: 'call', at: '2024-02-10T10:30:00+03:00', leadIds: [6] })
  return d
}

describe('lead processing time (metrics.md)', () => {
  const r = buildReport(prepare(data()), { from: '2024-03-01', to: '2024-03-31', compare: 'previous' })

  it('count, mean, median, p90 in hours; not processed apart', () => {
    expect(r.leads.processing).toMatchObject({ count: 4, mean: 4.25, median: 3, p90: 8.2, notProcessed: 1 })
    expect(r.comparison?.leads.processing).toMatchObject({ count: 1, mean: 0.5, notProcessed: 0 })
  })

  it('per manager and per source', () => {
    expect(r.leads.processing.byManager.map((m) => [m.key, m.count, m.median, m.notProcessed])).toEqual([
      ['1', 3, 4, 0],
      ['2', 1, 1, 1],
    ])
    expect(r.leads.processing.bySource.find((x) => x.key === 'ADS')).toMatchObject({ count: 1, mean: 1 })
    expect(r.leads.processing.bySource.find((x) => x.key === '')).toMatchObject({ count: 3, notProcessed: 1 })
  })
})
