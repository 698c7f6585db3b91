import { describe, expect, it } from 'vitest'
import { prepare } from '../../src/engine/prepare'
import { buildReport } from '../../src/engine/report'
import { addDeal, at, portal } from './builders'

const t = (s: string) => `2024-03-${s}T12:00:00+03:00`

function messy() {
  const d = portal({
    pipelines: [
      {
        id: 0,
        stages: [{ id: 'NEW' }, { id: 'CONTACT' }, { id: 'WON', semantic: 'S' }, { id: 'LOSE', semantic: 'F' }],
      },
      { id: 1, stages: [{ id: 'C1:NEW' }, { id: 'C1:WON', semantic: 'S' }, { id: 'C1:LOSE', semantic: 'F' }] },
    ],
  })
  d.users.push({ id: 3, name: 'Fired', active: false, departmentIds: [] })
  // 1: clean.
  addDeal(d, {
    id: 1,
    stageId: 'CONTACT',
    created: t('01'),
    history: [
      ['NEW', t('01')],
      ['CONTACT', t('02')],
    ],
  })
  // 2: no history → reconstructed (created at NEW, now in CONTACT since movedAt).
  addDeal(d, { id: 2, stageId: 'CONTACT', created: t('01'), movedAt: at(t('03')) })
  // 3: moved from pipeline 1 to pipeline 0: counted in pipeline 0 only.
  addDeal(d, {
    id: 3,
    stageId: 'NEW',
    created: t('01'),
    history: [
      ['C1:NEW', t('01')],
      ['NEW', t('02')],
    ],
  })
  d.dealEvents[d.dealEvents.length - 1].typeId = 5
  // 4: history stops at NEW though the deal is in CONTACT → patched; responsible user deleted.
  addDeal(d, {
    id: 4,
    stageId: 'CONTACT',
    created: t('01'),
    assignedById: 99,
    movedAt: at(t('04')),
    history: [['NEW', t('01')]],
  })
  // 5: created straight into LOSE; fired manager; unknown currency.
  addDeal(d, {
    id: 5,
    stageId: 'LOSE',
    created: t('01'),
    assignedById: 3,
    currency: 'XYZ',
    amount: 10,
    history: [['LOSE', t('01')]],
  })
  // 6: unknown pipeline. 7: unknown current stage. 8: no creation date.
  addDeal(d, { id: 6, stageId: 'C9:NEW', categoryId: 9, created: t('01') })
  addDeal(d, { id: 7, stageId: 'GONE', categoryId: 0, created: t('01'), history: [['NEW', t('01')]] })
  addDeal(d, { id: 8, stageId: 'NEW', created: t('01'), history: [['NEW', t('01')]] })
  d.deals[d.deals.length - 1].createdAt = Number.NaN
  // Reopened: lost, then back to work.
  addDeal(d, {
    id: 9,
    stageId: 'CONTACT',
    created: t('01'),
    history: [
      ['NEW', t('01')],
      ['LOSE', t('02')],
      ['CONTACT', t('03')],
    ],
  })
  // Events of a deal we do not have, and an event at a stage no pipeline knows.
  d.dealEvents.push({
    id: 900,
    ownerId: 12345,
    typeId: 2,
    stageId: 'NEW',
    categoryId: 0,
    semantic: 'P',
    at: at(t('05')),
  })
  d.dealEvents.push({
    id: 901,
    ownerId: 1,
    typeId: 2,
    stageId: 'MYSTERY',
    categoryId: 0,
    semantic: 'P',
    at: at(t('05')),
  })
  return d
}

describe('data quality', () => {
  const q = prepare(messy()).quality
  it('reconstructed, patched, pipeline changes, reopened', () => {
    // Deal 2 has no events. Deal 6 is in an unknown pipeline and left out before history is read.
    expect(q.reconstructed).toBe(1)
    // Deal 4 (history ends at NEW, deal in CONTACT). Deal 3's last event is NEW = its stage: not patched.
    expect(q.historyPatched).toBe(1)
    expect(q.pipelineChanged).toBe(1)
    expect(q.reopened).toBe(1)
    expect(q.lostWithoutProcessStage).toBe(1)
  })

  it('unknown ids, missing dates, users, currencies', () => {
    expect(q.unknownStageEvents).toBe(1)
    expect(q.orphanEvents).toBe(1)
    expect(q.unknownPipeline).toBe(1)
    expect(q.unknownCurrentStage).toBe(1)
    expect(q.missingCreateDate).toBe(1)
    expect(q.unknownUsers).toBe(1)
    expect(q.inactiveUsers).toBe(1)
    expect(q.unknownCurrencies).toEqual(['XYZ'])
  })

  it('a deal created straight into a failure stage is lost at the first stage', () => {
    const r = buildReport(prepare(messy()), { from: '2024-03-01', to: '2024-03-31', compare: 'none', now: at(t('20')) })
    const pipe0 = r.funnel.cohort.find((x) => x.categoryId === 0)!
    expect(pipe0.stages.NEW.lostAt).toBe(1)
    // Cohort of pipeline 0: 1, 2, 3, 4, 5, 7, 9 (8 has no date, 6 no known pipeline).
    expect(pipe0.size).toBe(7)
    expect(r.funnel.cohort.find((x) => x.categoryId === 1)!.size).toBe(0)
    expect(r.quality.unknownCurrencies).toEqual(['XYZ'])
  })

  it('an unreadable portal time zone made prepare throw: no report at all — a report cut in UTC beats none, and quality says why the days may shift', () => {
    const d = messy()
    d.portal.timeZone = 'Nowhere/Land'
    const p = prepare(d)
    expect(p.quality.timeZoneProblem).toMatch(/Unknown time zone "Nowhere\/Land".*UTC/)
    expect(buildReport(p, { from: '2024-03-01', to: '2024-03-31', compare: 'none' }).period.start).toBe(
      Date.parse('2024-03-01T00:00:00Z'),
    )
    expect(prepare(messy()).quality.timeZoneProblem).toBeNull()
  })
})
