import { describe, expect, it } from 'vitest'
import { EngineClient, type WorkerLike } from '../../src/app/services/engine-client'
import { handleMessage, type WorkerRequest, type WorkerState } from '../../src/engine/worker'
import { buildReport, prepare, type DrillRef, type DrillRow, type Report, type ReportQuery } from '../../src/engine'
import { CRM_TABLES } from '../../src/engine/load-slices'
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

/** The worker's handler behind structured clones, logging each message type and the most ever unanswered. */
function loggingPort(): WorkerLike & { log: string[]; maxUnanswered: number; die(message: string): void } {
  const state: WorkerState = { prepared: null, lastQuery: null }
  const listeners: ((e: MessageEvent) => void)[] = []
  const errors: ((e: ErrorEvent) => void)[] = []
  let unanswered = 0
  const port = {
    log: [] as string[],
    maxUnanswered: 0,
    postMessage(message: unknown) {
      const request = structuredClone(message) as WorkerRequest
      port.log.push(request.type)
      port.maxUnanswered = Math.max(port.maxUnanswered, ++unanswered)
      setTimeout(() => {
        unanswered--
        const data = structuredClone(handleMessage(state, request))
        for (const l of listeners) l({ data } as MessageEvent)
      })
    },
    addEventListener(type: string, listener: (e: never) => void) {
      if (type === 'message') listeners.push(listener as (e: MessageEvent) => void)
      else errors.push(listener as (e: ErrorEvent) => void)
    },
    die: (message: string) => errors.forEach((l) => l({ message } as ErrorEvent)),
  }
  return port
}

/** The log with each run of loadTable messages as one 'tables'. */
const steps = (log: string[]) =>
  log.map((t) => (t === 'loadTable' ? 'tables' : t)).filter((t, i, a) => t !== a[i - 1] || t !== 'tables')

describe('engine client', () => {
  it('loads table by table, one message in flight at a time', async () => {
    const port = loggingPort()
    const client = new EngineClient<ReportQuery, Report, DrillRef, DrillRow>(port)
    const data = hostilePortal()
    expect(await client.load(data)).toEqual(prepare(data).quality)
    expect(port.maxUnanswered).toBe(1)
    expect(port.log.filter((t) => t === 'loadTable').length).toBe(CRM_TABLES.filter((t) => t in data).length)
    expect(steps(port.log)).toEqual(['loadBegin', 'tables', 'loadEnd'])
  })

  it('posts what is asked during a load after it, in the order asked: no report meets a half-done load', async () => {
    const port = loggingPort()
    const client = new EngineClient<ReportQuery, Report, DrillRef, DrillRow>(port)
    const first = hostilePortal()
    const second = hostilePortal()
    second.deals = second.deals.slice(0, 4)
    const query: ReportQuery = { from: MARCH.from, to: MARCH.to, compare: 'previous', now: MARCH.now }
    const loads = [client.load(first), client.report(query), client.load(second), client.report(query)]
    const [, firstReport, , secondReport] = await Promise.all(loads)
    expect(steps(port.log)).toEqual([
      'loadBegin',
      'tables',
      'loadEnd',
      'report',
      'loadBegin',
      'tables',
      'loadEnd',
      'report',
    ])
    expect(firstReport).toEqual(buildReport(prepare(first), query))
    expect(secondReport).toEqual(buildReport(prepare(second), query))
  })

  it('a request waiting for a load fails when the worker dies during it, instead of waiting forever', async () => {
    const port = loggingPort()
    const client = new EngineClient<ReportQuery, Report, DrillRef, DrillRow>(port)
    const load = client.load(hostilePortal())
    const report = client.report({ from: MARCH.from, to: MARCH.to, compare: 'none' })
    port.die('out of memory')
    await expect(load).rejects.toThrow(expect.objectContaining({ code: 'ENGINE_STOPPED' }))
    await expect(report).rejects.toThrow(expect.objectContaining({ code: 'ENGINE_STOPPED' }))
    expect(port.log).toEqual(['loadBegin'])
  })

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
      expect.objectContaining({ name: 'EngineError', code: 'ENGINE_FAILED', engineCode: 'BAD_PERIOD' }),
    )
  })

  it("passes the engine's own code across the worker boundary (a drill before any report: NO_QUERY)", async () => {
    const client = new EngineClient<ReportQuery, Report, DrillRef, DrillRow>(workerPort())
    await client.load(hostilePortal())
    await expect(
      client.drill({ section: 'kpis', measure: 'won' }, undefined as unknown as ReportQuery),
    ).rejects.toThrow(expect.objectContaining({ engineCode: 'NO_QUERY' }))
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
