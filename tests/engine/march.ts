/**
 * A hand-made portal shared by the funnel, churn and drill-down tests (time zone +03:00,
 * period March 2024). Stages: NEW → CONTACT → OFFER → WON (S) | LOSE (F).
 *
 *  id  created (local)      history                                         now     source  reason
 *  1   03-05                NEW, CONTACT 03-06, OFFER 03-07, WON 03-10      WON     ADS
 *  2   03-05                NEW, OFFER 03-08 (skips CONTACT), LOSE 03-09    LOSE    ADS     R1
 *  3   03-06                NEW, CONTACT 03-07, NEW 03-08 (moved back)      NEW
 *  4   03-10                NEW, LOSE 03-11                                 LOSE            R2
 *  5   02-28 (before P)     NEW, CONTACT 03-02, LOSE 03-03                  LOSE
 *  6   04-01 00:00 (after)  NEW                                             NEW
 *  7   03-01 00:00 (edge)   no history; movedAt 03-02                       CONTACT
 *  8   02-29 23:30 UTC = 03-01 02:30 local: NEW                              NEW
 *  9   03-12                NEW, LOSE 03-13, CONTACT 03-14 (reopened), WON 03-15   WON
 */
import type { CrmData } from '../../src/engine/types'
import { addDeal, at, portal } from './builders'

export function marchPortal(): CrmData {
  const data = portal()
  data.sources = [{ id: 'ADS', name: 'Ads' }]
  data.lossReasons = [
    { id: 'R1', name: 'Too expensive' },
    { id: 'R2', name: 'No answer' },
  ]
  const h = (day: string) => `2024-${day}T12:00:00+03:00`
  addDeal(data, {
    id: 1,
    stageId: 'WON',
    created: h('03-05'),
    sourceId: 'ADS',
    amount: 1000,
    history: [
      ['NEW', h('03-05')],
      ['CONTACT', h('03-06')],
      ['OFFER', h('03-07')],
      ['WON', h('03-10')],
    ],
  })
  addDeal(data, {
    id: 2,
    stageId: 'LOSE',
    created: h('03-05'),
    sourceId: 'ADS',
    lossReasonId: 'R1',
    amount: 500,
    history: [
      ['NEW', h('03-05')],
      ['OFFER', h('03-08')],
      ['LOSE', h('03-09')],
    ],
  })
  addDeal(data, {
    id: 3,
    stageId: 'NEW',
    created: h('03-06'),
    history: [
      ['NEW', h('03-06')],
      ['CONTACT', h('03-07')],
      ['NEW', h('03-08')],
    ],
  })
  addDeal(data, {
    id: 4,
    stageId: 'LOSE',
    created: h('03-10'),
    lossReasonId: 'R2',
    assignedById: 2,
    history: [
      ['NEW', h('03-10')],
      ['LOSE', h('03-11')],
    ],
  })
  addDeal(data, {
    id: 5,
    stageId: 'LOSE',
    created: h('02-28'),
    history: [
      ['NEW', h('02-28')],
      ['CONTACT', h('03-02')],
      ['LOSE', h('03-03')],
    ],
  })
  addDeal(data, {
    id: 6,
    stageId: 'NEW',
    created: '2024-04-01T00:00:00+03:00',
    history: [['NEW', '2024-04-01T00:00:00+03:00']],
  })
  addDeal(data, { id: 7, stageId: 'CONTACT', created: '2024-03-01T00:00:00+03:00', movedAt: at(h('03-02')) })
  addDeal(data, { id: 8, stageId: 'NEW', created: '2024-02-29T23:30:00Z', history: [['NEW', '2024-02-29T23:30:00Z']] })
  addDeal(data, {
    id: 9,
    stageId: 'WON',
    created: h('03-12'),
    amount: 2000,
    history: [
      ['NEW', h('03-12')],
      ['LOSE', h('03-13')],
      ['CONTACT', h('03-14')],
      ['WON', h('03-15')],
    ],
  })
  return data
}

export const MARCH = {
  from: '2024-03-01',
  to: '2024-03-31',
  compare: 'none' as const,
  now: at('2024-04-15T12:00:00+03:00'),
}
