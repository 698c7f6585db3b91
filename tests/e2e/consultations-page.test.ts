/**
 * The Consultations page in headless Chromium through the host page and the real SDK, on the
 * demo portal with its stage roles set: figures, previous-period bars, the lead-to-deal funnel,
 * a drill-down, the split switch; the loss-reason filter narrowing the Touches page.
 * Screenshots in test-output/screenshots/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Frame } from 'playwright-core'
import { waitForReport } from './support/report-tab'
import { startE2E, type E2E } from './support/env'
import { SCREENSHOT_DIR, type HostSession } from './support/host-page'

let e2e: E2E
let host: HostSession
let frame: Frame

const ready = (f: Frame) => waitForReport(f)

beforeAll(async () => {
  e2e = await startE2E({ deals: 400 })
  host = await e2e.openHost({ placement: 'DEFAULT', user: 1, lang: 'en' })
  await host.waitForApp('[data-testid="synced-deals-count"]', 90_000)
  frame = await host.appFrame()
  await frame.selectOption('[data-testid="filter-period"]', 'last-quarter')
  await ready(frame)
}, 150_000)

afterAll(async () => {
  await host?.close()
  await e2e?.stop()
})

describe('Consultations page in the browser', () => {
  it(
    'shows the consultation figures with the previous period, and drills into a count',
    { timeout: 120_000 },
    async () => {
      await frame.click('[data-testid="tab-consultations"]')
      await frame.waitForSelector('[data-testid="page-consultations"]', { timeout: 20_000 })
      await frame.waitForSelector('[data-testid="chart-consult-outcomes"] .apexcharts-canvas', { timeout: 30_000 })
      await frame.waitForSelector('[data-testid="chart-lead-to-deal"] .apexcharts-canvas', { timeout: 30_000 })
      // The demo portal comes with every role set: no notice, and real bookings.
      expect(await frame.locator('[data-testid="consult-missing-roles"]').count()).toBe(0)
      const bookings = frame.locator('[data-testid="table-consult-counts"] [data-testid="table-row"]').first()
      expect(Number((await bookings.locator('[data-col="current"]').innerText()).replace(/\D/g, ''))).toBeGreaterThan(0)
      // Two series (this period and the comparison) on the outcome chart.
      expect(await frame.locator('[data-testid="chart-consult-outcomes"] .apexcharts-series').count()).toBe(2)
      await host.screenshot('report-consultations')
      // Closer looks at the charts, as a reader sees them.
      for (const id of ['chart-consult-outcomes', 'chart-consult-bookings', 'chart-lead-to-deal'])
        await frame.locator(`[data-testid="${id}"]`).screenshot({ path: `${SCREENSHOT_DIR}/report-${id}.png` })

      await bookings.locator('[data-col="current"] [data-testid="drill-link"]').click()
      await frame.waitForSelector('[data-testid="drill-count"]', { timeout: 20_000 })
      expect(Number(await frame.locator('[data-testid="drill-count"]').innerText())).toBeGreaterThan(0)
      await host.screenshot('report-consultations-drill')
      await frame.click('[data-testid="drill-close"]')

      await frame.selectOption('[data-testid="consult-by"]', 'manager')
      await frame.waitForSelector('[data-testid="table-consult-split-manager"]')
      expect(new URL(frame.url()).hash).toContain('cby=manager')
      const errors = host.console.filter((l) => l.startsWith('[pageerror]'))
      expect(errors).toEqual([])
    },
  )

  it('a loss-reason filter narrows the Touches page', { timeout: 90_000 }, async () => {
    await frame.click('[data-testid="tab-touches"]')
    await frame.waitForSelector('[data-testid="table-touches-before-loss-reasons"]', { timeout: 20_000 })
    const reasons = frame.locator('[data-testid="table-touches-before-loss-reasons"] [data-testid="table-row"]')
    expect(await reasons.count()).toBeGreaterThan(1)
    await frame.click('[data-testid="filter-loss-reasons"]')
    await frame.locator('[data-testid="filter-loss-reasons-option"]', { hasText: 'No answer' }).locator('input').check()
    await frame.waitForFunction(() => location.hash.includes('reason='))
    await ready(frame)
    await frame.waitForFunction(
      () =>
        document.querySelectorAll('[data-testid="table-touches-before-loss-reasons"] [data-testid="table-row"]')
          .length === 1,
      undefined,
      { timeout: 30_000 },
    )
    expect(await reasons.first().locator('[data-col="reason"]').innerText()).toBe('No answer')
    await frame.click('[data-testid="tab-touches"]') // closes the open filter list before the screenshot
    await host.screenshot('report-touches-no-answer')
  })
})
