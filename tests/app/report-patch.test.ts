/**
 * Fresh data after a warm reopen reaches the engine as a patch when the delta is small (issue
 * 11.2): the report store diffs it against what it sent last, the engine client names the data
 * version the patch was computed against, and the worker's own handler applies it. The figures
 * must be the fresh data's, exactly as after a whole load.
 */
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { EngineClient, type WorkerLike } from '../../src/app/services/engine-client'
import { patchWorthSending, useReportStore, type ReportEngine } from '../../src/app/stores/report'
import { handleMessage, type WorkerRequest, type WorkerState } from '../../src/engine/worker'
import { buildReport, prepare, type DrillRef, type DrillRow, type Report, type ReportQuery } from '../../src/engine'
import type { CrmData } from '../../src/engine/types'
import { MARCH } from '../engine/march'
import { hostilePortal } from './app-fixture'

/** The worker's handler behind structured clones, recording the message types it received. */
function recordingWorker(received: string[]): WorkerLike {
  const state: WorkerState = { prepared: null, lastQuery: null }
  const listeners: ((e: MessageEvent) => void)[] = []
  return {
    postMessage(message) {
      const request = structuredClone(message) as WorkerRequest
      received.push(request.type)
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

describe('fresh data as a patch', () => {
  beforeEach(() => setActivePinia(createPinia()))

  it('a small delta goes as a patch, and the report is the fresh data’s', async () => {
    const received: string[] = []
    const engine: ReportEngine = new EngineClient<ReportQuery, Report, DrillRef, DrillRow>(recordingWorker(received))
    const report = useReportStore()
    const cached = hostilePortal()
    const fresh = delta(cached)
    await report.attach(engine, cached)
    await report.attach(engine, fresh)
    await report.run(QUERY)
    expect(received.filter((t) => t !== 'report')).toEqual(['load', 'patch'])
    expect(report.report).toEqual(buildReport(prepare(fresh), QUERY))
  })

  it('nothing changed: the patch is empty and the figures stay', async () => {
    const received: string[] = []
    const engine = new EngineClient<ReportQuery, Report, DrillRef, DrillRow>(recordingWorker(received))
    const report = useReportStore()
    const cached = hostilePortal()
    await report.attach(engine, cached)
    await report.attach(engine, structuredClone(cached))
    await report.run(QUERY)
    expect(received.filter((t) => t !== 'report')).toEqual(['load', 'patch'])
    expect(report.report).toEqual(buildReport(prepare(cached), QUERY))
  })

  it('a patch the engine refuses falls back to the whole data (no figures from the wrong base)', async () => {
    const received: string[] = []
    const client = new EngineClient<ReportQuery, Report, DrillRef, DrillRow>(recordingWorker(received))
    // An engine whose patches always fail, as after a lost worker state.
    const engine: ReportEngine = {
      load: (d) => client.load(d),
      patch: () => Promise.reject(new Error('stale')),
      report: (q) => client.report(q),
      drill: (r, q) => client.drill(r, q),
    }
    const report = useReportStore()
    const cached = hostilePortal()
    const fresh = delta(cached)
    await report.attach(engine, cached)
    await report.attach(engine, fresh)
    await report.run(QUERY)
    expect(received.filter((t) => t !== 'report')).toEqual(['load', 'load'])
    expect(report.report).toEqual(buildReport(prepare(fresh), QUERY))
  })

  it('a large delta (most deals new, as after a period-first load) goes whole', () => {
    const all = hostilePortal()
    const recent = { ...all, deals: all.deals.slice(0, 1) }
    const many = { ...all, deals: Array.from({ length: 400 }, (_, i) => ({ ...all.deals[0], id: 10_000 + i })) }
    expect(patchWorthSending(recent, { ...recent, deals: [...recent.deals, ...many.deals] })).toBeNull()
    expect(patchWorthSending(all, delta(all))).not.toBeNull()
  })
})
