/**
 * Worker thread of the engine bench, started with a 400 MB old-generation limit: the app's engine
 * Web Worker under a 400 MB heap. The data comes in as the app sends it to its worker, by
 * structured clone (workerData), and goes through the worker's own `load` (src/engine/worker.ts:
 * string interning, prepare), then full reports and filter changes. Posts one result: the peak
 * heap and array buffers of this thread (both are per isolate in a worker), the load and report
 * times. Reaching the limit ends the thread with ERR_WORKER_OUT_OF_MEMORY instead. (Kept out of
 * tests/bench/*.ts so the bench runner does not import it.)
 */
import { parentPort, workerData } from 'node:worker_threads'
import type { CrmData } from '../../../src/engine/types'
import { handleMessage, type WorkerState } from '../../../src/engine/worker'
import type { ReportQuery } from '../../../src/engine/index'

const { data, query } = workerData as { data: CrmData; query: ReportQuery }
let peakHeap = 0
let peakBuffers = 0
function sample(): void {
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
