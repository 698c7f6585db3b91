/**
 * CRM text is untrusted, end to end: a demo portal whose source, stage, city, user and deal
 * names carry markup; the app syncs it through the real SDK and must show the markup as text in
 * tables, drill-downs and chart tooltips, and never run it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Frame } from 'playwright-core'
import { generatePortal } from '../../src/demo-portal/generator'
import { hostRoutes } from '../../src/demo-portal/host/routes'
import { startPortal, type RunningPortal } from '../../src/demo-portal/server'
import { startAppServer, type AppServer } from './support/app-server'
import { launchBrowser } from './support/browser'
import { openHost, type HostSession } from './support/host-page'

const PAYLOAD = '<img src=x onerror="window.top.__pwned=(window.top.__pwned||0)+1">'

let app: AppServer
let browser: Browser
let portal: RunningPortal
let host: HostSession
let frame: Frame

beforeAll(async () => {
  ;[app, browser] = await Promise.all([startAppServer(), launchBrowser()])
  const dump = generatePortal({ seed: 20261123, deals: 200 })
  // Every kind of name the report shows, poisoned.
  for (const s of dump.statuses) s.NAME = `${s.NAME} ${PAYLOAD}`
  for (const u of dump.users) u.LAST_NAME = `${u.LAST_NAME} ${PAYLOAD}`
  for (const d of dump.departments) d.NAME = `${d.NAME} ${PAYLOAD}`
  for (const d of dump.deals) d.TITLE = `${d.TITLE} ${PAYLOAD}`
  for (const f of dump.dealUserFields) for (const item of f.LIST ?? []) item.VALUE = `${item.VALUE} ${PAYLOAD}`
  portal = await startPortal({
    dump,
    port: 0,
    installed: true,
    webhookSecret: 'xss',
    rate: 1000,
    burst: 1000,
    extraRoutes: hostRoutes({ appUrl: app.url }),
  })
  host = await openHost(browser, portal.url, { placement: 'DEFAULT', user: 1, lang: 'en' })
  await host.waitForApp('[data-testid="synced-deals-count"]', 90_000)
  frame = await host.appFrame()
  await frame.selectOption('[data-testid="filter-period"]', 'last-year')
  await frame.waitForSelector('[data-testid="report-app"][data-report-status="ready"]')
}, 150_000)

afterAll(async () => {
  await host?.close()
  await browser?.close()
  await portal?.close()
  await app?.close()
})

const pwned = () => host.page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned ?? 0)

describe('hostile CRM names', () => {
  it('render as text on every page and in drill-downs, and never run', { timeout: 120_000 }, async () => {
    for (const p of [
      'overview',
      'funnels',
      'churn',
      'sources',
      'managers',
      'time',
      'touches',
      'loss',
      'forecast',
      'quality',
    ]) {
      await frame.click(`[data-testid="tab-${p}"]`)
      await frame.waitForSelector(`[data-testid="page-${p}"]`)
      expect(await frame.locator('img').count(), `an <img> element on ${p}`).toBe(0)
    }
    await frame.click('[data-testid="tab-churn"]')
    expect(await frame.locator('[data-testid="page-churn"]').textContent()).toContain(PAYLOAD)

    await frame.click('[data-testid="tab-funnels"]')
    await frame.click('[data-testid="page-funnels"] [data-col="reached"] [data-testid="drill-link"]')
    await frame.waitForSelector('[data-testid="drill-row"]')
    expect(await frame.locator('[data-testid="drill-row"]').first().textContent()).toContain(PAYLOAD)
    expect(await frame.locator('img').count()).toBe(0)
    await frame.click('[data-testid="drill-close"]')

    // Tooltips are ApexCharts innerHTML: hover the heatmap and the funnel bars with poisoned names.
    for (const [p, selector] of [
      ['churn', '[data-testid="chart-churn-heatmap"] .apexcharts-heatmap-rect'],
      ['funnels', '[data-testid="chart-funnel"] .apexcharts-bar-area'],
    ] as const) {
      await frame.click(`[data-testid="tab-${p}"]`)
      const cells = frame.locator(selector)
      await cells.first().waitFor()
      let shownEscaped = false
      for (let i = 0; i < Math.min(await cells.count(), 12) && !shownEscaped; i++) {
        await cells.nth(i).hover({ force: true })
        // ApexCharts draws the tooltip on the next mousemove frame.
        await frame.waitForTimeout(100)
        const tooltips = await frame.locator('.apexcharts-tooltip').evaluateAll((els) => els.map((e) => e.innerHTML))
        for (const html of tooltips) expect(html).not.toContain('<img')
        if (tooltips.some((html) => html.includes('fl-tt') && html.includes('&lt;img'))) shownEscaped = true
      }
      expect(shownEscaped, `a ${p} tooltip showed a poisoned name as text`).toBe(true)
    }
    await host.screenshot('report-xss-tooltip')
    expect(await pwned()).toBe(0)
  })
})
