import { describe, expect, it } from 'vitest'
import { buildReport, drillDown, prepare, type DrillRef, type ReportQuery } from '../../src/engine/index'
import { addTouch, ids } from './builders'
import { expectCellsDrillToTheirCounts } from './funnel-cells'
import { MARCH, marchPortal } from './march'

const data = marchPortal()
addTouch(data, { at: '2024-03-05T13:00:00+03:00', kind: 'call', dealIds: [1] })
const p = prepare(data)
const q = { ...MARCH, compare: 'previous' as const }
const r = buildReport(p, q)
const drill = (ref: DrillRef) => ids(drillDown(p, q, ref))

describe('drill-down returns exactly the deals counted', () => {
  it('cohort funnel cells (hand-checked)', () => {
    expect(drill({ section: 'cohort', categoryId: 0, measure: 'size' })).toEqual([1, 2, 3, 4, 7, 8, 9])
    expect(drill({ section: 'cohort', categoryId: 0, stageId: 'CONTACT', measure: 'reached' })).toEqual([1, 2, 3, 7, 9])
    expect(drill({ section: 'cohort', categoryId: 0, stageId: 'NEW', measure: 'notNext' })).toEqual([4, 8])
    expect(drill({ section: 'cohort', categoryId: 0, stageId: 'CONTACT', measure: 'notNext' })).toEqual([3, 7])
    expect(drill({ section: 'cohort', categoryId: 0, stageId: 'OFFER', measure: 'lostAt' })).toEqual([2])
    expect(drill({ section: 'cohort', categoryId: 0, stageId: 'NEW', measure: 'current' })).toEqual([3, 8])
  })

  it('every cohort and flow cell has as many rows as its count', () => {
    expectCellsDrillToTheirCounts(r, drill)
    expect(drill({ section: 'flow', categoryId: 0, measure: 'size' })).toHaveLength(r.funnel.flow[0].size)
  })

  it('flow cells and churn (hand-checked)', () => {
    expect(drill({ section: 'flow', categoryId: 0, stageId: 'CONTACT', measure: 'entered' })).toEqual([
      1, 2, 3, 5, 7, 9,
    ])
    expect(drill({ section: 'churn', mode: 'flow', categoryId: 0, stageId: 'CONTACT', measure: 'lostAt' })).toEqual([5])
    expect(drill({ section: 'churn', mode: 'cohort', categoryId: 0, stageId: 'OFFER', measure: 'reached' })).toEqual([
      1, 2, 9,
    ])
  })

  it('split rows', () => {
    const split = { dim: 'source' as const, key: 'ADS' }
    expect(drill({ section: 'cohort', categoryId: 0, stageId: 'OFFER', measure: 'reached', split })).toEqual([1, 2])
    const ads = r.churn[0].splits.source!.find((x) => x.key === 'ADS')!
    expect(
      drill({ section: 'churn', mode: 'cohort', categoryId: 0, stageId: 'OFFER', measure: 'lostAt', split }),
    ).toHaveLength(ads.cohort.OFFER.lostAt)
  })

  it('KPIs, series, comparison period', () => {
    expect(drill({ section: 'kpis', measure: 'won' })).toEqual([1, 9])
    expect(drill({ section: 'kpis', measure: 'lost' })).toEqual([2, 4, 5])
    expect(drill({ section: 'kpis', measure: 'dealsCreated', period: 'comparison' })).toEqual([5])
    expect(drill({ section: 'series', measure: 'created', bucket: 0 })).toEqual([7, 8])
    expect(drill({ section: 'series', measure: 'created', bucket: 27, period: 'comparison' })).toEqual([5])
  })

  it('sources, managers, cities, ROI, loss reasons, timing, touches', () => {
    expect(drill({ section: 'sources', key: 'ADS', measure: 'won' })).toEqual([1])
    expect(drill({ section: 'sources', key: '', measure: 'deals' })).toEqual([3, 4, 7, 8, 9])
    expect(drill({ section: 'managers', managerId: '2', measure: 'lost' })).toEqual([4])
    expect(drill({ section: 'managers', managerId: '1', measure: 'inWork' })).toEqual([3, 6, 7, 8])
    expect(drill({ section: 'cities', cityId: '', measure: 'won' })).toEqual([1, 9])
    expect(drill({ section: 'roi', sourceId: 'ADS', measure: 'deals' })).toEqual([1, 2])
    expect(drill({ section: 'lossReasons', measure: 'lost', reasonKey: 'R1' })).toEqual([2])
    expect(drill({ section: 'lossReasons', measure: 'lost', categoryId: 0, stageId: 'CONTACT' })).toEqual([5])
    expect(drill({ section: 'timing', measure: 'toWin' })).toHaveLength(r.timing.toWin.stats.count)
    expect(drill({ section: 'timing', measure: 'between', categoryId: 0, from: 'NEW', to: 'CONTACT' })).toHaveLength(
      r.timing.betweenStages[0].pairs[0].stats.count,
    )
    expect(drill({ section: 'timing', measure: 'toFirstTouch' })).toEqual([1])
    expect(drill({ section: 'timing', measure: 'noTouch' })).toHaveLength(r.timing.toFirstTouch.noTouch)
    expect(drill({ section: 'touches', measure: 'beforeWon' })).toEqual([1, 9])
  })

  it('rows carry the deal, its stage, manager, source and amount', () => {
    const [row] = drillDown(p, q, { section: 'cohort', categoryId: 0, stageId: 'OFFER', measure: 'lostAt' })
    expect(row).toMatchObject({
      id: 2,
      title: 'Deal 2',
      stageId: 'LOSE',
      stageName: 'LOSE',
      managerId: 1,
      managerName: 'Anna',
      sourceId: 'ADS',
      sourceName: 'Ads',
      cityId: null,
      cityName: null,
      amount: 500,
      currency: 'RUB',
      lossReasonName: 'Too expensive',
    })
    expect(row.closedAt).toBe(Date.parse('2024-03-09T12:00:00+03:00'))
  })

  it('largest amount first', () => {
    expect(drillDown(p, q, { section: 'kpis', measure: 'won' }).map((x) => x.id)).toEqual([9, 1])
  })

  it('explains a bad reference with a QueryError and a code to branch on', () => {
    const refusal = (ref: DrillRef, query: ReportQuery = q): unknown => {
      try {
        drillDown(p, query, ref)
      } catch (err) {
        return err
      }
      throw new Error(`drilling into ${JSON.stringify(ref)} did not throw`)
    }
    const refused = (code: string, message: RegExp) =>
      expect.objectContaining({ name: 'QueryError', code, message: expect.stringMatching(message) })
    expect(refusal({ section: 'cohort', categoryId: 0, stageId: 'NOPE', measure: 'reached' })).toEqual(
      refused('UNKNOWN_STAGE', /No stage NOPE/),
    )
    expect(refusal({ section: 'kpis', measure: 'won', period: 'comparison' }, { ...q, compare: 'none' })).toEqual(
      refused('NO_COMPARISON', /no comparison/),
    )
    expect(refusal({ section: 'cohort', categoryId: 0, measure: 'reached' })).toEqual(
      refused('BAD_DRILL', /needs a stageId/),
    )
    expect(refusal({ section: 'flow', categoryId: 0, measure: 'entered' })).toEqual(
      refused('BAD_DRILL', /needs a stageId/),
    )
    expect(refusal({ section: 'cohort', categoryId: 7, measure: 'size' })).toEqual(
      refused('UNKNOWN_PIPELINE', /No pipeline 7/),
    )
    expect(refusal({ section: 'timing', measure: 'between', categoryId: 0, from: 'NEW' })).toEqual(
      refused('BAD_DRILL', /needs categoryId, from and to/),
    )
    expect(refusal({ section: 'leadToDeal', step: 'signed' } as unknown as DrillRef)).toEqual(
      refused('BAD_DRILL', /step must be one of/),
    )
    expect(refusal({ section: 'nowhere' } as unknown as DrillRef)).toEqual(refused('BAD_DRILL', /Cannot drill into/))
  })
})
