/**
 * prepare(): the per-deal indexes every report reads (issue 12 point 5: its own tests). A tiny
 * hand-made portal, +03:00, pipeline 0 = NEW → CONTACT → OFFER → WON | LOSE.
 */
import { describe, expect, it } from 'vitest'
import { prepare, SEM_F, SEM_P, SEM_S } from '../../src/engine/prepare'
import { addDeal, addLead, at, portal } from './builders'

function sample() {
  const data = portal()
  data.currencies.push({ code: 'USD', rate: 90, base: false })
  // 0: jumps NEW → OFFER (CONTACT implied), then won.
  addDeal(data, {
    id: 10,
    stageId: 'WON',
    created: '2024-03-01T10:00+03:00',
    amount: 100,
    currency: 'USD',
    history: [
      ['NEW', '2024-03-01T10:00+03:00'],
      ['OFFER', '2024-03-03T10:00+03:00'],
      ['WON', '2024-03-05T10:00+03:00'],
    ],
  })
  // 1: lost from CONTACT.
  addDeal(data, {
    id: 11,
    stageId: 'LOSE',
    created: '2024-03-02T10:00+03:00',
    amount: 500,
    history: [
      ['NEW', '2024-03-02T10:00+03:00'],
      ['CONTACT', '2024-03-04T10:00+03:00'],
      ['LOSE', '2024-03-06T10:00+03:00'],
    ],
  })
  // 2: open, in a pipeline the portal does not have.
  addDeal(data, { id: 12, stageId: 'X:NEW', categoryId: 7, created: '2024-03-02T12:00+03:00' })
  addLead(data, { id: 1, created: '2024-03-01T09:00+03:00', semantic: 'S' })
  return data
}

describe('prepare', () => {
  const p = prepare(sample())
  const col = (d: number, stageId: string, column: Float64Array) =>
    column[d * p.stride + p.pipes[0].stageIds.indexOf(stageId)]

  it('numbers deals in input order with pipeline, current stage and semantics', () => {
    expect(p.n).toBe(3)
    expect(p.pipes.map((pl) => pl.categoryId)).toEqual([0])
    expect(Array.from(p.pipe)).toEqual([0, 0, -1])
    expect(Array.from(p.stage)).toEqual([3, 4, -1])
    expect(Array.from(p.semantic)).toEqual([SEM_S, SEM_F, SEM_P])
    expect(Array.from(p.pipes[0].deals)).toEqual([0, 1])
    expect(p.quality.unknownPipeline).toBe(1)
  })

  it('closes a won deal at its success entry and a lost one at its loss, with the loss stage', () => {
    expect(p.closedAt[0]).toBe(at('2024-03-05T10:00+03:00'))
    expect(p.closedAt[1]).toBe(at('2024-03-06T10:00+03:00'))
    expect(p.closedAt[2]).toBeNaN()
    expect(p.lossStage[1]).toBe(p.pipes[0].stageIds.indexOf('CONTACT'))
    expect(p.lossStage[0]).toBe(-1)
    expect(p.successAt[0]).toBe(at('2024-03-05T10:00+03:00'))
    expect(p.stageSince[1]).toBe(at('2024-03-06T10:00+03:00'))
  })

  it('a skipped stage counts as reached at the jump, but was never actually entered', () => {
    expect(col(0, 'CONTACT', p.reachedAt)).toBe(at('2024-03-03T10:00+03:00'))
    expect(col(0, 'CONTACT', p.firstEntry)).toBeNaN()
    expect(col(0, 'OFFER', p.firstEntry)).toBe(at('2024-03-03T10:00+03:00'))
    // Deal 1 never got past CONTACT.
    expect(col(1, 'OFFER', p.reachedAt)).toBeNaN()
    expect(col(1, 'CONTACT', p.reachedAt)).toBe(at('2024-03-04T10:00+03:00'))
  })

  it('converts amounts into the report currency and keeps leads apart', () => {
    expect(p.amount[0]).toBe(9000) // 100 USD at 90
    expect(p.amount[1]).toBe(500)
    expect(Array.from(p.leadCreated)).toEqual([at('2024-03-01T09:00+03:00')])
    expect(Array.from(p.leadSemantic)).toEqual([SEM_S])
  })

  it('a time zone it cannot read: periods in UTC, and the quality summary says why', () => {
    const data = sample()
    data.portal.timeZone = 'Mars/Olympus'
    const q = prepare(data).quality
    expect(q.timeZoneProblem).toMatch(/Mars\/Olympus.*periods are cut in UTC/)
    expect(p.quality.timeZoneProblem).toBeFalsy()
  })
})
