import { describe, expect, it } from 'vitest'
import { prepare } from '../../src/engine/prepare'
import { resolveQuery } from '../../src/engine/filters'
import { stuckSection } from '../../src/engine/stuck'
import { addDeal, at, portal } from './builders'

const DAY = 86_400_000
const NOW = at('2024-06-30T12:00:00+03:00')
const iso = (ms: number) => new Date(ms).toISOString()

function stuck() {
  const data = portal()
  // Ten deals stayed 1..10 days in NEW, then moved to CONTACT (where they still are).
  for (let k = 1; k <= 10; k++) {
    const t0 = at('2024-01-01T12:00:00+03:00') + k * DAY
    addDeal(data, {
      id: k,
      stageId: 'CONTACT',
      created: iso(t0),
      history: [
        ['NEW', iso(t0)],
        ['CONTACT', iso(t0 + k * DAY)],
      ],
    })
  }
  // A reconstructed deal (no history): its guessed 100-day stay must not count.
  addDeal(data, { id: 50, stageId: 'CONTACT', created: iso(NOW - 200 * DAY), movedAt: NOW - 100 * DAY })
  // Open in NEW for 10 days (> p90 of 9 days) and for exactly 9 days (not more than p90: not stuck).
  addDeal(data, {
    id: 20,
    stageId: 'NEW',
    created: iso(NOW - 10 * DAY),
    amount: 700,
    history: [['NEW', iso(NOW - 10 * DAY)]],
  })
  addDeal(data, {
    id: 21,
    stageId: 'NEW',
    created: iso(NOW - 9 * DAY),
    amount: 900,
    history: [['NEW', iso(NOW - 9 * DAY)]],
  })
  // Lost long ago: closed deals are never stuck.
  addDeal(data, {
    id: 22,
    stageId: 'LOSE',
    created: iso(NOW - 300 * DAY),
    history: [
      ['NEW', iso(NOW - 300 * DAY)],
      ['LOSE', iso(NOW - 299 * DAY)],
    ],
  })
  const p = prepare(data)
  return stuckSection(resolveQuery(p, { from: '2024-06-01', to: '2024-06-30', compare: 'none', now: NOW }))
}

describe('stuck deals', () => {
  const s = stuck()
  it('p90 of completed stays per stage', () => {
    // Stays in NEW: 1..10 days (deals 1–10) and 1 day (deal 22, before its loss); the reconstructed
    // deal does not count. Sorted [1,1,2,…,10]: percentile_cont(0.9) = element 9 = 9 days = 216 h.
    expect(s.pipelines[0].stages.NEW.p90Hours).toBe(216)
    // Nobody has left CONTACT yet: no norm, nobody stuck there.
    expect(s.pipelines[0].stages.CONTACT.p90Hours).toBeNull()
    expect(s.pipelines[0].stages.CONTACT.stuck).toBe(0)
  })

  it('an open deal is stuck when its time in the stage exceeds the p90', () => {
    expect(s.count).toBe(1)
    expect(s.amount).toBe(700)
    expect(s.deals.map((x) => [x.id, x.hoursInStage, x.p90Hours])).toEqual([[20, 240, 216]])
    expect(s.pipelines[0].stages.NEW).toMatchObject({ open: 2, stuck: 1, amount: 700 })
  })
})
