// @vitest-environment jsdom
/**
 * A period-first cold open never sits idle saying "older history is still loading":
 * - once the period's report is on screen the backfill goes on even when the page paints no
 *   frame — a hidden page (the user switched tabs during a long cold open) gets no
 *   requestAnimationFrame until it is shown again, and waiting for one left the load idle with
 *   no request going out;
 * - a backfill that fails says it stopped, with the reason and a retry, instead of "still loading".
 */
import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import type { App } from 'vue'
import { mountReport } from '../../placement/report'
import type { ReportHost } from '../../src/app/services/host'
import type { CrmData } from '../../src/engine/types'
import { afterPaint, type PaintClock } from '../../src/app/services/after-paint'
import { hostilePortal, inProcessEngine } from './app-fixture'

let app: App | null = null
afterEach(() => {
  app?.unmount()
  app = null
  vi.unstubAllGlobals()
  vi.useRealTimers()
  Reflect.deleteProperty(document, 'visibilityState')
})

/**
 * A host whose cold open hands the period's part to onRecent, then (once that settles) the whole
 * data — or, with `failure`, throws it as the backfill would.
 */
function coldOpenHost(recent: CrmData, whole: CrmData, failure?: Error) {
  const seen = { recentShown: false, backfillStarted: false }
  const host: ReportHost = {
    portalLanguage: 'en',
    openDeal: async () => undefined,
    fitWindow: () => undefined,
    scrollParentToTop: () => undefined,
    openSettings: () => undefined,
    async loadCrmData(_progress, { onRecent }) {
      await onRecent?.(recent, [])
      seen.backfillStarted = true
      if (failure) throw failure
      return whole
    },
  }
  return { host, seen }
}

async function settle(done: () => boolean, rounds = 200): Promise<void> {
  for (let i = 0; i < rounds && !done(); i++) await flushPromises()
}

describe('period first in a background tab', () => {
  it('starts the backfill after the period report although a hidden page paints no frame', async () => {
    Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true })
    vi.stubGlobal('requestAnimationFrame', () => 0) // a hidden page: the callback never runs
    const whole = hostilePortal()
    const recent = { ...whole, deals: whole.deals.slice(0, 3) }
    const { host, seen } = coldOpenHost(recent, whole)
    const el = document.createElement('div')
    document.body.appendChild(el)
    app = mountReport(el, host, { engine: inProcessEngine() })

    await settle(() => el.querySelector('[data-testid="synced-deals-count"]') !== null)

    expect(seen.backfillStarted).toBe(true)
    expect(el.querySelector('[data-testid="synced-deals-count"]')?.textContent).toBe(String(whole.deals.length))
    expect(el.querySelector('[data-testid="backfill-pending"]')).toBeNull()
  })
})

describe('a backfill that fails', () => {
  it('says the older history stopped loading, why, and offers a retry — not "still loading"', async () => {
    const whole = hostilePortal()
    const recent = { ...whole, deals: whole.deals.slice(0, 3) }
    const failure = new Error('IndexedDB: QuotaExceededError')
    const { host } = coldOpenHost(recent, whole, failure)
    const el = document.createElement('div')
    document.body.appendChild(el)
    app = mountReport(el, host, { engine: inProcessEngine() })

    const shown = (id: string) => el.querySelector(`[data-testid="${id}"]`)
    await settle(() => shown('stale-error') !== null)

    expect(shown('stale-error')?.textContent).toContain('QuotaExceededError')
    expect(shown('retry')).not.toBeNull()
    expect(shown('sync-stopped')?.textContent).toContain('loading older history stopped')
    expect(shown('backfill-stopped')?.textContent).toContain('stopped loading')
    expect(shown('backfill-pending')).toBeNull()
    expect(el.textContent).not.toContain('still loading')
  })
})

describe('afterPaint', () => {
  const clock = (hidden: boolean) => {
    const frames: Array<() => void> = []
    const timers: Array<{ ms: number; run: () => void }> = []
    const c: PaintClock = {
      hidden: () => hidden,
      nextFrame: (cb) => frames.push(cb),
      after: (ms, cb) => timers.push({ ms, run: cb }),
    }
    return { c, frames, timers }
  }
  const settled = (p: Promise<void>) => {
    const state = { done: false }
    void p.then(() => (state.done = true))
    return state
  }

  it('waits for the next frame on a visible page', async () => {
    const { c, frames } = clock(false)
    const p = settled(afterPaint(500, c))
    await flushPromises()
    expect(p.done).toBe(false)
    frames[0]()
    await flushPromises()
    expect(p.done).toBe(true)
  })

  it('gives up on a frame that does not come after its cap (a throttled offscreen frame)', async () => {
    const { c, timers } = clock(false)
    const p = settled(afterPaint(500, c))
    expect(timers.map((t) => t.ms)).toEqual([500])
    timers[0].run()
    await flushPromises()
    expect(p.done).toBe(true)
  })

  it('does not wait at all on a hidden page', async () => {
    const { c, frames, timers } = clock(true)
    await afterPaint(500, c)
    expect(frames.length + timers.length).toBe(0)
  })
})
