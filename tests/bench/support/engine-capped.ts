/**
 * Child process of the engine bench: the same data (the demo portal's, see ../portal-data.ts),
 * prepare, full reports and filter changes, run by `node --max-old-space-size=400`, so V8's heap
 * can never exceed 400 MB. Prints one JSON line: whether it completed, the peak heapUsed and
 * arrayBuffers it sampled, the report median. (Kept out of tests/bench/*.ts so the bench runner
 * does not import it.)
 */
import { buildReport, prepare, type ReportQuery } from '../../../src/engine/index'
import { PORTAL_NOW, portalBenchData } from '../portal-data'

const QUERY: ReportQuery = { from: '2026-07-01', to: '2026-09-30', compare: 'previous', now: PORTAL_NOW }
let peakHeap = 0
let peakBuffers = 0
function sample(): void {
  const m = process.memoryUsage()
  peakHeap = Math.max(peakHeap, m.heapUsed)
  peakBuffers = Math.max(peakBuffers, m.arrayBuffers)
}

const { data } = portalBenchData(Number(process.env.BENCH_DEALS) || 100_000)
sample()
const p = prepare(data)
sample()
const cityIds = data.cities.map((c) => c.id)
const times: number[] = []
for (let i = 0; i < 9; i++) {
  const t0 = performance.now()
  buildReport(p, i % 2 ? { ...QUERY, cityIds: [cityIds[i % cityIds.length]] } : QUERY)
  times.push(performance.now() - t0)
  sample()
}
times.sort((a, b) => a - b)
console.log(
  JSON.stringify({
    completed: true,
    peakHeapMb: peakHeap / 2 ** 20,
    peakBuffersMb: peakBuffers / 2 ** 20,
    reportMedianMs: times[4],
  }),
)
