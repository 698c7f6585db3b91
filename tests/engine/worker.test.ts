import { describe, expect, it } from 'vitest'
import { handleMessage, type WorkerState } from '../../src/engine/worker'
import { MARCH, marchPortal } from './march'

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
})
