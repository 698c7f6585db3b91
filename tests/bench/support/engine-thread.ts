/**
 * The engine's worker as a Node worker thread for the benches: its own isolate and heap, as the
 * app's Web Worker has, answering src/engine/worker.ts's messages with `handleMessage`. The page's
 * side (the bench's main thread) posts by structured clone, as the app does.
 * (Kept out of tests/bench/*.ts so the bench runner does not import it.)
 */
import { isMainThread, parentPort, Worker } from 'node:worker_threads'
import { handleMessage, type WorkerRequest, type WorkerResponse, type WorkerState } from '../../../src/engine/worker'

/** Starts the engine thread; `ask` posts one request and resolves with its answer. */
export function engineThread(): { ask(msg: WorkerRequest): Promise<WorkerResponse>; close(): Promise<number> } {
  // A worker does not inherit tsx's loader: it registers it before importing this file.
  const tsx = import.meta.resolve('tsx/esm/api')
  const boot = `import(${JSON.stringify(tsx)}).then((t) => (t.register(), import(${JSON.stringify(import.meta.url)})))`
  const worker = new Worker(boot, { eval: true })
  // One request at a time: the next answer on the port is this request's.
  let failed: Error | null = null
  worker.on('error', (e: Error) => (failed = e))
  return {
    ask: (msg) =>
      new Promise((resolve, reject) => {
        if (failed) return reject(failed)
        worker.once('message', resolve)
        worker.postMessage(msg)
      }),
    close: () => worker.terminate(),
  }
}

if (!isMainThread && parentPort) {
  const state: WorkerState = { prepared: null, lastQuery: null }
  const port = parentPort
  port.on('message', (msg: WorkerRequest) => port.postMessage(handleMessage(state, msg)))
}
