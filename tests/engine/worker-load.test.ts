/**
 * The worker's table-by-table load (src/engine/load-slices.ts, worker-load.ts): loadBegin, one
 * loadTable per table or slice, loadEnd. Each message crosses a structured clone here, as it
 * crosses the thread boundary in the app.
 */
import { describe, expect, it } from 'vitest'
import { dumpToCrmData } from '../../src/b24/normalize'
import { parseSettings, SETTINGS_OPTION } from '../../src/b24/settings'
import { DEFAULT_NOW, generatePortal } from '../../src/demo-portal/generator'
import { buildReport, prepare, type ReportQuery } from '../../src/engine/index'
import { CRM_TABLES, loadMessages, type LoadRequest } from '../../src/engine/load-slices'
import { diffCrmData } from '../../src/engine/patch'
import type { CrmData } from '../../src/engine/types'
import { handleMessage, type WorkerRequest, type WorkerResponse, type WorkerState } from '../../src/engine/worker'
import { MARCH, marchPortal } from './march'

const fresh = (): WorkerState => ({ prepared: null, lastQuery: null })
/** One message through the worker's handler, both ways by structured clone. */
const send = (state: WorkerState, msg: WorkerRequest): WorkerResponse =>
  structuredClone(handleMessage(state, structuredClone(msg)))

/** Sends every message of a load; returns the answers. */
function loadSliced(state: WorkerState, data: CrmData, version?: number, sliceRows?: number): WorkerResponse[] {
  return [...loadMessages(data, version, sliceRows)].map((m) => send(state, m))
}

const reportOf = (state: WorkerState, query: ReportQuery = MARCH) => {
  const answer = send(state, { type: 'report', query })
  if (answer.type !== 'report') throw new Error(JSON.stringify(answer))
  return answer.report
}

/** The March portal's messages, deals in slices of 2, without its loadEnd. */
function marchSteps(data = marchPortal()): LoadRequest[] {
  return [...loadMessages(data, 1, 2)].slice(0, -1)
}

describe('table-by-table load', () => {
  it('sends every table, the large ones in slices starting where the last one ended', () => {
    const data = marchPortal()
    const messages = [...loadMessages(data, 4, 2)]
    expect(messages[0]).toEqual({ type: 'loadBegin', version: 4 })
    expect(messages.at(-1)).toEqual({ type: 'loadEnd' })
    const deals = messages.filter((m) => m.type === 'loadTable' && m.name === 'deals')
    expect(deals.map((m) => (m as { at: number }).at)).toEqual([0, 2, 4, 6, 8])
    expect(deals.flatMap((m) => (m as { rows: unknown[] }).rows)).toEqual(data.deals)
    const names = new Set(messages.flatMap((m) => (m.type === 'loadTable' ? [m.name] : [])))
    expect([...names].sort()).toEqual(CRM_TABLES.filter((t) => data[t] !== undefined).sort())
  })

  it('acknowledges each step, answers loadEnd as a whole load, and the report is the same', () => {
    const state = fresh()
    const answers = loadSliced(state, marchPortal(), 1, 2)
    expect(answers.slice(0, -1).every((a) => a.type === 'loadAck')).toBe(true)
    expect(answers.at(-1)).toMatchObject({ type: 'loaded', quality: { deals: 9, reconstructed: 1 } })
    expect(reportOf(state)).toEqual(buildReport(prepare(marchPortal()), MARCH))
    // The version named at loadBegin is the one a patch is checked against.
    const patch = diffCrmData(marchPortal(), marchPortal())!
    expect(send(state, { type: 'patch', patch, base: 1, version: 2 })).toMatchObject({ type: 'loaded' })
  })

  it('refuses a report, drill or patch while a load is half done, then finishes the load', () => {
    const state = fresh()
    loadSliced(state, marchPortal(), 1)
    reportOf(state)
    const steps = marchSteps()
    steps.slice(0, 5).forEach((m) => send(state, m))
    const patch = diffCrmData(marchPortal(), marchPortal())!
    for (const asked of [
      { type: 'report', query: MARCH, id: 3 },
      { type: 'drill', ref: { section: 'kpis', measure: 'won' }, id: 3 },
      { type: 'patch', patch, base: 1, version: 2, id: 3 },
    ] as WorkerRequest[]) {
      expect(send(state, asked)).toMatchObject({
        type: 'error',
        id: 3,
        code: 'LOADING',
        message: expect.stringMatching(/still loading/),
      })
    }
    steps.slice(5).forEach((m) => send(state, m))
    expect(send(state, { type: 'loadEnd' })).toMatchObject({ type: 'loaded' })
    expect(reportOf(state)).toEqual(buildReport(prepare(marchPortal()), MARCH))
  })

  it('a new loadBegin (or a whole load) drops the half-done load', () => {
    const state = fresh()
    const other = marchPortal()
    other.deals = other.deals.slice(0, 3)
    const steps = marchSteps()
    steps.slice(0, -3).forEach((m) => send(state, m))
    loadSliced(state, other, 2, 2)
    expect(reportOf(state)).toEqual(buildReport(prepare(other), MARCH))

    steps.slice(0, -3).forEach((m) => send(state, m))
    expect(send(state, { type: 'load', data: other })).toMatchObject({ type: 'loaded', quality: { deals: 3 } })
    expect(reportOf(state)).toEqual(buildReport(prepare(other), MARCH))
  })

  it('a table sent twice fails the load: the next steps are refused and the data held before stays', () => {
    const state = fresh()
    const before = marchPortal()
    before.deals = before.deals.slice(0, 3)
    loadSliced(state, before, 1)
    const expected = reportOf(state)
    const steps = marchSteps()
    steps.forEach((m) => send(state, m))
    const again = steps.find((m) => m.type === 'loadTable' && m.name === 'stages')!
    expect(send(state, { ...again, id: 7 })).toMatchObject({
      type: 'error',
      id: 7,
      code: 'BAD_LOAD',
      message: 'Table "stages" sent twice in one load',
    })
    expect(send(state, { type: 'loadEnd', id: 8 })).toMatchObject({ type: 'error', id: 8, code: 'BAD_LOAD' })
    expect(send(state, again)).toMatchObject({ type: 'error', message: expect.stringMatching(/No load in progress/) })
    expect(reportOf(state)).toEqual(expected)
    // A patch then falls back to a whole load: the version is unknown after a failed load.
    const patch = diffCrmData(before, before)!
    expect(send(state, { type: 'patch', patch, base: 1, version: 2 })).toMatchObject({ code: 'STALE_PATCH' })
  })

  it('names an unknown table, a slice out of place and the tables missing at the end', () => {
    const state = fresh()
    send(state, { type: 'loadBegin' })
    const unknown = send(state, { type: 'loadTable', name: 'dealz', rows: [] } as unknown as WorkerRequest)
    expect(unknown).toMatchObject({
      type: 'error',
      code: 'BAD_LOAD',
      message: expect.stringMatching(/^Unknown table "dealz": a load carries portal, settings/),
    })

    send(state, { type: 'loadBegin' })
    const deals = marchPortal().deals
    send(state, { type: 'loadTable', name: 'deals', rows: deals.slice(0, 2), at: 0 })
    expect(send(state, { type: 'loadTable', name: 'deals', rows: deals.slice(3), at: 3 })).toMatchObject({
      code: 'BAD_LOAD',
      message: 'A slice of "deals" starts at row 3, but 2 were received',
    })

    send(state, { type: 'loadBegin' })
    send(state, { type: 'loadTable', name: 'deals', rows: deals })
    expect(send(state, { type: 'loadEnd' })).toMatchObject({
      code: 'BAD_LOAD',
      message: expect.stringMatching(/^The load ended without the tables portal, settings, pipelines, .*touches$/),
    })
  })

  it("gives the demo portal's report, sliced, exactly as loaded whole", () => {
    const dump = generatePortal({ seed: 11, deals: 300, now: DEFAULT_NOW })
    const data = dumpToCrmData(dump, parseSettings(dump.appOptions?.[SETTINGS_OPTION]))
    const query: ReportQuery = {
      from: '2026-07-01',
      to: '2026-09-30',
      compare: 'previous',
      now: Date.parse(DEFAULT_NOW),
    }
    const whole = fresh()
    expect(send(whole, { type: 'load', data })).toMatchObject({ type: 'loaded' })
    const sliced = fresh()
    const answers = loadSliced(sliced, data, 1, 37)
    expect(answers.length).toBeGreaterThan(50)
    expect(answers.at(-1)).toMatchObject({ type: 'loaded', quality: { deals: data.deals.length } })
    expect(sliced.prepared!.data.touches).toEqual(data.touches)
    expect(reportOf(sliced, query)).toEqual(reportOf(whole, query))
    expect(reportOf(sliced, { ...query, breakdown: 'manager' })).toEqual(
      reportOf(whole, { ...query, breakdown: 'manager' }),
    )
  })
})
