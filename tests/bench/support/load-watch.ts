/**
 * What a long browser load is doing, printed every few seconds by a bench that waits for it:
 * the portal's request count and the age of its last batch, the app's status bar and any error
 * it shows, the app origin's IndexedDB usage against its quota, the page's JS heap, and the
 * console lines and page errors since the last look. A load that goes idle then says where.
 */
import type { CDPSession } from 'playwright-core'
import type { RunningPortal } from '../../../src/demo-portal/server'
import type { HostSession } from '../../e2e/support/host-page'

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`

interface FrameLook {
  status: string
  error: string | null
  storage: { usage?: number; quota?: number } | null
}

const LOOK = `(async () => {
  const text = (sel) => document.querySelector(sel)?.textContent?.replace(/\\s+/g, ' ').trim() ?? null
  const storage = await navigator.storage?.estimate?.().catch(() => null)
  return {
    status: text('[data-testid="status-bar"]') ?? '(no status bar)',
    error: text('[data-testid="stale-error"]') ?? text('[data-testid="fatal-error"]'),
    storage: storage ? { usage: storage.usage, quota: storage.quota } : null,
  }
})()`

async function lookAtApp(host: HostSession): Promise<FrameLook | string> {
  try {
    const frame = await host.appFrame()
    // A string, not a function: tsx compiles arrow functions with a `__name` helper the page lacks.
    return (await frame.evaluate(LOOK)) as FrameLook
  } catch (e) {
    return `app frame not readable: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`
  }
}

/** Starts printing; returns the stop function. */
export function watchLoad(host: HostSession, portal: RunningPortal, everyMs = 15_000): () => void {
  const t0 = Date.now()
  let printed = 0
  let cdp: CDPSession | null = null
  host.page.on('crash', () => console.log(`[${((Date.now() - t0) / 1000).toFixed(0)} s] PAGE CRASHED`))
  void host.context
    .newCDPSession(host.page)
    .then((s) => (cdp = s))
    .catch(() => undefined)
  let busy = false
  const timer = setInterval(() => {
    if (busy) return
    busy = true
    void (async () => {
      const at = `[${((Date.now() - t0) / 1000).toFixed(0)} s]`
      const batches = portal.stats.batches
      const last = batches.at(-1)
      const heap = cdp
        ? await (cdp as CDPSession)
            .send('Runtime.getHeapUsage')
            .then((h) => `${mb(h.usedSize)} / ${mb(h.totalSize)}`)
            .catch(() => '?')
        : '?'
      const look = await lookAtApp(host)
      const lines = [
        `${at} portal: ${portal.stats.requests} requests (${portal.stats.rejected} refused), last batch ${
          last ? `${((Date.now() - last.at) / 1000).toFixed(0)} s ago` : 'none'
        }; page heap ${heap}`,
      ]
      if (typeof look === 'string') lines.push(`  ${look}`)
      else {
        lines.push(`  status: ${look.status}`)
        if (look.error) lines.push(`  ERROR SHOWN: ${look.error}`)
        if (look.storage) lines.push(`  storage: ${mb(look.storage.usage ?? 0)} of ${mb(look.storage.quota ?? 0)}`)
      }
      for (const l of host.console.slice(printed)) lines.push(`  console ${l.slice(0, 400)}`)
      printed = host.console.length
      console.log(lines.join('\n'))
    })().finally(() => (busy = false))
  }, everyMs)
  return () => clearInterval(timer)
}
