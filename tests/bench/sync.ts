/**
 * Sync benchmark: a full sync of 100k deals with their stage histories (plus the dictionaries)
 * from the demo portal under the default limiter (burst 50, 2 requests/s — the portal's own
 * limit), beside the SDK's plain `actions.v2.callList` on the same deals, and a warm reopen.
 *
 * Lower bound of any client under a leaky bucket: max(0, (requests − burst) / rate) seconds.
 * The same sync with the limiter off is printed too ("pure server time"), so the bound is
 * read fairly: a run cannot be faster than max(bound, pure time).
 *
 * Env: BENCH_DEALS (default 100000), BENCH_SDK_DEALS (SDK run cap, default 5000).
 */
import { generatePortal } from '../../src/demo-portal/generator'
import { startPortal, type RunningPortal } from '../../src/demo-portal/server'
import { connectWebhook } from '../../src/b24/connect'
import type { B24Client, ClientOptions } from '../../src/b24/client'
import type { PortalDump } from '../../src/b24/wire'
import type { TableName } from '../../src/b24/tables'
import { MemoryCache } from '../../src/sync/cache'
import { syncAll } from '../../src/sync/sync'

const DEALS = Number(process.env.BENCH_DEALS ?? 100_000)
const SDK_DEALS = Number(process.env.BENCH_SDK_DEALS ?? 5_000)
const BURST = 50
const RATE = 2
const TABLES: TableName[] = [
  'statuses',
  'dealCategories',
  'dealUserFields',
  'leadUserFields',
  'users',
  'departments',
  'currencies',
  'deals',
  'dealHistory',
]

const LIMITED: ClientOptions = { restriction: { burstLimit: BURST, drainRate: RATE } }
const UNLIMITED: ClientOptions = { restriction: { burstLimit: 1e6, drainRate: 1e6 } }

function lowerBound(requests: number): number {
  return Math.max(0, (requests - BURST) / RATE)
}

async function portal(dump: PortalDump, limited: boolean): Promise<RunningPortal> {
  return startPortal({ dump, rate: limited ? RATE : 1e9, burst: limited ? BURST : 1e9 })
}

function client(p: RunningPortal, opts: ClientOptions): Promise<B24Client> {
  return connectWebhook(`${p.url}/rest/1/demo/`, { ...opts, memberId: 'bench' })
}

const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`
const mark = (ok: boolean) => (ok ? 'ok' : 'MISSED')

export async function run(): Promise<void> {
  const full = generatePortal({ seed: 1, deals: DEALS })
  // Only what this benchmark syncs is served: the other tables would just cost memory.
  const dump: PortalDump = { ...full, leads: [], leadHistory: [], activities: [], calls: [], tasks: [] }
  const rows = TABLES.reduce((n, t) => n + (dump[t] as unknown[]).length, 0)
  console.log(
    `portal: ${dump.deals.length} deals, ${dump.dealHistory.length} deal stage-history rows, ${rows} rows in the synced tables`,
  )

  // 1. Pure server time: same sync, no limiter anywhere.
  let p = await portal(dump, false)
  let t0 = performance.now()
  const pure = await syncAll(await client(p, UNLIMITED), new MemoryCache('bench:1'), { tables: TABLES })
  const pureMs = performance.now() - t0
  await p.close()

  // 2. Our sync under the default limiter, against a portal that enforces the same limit.
  p = await portal(dump, true)
  const cache = new MemoryCache('bench:1')
  const c = await client(p, LIMITED)
  t0 = performance.now()
  const ours = await syncAll(c, cache, { tables: TABLES })
  const oursMs = performance.now() - t0
  const rejected = p.stats.rejected

  // 3. Warm reopen, nothing changed (same portal, a fresh client as after a page reload).
  const c2 = await client(p, LIMITED)
  t0 = performance.now()
  const warm = await syncAll(c2, cache, { tables: TABLES })
  const warmMs = performance.now() - t0
  await p.close()

  // 4. The SDK's own walker on the first SDK_DEALS deals (fresh portal bucket), extrapolated.
  p = await portal(dump, true)
  const sdkClient = await client(p, LIMITED)
  t0 = performance.now()
  const sdkRows = await sdkClient.sdkCallList('crm.deal.list', { select: ['*', 'UF_*'], filter: { '<=ID': SDK_DEALS } })
  const sdkMs = performance.now() - t0
  const sdkRequests = sdkClient.requests
  await p.close()
  const sdkFullRequests = Math.floor(DEALS / 50) + 1
  const sdkFullBound = lowerBound(sdkFullRequests)
  const sdkPerRequest = sdkMs / sdkRequests

  const target = 1.05 * Math.ceil(rows / 2500) + 10
  const bound = lowerBound(ours.requests)
  const fairBound = Math.max(bound * 1000, pureMs)
  console.log('')
  console.log(
    `full sync (ours)       ${ours.requests} requests for ${ours.upserted} rows, wall ${s(oursMs)}; portal 503s: ${rejected}`,
  )
  console.log(
    `  requests target      ≤ 1.05 × ceil(${rows}/2500) + 10 = ${target.toFixed(1)}  → ${mark(ours.requests <= target)}`,
  )
  console.log(
    `  limiter lower bound  max(0, (${ours.requests} − ${BURST}) / ${RATE}) = ${bound.toFixed(1)} s; pure server time (no limiter) ${s(pureMs)} in ${pure.requests} requests`,
  )
  const ratio = bound > 0 ? (oursMs / 1000 / bound).toFixed(2) : 'n/a (all requests fit in the burst)'
  console.log(
    `  wall / bound         ${ratio}; wall / max(bound, pure) ${(oursMs / fairBound).toFixed(2)} (target ≤ 1.2 → ${mark(oursMs <= 1.2 * fairBound)})`,
  )
  console.log(
    `SDK callList           ${sdkRequests} requests for ${sdkRows.length} deals (capped at ${SDK_DEALS}), wall ${s(sdkMs)}`,
  )
  console.log(
    `  extrapolated to ${DEALS} deals (deals only, no history): ⌊N/50⌋+1 = ${sdkFullRequests} sequential requests, ≥ ${sdkFullBound.toFixed(0)} s by the limiter (≈ ${s(Math.max(sdkFullBound * 1000, sdkFullRequests * sdkPerRequest))} at the measured pace)`,
  )
  console.log(
    `  ours per 1000 rows   ${((ours.requests / ours.upserted) * 1000).toFixed(2)} requests; SDK ${((sdkRequests / Math.max(1, sdkRows.length)) * 1000).toFixed(2)} requests`,
  )
  console.log(
    `warm reopen, no change ${warm.requests} request(s) (target ≤ 3 → ${mark(warm.requests <= 3)}), ${warmMs.toFixed(0)} ms incl. normalising ${warm.data.deals.length} deals; mode ${warm.mode}`,
  )
}

if (import.meta.url === `file://${process.argv[1]}`) await run()
