/**
 * The Forecast page's inflow forecast and backtest, and the Sources page's merged UTM channels,
 * in headless Chromium through the host page and the real SDK (screenshots in
 * test-output/screenshots/: forecast-backtest, sources-utm).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Frame } from 'playwright-core'
import { startE2E, type E2E } from './support/env'
import type { HostSession } from './support/host-page'
import { openQuarterReport } from './support/report-tab'

let e2e: E2E
let host: HostSession
let frame: Frame

beforeAll(async () => {
  e2e = await startE2E({ deals: 300 })
  ;({ host, frame } = await openQuarterReport(e2e))
}, 150_000)

afterAll(async () => {
  await host?.close()
  await e2e?.stop()
})

describe('forecast and sources pages', () => {
  it('shows the backtest chart and the inflow forecast for the next two months', { timeout: 60_000 }, async () => {
    await frame.click('[data-testid="tab-forecast"]')
    await frame.waitForSelector('[data-testid="chart-forecast-backtest"] .apexcharts-canvas', { timeout: 30_000 })
    const backtest = frame.locator('[data-testid="table-forecast-backtest"] tbody tr')
    expect(await backtest.count()).toBe(6)
    const inflow = frame.locator('[data-testid="table-forecast-inflow"] tbody tr')
    expect(await inflow.count()).toBe(2)
    await host.screenshot('forecast-backtest')
  })

  it('merges UTM spellings of one network into one channel', { timeout: 60_000 }, async () => {
    await frame.click('[data-testid="tab-sources"]')
    await frame.waitForSelector('[data-testid="page-sources"]', { timeout: 20_000 })
    const utm = (
      await frame.locator('[data-testid="table-sources-utm"] tbody tr td:first-child').allTextContents()
    ).map((s) => s.trim())
    expect(utm.length).toBeGreaterThan(0)
    expect(new Set(utm.map((s) => s.toLowerCase())).size).toBe(utm.length)
    await host.screenshot('sources-utm')
    // The merged channel's deals keep the raw utm_source spellings in the drill-down.
    const yandex = frame.locator('[data-testid="table-sources-utm"] tbody tr', { hasText: 'yandex.direct' })
    await yandex.locator('[data-col="deals"] [data-testid="drill-link"]').click()
    await frame.waitForSelector('[data-testid="drill-utm"]', { timeout: 20_000 })
    const raw = (await frame.locator('[data-testid="drill-utm"]').allTextContents()).map((x) =>
      x.replace(/^[\s·]*utm:\s*/, '').trim(),
    )
    expect(raw.length).toBeGreaterThan(0)
    for (const r of raw) expect(['yandex', 'Yandex', 'yandex.direct']).toContain(r)
    await host.screenshot('sources-utm-drill')
    await frame.click('[data-testid="drill-close"]')
  })

  it('lists junk leads worth contacting again on the Loss reasons page', { timeout: 60_000 }, async () => {
    await frame.click('[data-testid="tab-loss"]')
    await frame.waitForSelector('[data-testid="table-loss-lead-call-again"]', { timeout: 20_000 })
    const reasons = await frame
      .locator('[data-testid="table-loss-lead-call-again"] tbody [data-col="reason"]')
      .allTextContents()
    expect(reasons.length).toBeGreaterThan(0)
    await frame.locator('[data-testid="table-loss-lead-call-again"]').scrollIntoViewIfNeeded()
    await host.screenshot('loss-lead-call-again')
  })
})
