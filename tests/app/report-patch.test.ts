/**
 * Fresh data after a warm reopen reaches the engine as a patch when the delta is small (issue
 * 11.2): the report store diffs it against what it sent last, the engine client names the data
 * version the patch was computed against, and the worker's own handler applies it. The figures
 * must be the fresh data's, exactly as after a whole load.
 */
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { EngineClient, type WorkerLike } from '../../src/app/services/engine-client'
import { diffCrmData, notePatch } from '../../src/engine/patch'
import { patchWorthSending, useReportStore, type ReportEngine } from '../../src/app/stores/report'
import { handleMessage, type WorkerRequest, type WorkerState } from '../../src/engine/worker'
import { buildReport, prepare, type DrillRef, type DrillRow, type Report, type ReportQuery } from '../../src/engine'
import type { CrmData } from '../../src/engine/types'
import { MARCH } from '../engine/march'
import { hostilePortal } from './app-fixture'

// Spied on, not changed: counts the diffs patchWorthSending computes.
vi.mock('../../src/engine/patch', async (original) => {
  const patch = await original<typeof import('../../src/engine/patch')>()
  return { ...patch, diffCrmData: vi.fn(patch.diffCrmData) }
})
const diffed = vi.mocked(diffCrmData)

/**
 * The worker's handler behind structured clones, recording the message types it received (a
 * table-by-table load, loadBegin … loadEnd, as one 'load').
 */
function recordingWorker(received: string[]): WorkerLike {
  const state: WorkerState = { prepared: null, lastQuery: null }
  const listeners: ((e: MessageEvent) => void)[] = []
  return {
    postMessage(message) {
      const request = structuredClone(message) as WorkerRequest
      if (request.type === 'loadBegin') received.push('load')
      else if (request.type !== 'loadTable' && request.type !== 'loadEnd') received.push(request.type)
      setTimeout(() =>
        listeners.forEach((l) => l({ data: structuredClone(handleMessage(state, request)) } as MessageEvent)),
      )
    },
    addEventListener(type: string, listener: (e: never) => void) {
      if (type === 'message') listeners.push(listener as (e: MessageEvent) => void)
    },
  }
}

const QUERY: ReportQuery = { from: MARCH.from, to: MARCH.to, compare: 'previous', now: MARCH.now }

/** The portal after a small delta: a deal moved to another manager, one deal deleted. */
function delta(data: CrmData): CrmData {
  const after = structuredClone(data)
  after.deals[0] = { ...after.deals[0], assignedById: after.deals[1].assignedById, amount: 777 }
  after.deals.splice(2, 1)
  return after
}

/** The cached data, then the fresh data, through the report store: what the worker received and the report. */
async function cachedThenFresh(engine: (client: ReportEngine) => ReportEngine, fresh: (cached: CrmData) => CrmData) {
  const received: string[] = []
  const client = new EngineClient<ReportQuery, Report, DrillRef, DrillRow>(recordingWorker(received))
  const report = useReportStore()
  const cached = hostilePortal()
  const after = fresh(cached)
  await report.attach(engine(client), cached)
  await report.attach(engine(client), after)
  await report.run(QUERY)
  return {
    sent: received.filter((t) => t !== 'report'),
    report: report.report,
    expected: buildReport(prepare(after), QUERY),
  }
}

describe('fresh data as a patch', () => {
  beforeEach(() => setActivePinia(createPinia()))

  it('a small delta goes as a patch, and the report is the fresh data’s', async () => {
    const { sent, report, expected } = await cachedThenFresh((client) => client, delta)
    expect(sent).toEqual(['load', 'patch'])
    expect(report).toEqual(expected)
  })

  it('nothing changed: the patch is empty and the figures stay', async () => {
    const { sent, report, expected } = await cachedThenFresh((client) => client, structuredClone)
    expect(sent).toEqual(['load', 'patch'])
    expect(report).toEqual(expected)
  })

  it('a patch the engine refuses falls back to the whole data (no figures from the wrong base)', async () => {
    // An engine whose patches always fail, as after a lost worker state.
    const refusing = (client: ReportEngine): ReportEngine => ({
      load: (d) => client.load(d),
      patch: () => Promise.reject(new Error('stale')),
      report: (q) => client.report(q),
      drill: (r, q) => client.drill(r, q),
    })
    const { sent, report, expected } = await cachedThenFresh(refusing, delta)
    expect(sent).toEqual(['load', 'load'])
    expect(report).toEqual(expected)
  })

  it('a patch the sync noted (the delta spliced into the cached data) is sent as it is, without a diff', () => {
    const before = hostilePortal()
    const after = delta(before)
    // A noted patch stands for the diff: this one (empty) differs from what a diff would find.
    const noted = diffCrmData(before, before)!
    notePatch(before, after, noted)
    expect(patchWorthSending(before, after)).toBe(noted)
    // Noted against other data: not that patch.
    expect(patchWorthSending(hostilePortal(), after)).not.toBe(noted)
  })

  it('a large delta (most deals new, as after a period-first load) goes whole', () => {
    const all = hostilePortal()
    const recent = { ...all, deals: all.deals.slice(0, 1) }
    const many = { ...all, deals: Array.from({ length: 400 }, (_, i) => ({ ...all.deals[0], id: 10_000 + i })) }
    expect(patchWorthSending(recent, { ...recent, deals: [...recent.deals, ...many.deals] })).toBeNull()
    expect(patchWorthSending(all, delta(all))).not.toBeNull()
  })

  it("the period's touches after its first chart go whole without a diff of every table", () => {
    const all = hostilePortal()
    const touch = all.touches[0]
    const firstChart = { ...all, touches: [] }
    const touches = Array.from({ length: 400 }, (_, i) => ({ ...touch, id: 10_000 + i }))
    diffed.mockClear()
    expect(patchWorthSending(firstChart, { ...all, touches })).toBeNull()
    expect(diffed).not.toHaveBeenCalled()
    expect(patchWorthSending(all, delta(all))).not.toBeNull()
    expect(diffed).toHaveBeenCalledTimes(1)
  })
})
