/**
 * Touches by outcome (metrics.md "Touches by outcome"): calls and SMS before the loss, by kind
 * and by loss reason, and the loss-reason and current-stage filters narrowing every figure.
 */
import { describe, expect, it } from 'vitest'
import { buildReport, drillDown, prepare } from '../../src/engine/index'
import type { CrmData } from '../../src/engine/types'
import { addDeal, addTouch, ids, portal } from './builders'

const t = (s: string) => `2024-${s}:00+03:00`
const MARCH = { from: '2024-03-01', to: '2024-03-31', compare: 'none' as const, now: Date.parse(t('04-15T12:00')) }

function data(): CrmData {
  const d = portal()
  d.lossReasons = [
    { id: 'NOANSWER', name: 'No answer' },
    { id: 'NOTBOOKED', name: 'Not booked' },
  ]
  const lost = (id: number, reason: string, lossAt: string) =>
    addDeal(d, {
      id,
      stageId: 'LOSE',
      lossReasonId: reason,
      created: t('03-01T10:00'),
      history: [
        ['NEW', t('03-01T10:00')],
        ['LOSE', t(lossAt)],
      ],
    })
  lost(1, 'NOANSWER', '03-10T10:00')
  lost(2, 'NOANSWER', '03-12T10:00')
  lost(3, 'NOTBOOKED', '03-15T10:00')
  addDeal(d, { id: 4, stageId: 'CONTACT', created: t('03-01T10:00'), history: [['NEW', t('03-01T10:00')]] })
  addDeal(d, {
    id: 5,
    stageId: 'CONTACT',
    created: t('03-01T10:00'),
    history: [
      ['NEW', t('03-01T10:00')],
      ['CONTACT', t('03-02T10:00')],
    ],
  })
  // Deal 1: two calls (60 s, 120 s) and an SMS before the loss; a call after it does not count.
  addTouch(d, { at: t('03-02T10:00'), kind: 'call', durationSec: 60, dealIds: [1] })
  addTouch(d, { at: t('03-03T10:00'), kind: 'call', durationSec: 120, dealIds: [1] })
  addTouch(d, { at: t('03-04T10:00'), kind: 'sms', dealIds: [1] })
  addTouch(d, { at: t('03-11T10:00'), kind: 'call', durationSec: 999, dealIds: [1] })
  // Deal 2: one call of 30 s; deal 3: two SMS and an e-mail.
  addTouch(d, { at: t('03-02T10:00'), kind: 'call', durationSec: 30, dealIds: [2] })
  addTouch(d, { at: t('03-02T10:00'), kind: 'sms', dealIds: [3] })
  addTouch(d, { at: t('03-03T10:00'), kind: 'sms', dealIds: [3] })
  addTouch(d, { at: t('03-03T11:00'), kind: 'email', dealIds: [3] })
  // Open deal 4's call is not before any loss.
  addTouch(d, { at: t('03-03T10:00'), kind: 'call', durationSec: 500, dealIds: [4] })
  return d
}

function report(q: Record<string, unknown> = {}) {
  const p = prepare(data())
  return { r: buildReport(p, { ...MARCH, ...q }), p }
}

describe('touches before the loss', () => {
  it('counts calls, their duration and SMS per lost deal, by kind', () => {
    const b = report().r.touches.beforeLoss
    expect(b.deals).toBe(3)
    expect(b.kinds.call).toEqual({ touches: 3, perDeal: 1, durationSec: 210, durationSecPerDeal: 70 })
    expect(b.kinds.sms).toEqual({ touches: 3, perDeal: 1, durationSec: null, durationSecPerDeal: null })
    expect(b.kinds.email.touches).toBe(1)
  })

  it('sets loss reasons side by side', () => {
    const b = report().r.touches.beforeLoss
    expect(b.byReason).toEqual([
      {
        key: 'NOANSWER',
        name: 'No answer',
        deals: 2,
        calls: 3,
        callsPerDeal: 1.5,
        callSecPerDeal: 105,
        sms: 1,
        smsPerDeal: 0.5,
      },
      {
        key: 'NOTBOOKED',
        name: 'Not booked',
        deals: 1,
        calls: 0,
        callsPerDeal: 0,
        callSecPerDeal: 0,
        sms: 2,
        smsPerDeal: 2,
      },
    ])
  })
})

describe('loss-reason and current-stage filters', () => {
  it('a loss reason narrows the touches, the KPIs and the drill-down', () => {
    const { r, p } = report({ lossReasonIds: ['NOANSWER'] })
    expect(r.touches.beforeLoss.deals).toBe(2)
    expect(r.touches.beforeLoss.kinds.call.durationSecPerDeal).toBe(105)
    expect(r.kpis.lost.value).toBe(2)
    expect(r.touches.deals).toBe(2)
    const q = { ...MARCH, lossReasonIds: ['NOANSWER'] }
    expect(ids(drillDown(p, q, { section: 'touchesBeforeLoss' }))).toEqual([1, 2])
    expect(ids(drillDown(prepare(data()), MARCH, { section: 'touchesBeforeLoss', reasonKey: 'NOTBOOKED' }))).toEqual([
      3,
    ])
  })

  it('a current stage narrows every figure to the deals now in it', () => {
    const { r } = report({ stageIds: ['CONTACT'] })
    expect(r.kpis.dealsCreated.value).toBe(2)
    expect(r.touches.deals).toBe(2)
    expect(r.touches.beforeLoss.deals).toBe(0)
    expect(r.funnel.cohort[0].size).toBe(2)
    expect(report({ stageIds: ['CONTACT', 'LOSE'] }).r.kpis.dealsCreated.value).toBe(5)
    // A stage id no pipeline has matches nothing (rather than being ignored).
    expect(report({ stageIds: ['NOPE'] }).r.kpis.dealsCreated.value).toBe(0)
  })
})
