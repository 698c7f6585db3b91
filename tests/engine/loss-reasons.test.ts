import { describe, expect, it } from 'vitest'
import { prepare } from '../../src/engine/prepare'
import { resolveQuery } from '../../src/engine/filters'
import { lossReasonsSection } from '../../src/engine/loss-reasons'
import { addDeal, at, portal } from './builders'
import { buildReport } from '../../src/engine/report'
import { dumpToCrmData } from '../../src/b24/normalize'
import { generatePortal } from '../../src/demo-portal/generator'

const t = (s: string) => `2024-${s}T12:00:00+03:00`

function losses() {
  const d = portal()
  d.lossReasons = [
    { id: 'R1', name: 'Postponed' },
    { id: 'R2', name: 'Too expensive' },
    { id: 'R3', name: 'Не дозвонились' },
  ]
  // Passes the `via` stages one hour apart from creation, then moves to LOSE on `lostAt`.
  const lost = (
    id: number,
    created: string,
    lostAt: string,
    via: string[],
    reason: string | null,
    amount: number,
    manager = 1,
  ) =>
    addDeal(d, {
      id,
      stageId: 'LOSE',
      created: t(created),
      lossReasonId: reason,
      amount,
      assignedById: manager,
      history: [
        ...via.map((st, i): [string, string] => [st, `2024-${created}T${String(12 + i)}:00:00+03:00`]),
        ['LOSE', t(lostAt)],
      ],
    })
  lost(1, '03-01', '03-05', ['NEW', 'CONTACT'], 'R1', 500)
  lost(2, '03-02', '03-10', ['NEW'], 'R2', 900, 2)
  lost(3, '03-03', '03-20', ['NEW', 'CONTACT'], 'R1', 2000, 2)
  lost(4, '01-01', '01-10', ['NEW'], 'R1', 5000) // more than 90 days before now
  lost(5, '04-01', '04-10', ['NEW'], 'R3', 100) // after the period, within 90 days
  lost(6, '03-04', '03-25', ['NEW', 'CONTACT', 'OFFER'], null, 50)
  const p = prepare(d)
  const s = resolveQuery(p, { from: '2024-03-01', to: '2024-03-31', compare: 'none', now: at(t('04-15')) })
  return lossReasonsSection(s, s.current)
}

describe('loss reasons', () => {
  const l = losses()

  it('deals lost in the period by reason, with amount and share', () => {
    expect(l.lost).toBe(4)
    expect(l.byReason).toEqual([
      { key: 'R1', name: 'Postponed', count: 2, amount: 2500, share: 0.5 },
      { key: 'R2', name: 'Too expensive', count: 1, amount: 900, share: 0.25 },
      { key: '', name: '(not set)', count: 1, amount: 50, share: 0.25 },
    ])
  })

  it('reason × loss stage', () => {
    expect(l.byStage[0].order).toEqual(['NEW', 'CONTACT', 'OFFER'])
    expect(l.byStage[0].rows).toEqual([
      { key: 'R1', name: 'Postponed', stages: { NEW: 0, CONTACT: 2, OFFER: 0 } },
      { key: 'R2', name: 'Too expensive', stages: { NEW: 1, CONTACT: 0, OFFER: 0 } },
      { key: '', name: '(not set)', stages: { NEW: 0, CONTACT: 0, OFFER: 1 } },
    ])
  })

  it('reason × manager', () => {
    expect(l.byManager).toEqual([
      { managerId: '1', name: 'Anna', lost: 2, reasons: { R1: 1, '': 1 } },
      { managerId: '2', name: 'Boris', lost: 2, reasons: { R2: 1, R1: 1 } },
    ])
  })

  it('reason × stage × manager cells', () => {
    expect(l.cellCount).toBe(4)
    expect(l.cells.map((c) => [c.stageId, c.reasonKey, c.managerId, c.count, c.amount])).toEqual([
      ['CONTACT', 'R1', '2', 1, 2000],
      ['NEW', 'R2', '2', 1, 900],
      ['CONTACT', 'R1', '1', 1, 500],
      ['OFFER', '', '1', 1, 50],
    ])
  })

  it('call again: lost in the last 90 days for a timing reason, largest amount first', () => {
    expect(l.callAgain.map((r) => [r.id, r.reason, r.amount])).toEqual([
      [3, 'Postponed', 2000],
      [1, 'Postponed', 500],
      [5, 'Не дозвонились', 100],
    ])
    expect(l.callAgain[0].stageName).toBe('CONTACT')
  })
})

describe('a dump whose statuses lack the deal stages (regression)', () => {
  // The cells sort threw on the invented stage's undefined stage id: "internal error", exit 3 in the CLI.
  it('lost deals of a pipeline with no known stages got a loss stage 0 that does not exist — they count as lost with no loss stage, and quality says why', () => {
    const dump = generatePortal({ seed: 31, deals: 150 })
    dump.statuses = dump.statuses.filter((s) => !s.ENTITY_ID.startsWith('DEAL_STAGE'))
    const data = dumpToCrmData(dump)
    const now = Date.parse('2026-11-20T09:00:00Z')
    const report = buildReport(prepare(data), { from: '2026-04-01', to: '2026-06-30', compare: 'previous', now })
    expect(report.lossReasons.lost).toBeGreaterThan(0)
    expect(report.lossReasons.cells).toEqual([])
    expect(report.lossReasons.byStage.every((p) => p.order.length === 0 && p.rows.length === 0)).toBe(true)
    expect(report.quality.unknownCurrentStage).toBe(data.deals.length)
  })
})
