import { describe, expect, it } from 'vitest'
import { prepare } from '../../src/engine/prepare'
import { resolveQuery } from '../../src/engine/filters'
import { churnSection } from '../../src/engine/churn'
import { addDeal, portal } from './builders'
import { MARCH, marchPortal } from './march'

function churn(data = marchPortal()) {
  const p = prepare(data)
  const s = resolveQuery(p, MARCH)
  return churnSection(s, s.current)[0]
}

describe('churn by stage', () => {
  const c = churn()

  it('cohort churn = lost_at(s)/reached(s) over process stages only', () => {
    expect(c.order).toEqual(['NEW', 'CONTACT', 'OFFER'])
    expect(c.cohort.NEW).toMatchObject({ reached: 7, lostAt: 1, churn: 0.1429 }) // deal 4
    expect(c.cohort.CONTACT).toMatchObject({ reached: 5, lostAt: 0, churn: 0 })
    // Deal 2 skipped CONTACT and was lost from OFFER; deal 9 was lost then reopened and won: not lost.
    expect(c.cohort.OFFER).toMatchObject({ reached: 3, lostAt: 1, churn: 0.3333 })
    expect(c.lost.cohort).toBe(2)
  })

  it('flow churn counts deals lost in the period over deals entering the stage in it', () => {
    expect(c.flow.NEW).toMatchObject({ reached: 7, lostAt: 1, churn: 0.1429 })
    expect(c.flow.CONTACT).toMatchObject({ reached: 6, lostAt: 1, churn: 0.1667 }) // deal 5, created in February
    expect(c.flow.OFFER).toMatchObject({ reached: 3, lostAt: 1, churn: 0.3333 })
    expect(c.flowExceedsOne).toBe(false)
    expect(c.lost.flow).toBe(3)
  })

  it('splits by source', () => {
    const ads = c.splits.source!.find((r) => r.key === 'ADS')!
    expect(ads.cohort.OFFER).toMatchObject({ reached: 2, lostAt: 1, churn: 0.5 })
    const none = c.splits.source!.find((r) => r.key === '')!
    expect(none.cohort.NEW).toMatchObject({ reached: 5, lostAt: 1, churn: 0.2 })
  })

  it('splits by manager', () => {
    const boris = c.splits.manager!.find((r) => r.key === '2')!
    expect(boris.name).toBe('Boris')
    expect(boris.cohort.NEW).toMatchObject({ reached: 1, lostAt: 1, churn: 1 })
  })

  it('splits by loss reason over the whole stage (reason rows add up to the stage churn)', () => {
    const r1 = c.splits.lossReason!.find((r) => r.key === 'R1')!
    expect(r1.name).toBe('Too expensive')
    expect(r1.cohort.OFFER).toMatchObject({ reached: 3, lostAt: 1, churn: 0.3333 })
    const r2 = c.splits.lossReason!.find((r) => r.key === 'R2')!
    expect(r2.cohort.NEW).toMatchObject({ reached: 7, lostAt: 1, churn: 0.1429 })
    // Deal 5 (lost in March, no reason) shows under "not set" in the flow split only.
    const none = c.splits.lossReason!.find((r) => r.key === '')!
    expect(none.flow.CONTACT.lostAt).toBe(1)
    expect(none.cohort.CONTACT.lostAt).toBe(0)
  })

  it('flags flow churn above 1', () => {
    const data = portal()
    const feb = '2024-02-10T10:00:00+03:00'
    // Two deals entered CONTACT in February and were lost in March; one other entered CONTACT in March.
    for (const id of [1, 2]) {
      addDeal(data, {
        id,
        stageId: 'LOSE',
        created: feb,
        history: [
          ['NEW', feb],
          ['CONTACT', '2024-02-11T10:00:00+03:00'],
          ['LOSE', '2024-03-05T10:00:00+03:00'],
        ],
      })
    }
    addDeal(data, {
      id: 3,
      stageId: 'CONTACT',
      created: feb,
      history: [
        ['NEW', feb],
        ['CONTACT', '2024-03-06T10:00:00+03:00'],
      ],
    })
    const c2 = churn(data)
    expect(c2.flow.CONTACT).toMatchObject({ reached: 1, lostAt: 2, churn: 2, exceedsOne: true })
    expect(c2.flowExceedsOne).toBe(true)
    // Nobody entered NEW in March: rate is null, not 0.
    expect(c2.flow.NEW.churn).toBeNull()
  })
})
