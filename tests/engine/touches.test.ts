import { describe, expect, it } from 'vitest'
import { prepare } from '../../src/engine/prepare'
import { resolveQuery } from '../../src/engine/filters'
import { touchesSection } from '../../src/engine/touches'
import { addDeal, addTouch, portal } from './builders'

const t = (s: string) => `2024-${s}:00+03:00`

function touches(q: Record<string, unknown> = {}) {
  const data = portal({
    pipelines: [
      {
        id: 0,
        stages: [
          { id: 'NEW' },
          { id: 'CONSULT' },
          { id: 'NOSHOW' },
          { id: 'CONTRACT' },
          { id: 'WON', semantic: 'S' },
          { id: 'LOSE', semantic: 'F' },
        ],
      },
    ],
  })
  data.settings.consultationStageIds = ['CONSULT']
  data.settings.noShowStageIds = ['NOSHOW']
  data.settings.contractStageIds = ['CONTRACT']
  addDeal(data, {
    id: 1,
    stageId: 'WON',
    created: t('03-04T09:00'),
    history: [
      ['NEW', t('03-04T09:00')],
      ['CONSULT', t('03-04T10:00')],
      ['CONTRACT', t('03-05T10:00')],
      ['WON', t('03-06T10:00')],
    ],
  })
  addDeal(data, {
    id: 2,
    stageId: 'LOSE',
    created: t('03-04T09:00'),
    leadId: 77,
    assignedById: 2,
    history: [
      ['NEW', t('03-04T09:00')],
      ['NOSHOW', t('03-04T12:00')],
      ['LOSE', t('03-06T12:00')],
    ],
  })
  addDeal(data, { id: 3, stageId: 'NEW', created: t('03-05T09:00'), history: [['NEW', t('03-05T09:00')]] })
  // Deal 1 (manager 1). Monday March 4 … Thursday March 7.
  addTouch(data, { at: t('03-04T09:30'), kind: 'call', durationSec: 120, dealIds: [1] })
  addTouch(data, { at: t('03-04T11:00'), kind: 'email', dealIds: [1] })
  addTouch(data, { at: t('03-05T12:00'), kind: 'task', dealIds: [1] })
  addTouch(data, { at: t('03-07T10:00'), kind: 'call', durationSec: 60, dealIds: [1] })
  // Deal 2 (manager 2): a call to its lead before the deal existed, an SMS after the no-show, a call after the loss.
  addTouch(data, { at: t('03-01T10:00'), kind: 'call', durationSec: 30, leadIds: [77], responsibleId: 2 })
  addTouch(data, { at: t('03-05T10:00'), kind: 'sms', dealIds: [2], responsibleId: 2 })
  addTouch(data, { at: t('03-06T13:00'), kind: 'call', durationSec: 0, dealIds: [2], responsibleId: 2 })
  // Unbound touches of manager 2 on Tuesday March 5: 16:00 in working hours, 20:00 outside.
  addTouch(data, { at: t('03-05T16:00'), kind: 'call', responsibleId: 2 })
  addTouch(data, { at: t('03-05T20:00'), kind: 'call', responsibleId: 2 })
  // Manager 1 on Saturday March 9: no working hours.
  addTouch(data, { at: t('03-09T10:00'), kind: 'task', responsibleId: 1 })
  addTouch(data, { at: t('03-09T11:00'), kind: 'task', responsibleId: 1 })
  const p = prepare(data)
  const s = resolveQuery(p, { from: '2024-03-01', to: '2024-03-31', compare: 'none', ...q })
  return touchesSection(s, s.current)
}

describe('touches per deal', () => {
  const tc = touches()

  it('counts by type over the cohort, including the lead touch before the deal', () => {
    expect(tc.deals).toBe(3)
    expect(tc.withTouches).toBe(2)
    expect(tc.perDeal.total).toBe(2.33) // 7 touches / 3 deals
    expect(tc.perDeal.byKind).toEqual({ call: 1.33, email: 0.33, sms: 0.33, meeting: 0, task: 0.33, other: 0 })
  })

  it('calls: count and total duration', () => {
    expect(tc.calls).toEqual({ count: 4, durationSec: 210, meanDurationSecPerDeal: 70 })
  })

  it('touches before won / lost', () => {
    expect(tc.beforeWon).toEqual({ deals: 1, touches: 3, mean: 3 })
    expect(tc.beforeLost).toEqual({ deals: 1, touches: 2, mean: 2 })
  })

  it('touches between the named stages of the settings', () => {
    expect(tc.betweenStages).toEqual([
      { name: 'consultation→contract', from: ['CONSULT'], to: ['CONTRACT'], deals: 1, touches: 1, mean: 1 },
      { name: 'noShow→loss', from: ['NOSHOW'], to: 'loss', deals: 1, touches: 1, mean: 1 },
    ])
  })

  it('mean gap between consecutive touches', () => {
    // deal 1: 72.5 h over 3 gaps = 24.1667 h; deal 2: 123 h over 2 gaps = 61.5 h; mean 42.83 h
    expect(tc.meanGapHours).toBe(42.83)
  })
})

describe('touches per manager and day', () => {
  const tc = touches()

  it('counts touches and tasks per local day, idle gap only inside working hours', () => {
    const anna = tc.managerDays
      .filter((r) => r.managerId === '1')
      .map((r) => [r.day, r.touches, r.tasks, r.meanIdleGapMinutes])
    expect(anna).toEqual([
      ['2024-03-04', 2, 0, 90],
      ['2024-03-05', 1, 1, null],
      ['2024-03-07', 1, 0, null],
      ['2024-03-09', 2, 2, null], // Saturday
    ])
    const boris = tc.managerDays.filter((r) => r.managerId === '2').map((r) => [r.day, r.touches, r.meanIdleGapMinutes])
    expect(boris).toEqual([
      ['2024-03-01', 1, null],
      ['2024-03-05', 3, 360],
      ['2024-03-06', 1, null],
    ])
  })

  it('summarises per manager', () => {
    expect(tc.managers.find((m) => m.managerId === '1')).toMatchObject({
      days: 4,
      touches: 6,
      tasks: 3,
      tasksPerDay: 0.75,
      meanIdleGapMinutes: 90,
    })
  })

  it('the manager filter limits the rows', () => {
    const only = touches({ managerIds: [2] })
    expect(only.managers.map((m) => m.managerId)).toEqual(['2'])
    expect(only.deals).toBe(1)
  })
})
