import { describe, expect, it } from 'vitest'
import { handleMessage, type WorkerState } from '../../src/engine/worker'
import { MARCH, marchPortal } from './march'
import { diffCrmData } from '../../src/engine/patch'
import { buildReport, prepare } from '../../src/engine/index'
import type { CrmData } from '../../src/engine/types'

describe('worker protocol', () => {
  it('keeps the data after load; a query alone builds the report; drill reuses the last query', () => {
    const state: WorkerState = { prepared: null, lastQuery: null }
    const early = handleMessage(state, { type: 'report', query: MARCH, id: 1 })
    expect(early).toMatchObject({ type: 'error', id: 1 })
    expect((early as { message: string }).message).toMatch(/No data loaded/)

    const loaded = handleMessage(state, { type: 'load', data: marchPortal(), id: 2 })
    expect(loaded).toMatchObject({ type: 'loaded', id: 2, quality: { deals: 9, reconstructed: 1 } })

    const rep = handleMessage(state, { type: 'report', query: { ...MARCH, managerIds: [2] }, id: 3 })
    if (rep.type !== 'report') throw new Error(JSON.stringify(rep))
    expect(rep.report.kpis.dealsCreated.value).toBe(1)

    const rows = handleMessage(state, { type: 'drill', ref: { section: 'kpis', measure: 'dealsCreated' }, id: 4 })
    expect(rows).toMatchObject({ type: 'drill', id: 4, rows: [{ id: 4 }] })
  })

  it('answers a bad query with an error message, not a throw', () => {
    const state: WorkerState = { prepared: null, lastQuery: null }
    handleMessage(state, { type: 'load', data: marchPortal() })
    const bad = handleMessage(state, { type: 'report', query: { ...MARCH, to: '2024-02-30' }, id: 9 })
    expect(bad).toMatchObject({ type: 'error', id: 9 })
    const noQuery = handleMessage(state, { type: 'drill', ref: { section: 'kpis', measure: 'won' } })
    expect(noQuery).toMatchObject({ type: 'error', message: expect.stringMatching(/build a report/) })
  })

  it("a patch updates the data it holds: the next report is the fresh data's, without a whole load", () => {
    const state: WorkerState = { prepared: null, lastQuery: null }
    const before = marchPortal()
    handleMessage(state, { type: 'load', data: before, version: 1 })
    const after = structuredClone(before)
    after.deals[0] = { ...after.deals[0], assignedById: 2 }
    after.deals.pop()
    const patch = diffCrmData(before, after)!
    const patched = handleMessage(state, { type: 'patch', patch, base: 1, version: 2, id: 5 })
    expect(patched).toMatchObject({ type: 'loaded', id: 5, quality: { deals: 8 } })
    const rep = handleMessage(state, { type: 'report', query: MARCH, id: 6 })
    if (rep.type !== 'report') throw new Error(JSON.stringify(rep))
    expect(rep.report).toEqual(buildReport(prepare(after), MARCH))
    expect(rep.report).not.toEqual(buildReport(prepare(before), MARCH))
  })

  it('refuses a patch before any data (the page then loads the data whole)', () => {
    const state: WorkerState = { prepared: null, lastQuery: null }
    const patch = diffCrmData(marchPortal(), marchPortal())!
    expect(handleMessage(state, { type: 'patch', patch, base: 0, version: 1, id: 7 })).toMatchObject({ type: 'error' })
  })

  it('refuses a patch computed against other data than it holds (a failed load in between)', () => {
    const state: WorkerState = { prepared: null, lastQuery: null }
    handleMessage(state, { type: 'load', data: marchPortal(), version: 1 })
    const broken = { ...marchPortal(), portal: null } as unknown as CrmData
    expect(handleMessage(state, { type: 'load', data: broken, version: 2 })).toMatchObject({ type: 'error' })
    const patch = diffCrmData(marchPortal(), marchPortal())!
    const answer = handleMessage(state, { type: 'patch', patch, base: 2, version: 3, id: 8 })
    expect(answer).toMatchObject({ type: 'error', id: 8, message: expect.stringMatching(/version 2/) })
  })
})
