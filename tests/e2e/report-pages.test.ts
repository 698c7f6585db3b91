/**
 * The report tab in headless Chromium through the host page and the real SDK: every page
 * renders after a sync (screenshots in test-output/screenshots/), in light and dark, with no
 * page errors and with CRM text as text.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Frame } from 'playwright-core'
import { startE2E, type E2E } from './support/env'
import type { HostSession } from './support/host-page'
import { openQuarterReport } from './support/report-tab'

const PAGES = [
  'overview',
  'funnels',
  'consultations',
  'churn',
  'sources',
  'managers',
  'time',
  'touches',
  'loss',
  'forecast',
  'quality',
] as const
/** Pages that always draw at least one chart on this portal. */
const CHART_PAGES = new Set(['overview', 'funnels', 'consultations', 'churn', 'sources', 'managers', 'forecast'])

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

describe('report pages in the browser', () => {
  it('renders every page, with charts where the page has them', { timeout: 120_000 }, async () => {
    for (const p of PAGES) {
      await frame.click(`[data-testid="tab-${p}"]`)
      await frame.waitForSelector(`[data-testid="page-${p}"]`, { timeout: 20_000 })
      if (CHART_PAGES.has(p)) await frame.waitForSelector('.apexcharts-canvas', { timeout: 30_000 })
      expect(await frame.locator('[data-testid="state-error"]').count()).toBe(0)
      if (p === 'overview') {
        // Money axes keep their currency after the filter change redrew the chart.
        const labels = await frame
          .locator('[data-testid="chart-series-revenue"] .apexcharts-yaxis-label tspan')
          .allTextContents()
        expect(labels.length).toBeGreaterThan(1)
        expect(labels.filter((l) => /^\d+$/.test(l.trim()) && l.trim() !== '0')).toEqual([])
      }
      expect(new URL(frame.url()).hash).toContain(`#/${p}`)
      await host.screenshot(`report-${p}`)
    }
    const errors = host.console.filter((l) => l.startsWith('[pageerror]'))
    expect(errors).toEqual([])
  })

  it('switches to the dark theme and back', { timeout: 60_000 }, async () => {
    await frame.click('[data-testid="tab-overview"]')
    await frame.click('[data-testid="theme-toggle"]')
    expect(await frame.evaluate(() => document.documentElement.dataset.theme)).toBe('dark')
    await frame.waitForSelector('.apexcharts-canvas')
    await host.screenshot('report-overview-dark')
    await frame.click('[data-testid="theme-toggle"]')
    expect(await frame.evaluate(() => document.documentElement.dataset.theme)).toBe('light')
  })

  it('prints without controls', { timeout: 30_000 }, async () => {
    await frame.click('[data-testid="tab-sources"]')
    await host.page.emulateMedia({ media: 'print' })
    try {
      expect(await frame.locator('[data-testid="filter-bar"]').isVisible()).toBe(false)
      expect(await frame.locator('[data-testid="export-csv-sources-roi"]').isVisible()).toBe(false)
      expect(await frame.locator('[data-testid="table-sources-roi"]').isVisible()).toBe(true)
      await host.screenshot('report-print-sources')
    } finally {
      await host.page.emulateMedia({ media: 'screen' })
    }
  })

  it(
    'asks the Bitrix24 window to fit the frame to its content, growing and shrinking',
    { timeout: 60_000 },
    async () => {
      /**
       * The height of the last resizeWindow after `after`, once it matches the app's content (the
       * frame has followed it): polled, so a slow machine only takes longer, never fails.
       */
      const settledHeight = async (after: number) => {
        let last = Number.NaN
        await expect
          .poll(
            async () => {
              const resizes = (await host.hostLog()).filter(
                (e) => e.dir === 'in' && e.command === 'resizeWindow' && e.at > after,
              )
              if (resizes.length === 0) return false
              last = Number((resizes.at(-1)!.params as { height?: number }).height)
              const content = await frame.evaluate(
                () => document.querySelector('[data-testid="report-app"]')!.getBoundingClientRect().height,
              )
              return Math.abs(last - content) < 40
            },
            { timeout: 30_000, interval: 100 },
          )
          .toBe(true)
        return last
      }
      let mark = (await host.hostLog()).at(-1)?.at ?? -1
      await frame.click('[data-testid="tab-churn"]')
      await frame.waitForSelector('[data-testid="page-churn"] .apexcharts-canvas')
      const tall = await settledHeight(mark)
      mark = (await host.hostLog()).at(-1)?.at ?? -1
      await frame.click('[data-testid="tab-quality"]')
      await frame.waitForSelector('[data-testid="page-quality"]')
      const short = await settledHeight(mark)
      // settledHeight waited for the frame to be as tall as the app's content: no empty band below it.
      expect(short).toBeLessThan(tall)
    },
  )
})
