/**
 * Issue 14: the demo opens on figures, not on "No deals match these filters". The browser's clock
 * (host page and app frame) is set with Playwright's page.clock; the portals' history ends where
 * the demo would put it (generationNow, the same function `npm run demo` uses) or at the
 * generator's old fixed date, 2026-11-20.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Frame } from 'playwright-core'
import { startE2E, type E2E } from './support/env'
import { openHost, type HostSession } from './support/host-page'
import { startTestPortal } from './support/portal'
import { generationNow } from '../../src/demo-portal/demo-now'
import { DEFAULT_NOW } from '../../src/demo-portal/generator'
import type { RunningPortal } from '../../src/demo-portal/server'

/** Long after the generator's fixed date: a demo started on this day. */
const LATER = '2027-03-02T09:30:00+03:00'

let e2e: E2E
let fresh: RunningPortal

beforeAll(async () => {
  // The default test portal keeps the fixed end (2026-11-20); the fresh demo's ends "today".
  e2e = await startE2E({ deals: 300, installed: true })
  fresh = await startTestPortal({
    appUrl: e2e.app.url,
    deals: 300,
    installed: true,
    now: generationNow(undefined, Date.parse(LATER)),
  })
})

afterAll(async () => {
  await fresh?.close()
  await e2e?.stop()
})

async function firstScreen(host: HostSession): Promise<Frame> {
  await host.waitForApp('[data-testid="synced-deals-count"]', 90_000)
  const frame = await host.appFrame()
  await frame.waitForSelector('[data-testid="report-app"][data-report-status="ready"]', { timeout: 60_000 })
  return frame
}

async function dealsCreated(frame: Frame): Promise<number> {
  const text = (await frame.textContent('[data-testid="kpi-dealsCreated"] [data-testid="kpi-value"]')) ?? ''
  return Number(text.replace(/\D/g, '') || 0)
}

describe('the first screen of a fresh demo shows figures (issue 14)', () => {
  it('a demo started today: its data runs up to today, and the default period holds it', async () => {
    const host = await openHost(e2e.browser, fresh.url, { placement: 'DEFAULT', user: 1, clockAt: LATER })
    const frame = await firstScreen(host)
    expect(await frame.locator('[data-testid="state-empty"]').count()).toBe(0)
    expect(await dealsCreated(frame)).toBeGreaterThan(0)
    // The default period: the last 30 whole days before the page's today.
    expect(await frame.inputValue('[data-testid="filter-from"]')).toBe('2027-01-31')
    expect(await frame.inputValue('[data-testid="filter-to"]')).toBe('2027-03-01')
    await host.screenshot('demo-first-screen')
    await host.close()
  })

  it('data that ended two weeks ago (the issue: 2026-12-04 against 2026-11-20) still fills the default period', async () => {
    expect(DEFAULT_NOW.startsWith('2026-11-20')).toBe(true)
    const host = await e2e.openHost({ placement: 'DEFAULT', user: 1, clockAt: '2026-12-04T10:00:00+03:00' })
    const frame = await firstScreen(host)
    expect(await frame.locator('[data-testid="state-empty"]').count()).toBe(0)
    expect(await dealsCreated(frame)).toBeGreaterThan(0)
    await host.close()
  })

  it('data that ended months ago: the empty screen offers the nearest period with deals, one click away', async () => {
    const host = await e2e.openHost({ placement: 'DEFAULT', user: 1, clockAt: LATER })
    const frame = await firstScreen(host)
    const offer = frame.locator('[data-testid="show-nearest"]')
    await offer.waitFor({ timeout: 30_000 })
    await host.screenshot('demo-empty-offers-nearest')
    await offer.click()
    await frame.waitForSelector('[data-testid="state-empty"]', { state: 'detached', timeout: 60_000 })
    expect(await dealsCreated(frame)).toBeGreaterThan(0)
    // 30 days, as long as the default period, ending on the last day with deals: at the
    // generator's fixed "now" (2026-11-20) or a few days before it in a 300-deal portal.
    const from = await frame.inputValue('[data-testid="filter-from"]')
    const to = await frame.inputValue('[data-testid="filter-to"]')
    expect(to >= '2026-11-10' && to <= '2026-11-20').toBe(true)
    expect((Date.parse(to) - Date.parse(from)) / 86_400_000).toBe(29)
    await host.close()
  })
})
