/**
 * The engine bench's capped run, a child process of its own: its main thread builds the demo
 * portal's data (../portal-data.ts, uncapped: the wire dump alone outgrows 400 MB), then starts a
 * worker thread whose old generation is capped at 400 MB — the app's engine Web Worker under a
 * 400 MB heap. The main thread sends the data as the app does: the app's own EngineClient
 * (src/app/services/engine-client.ts) posts it table by table, one slice in flight at a time
 * (src/engine/load-slices.ts), each by structured clone; the worker answers with its own
 * `handleMessage` (src/engine/worker.ts: each slice interned on arrival, prepare at loadEnd), then
 * builds full reports and filter changes. Prints one JSON line: the worker's peak heap and array
 * buffers (both per isolate in a worker, sampled after every message), the load's time from its
 * first slice to `loaded` (prepare's part apart) and the report median — or the error that stopped
 * it. A worker out of memory may take the whole process down, hence the separate process. (Kept
 * out of tests/bench/*.ts so the bench runner does not import it.)
 */
import { isMainThread, parentPort, Worker } from 'node:worker_threads'
import { EngineClient, type WorkerLike } from '../../../src/app/services/engine-client'
import { handleMessage, type WorkerRequest, type WorkerState } from '../../../src/engine/worker'
import type { DrillRef, DrillRow, Report, ReportQuery } from '../../../src/engine/index'
import { PORTAL_NOW, portalBenchData } from '../portal-data'

const QUERY: ReportQuery = { from: '2026-07-01', to: '2026-09-30', compare: 'previous', now: PORTAL_NOW }

/** The bench's own request, after the load: the report runs, timed inside the worker. */
interface RunReports {
  bench: 'reports'
  query: ReportQuery
}

/** A Node worker thread as the Web Worker the app's EngineClient talks to. */
function asWebWorker(worker: Worker): WorkerLike {
  return {
    postMessage: (message) => worker.postMessage(message),
    addEventListener(type: 'message' | 'error', listener: (e: never) => void) {
      if (type === 'message')
        worker.on('message', (data) => (listener as (e: MessageEvent) => void)({ data } as MessageEvent))
      else worker.on('error', (e: Error) => (listener as (e: ErrorEvent) => void)({ message: e.message } as ErrorEvent))
    },
  }
}

async function main(): Promise<void> {
  const { data } = portalBenchData(Number(process.env.BENCH_DEALS) || 100_000)
  // A worker does not inherit tsx's loader: it registers it before importing this file.
  const tsx = import.meta.resolve('tsx/esm/api')
  const boot = `import(${JSON.stringify(tsx)}).then((t) => (t.register(), import(${JSON.stringify(import.meta.url)})))`
  const worker = new Worker(boot, { eval: true, resourceLimits: { maxOldGenerationSizeMb: 400 } })
  const stopped = new Promise<object>((resolve) => {
    worker.once('error', (e: Error & { code?: string }) => resolve({ error: `${e.code ?? ''} ${e.message}`.trim() }))
    worker.once('exit', (code) => resolve({ error: `worker exited with code ${code}` }))
  })
  const run = async (): Promise<object> => {
    const client = new EngineClient<ReportQuery, Report, DrillRef, DrillRow>(asWebWorker(worker))
    const t0 = performance.now()
    await client.load(data)
    const loadMs = performance.now() - t0
    const stats = new Promise<object>((resolve) =>
      worker.on('message', (m: { bench?: string }) => m.bench && resolve(m)),
    )
    worker.postMessage({ bench: 'reports', query: QUERY } satisfies RunReports)
    return { completed: true, loadMs, ...(await stats) }
  }
  const result = await Promise.race([run().catch((e: Error) => ({ error: e.message })), stopped])
  await worker.terminate()
  console.log(JSON.stringify(result))
}

function inWorker(port: NonNullable<typeof parentPort>): void {
  let peakHeap = 0
  let peakBuffers = 0
  let prepareMs = 0
  const sample = () => {
    const m = process.memoryUsage()
    peakHeap = Math.max(peakHeap, m.heapUsed)
    peakBuffers = Math.max(peakBuffers, m.arrayBuffers)
  }
  sample()
  const state: WorkerState = { prepared: null, lastQuery: null }
  const reports = (query: ReportQuery) => {
    const cityIds = state.prepared!.data.cities.map((c) => c.id)
    const times: number[] = []
    for (let i = 0; i < 9; i++) {
      const t = performance.now()
      const answer = handleMessage(state, {
        type: 'report',
        query: i % 2 ? { ...query, cityIds: [cityIds[i % cityIds.length]] } : query,
      })
      if (answer.type !== 'report') throw new Error(JSON.stringify(answer))
      times.push(performance.now() - t)
      sample()
    }
    times.sort((a, b) => a - b)
    return { reportMedianMs: times[4] }
  }
  port.on('message', (msg: WorkerRequest | RunReports) => {
    sample()
    if ('bench' in msg) {
      const { reportMedianMs } = reports(msg.query)
      port.postMessage({
        bench: 'stats',
        peakHeapMb: peakHeap / 2 ** 20,
        peakBuffersMb: peakBuffers / 2 ** 20,
        prepareMs,
        reportMedianMs,
      })
      return
    }
    const answer = handleMessage(state, msg)
    if (answer.type === 'loaded') prepareMs = answer.ms
    sample()
    port.postMessage(answer)
  })
}

if (isMainThread) await main()
else inWorker(parentPort!)
