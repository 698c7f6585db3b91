/**
 * The engine bench's capped run, a child process of its own: its main thread builds the demo
 * portal's data (../portal-data.ts, uncapped: the wire dump alone outgrows 400 MB), then starts a
 * worker thread whose old generation is capped at 400 MB — the app's engine Web Worker under a
 * 400 MB heap. The worker receives the data as the app sends it, by structured clone, goes
 * through the worker's own `load` (src/engine/worker.ts: string interning, prepare) and builds
 * full reports and filter changes. Prints one JSON line: the worker's peak heap and array buffers
 * (both per isolate in a worker), load and report times — or the error that stopped it. A worker
 * out of memory may take the whole process down, hence the separate process. (Kept out of
 * tests/bench/*.ts so the bench runner does not import it.)
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads'
import type { CrmData } from '../../../src/engine/types'
import { handleMessage, type WorkerState } from '../../../src/engine/worker'
import type { ReportQuery } from '../../../src/engine/index'
import { PORTAL_NOW, portalBenchData } from '../portal-data'

const QUERY: ReportQuery = { from: '2026-07-01', to: '2026-09-30', compare: 'previous', now: PORTAL_NOW }

async function main(): Promise<void> {
  const { data } = portalBenchData(Number(process.env.BENCH_DEALS) || 100_000)
  // A worker does not inherit tsx's loader: it registers it before importing this file.
  const tsx = import.meta.resolve('tsx/esm/api')
  const boot = `import(${JSON.stringify(tsx)}).then((t) => (t.register(), import(${JSON.stringify(import.meta.url)})))`
  const worker = new Worker(boot, {
    eval: true,
    workerData: { data, query: QUERY },
    resourceLimits: { maxOldGenerationSizeMb: 400 },
  })
  const result = await new Promise<object>((resolve) => {
    worker.once('message', (m: object) => resolve(m))
    worker.once('error', (e: Error & { code?: string }) => resolve({ error: `${e.code ?? ''} ${e.message}`.trim() }))
    worker.once('exit', (code) => resolve({ error: `worker exited with code ${code}` }))
  })
  await worker.terminate()
  console.log(JSON.stringify(result))
}

function inWorker(): void {
  const { data, query } = workerData as { data: CrmData; query: ReportQuery }
  let peakHeap = 0
  let peakBuffers = 0
  const sample = () => {
    const m = process.memoryUsage()
    peakHeap = Math.max(peakHeap, m.heapUsed)
    peakBuffers = Math.max(peakBuffers, m.arrayBuffers)
  }
  sample()
  const cityIds = data.cities.map((c) => c.id)
  const state: WorkerState = { prepared: null, lastQuery: null }
  const t0 = performance.now()
  const loaded = handleMessage(state, { type: 'load', data })
  const loadMs = performance.now() - t0
  if (loaded.type !== 'loaded') throw new Error(JSON.stringify(loaded))
  sample()
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
  parentPort!.postMessage({
    completed: true,
    peakHeapMb: peakHeap / 2 ** 20,
    peakBuffersMb: peakBuffers / 2 ** 20,
    loadMs,
    reportMedianMs: times[4],
  })
}

if (isMainThread) await main()
else inWorker()
