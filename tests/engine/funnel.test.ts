import { describe, expect, it } from 'vitest'
import { prepare } from '../../src/engine/prepare'
import { resolveQuery } from '../../src/engine/filters'
import { funnelSection } from '../../src/engine/funnel'
import { flowEntries } from '../../src/engine/flow-buffers'
import { addDeal, portal } from './builders'
import { MARCH, marchPortal } from './march'

function funnel(data = marchPortal(), q: Partial<typeof MARCH> & Record<string, unknown> = {}) {
  const p = prepare(data)
  const s = resolveQuery(p, { ...MARCH, ...q })
  return { p, f: funnelSection(s, s.current) }
}

describe('cohort funnel', () => {
  const { f } = funnel()
  const c = f.cohort[0]

  it('counts the deals created in the period, edges and time zone included', () => {
    // Cohort: 1,2,3,4,7 (created at 00:00 on March 1), 8 (23:30 UTC Feb 29 = March 1 in +03:00), 9.
    // Not 5 (February) nor 6 (created at April 1 00:00, the excluded end instant).
    expect(c.size).toBe(7)
    expect(c.order).toEqual(['NEW', 'CONTACT', 'OFFER', 'WON', 'LOSE'])
  })

  it('reached counts skips and keeps stages after moving back', () => {
    expect(c.stages.NEW.reached).toBe(7)
    // 1, 2 (skipped CONTACT), 3 (moved back), 7 (reconstructed), 9 (reopened)
    expect(c.stages.CONTACT.reached).toBe(5)
    // 1, 2, 9 (won implies OFFER)
    expect(c.stages.OFFER.reached).toBe(3)
    expect(c.stages.WON.reached).toBe(2)
    expect(c.stages.LOSE.reached).toBe(3)
  })

  it('current, notNext, lostAt', () => {
    expect([
      c.stages.NEW.current,
      c.stages.CONTACT.current,
      c.stages.OFFER.current,
      c.stages.WON.current,
      c.stages.LOSE.current,
    ]).toEqual([2, 1, 0, 2, 2])
    expect([c.stages.NEW.notNext, c.stages.CONTACT.notNext, c.stages.OFFER.notNext]).toEqual([2, 2, 1])
    expect(c.stages.WON.notNext).toBeNull()
    expect([c.stages.NEW.lostAt, c.stages.CONTACT.lostAt, c.stages.OFFER.lostAt]).toEqual([1, 0, 1])
  })

  it('conversion to the next stage and overall', () => {
    expect(c.stages.NEW.conversion).toBe(0.7143) // 5/7
    expect(c.stages.CONTACT.conversion).toBe(0.6) // 3/5
    expect(c.stages.OFFER.conversion).toBe(0.6667) // 2/3 won
    expect(c.stages.WON.conversion).toBeNull()
    expect(c.stages.OFFER.overall).toBe(0.4286) // 3/7
    expect(c.stages.WON.overall).toBe(0.2857) // 2/7
  })

  it('splits by the breakdown dimension', () => {
    const { f: fb } = funnel(marchPortal(), { breakdown: 'source' })
    const ads = fb.cohort[0].splits!.find((r) => r.key === 'ADS')!
    expect(ads.name).toBe('Ads')
    expect(ads.size).toBe(2)
    expect(ads.stages.CONTACT.reached).toBe(2)
    expect(ads.stages.OFFER.conversion).toBe(0.5)
    const none = fb.cohort[0].splits!.find((r) => r.key === '')!
    expect(none.size).toBe(5)
  })

  it('filters narrow the cohort', () => {
    const { f: ff } = funnel(marchPortal(), { managerIds: [2] })
    expect(ff.cohort[0].size).toBe(1)
    expect(ff.cohort[0].stages.NEW.lostAt).toBe(1)
  })
})

describe('flow funnel', () => {
  const { f } = funnel()
  const fl = f.flow[0]

  it('counts deals passing each stage inside the period, whenever created', () => {
    expect(fl.stages.NEW.entered).toBe(7) // 1,2,3,4,7,8,9
    expect(fl.stages.NEW.entries).toBe(8) // 3 entered NEW twice
    expect(fl.stages.CONTACT.entered).toBe(6) // 1,2 (implied),3,5 (created in Feb),7,9
    expect(fl.stages.OFFER.entered).toBe(3) // 1,2,9 (implied by the win)
    expect(fl.stages.WON.entered).toBe(2)
    expect(fl.stages.LOSE.entered).toBe(4) // 2,4,5,9
    expect(fl.size).toBe(8)
  })

  it('lostAt counts deals lost in the period by loss stage', () => {
    expect([fl.stages.NEW.lostAt, fl.stages.CONTACT.lostAt, fl.stages.OFFER.lostAt]).toEqual([1, 1, 1])
    expect(fl.stages.NEW.conversion).toBe(0.8571) // 6/7
  })
})

describe('zero denominators', () => {
  it('a pipeline with no deals in the period shows null rates, never 0 or NaN', () => {
    const data = portal()
    addDeal(data, {
      id: 1,
      stageId: 'NEW',
      created: '2024-01-10T10:00:00+03:00',
      history: [['NEW', '2024-01-10T10:00:00+03:00']],
    })
    const { f } = funnel(data)
    expect(f.cohort[0].size).toBe(0)
    expect(f.cohort[0].stages.NEW.conversion).toBeNull()
    expect(f.cohort[0].stages.NEW.overall).toBeNull()
    expect(f.flow[0].stages.CONTACT.conversion).toBeNull()
  })

  it('reports every pipeline apart', () => {
    const data = portal({
      pipelines: [
        { id: 0, stages: [{ id: 'NEW' }, { id: 'WON', semantic: 'S' }, { id: 'LOSE', semantic: 'F' }] },
        {
          id: 3,
          name: 'Rent',
          stages: [{ id: 'C3:NEW' }, { id: 'C3:WON', semantic: 'S' }, { id: 'C3:LOSE', semantic: 'F' }],
        },
      ],
    })
    addDeal(data, {
      id: 1,
      stageId: 'C3:WON',
      created: '2024-03-10T10:00:00+03:00',
      history: [
        ['C3:NEW', '2024-03-10T10:00:00+03:00'],
        ['C3:WON', '2024-03-11T10:00:00+03:00'],
      ],
    })
    const { f } = funnel(data)
    expect(f.cohort.map((x) => [x.categoryId, x.size])).toEqual([
      [0, 0],
      [3, 1],
    ])
    expect(f.cohort[1].stages['C3:NEW'].conversion).toBe(1)
    const only = funnel(data, { categoryIds: [3] }).f
    expect(only.cohort.map((x) => x.categoryId)).toEqual([3])
  })
})

describe('pooled flow buffers', () => {
  it('stale flow counts from pooled buffers another query took over — the pool is shared per data load, so a scope checks it still owns them and recomputes', () => {
    const p = prepare(marchPortal())
    const march = resolveQuery(p, MARCH)
    const feb = resolveQuery(p, { ...MARCH, from: '2024-02-01', to: '2024-02-29' })
    const first = Array.from(flowEntries(march, march.current).any)
    expect(first.filter(Boolean)).toHaveLength(8) // deals passing a stage in March
    const febAny = Array.from(flowEntries(feb, feb.current).any)
    expect(febAny.filter(Boolean)).toHaveLength(1) // deal 5 only
    expect(Array.from(flowEntries(march, march.current).any)).toEqual(first)
    expect(funnelSection(march, march.current).flow[0].stages.NEW.entries).toBe(8)
  })
})
