/**
 * The report tab's engine worker in Chromium: how much memory it holds at 100,000 deals (issue
 * 11.3; FL_BENCH_MEMORY_DEALS to change). The app (Vite dev server, the e2e tests' way) is framed
 * by the demo portal's host page, syncs the generated portal (history pinned at DEFAULT_NOW) and
 * loads the whole data; then the worker's and the page's V8 heaps are read over CDP — after a
 * forced GC, so it is what they retain — and printed against 400 MB. Figures, not assertions.
 *
 * The portal's limiter is opened wide, but the app still paces itself at Bitrix24's 2 requests/s
 * after a burst of 50 (its SDK restriction, src/b24/client.ts): the whole 100k load is ~820 batch
 * requests, about 7 minutes, most of it with the renderer nearly idle between requests. The load
 * watcher (support/load-watch.ts) prints every 15 s what the load is doing, so a slow load and a
 * stuck one are told apart; an error shown by the app or a crashed page ends the wait at once.
 *
 * CDP: a browser session attaches to each worker target (non-flat, the only mode playwright-core's
 * CDPSession can drive) and sends HeapProfiler.collectGarbage and Runtime.getHeapUsage through
 * Target.sendMessageToTarget.
 */
import { loadavg } from 'node:os'
import type { Browser, CDPSession } from 'playwright-core'
import { DEFAULT_NOW, generatePortal } from '../../src/demo-portal/generator'
import { hostRoutes } from '../../src/demo-portal/host/routes'
import { startPortal } from '../../src/demo-portal/server'
import { startAppServer } from '../e2e/support/app-server'
import { launchBrowser } from '../e2e/support/browser'
import { openHost, type HostSession } from '../e2e/support/host-page'
import { watchLoad } from './support/load-watch'

const TARGET_MB = 400
const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`
const load = () =>
  loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')

interface HeapUsage {
  usedSize: number
  totalSize: number
  /** Newer Chromium: ArrayBuffer backing stores and embedder memory outside the JS heap. */
  backingStorageSize?: number
  embedderHeapUsedSize?: number
}

/** Sends CDP commands to one attached (non-flat) target and awaits their answers. */
function targetChannel(cdp: CDPSession, sessionId: string) {
  let next = 1
  const waiting = new Map<number, (msg: { result?: unknown; error?: { message: string } }) => void>()
  cdp.on('Target.receivedMessageFromTarget', (e: { sessionId: string; message: string }) => {
    if (e.sessionId !== sessionId) return
    const msg = JSON.parse(e.message) as { id?: number; result?: unknown; error?: { message: string } }
    if (msg.id !== undefined) waiting.get(msg.id)?.(msg)
  })
  return async <T>(method: string, params: object = {}): Promise<T> => {
    const id = next++
    const answer = new Promise<{ result?: unknown; error?: { message: string } }>((r) => waiting.set(id, r))
    await cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method, params }) })
    const msg = await answer
    if (msg.error) throw new Error(`${method}: ${msg.error.message}`)
    return msg.result as T
  }
}

/** Every worker target's retained heap (after a forced GC). */
async function workerHeaps(browser: Browser): Promise<{ url: string; heap: HeapUsage }[]> {
  const cdp = await browser.newBrowserCDPSession()
  try {
    const { targetInfos } = (await cdp.send('Target.getTargets')) as {
      targetInfos: { targetId: string; type: string; url: string }[]
    }
    const out: { url: string; heap: HeapUsage }[] = []
    for (const t of targetInfos.filter((x) => x.type === 'worker')) {
      const { sessionId } = (await cdp.send('Target.attachToTarget', { targetId: t.targetId, flatten: false })) as {
        sessionId: string
      }
      const send = targetChannel(cdp, sessionId)
      await send('HeapProfiler.collectGarbage')
      await send('HeapProfiler.collectGarbage')
      out.push({ url: t.url, heap: await send<HeapUsage>('Runtime.getHeapUsage') })
      await cdp.send('Target.detachFromTarget', { sessionId })
    }
    return out
  } finally {
    await cdp.detach()
  }
}

/**
 * Samples the JS heap of the page's main thread and of every worker each second, keeping the
 * peaks: the main thread and the worker share one renderer process (and, with V8's sandbox, one
 * pointer-compression cage of about 4 GB: a worker running out of heap crashes the whole page).
 * A thread busy in a long task answers late, so a short peak can be missed; `totalSize` (what
 * V8 has allocated) lags behind frees and shows most of it.
 */
function heapPeaks(browser: Browser, host: HostSession) {
  const peak = { main: 0, worker: 0, sum: 0 }
  const latest = new Map<string, number>()
  const workers = new Map<string, <T>(method: string) => Promise<T>>()
  const busy = new Set<string>()
  let stopped = false
  const sample = (key: string, read: () => Promise<HeapUsage>) => {
    if (busy.has(key)) return
    busy.add(key)
    void read()
      .then((h) => {
        latest.set(key, h.totalSize + (h.backingStorageSize ?? 0))
        const now = latest.get(key)!
        if (key === 'main') peak.main = Math.max(peak.main, now)
        else peak.worker = Math.max(peak.worker, now)
        peak.sum = Math.max(
          peak.sum,
          [...latest.values()].reduce((a, b) => a + b, 0),
        )
      })
      .catch(() => latest.delete(key))
      .finally(() => busy.delete(key))
  }
  const start = async () => {
    const browserCdp = await browser.newBrowserCDPSession()
    const pageCdp = await host.context.newCDPSession(host.page)
    while (!stopped) {
      sample('main', () => pageCdp.send('Runtime.getHeapUsage') as Promise<HeapUsage>)
      const { targetInfos } = (await browserCdp.send('Target.getTargets')) as {
        targetInfos: { targetId: string; type: string }[]
      }
      for (const t of targetInfos.filter((x) => x.type === 'worker' && !workers.has(x.targetId))) {
        const { sessionId } = (await browserCdp.send('Target.attachToTarget', {
          targetId: t.targetId,
          flatten: false,
        })) as { sessionId: string }
        workers.set(t.targetId, targetChannel(browserCdp, sessionId))
      }
      for (const [id, send] of workers) sample(id, () => send<HeapUsage>('Runtime.getHeapUsage'))
      await new Promise((r) => setTimeout(r, 1_000))
    }
    await browserCdp.detach().catch(() => undefined)
    await pageCdp.detach().catch(() => undefined)
  }
  void start().catch((e) => console.log(`heap sampling stopped: ${e instanceof Error ? e.message : e}`))
  return {
    stop() {
      stopped = true
      return peak
    },
  }
}

/**
 * The page's main thread (host page and app frame share its renderer isolate: same site) after a
 * forced GC: the normalised data the app keeps for the next delta lives here.
 */
async function pageHeap(host: HostSession): Promise<HeapUsage> {
  const cdp = await host.context.newCDPSession(host.page)
  try {
    await cdp.send('HeapProfiler.collectGarbage')
    await cdp.send('HeapProfiler.collectGarbage')
    return (await cdp.send('Runtime.getHeapUsage')) as HeapUsage
  } finally {
    await cdp.detach()
  }
}

/**
 * Polls until the whole data is in the engine: the period-first cold open shows a report on the
 * period's part first (a fraction of the rows), so the report must be ready, no backfill pending
 * and the status bar must count every deal. Gives up at once when the app shows an error or the
 * page crashes, with what it says. Not host.waitForApp: normalising 100k deals keeps the
 * renderer busy for longer than its 15 s frame lookup allows under load, so a timed-out look is retried.
 */
async function wholeDataReady(host: HostSession, deals: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  let crashed = false
  host.page.on('crash', () => (crashed = true))
  for (;;) {
    if (crashed) throw new Error('the page crashed (renderer out of memory?) before the whole data was loaded')
    const look = await host
      .appFrame()
      .then(async (f) => {
        const stopped = f.locator('[data-testid="stale-error"], [data-testid="fatal-error"]')
        if ((await stopped.count()) > 0) return { failed: await stopped.first().textContent() }
        const report = await f.locator('[data-testid="report-app"][data-report-status="ready"]').count()
        const pending = await f.locator('[data-testid="backfill-pending"]').count()
        const counted = await f.locator('[data-testid="synced-deals-count"]').textContent({ timeout: 1_000 })
        if (process.env.FL_BENCH_DEBUG) console.log({ report, pending, counted })
        return { ready: report > 0 && pending === 0 && counted?.replace(/\D/g, '') === String(deals) }
      })
      .catch(() => ({ ready: false }))
    // The app says the load failed: no point waiting for it (the watcher printed what led there).
    if ('failed' in look) throw new Error(`the app stopped loading: ${look.failed?.replace(/\s+/g, ' ').trim()}`)
    if (look.ready) return
    if (Date.now() > deadline) throw new Error(`no report within ${timeoutMs / 1000} s`)
    await new Promise((r) => setTimeout(r, 2_000))
  }
}

export async function run(): Promise<void> {
  const deals = Number(process.env.FL_BENCH_MEMORY_DEALS ?? 100_000)
  const stops: Array<() => Promise<unknown>> = []
  try {
    console.log(`load average ${load()}`)
    const app = await startAppServer()
    stops.push(() => app.close())
    let t0 = performance.now()
    const dump = generatePortal({ seed: 7, deals, now: DEFAULT_NOW })
    console.log(`generated ${deals} deals in ${((performance.now() - t0) / 1000).toFixed(0)} s`)
    const portal = await startPortal({
      dump,
      port: 0,
      installed: true,
      webhookSecret: 'bench',
      rate: 1000,
      burst: 1000,
      extraRoutes: hostRoutes({ appUrl: app.url }),
    })
    stops.push(() => portal.close())
    const browser = await launchBrowser()
    stops.push(() => browser.close())
    t0 = performance.now()
    const host = await openHost(browser, portal.url, {
      placement: 'DEFAULT',
      user: 1,
      lang: 'en',
      clockAt: DEFAULT_NOW,
    })
    stops.push(() => host.close())
    const stopWatching = watchLoad(host, portal)
    stops.push(async () => stopWatching())
    const sampler = heapPeaks(browser, host)
    await wholeDataReady(host, deals, 1_800_000)
    const peak = sampler.stop()
    console.log(
      `peak JS heap allocated (+ ArrayBuffers) while loading, sampled each second: main thread ${mb(peak.main)}, worker ${mb(
        peak.worker,
      )}, both at once ${mb(peak.sum)}`,
    )
    console.log(`synced, backfilled and reported in ${((performance.now() - t0) / 1000).toFixed(0)} s (load ${load()})`)
    // The fresh data's report is built after the status bar counts it: let the engine settle.
    await new Promise((r) => setTimeout(r, 10_000))
    const heaps = await workerHeaps(browser)
    const main = await pageHeap(host)
    console.log(
      `page main thread, after forced GC: JS heap used ${mb(main.usedSize)} of ${mb(main.totalSize)}, ArrayBuffers ${
        main.backingStorageSize === undefined ? 'not reported' : mb(main.backingStorageSize)
      }`,
    )
    if (heaps.length === 0) console.log('no worker target found')
    for (const { url, heap } of heaps) {
      const buffers = heap.backingStorageSize ?? 0
      const total = heap.usedSize + buffers
      console.log(`worker ${url.replace(/^.*\//, '')}, ${deals} deals, after forced GC:`)
      console.log(`  JS heap used ${mb(heap.usedSize)} of ${mb(heap.totalSize)} allocated`)
      console.log(
        `  ArrayBuffer backing stores ${heap.backingStorageSize === undefined ? 'not reported by this Chromium' : mb(buffers)}`,
      )
      console.log(
        `  heap + ArrayBuffers ${mb(total)}   target ≤ ${TARGET_MB} MB  ${total / 2 ** 20 <= TARGET_MB ? 'ok' : 'OVER TARGET'}`,
      )
    }
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => undefined)
  }
}

if (import.meta.url === `file://${process.argv[1]}`) void run()
