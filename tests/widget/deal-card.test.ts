import { quantileSorted } from '../../src/engine/stats'
import { describe, expect, it } from 'vitest'
import { DAY_MS } from '../../src/engine/periods'
import {
  churnByStage,
  conversion,
  daysSinceLastTouch,
  dealCard,
  stageNorms,
  type ClosedDealSample,
  type DealSummary,
} from '../../src/engine/deal-card'
import type { Stage, StageEvent, Touch } from '../../src/engine/types'

const H = 3_600_000
const T0 = Date.UTC(2024, 0, 1)
const stages: Stage[] = [
  { id: 'NEW', categoryId: 0, name: 'New', sort: 10, semantic: 'P', color: null },
  { id: 'MEET', categoryId: 0, name: 'Meeting', sort: 20, semantic: 'P', color: null },
  { id: 'OFFER', categoryId: 0, name: 'Offer', sort: 30, semantic: 'P', color: null },
  { id: 'WON', categoryId: 0, name: 'Won', sort: 40, semantic: 'S', color: null },
  { id: 'LOSE', categoryId: 0, name: 'Lost', sort: 50, semantic: 'F', color: null },
]
const sem = Object.fromEntries(stages.map((s) => [s.id, s.semantic]))
let nextId = 1
/** A history: [stageId, hours after T0] pairs, the first one the creation. */
function history(owner: number, steps: [string, number][]): StageEvent[] {
  return steps.map(([stageId, h], i) => ({
    id: nextId++,
    ownerId: owner,
    typeId: i === 0 ? 1 : sem[stageId] === 'P' ? 2 : 3,
    stageId,
    categoryId: 0,
    semantic: sem[stageId],
    at: T0 + h * H,
  }))
}

describe("quantileSorted (the norms' percentile)", () => {
  it('interpolates between ranks', () => {
    expect(quantileSorted([1, 2, 3, 4], 0.5)).toBe(2.5)
    expect(quantileSorted([10], 0.9)).toBe(10)
    expect(quantileSorted([0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100], 0.9)).toBe(90)
  })
})

describe('stageNorms', () => {
  it('counts completed stays only, per stage', () => {
    const ev = [
      ...history(1, [
        ['NEW', 0],
        ['MEET', 2],
        ['WON', 5],
      ]),
      ...history(2, [
        ['NEW', 0],
        ['MEET', 4],
      ]),
    ]
    const n = stageNorms(ev)
    expect(n.get('NEW')).toEqual({ stageId: 'NEW', n: 2, medianMs: 3 * H, p90Ms: 3.8 * H })
    // deal 2 is still in MEET: its open stay is not a norm observation
    expect(n.get('MEET')).toEqual({ stageId: 'MEET', n: 1, medianMs: 3 * H, p90Ms: 3 * H })
    expect(n.has('WON')).toBe(false)
  })
})

describe('churnByStage', () => {
  it('counts skipped stages as reached and the last process stage as the loss stage', () => {
    const ev = [
      ...history(1, [
        ['NEW', 0],
        ['OFFER', 1],
        ['LOSE', 2],
      ]),
      ...history(2, [
        ['NEW', 0],
        ['MEET', 1],
        ['WON', 2],
      ]),
      ...history(3, [
        ['NEW', 0],
        ['LOSE', 1],
      ]),
    ]
    const c = churnByStage(ev, stages, null)
    expect(c.get('NEW')).toMatchObject({ reached: 3, lost: 1, churn: 1 / 3 })
    expect(c.get('MEET')).toMatchObject({ reached: 2, lost: 0, churn: 0 })
    expect(c.get('OFFER')).toMatchObject({ reached: 2, lost: 1, churn: 0.5 })
    expect(churnByStage(ev, stages, new Set([2])).get('NEW')).toMatchObject({ reached: 1, lost: 0 })
  })

  it('a branch stage is reached only by an actual entry and can be the loss stage', () => {
    const ev = [
      ...history(11, [
        ['NEW', 0],
        ['OFFER', 1],
        ['WON', 2],
      ]),
      ...history(12, [
        ['NEW', 0],
        ['MEET', 1],
        ['LOSE', 2],
      ]),
    ]
    const branches = new Set(['MEET'])
    expect(churnByStage(ev, stages, null).get('MEET')).toMatchObject({ reached: 2, lost: 1 })
    expect(churnByStage(ev, stages, null, branches).get('MEET')).toMatchObject({ reached: 1, lost: 1, churn: 1 })
    expect(churnByStage(ev, stages, null, branches).get('OFFER')).toMatchObject({ reached: 1, lost: 0 })
  })

  it('ignores histories cut by the sample window (no creation event)', () => {
    const cut = history(9, [
      ['NEW', 0],
      ['OFFER', 1],
      ['LOSE', 2],
    ]).slice(1)
    expect(churnByStage(cut, stages, null).get('OFFER')).toMatchObject({ reached: 0, churn: null })
  })
})

describe('conversion and touches', () => {
  it('computes won / (won + lost) per manager and for the team', () => {
    const deals = [
      { id: 1, assignedById: 5, sourceId: 'WEB', semantic: 'S' as const },
      { id: 2, assignedById: 5, sourceId: 'WEB', semantic: 'F' as const },
      { id: 3, assignedById: 6, sourceId: 'WEB', semantic: 'F' as const },
    ]
    expect(conversion(deals, 5)).toEqual({ won: 1, lost: 1, rate: 0.5 })
    expect(conversion(deals, null)).toEqual({ won: 1, lost: 2, rate: 0.3333 }) // stats.rate: four decimals, as every rate
    expect(conversion(deals, 99).rate).toBeNull()
  })

  it('counts days since the last past touch, ignoring planned ones', () => {
    const now = T0 + 10 * DAY_MS
    const t = (id: number, at: number): Touch => ({
      id,
      kind: 'call',
      direction: 'out',
      at,
      durationSec: 60,
      responsibleId: 5,
      completed: at <= now,
      dealIds: [1],
      leadIds: [],
      contactIds: [],
      companyIds: [],
    })
    expect(daysSinceLastTouch([t(1, T0 + DAY_MS), t(2, T0 + 7.5 * DAY_MS), t(3, now + DAY_MS)], now)).toBe(2)
    expect(daysSinceLastTouch([], now)).toBeNull()
  })
})

describe('dealCard', () => {
  // Ten sampled WEB deals: NEW lasts 1..10 h; 6 of them are lost right after MEET.
  const sample: StageEvent[] = []
  const sampleDeals: ClosedDealSample[] = []
  for (let i = 1; i <= 10; i++) {
    const lost = i <= 6
    sample.push(
      ...history(100 + i, [
        ['NEW', 0],
        ['MEET', i],
        [lost ? 'LOSE' : 'WON', i + 5],
      ]),
    )
    sampleDeals.push({
      id: 100 + i,
      assignedById: i % 2 ? 5 : 6,
      sourceId: 'WEB',
      semantic: (lost ? 'F' : 'S') as 'F' | 'S',
    })
  }
  const deal: DealSummary = {
    id: 1,
    stageId: 'MEET',
    semantic: 'P',
    createdAt: T0,
    movedAt: T0 + 2 * H,
    sourceId: 'WEB',
    assignedById: 5,
  }
  const events = history(1, [
    ['NEW', 0],
    ['MEET', 2],
  ])

  it('flags a deal stuck past p90 in a stage where its source is often lost', () => {
    const now = T0 + 2 * H + 10 * H // 10 h in MEET; MEET norm is exactly 5 h for every sample
    const card = dealCard({ deal, events, stages, touches: [], sampleEvents: sample, sampleDeals, now })
    expect(card.path.map((s) => [s.stageId, s.durationMs / H, s.verdict])).toEqual([
      ['NEW', 2, 'normal'],
      ['MEET', 10, 'stuck'],
    ])
    expect(card.risks.map((r) => r.kind)).toEqual(['stuck', 'often-lost'])
    expect(card.risks[1]).toMatchObject({ churn: 0.6, n: 10 })
    expect(card.manager).toEqual({ won: 2, lost: 3, rate: 0.4 })
    expect(card.team).toEqual({ won: 4, lost: 6, rate: 0.4 })
  })

  it('raises no stuck risk within the norm and no source risk for another source', () => {
    const now = T0 + 2 * H + 3 * H
    const other = { ...deal, sourceId: 'ADS' }
    const card = dealCard({ deal: other, events, stages, touches: [], sampleEvents: sample, sampleDeals, now })
    expect(card.risks).toEqual([])
    expect(card.path[1].verdict).toBe('normal')
  })

  it('marks norms from too small a sample as unknown and reconstructs a path without history', () => {
    const now = T0 + 10 * DAY_MS // no touch for 10 days: idle
    const card = dealCard({
      deal,
      events: [],
      stages,
      touches: [],
      sampleEvents: sample.slice(0, 6),
      sampleDeals: [],
      now,
    })
    expect(card.path).toHaveLength(1)
    expect(card.path[0]).toMatchObject({ stageId: 'MEET', enteredAt: T0 + 2 * H, verdict: 'unknown', current: true })
    expect(card.risks.map((r) => r.kind)).toEqual(['idle'])
  })

  it("does not count time in a closed deal's final stage", () => {
    const won = { ...deal, stageId: 'WON', semantic: 'S' as const }
    const card = dealCard({
      deal: won,
      events: history(1, [
        ['NEW', 0],
        ['WON', 3],
      ]),
      stages,
      touches: [],
      sampleEvents: sample,
      sampleDeals,
      now: T0 + 1000 * H,
    })
    expect(card.path[1]).toMatchObject({ stageId: 'WON', durationMs: 0, current: false })
    expect(card.risks).toEqual([])
  })
})
