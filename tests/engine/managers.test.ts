import { describe, expect, it } from 'vitest'
import { prepare } from '../../src/engine/prepare'
import { resolveQuery } from '../../src/engine/filters'
import { managersSection, planSection } from '../../src/engine/managers'
import { drillDown } from '../../src/engine/drill'
import { addDeal, addTouch, at, portal } from './builders'

const t = (s: string) => `2024-${s}:00+03:00`

function data() {
  const d = portal()
  d.currencies.push({ code: 'USD', rate: 90, base: false })
  d.users.push({ id: 3, name: 'Vera', active: false, departmentIds: [] })
  // Anna (1)
  addDeal(d, {
    id: 1,
    stageId: 'WON',
    created: t('03-02T10:00'),
    amount: 1000,
    history: [
      ['NEW', t('03-02T10:00')],
      ['WON', t('03-10T10:00')],
    ],
  })
  addDeal(d, {
    id: 2,
    stageId: 'WON',
    created: t('02-20T10:00'),
    amount: 500,
    currency: 'USD',
    history: [
      ['NEW', t('02-20T10:00')],
      ['WON', t('03-15T10:00')],
    ],
  })
  addDeal(d, {
    id: 3,
    stageId: 'LOSE',
    created: t('03-05T10:00'),
    history: [
      ['NEW', t('03-05T10:00')],
      ['LOSE', t('03-20T10:00')],
    ],
  })
  addDeal(d, {
    id: 4,
    stageId: 'CONTACT',
    created: t('03-07T10:00'),
    amount: 300,
    history: [
      ['NEW', t('03-07T10:00')],
      ['CONTACT', t('03-08T10:00')],
    ],
  })
  addDeal(d, { id: 5, stageId: 'NEW', created: t('01-10T10:00'), amount: 700, history: [['NEW', t('01-10T10:00')]] })
  // Boris (2)
  addDeal(d, {
    id: 6,
    stageId: 'LOSE',
    created: t('03-01T10:00'),
    assignedById: 2,
    history: [
      ['NEW', t('03-01T10:00')],
      ['LOSE', t('03-03T10:00')],
    ],
  })
  // Vera (3, fired): a deal still open
  addDeal(d, {
    id: 7,
    stageId: 'NEW',
    created: t('03-09T10:00'),
    assignedById: 3,
    amount: 50,
    history: [['NEW', t('03-09T10:00')]],
  })
  addTouch(d, { at: t('03-02T12:00'), kind: 'call', durationSec: 100, dealIds: [1] })
  addTouch(d, { at: t('03-05T14:00'), kind: 'call', durationSec: 50, dealIds: [3] })
  addTouch(d, { at: t('04-02T10:00'), kind: 'call', durationSec: 999, dealIds: [3] })
  d.plans.push({ userId: 1, month: '2024-03', amount: 100_000, currency: 'RUB', deals: 4 })
  d.plans.push({ userId: 1, month: '2024-04', amount: 600, currency: 'USD', deals: 3 })
  return d
}

function managers(from: string, to: string, q: Record<string, unknown> = {}) {
  const p = prepare(data())
  const s = resolveQuery(p, { from, to, compare: 'none', now: at(t('04-15T12:00')), ...q })
  return { rows: managersSection(s, s.current), plan: planSection(s, s.current) }
}

describe('managers', () => {
  const { rows } = managers('2024-03-01', '2024-03-31')
  const anna = rows.find((r) => r.managerId === '1')!

  it('won count/sum/mean in the report currency, lost, conversion won/(won+lost)', () => {
    // 1000 RUB + 500 USD × 90 = 46 000 RUB
    expect(anna.won).toEqual({ count: 2, sum: 46_000, mean: 23_000 })
    expect(anna.lost).toBe(1)
    expect(anna.conversion).toBe(0.6667)
  })

  it('deals in work are open deals now, whatever the period', () => {
    expect(anna.inWork).toEqual({ count: 2, sum: 1000 })
    expect(anna.created).toBe(3) // 1, 3, 4
  })

  it('plan vs fact, calls and time to first touch', () => {
    expect(anna.plan).toEqual({ amount: 100_000, deals: 4 })
    expect(anna.planDone).toBe(0.46)
    expect(anna.calls).toMatchObject({ count: 2, durationSec: 150 })
    expect(anna.meanTimeToFirstTouch).toBe(3) // 2 h and 4 h; deal 4 has no touch
  })

  it('a manager with only losses has conversion 0, one with nothing closed has null', () => {
    const boris = rows.find((r) => r.managerId === '2')!
    expect(boris.conversion).toBe(0)
    const vera = rows.find((r) => r.managerId === '3')!
    expect(vera.conversion).toBeNull()
    expect(vera.active).toBe(false)
    expect(vera.planDone).toBeNull()
  })
})

describe('plan', () => {
  it('prorates monthly plans by days where the period covers part of a month', () => {
    // March 16–31: 16/31 of 100 000; April 1–15: 15/30 of 600 USD × 90
    const { rows, plan } = managers('2024-03-16', '2024-04-15')
    const anna = rows.find((r) => r.managerId === '1')!
    expect(anna.plan!.amount).toBe(78_612.9) // 51 612.90 + 27 000
    expect(anna.plan!.deals).toBe(3.56) // 4 × 16/31 + 3 × 15/30 = 2.0645 + 1.5
    expect(plan.months.map((m) => [m.month, m.plan, m.fact, m.factDeals])).toEqual([
      ['2024-03', 51_612.9, 0, 0],
      ['2024-04', 27_000, 0, 0],
    ])
  })

  it('fact per month is the won sum', () => {
    const { plan } = managers('2024-03-01', '2024-03-31')
    expect(plan.months).toEqual([
      {
        month: '2024-03',
        plan: 100_000,
        planDeals: 4,
        fact: 46_000,
        factDeals: 2,
        done: 0.46,
        plannedManagers: 1,
        unplannedFact: 0,
        unplannedDeals: 0,
      },
    ])
    expect(plan.total.done).toBe(0.46)
  })

  it('the plan fact counted wins of managers without a plan that month — fact and plan now cover the same managers, the others are shown apart', () => {
    const d = data()
    // Boris (no plan) wins 5000 in March: not part of the plan's fact, shown apart.
    addDeal(d, {
      id: 50,
      stageId: 'WON',
      created: t('03-05T10:00'),
      assignedById: 2,
      amount: 5000,
      history: [
        ['NEW', t('03-05T10:00')],
        ['WON', t('03-06T10:00')],
      ],
    })
    const p = prepare(d)
    const s = resolveQuery(p, { from: '2024-03-01', to: '2024-03-31', compare: 'none', now: at(t('04-15T12:00')) })
    const plan = planSection(s, s.current)
    expect(plan.months[0]).toMatchObject({
      plan: 100_000,
      fact: 46_000,
      factDeals: 2,
      done: 0.46,
      plannedManagers: 1,
      unplannedFact: 5000,
      unplannedDeals: 1,
    })
    expect(plan.total).toMatchObject({ fact: 46_000, unplannedFact: 5000, plannedManagers: 1 })
    const planned = drillDown(p, s.q, { section: 'plan', month: '2024-03' })
    expect(planned.map((r) => r.managerId).every((m) => m === 1)).toBe(true)
    expect(planned).toHaveLength(2)
    expect(drillDown(p, s.q, { section: 'plan', month: '2024-03', unplanned: true }).map((r) => r.id)).toEqual([50])
  })

  it('the manager filter applies to plans', () => {
    const { plan } = managers('2024-03-01', '2024-03-31', { managerIds: [2] })
    expect(plan.total.plan).toBe(0)
    expect(plan.total.done).toBeNull()
  })
})
