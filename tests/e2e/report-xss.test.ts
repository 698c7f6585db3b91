/**
 * CRM text is untrusted, end to end: a demo portal whose every CRM text field (stage, source,
 * city, user, department, loss reason, deal title, pipeline) carries a markup payload; the app
 * syncs it through the real SDK and must show the markup as text in tables, drill-downs, chart
 * tooltips, legends and axes, and never run it.
 *
 * The payload records itself in the APP frame (`window.__xss`), where it would run: ApexCharts
 * also writes innerHTML into tooltip nodes that are detached by a custom tooltip, and an <img>
 * parsed there still loads and fires onerror, so a DOM check alone would miss it. A canary with
 * the same payload shape, planted at the end, proves the detector works in this frame and tells
 * us when earlier payload images have had their chance to fail.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Frame, Locator } from 'playwright-core'
import { waitForReport } from './support/report-tab'
import { generatePortal } from '../../src/demo-portal/generator'
import { CITY_FIELD, LOSS_REASON_FIELD } from '../../src/demo-portal/generator'
import { hostRoutes } from '../../src/demo-portal/host/routes'
// Every page the report has, so a new page is hovered too.
import { PAGES } from '../../src/app/services/url-state'
import { startPortal, type RunningPortal } from '../../src/demo-portal/server'
import { startAppServer, type AppServer } from './support/app-server'
import { launchBrowser } from './support/browser'
import { openHost, waitFor, type HostSession } from './support/host-page'

/** A payload that, if it ever runs in the app frame, leaves its field's tag in window.__xss. */
const payload = (tag: string) => `<img src=x onerror="(window.__xss=window.__xss||[]).push('${tag}')">`
/** Pages whose charts name CRM things (the overview and forecast charts show dates and our own words). */
const NAMED_CHART_PAGES = ['funnels', 'churn', 'loss']

let app: AppServer
let browser: Browser
let portal: RunningPortal
let host: HostSession
let frame: Frame

function statusTag(entity: string): string {
  if (entity === 'SOURCE') return 'source'
  if (entity.startsWith('DEAL_STAGE')) return 'stage'
  return `status-${entity}`
}

beforeAll(async () => {
  ;[app, browser] = await Promise.all([startAppServer(), launchBrowser()])
  const dump = generatePortal({ seed: 20261123, deals: 200 })
  for (const s of dump.statuses) s.NAME = `${s.NAME} ${payload(statusTag(s.ENTITY_ID))}`
  for (const u of dump.users) {
    u.NAME = `${u.NAME} ${payload('user-name')}`
    u.LAST_NAME = `${u.LAST_NAME} ${payload('user-last-name')}`
  }
  for (const d of dump.departments) d.NAME = `${d.NAME} ${payload('department')}`
  for (const d of dump.deals) d.TITLE = `${d.TITLE} ${payload('deal-title')}`
  for (const c of dump.dealCategories) c.name = `${c.name} ${payload('pipeline')}`
  for (const f of [...dump.dealUserFields, ...dump.leadUserFields]) {
    const tag = f.FIELD_NAME === CITY_FIELD ? 'city' : f.FIELD_NAME === LOSS_REASON_FIELD ? 'loss-reason' : f.FIELD_NAME
    for (const item of f.LIST ?? []) item.VALUE = `${item.VALUE} ${payload(tag)}`
  }
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
  await waitReady()
}, 150_000)

afterAll(async () => {
  await host?.close()
  await browser?.close()
  await portal?.close()
  await app?.close()
})

const waitReady = () => waitForReport(frame, 30_000)

/** ApexCharts draws on mousemove in the next animation frame: wait two frames, not a clock. */
const nextFrames = () =>
  frame.evaluate(() => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))))
/** The distinct fields whose payload ran in the app frame. */
const ranPayloads = () =>
  frame.evaluate(() => [...new Set((window as unknown as { __xss?: string[] }).__xss ?? [])].sort())
/** <img> elements with an onerror handler attached to the frame's document. */
const armedImages = () => frame.locator('img[onerror]').count()

interface Hover {
  chart: string
  tooltipShown: boolean
  hostileAsText: boolean
  /** What the chart offered to hover, for the failure message. */
  points: number
  tooltips: string[]
}

/** The element's box in page coordinates, scrolled to the middle of the viewport first. */
async function boxInView(target: Locator) {
  await target.evaluate((el) => el.scrollIntoView({ block: 'center', inline: 'center' }))
  return target.boundingBox()
}

/** Moves the mouse over every bar, cell and marker of the chart (up to 30) and across its plot area. */
async function hoverChart(chartIndex: number, label: string): Promise<Hover> {
  const chart = frame.locator('.apexcharts-canvas').nth(chartIndex)
  const result: Hover = { chart: label, tooltipShown: false, hostileAsText: false, points: 0, tooltips: [] }
  const look = async () => {
    await nextFrames()
    const tips = await chart
      .locator('.apexcharts-tooltip')
      .evaluateAll((els) => els.map((e) => ({ html: e.innerHTML, text: e.textContent ?? '' })))
    result.tooltips = tips.map((t) => t.html.slice(0, 200))
    for (const tip of tips) {
      expect(tip.html, `${label}: tooltip markup`).not.toMatch(/<img/i)
      if (tip.html.includes('fl-tt')) result.tooltipShown = true
      if (tip.text.includes('<img src=x onerror=')) result.hostileAsText = true
    }
  }
  const points = chart.locator('.apexcharts-bar-area, .apexcharts-heatmap-rect, .apexcharts-marker')
  const count = await points.count()
  result.points = count
  const step = Math.max(1, Math.ceil(count / 30))
  for (let i = 0; i < count; i += step) {
    const box = await boxInView(points.nth(i))
    // A zero bar has no area to hover.
    if (!box || box.width * box.height === 0) continue
    await host.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2)
    await look()
  }
  const plot = await boxInView(chart)
  if (plot) {
    for (const fy of [0.3, 0.7]) {
      for (let fx = 0.05; fx < 1; fx += 0.1) {
        await host.page.mouse.move(plot.x + plot.width * fx, plot.y + plot.height * fy)
        await look()
      }
    }
  }
  await host.page.mouse.move(0, 0)
  return result
}

/** Hovers every chart on the current page; returns what each showed. */
async function hoverAllCharts(page: string): Promise<Hover[]> {
  const charts = await frame.locator('.apexcharts-canvas').count()
  const hovers: Hover[] = []
  for (let i = 0; i < charts; i++) hovers.push(await hoverChart(i, `${page} chart ${i + 1}`))
  return hovers
}

async function openPage(page: string): Promise<void> {
  await frame.click(`[data-testid="tab-${page}"]`)
  await frame.waitForSelector(`[data-testid="page-${page}"]`)
  await waitReady()
}

describe('hostile CRM names', () => {
  it('render as text on every page, chart and drill-down, and never run', { timeout: 600_000 }, async () => {
    const hovers: Hover[] = []
    for (const p of PAGES) {
      await openPage(p)
      if (p === 'churn') {
        for (const by of ['source', 'city', 'manager']) {
          await frame.selectOption('[data-testid="churn-by"]', by)
          await waitReady()
          hovers.push(...(await hoverAllCharts(`churn by ${by}`)))
        }
      } else {
        hovers.push(...(await hoverAllCharts(p)))
      }
      expect(await armedImages(), `an <img onerror> element on ${p}`).toBe(0)
      expect(await ranPayloads(), `payloads that ran on ${p}`).toEqual([])
    }

    // Every chart was really hovered (its tooltip showed), and CRM names showed as text.
    expect(hovers.length).toBeGreaterThanOrEqual(5)
    for (const h of hovers) expect(h.tooltipShown, `a tooltip appeared: ${JSON.stringify(h)}`).toBe(true)
    for (const p of NAMED_CHART_PAGES) {
      const mine = hovers.filter((h) => h.chart.startsWith(p))
      expect(mine.length, `${p} has charts`).toBeGreaterThan(0)
      expect(
        mine.every((h) => h.hostileAsText),
        `${p}: every chart tooltip showed a hostile name as text`,
      ).toBe(true)
    }

    // Axis labels are SVG text: they show the name as the user typed it, not "&lt;img".
    await openPage('churn')
    const axisTexts = await frame
      .locator('.apexcharts-xaxis-label, .apexcharts-yaxis-label')
      .evaluateAll((els) => els.map((e) => e.textContent ?? ''))
    expect(axisTexts.some((t) => t.includes('<img src=x'))).toBe(true)
    expect(axisTexts.filter((t) => t.includes('&lt;'))).toEqual([])

    await openPage('funnels')
    await frame.click('[data-testid="page-funnels"] [data-col="reached"] [data-testid="drill-link"]')
    await frame.waitForSelector('[data-testid="drill-row"]')
    expect(await frame.locator('[data-testid="drill-row"]').first().textContent()).toContain('<img src=x')
    await frame.click('[data-testid="drill-close"]')
    await host.screenshot('report-xss-tooltip')

    // The canary: the same payload shape, parsed in this frame, must be seen to run.
    await frame.evaluate(() => {
      document.createElement('div').innerHTML = `<img src=x onerror="(window.__xss=window.__xss||[]).push('canary')">`
    })
    const ran = await waitFor(
      'the canary payload to run in the app frame',
      ranPayloads,
      (tags) => tags.includes('canary'),
      30_000,
    )
    expect(ran).toEqual(['canary'])
  })
})
