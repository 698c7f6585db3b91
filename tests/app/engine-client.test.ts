import { describe, expect, it } from 'vitest'
import { EngineClient, type WorkerLike } from '../../src/app/services/engine-client'
import { handleMessage, type WorkerRequest, type WorkerState } from '../../src/engine/worker'
import { buildReport, prepare, type DrillRef, type DrillRow, type Report, type ReportQuery } from '../../src/engine'
import { MARCH } from '../engine/march'
import { hostilePortal } from './app-fixture'

/**
 * The worker's own message handler behind a structured-clone message port, answering on a
 * later task (as a Worker does), so the client's id matching and ordering are exercised.
 */
function workerPort(): WorkerLike {
  const state: WorkerState = { prepared: null, lastQuery: null }
  const listeners: ((e: MessageEvent) => void)[] = []
  return {
    postMessage(message) {
      const request = structuredClone(message) as WorkerRequest
      const delay = request.type === 'report' ? 20 : 0
      setTimeout(() => {
        const data = structuredClone(handleMessage(state, request))
        for (const l of listeners) l({ data } as MessageEvent)
      }, delay)
    },
    addEventListener(type: string, listener: (e: never) => void) {
      if (type === 'message') listeners.push(listener as (e: MessageEvent) => void)
    },
  }
}

describe('engine client', () => {
  it('loads data, builds reports and drills through the worker protocol', async () => {
    const data = hostilePortal()
    const client = new EngineClient<ReportQuery, Report, DrillRef, DrillRow>(workerPort())
    await client.load(data)
    const query: ReportQuery = { from: MARCH.from, to: MARCH.to, compare: 'previous', now: MARCH.now }
    // The drill is sent after the report but answered first: each promise still gets its own answer.
    const reportPromise = client.report(query)
    const rows = await client.drill({ section: 'kpis', measure: 'won' }, query)
    const report = await reportPromise
    const direct = buildReport(prepare(data), query)
    expect(report.kpis).toEqual(direct.kpis)
    expect(rows.length).toBe(direct.kpis.won.value)
  })

  it("stamps the app's clock as now on a query without one (the engine never reads the clock)", async () => {
    const clock = MARCH.now + 59_999 // rounds down to the minute
    const client = new EngineClient<ReportQuery, Report, DrillRef, DrillRow>(workerPort(), () => clock)
    await client.load(hostilePortal())
    const report = await client.report({ from: MARCH.from, to: MARCH.to, compare: 'none' })
    expect(report.forecast.asOf).toBe(Math.floor(clock / 60_000) * 60_000)
    expect(report.forecast.inflow.asOf).toBe(report.forecast.asOf)
    const pinned = await client.report({ from: MARCH.from, to: MARCH.to, compare: 'none', now: MARCH.now - 86_400_000 })
    expect(pinned.forecast.asOf).toBe(MARCH.now - 86_400_000)
  })

  it('rejects with the engine message on a bad query', async () => {
    const client = new EngineClient<ReportQuery, Report, DrillRef, DrillRow>(workerPort())
    await client.load(hostilePortal())
    await expect(client.report({ from: '2024-03-31', to: '2024-03-01', compare: 'none' })).rejects.toThrow(
      /swap the dates/,
    )
    await expect(client.report({ from: '2024-03-31', to: '2024-03-01', compare: 'none' })).rejects.toThrow(
      expect.objectContaining({ name: 'EngineError', code: 'ENGINE_FAILED' }),
    )
  })

  it('rejects every pending request when the worker dies', async () => {
    let die: (e: ErrorEvent) => void = () => {}
    const worker: WorkerLike = {
      postMessage() {},
      addEventListener(type: string, listener: (e: never) => void) {
        if (type === 'error') die = listener as (e: ErrorEvent) => void
      },
    }
    const client = new EngineClient<ReportQuery, Report, DrillRef, DrillRow>(worker)
    const pending = client.report({ from: MARCH.from, to: MARCH.to, compare: 'none' })
    die({ message: 'out of memory' } as ErrorEvent)
    await expect(pending).rejects.toThrow(
      expect.objectContaining({ code: 'ENGINE_STOPPED', message: expect.stringMatching(/stopped: out of memory/) }),
    )
  })
})
