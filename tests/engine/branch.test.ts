/**
 * Branch stages (metrics.md "Funnels" → "Branch stages") on the hand-made consultation pipeline
 * of consultation-portal.ts (its table says what each deal tests).
 */
import { describe, expect, it } from 'vitest'
import { buildReport, drillDown, prepare, type DrillRef } from '../../src/engine/index'
import { resolveQuery } from '../../src/engine/filters'
import { stagePairs } from '../../src/engine/timing'
import { pathShape } from '../../src/engine/branch'
import { addDeal, ids } from './builders'
import { expectCellsDrillToTheirCounts } from './funnel-cells'
import { Q, STAGES, consultationPortal } from './consultation-portal'

const p = prepare(consultationPortal())
const r = buildReport(p, Q)
const drill = (ref: DrillRef) => ids(drillDown(p, Q, ref))

describe('path shape', () => {
  it('finds the main path around branch stages', () => {
    const s = pathShape(['A', 'B', 'X', 'C', 'Y', 'W'], 5, new Set(['X', 'Y', 'W']))
    expect([...s.branch]).toEqual([0, 0, 1, 0, 1, 0]) // W is not a process stage: never a branch
    expect([...s.nextMain].slice(0, 5)).toEqual([1, 3, 3, -1, -1])
    expect([...s.prevMain].slice(0, 5)).toEqual([-1, 0, 1, 1, 3])
    expect([s.firstMain, s.lastMain]).toEqual([0, 3])
  })
})

describe('cohort funnel with a branch stage', () => {
  const c = r.funnel.cohort[0]

  it('a branch stage is reached only by an actual entry; entering it implies the stages before it', () => {
    const reached = Object.fromEntries(c.order.map((id) => [id, c.stages[id].reached]))
    expect(reached).toEqual({ NEW: 8, BOOKED: 8, NOSHOW: 4, HELD: 5, CONTRACT: 2, WON: 1, LOSE: 4 })
    expect(drill({ section: 'cohort', categoryId: 0, stageId: 'NOSHOW', measure: 'reached' })).toEqual([2, 3, 4, 8])
    // Deal 4 went NEW → NOSHOW: BOOKED is implied; deal 5 jumped to CONTRACT: BOOKED and HELD, not NOSHOW.
    expect(drill({ section: 'cohort', categoryId: 0, stageId: 'HELD', measure: 'reached' })).toEqual([1, 2, 5, 6, 8])
  })

  it('without the setting the same history counts every skip as passed (the old rule)', () => {
    const old = buildReport(prepare(consultationPortal(false)), Q).funnel.cohort[0]
    expect(old.stages.NOSHOW.reached).toBe(7)
    expect(old.stages.NOSHOW.branch).toBeUndefined()
  })

  it('marks the branch row and skips it in conversion to the next stage', () => {
    expect(c.stages.NOSHOW.branch).toBe(true)
    expect(c.stages.BOOKED.branch).toBeUndefined()
    expect(c.stages.BOOKED.conversion).toBe(0.625) // HELD 5 / BOOKED 8, not NOSHOW 4 / 8
    expect(c.stages.NOSHOW.conversion).toBeNull()
    expect(c.stages.NOSHOW.overall).toBe(0.5)
  })

  it('notNext of BOOKED looks at HELD; of NOSHOW, whether its deals ever reached HELD', () => {
    // BOOKED without HELD: 3, 4, 7.
    expect(c.stages.BOOKED.notNext).toBe(3)
    expect(drill({ section: 'cohort', categoryId: 0, stageId: 'BOOKED', measure: 'notNext' })).toEqual([3, 4, 7])
    expect(c.stages.NOSHOW.notNext).toBe(2)
    expect(drill({ section: 'cohort', categoryId: 0, stageId: 'NOSHOW', measure: 'notNext' })).toEqual([3, 4])
  })

  it('the loss stage is the stage actually left for the failure stage, a branch stage too', () => {
    expect(c.stages.NOSHOW.lostAt).toBe(2) // 3, 8
    expect(c.stages.BOOKED.lostAt).toBe(2) // 6 (moved back), 7
    expect(drill({ section: 'cohort', categoryId: 0, stageId: 'NOSHOW', measure: 'lostAt' })).toEqual([3, 8])
  })
})

describe('drill-down with a branch stage', () => {
  it('every cohort and flow cell has exactly as many rows as its count', () => {
    expectCellsDrillToTheirCounts(r, drill)
  })
})

describe('reconstructed deals (no history) and a branch stage', () => {
  it('begin at the first main-path stage; a current branch stage is an actual entry', () => {
    const data = consultationPortal()
    addDeal(data, { id: 9, stageId: 'NOSHOW', created: '2024-03-09T12:00:00+03:00' })
    addDeal(data, { id: 10, stageId: 'HELD', created: '2024-03-10T12:00:00+03:00' })
    const rp = prepare(data)
    const c = buildReport(rp, Q).funnel.cohort[0]
    expect(c.stages.NOSHOW.reached).toBe(5) // + deal 9
    expect(c.stages.BOOKED.reached).toBe(10) // + 9 (entering NOSHOW implies it) and 10
    expect(c.stages.HELD.reached).toBe(6) // + 10, not 9
    expect(ids(drillDown(rp, Q, { section: 'cohort', categoryId: 0, stageId: 'NOSHOW', measure: 'reached' }))).toEqual([
      2, 3, 4, 8, 9,
    ])
  })
})

describe('flow funnel with a branch stage', () => {
  const f = r.funnel.flow[0]
  it('counts actual entries into the branch stage and re-bookings as re-entries', () => {
    expect(f.stages.NOSHOW).toMatchObject({ entered: 4, entries: 4, branch: true, conversion: null })
    // Deal 2 booked twice, deal 6 moved back to BOOKED, deal 4 and 5 passed it by a jump.
    expect(f.stages.BOOKED).toMatchObject({ entered: 8, entries: 10 })
    expect(f.stages.BOOKED.conversion).toBe(0.625)
    expect(drill({ section: 'flow', categoryId: 0, stageId: 'NOSHOW', measure: 'entered' })).toEqual([2, 3, 4, 8])
  })
})

describe('churn, sources, timing, forecast and quality with a branch stage', () => {
  it('churn at the branch stage = lost there / its actual entrants', () => {
    const ch = r.churn[0]
    expect(ch.order).toEqual(STAGES)
    expect(ch.cohort.NOSHOW).toMatchObject({ reached: 4, lostAt: 2, churn: 0.5 })
    expect(ch.cohort.BOOKED).toMatchObject({ reached: 8, lostAt: 2, churn: 0.25 })
    expect(ch.cohort.HELD).toMatchObject({ reached: 5, lostAt: 0 })
  })

  it('source × stage counts the branch by actual entries', () => {
    const row = r.sources.matrix[0].rows[0]
    expect(row.stages.NOSHOW).toEqual({ reached: 4, share: 0.5 })
    expect(row.stages.HELD.reached).toBe(5)
  })

  it('timing pairs follow the main path; the branch is timed from the stage before it', () => {
    const s = resolveQuery(p, Q)
    const names = stagePairs(s.p, 0).map(([a, b]) => `${p.pipes[0].stageIds[a]}→${p.pipes[0].stageIds[b]}`)
    expect(names).toEqual(['NEW→BOOKED', 'BOOKED→HELD', 'BOOKED→NOSHOW', 'HELD→CONTRACT', 'CONTRACT→WON'])
    const pair = r.timing.betweenStages[0].pairs.find((x) => x.from === 'BOOKED' && x.to === 'NOSHOW')!
    // 2, 3 and 8 entered BOOKED, then NOSHOW; deal 4 never actually entered BOOKED.
    expect(pair.stats.count).toBe(3)
  })

  it('forecast: P(win | NOSHOW) only over the closed deals that entered it', () => {
    // Closed: 1 won; 3, 6, 7, 8 lost. Entered NOSHOW: 3, 8.
    expect(r.forecast.pipelines[0].stages.NOSHOW).toMatchObject({ samples: 2, probability: 0 })
    expect(r.forecast.pipelines[0].stages.HELD).toMatchObject({ samples: 3, probability: 0.3333 })
  })

  it('a return from the branch to the stage before it is not a move back', () => {
    expect(r.quality.backwardMoves).toBe(2) // 6 (HELD → BOOKED) and 8 (HELD → NOSHOW), not 2
  })
})
