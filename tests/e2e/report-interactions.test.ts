/**
 * What a sales director does in the report, in headless Chromium through the host page and
 * the real SDK against the demo portal: change period and comparison, filter by city, drill
 * down to deals, open a deal in the Bitrix24 slider, export CSV and XLSX, reopen a shared URL,
 * switch language.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Frame } from 'playwright-core'
import { startE2E, type E2E } from './support/env'
import { SCREENSHOT_DIR, type HostSession } from './support/host-page'
import { waitForReport } from './support/report-tab'

let e2e: E2E
let host: HostSession
let frame: Frame

const waitReady = (f: Frame) => waitForReport(f)

async function kpiNumber(f: Frame, id: string): Promise<number> {
  const text = (await f.textContent(`[data-testid="kpi-${id}"] [data-testid="kpi-value"]`)) ?? ''
  return Number(text.replace(/\D/g, ''))
}

async function openKpiDrill(f: Frame, id: string): Promise<number> {
  await f.click(`[data-testid="kpi-${id}"] [data-testid="kpi-value"] button`)
  await f.waitForSelector('[data-testid="drill-panel"]')
  await f.waitForFunction(
    () => !document.querySelector('[data-testid="drill-panel"]')?.textContent?.match(/Loading deals|Загружаем/),
  )
  return Number((await f.textContent('[data-testid="drill-count"]'))?.trim())
}

const hash = (f: Frame) => decodeURIComponent(new URL(f.url()).hash)

beforeAll(async () => {
  e2e = await startE2E({ deals: 300 })
  host = await e2e.openHost({ placement: 'DEFAULT', user: 1, lang: 'en' })
  await host.waitForApp('[data-testid="synced-deals-count"]', 90_000)
  frame = await host.appFrame()
  await waitReady(frame)
}, 150_000)

afterAll(async () => {
  await host?.close()
  await e2e?.stop()
})

describe('report interactions', () => {
  it('changes period and comparison; the URL follows', { timeout: 60_000 }, async () => {
    await frame.selectOption('[data-testid="filter-period"]', 'last-quarter')
    await waitReady(frame)
    expect(hash(frame)).toContain('period=last-quarter')
    const from = await frame.inputValue('[data-testid="filter-from"]')
    const to = await frame.inputValue('[data-testid="filter-to"]')
    expect(from).toMatch(/^\d{4}-(01|04|07|10)-01$/)
    const end = new Date(`${from}T00:00:00Z`)
    end.setUTCMonth(end.getUTCMonth() + 3, 0)
    expect(to).toBe(end.toISOString().slice(0, 10))

    expect(await frame.textContent('[data-testid="kpi-dealsCreated"]')).toContain('comparison')
    await frame.selectOption('[data-testid="filter-compare"]', 'none')
    await waitReady(frame)
    expect(hash(frame)).toContain('cmp=none')
    expect(await frame.locator('[data-testid="kpi-dealsCreated"] [data-testid="kpi-comparison"]').count()).toBe(0)
    await frame.selectOption('[data-testid="filter-compare"]', 'year')
    await waitReady(frame)
    expect(hash(frame)).toContain('cmp=year')
    expect(await frame.locator('[data-testid="kpi-dealsCreated"] [data-testid="kpi-comparison"]').count()).toBe(1)

    // The headline figure and the deals behind it agree.
    const created = await kpiNumber(frame, 'dealsCreated')
    expect(created).toBeGreaterThan(0)
    expect(await openKpiDrill(frame, 'dealsCreated')).toBe(created)
    await frame.click('[data-testid="drill-close"]')
    await host.screenshot('report-interactions-period')
  })

  it('filters by city: figures and drilled deals are that city’s only', { timeout: 90_000 }, async () => {
    const allCreated = await kpiNumber(frame, 'dealsCreated')
    // The overview's city table is sorted by deals created: take the busiest branch.
    const top = frame.locator('[data-testid="table-overview-cities"] [data-testid="table-row"]').first()
    const cityName = (await top.locator('[data-col="name"]').textContent())!.trim()
    const topCreated = Number((await top.locator('[data-col="created"]').textContent())!.replace(/\D/g, ''))
    expect(topCreated).toBeGreaterThan(0)
    await frame.click('[data-testid="filter-cities"]')
    await frame.fill('[data-testid="filter-cities-search"]', cityName)
    const option = frame.locator('[data-testid="filter-cities-option"]').filter({ hasText: cityName }).first()
    const cityId = (await option.getAttribute('data-value'))!
    await option.locator('input').check()
    await frame.click('[data-testid="filter-cities"]')
    await waitReady(frame)
    expect(hash(frame)).toContain(`city=${cityId}`)
    const cityCreated = await kpiNumber(frame, 'dealsCreated')
    expect(cityCreated).toBe(topCreated)
    expect(cityCreated).toBeLessThan(allCreated)
    expect(await openKpiDrill(frame, 'dealsCreated')).toBe(cityCreated)
    const cities = await frame.locator('[data-testid="drill-row"] > span:nth-child(5)').allTextContents()
    expect(cities.length).toBeGreaterThan(0)
    expect(new Set(cities)).toEqual(new Set([cityName]))
    await host.screenshot('report-interactions-city')
    await frame.click('[data-testid="drill-close"]')
    // Back to every city for the next steps.
    await frame.click('[data-testid="filter-cities"]')
    await frame.click('[data-testid="filter-cities-clear"]')
    await frame.click('[data-testid="filter-cities"]')
    await waitReady(frame)
    expect(hash(frame)).not.toContain('city=')
  })

  it('opens a drilled deal in the Bitrix24 slider', { timeout: 60_000 }, async () => {
    await frame.click('[data-testid="tab-funnels"]')
    await frame.click('[data-testid="page-funnels"] [data-col="reached"] [data-testid="drill-link"]')
    const row = await frame.waitForSelector('[data-testid="drill-row"]')
    const dealId = await row.getAttribute('data-deal-id')
    const after = (await host.hostLog()).at(-1)?.at ?? -1
    await row.click()
    const sent = await host.waitForLog({ dir: 'in', command: 'openPath' }, 20_000, after)
    expect(JSON.stringify(sent.params)).toContain(`crm/deal/details/${dealId}/`)
    await host.page.waitForSelector('#slider:not([hidden])')
    expect(await host.page.textContent('#slider-title')).toBe(`Deal #${dealId}`)
    await host.screenshot('report-interactions-slider')
    await host.page.click('#slider-close')
    // The panel takes the keyboard: Escape closes it.
    await frame.focus('[data-testid="drill-panel"] [role="dialog"]')
    await frame.press('[data-testid="drill-panel"] [role="dialog"]', 'Escape')
    await frame.waitForSelector('[data-testid="drill-panel"]', { state: 'detached' })
  })

  it('keeps a long drill-down list virtual: only the visible rows are in the page', { timeout: 60_000 }, async () => {
    await frame.click('[data-testid="tab-overview"]')
    // Every deal ever created: a custom period from long before the portal's first deal.
    await frame.fill('[data-testid="filter-from"]', '2000-01-01')
    await waitReady(frame)
    await frame.fill('[data-testid="filter-to"]', '2099-12-31')
    await waitReady(frame)
    expect(hash(frame)).toContain('period=custom')
    const created = await kpiNumber(frame, 'dealsCreated')
    expect(created).toBe(Number((await frame.textContent('[data-testid="synced-deals-count"]'))!.replace(/\D/g, '')))
    const after = (await host.hostLog()).at(-1)?.at ?? -1
    expect(await openKpiDrill(frame, 'dealsCreated')).toBe(created)
    // Opening the panel scrolls the portal page to the frame's top, where the panel is.
    await host.waitForLog({ dir: 'in', command: 'setScroll' }, 10_000, after)
    const rendered = await frame.locator('[data-testid="drill-row"]').count()
    expect(rendered).toBeGreaterThan(5)
    expect(rendered).toBeLessThan(created)
    // Scrolling the list brings later deals into the DOM.
    const firstId = await frame.locator('[data-testid="drill-row"]').first().getAttribute('data-deal-id')
    await frame.locator('[data-testid="drill-scroll"]').evaluate((el) => {
      el.scrollTop = el.scrollHeight
    })
    await frame.waitForFunction(
      (id) => document.querySelector('[data-testid="drill-row"]')?.getAttribute('data-deal-id') !== id,
      firstId,
    )
    await host.screenshot('report-interactions-drill')
    await frame.click('[data-testid="drill-close"]')
    await frame.selectOption('[data-testid="filter-period"]', 'last-quarter')
    await waitReady(frame)
  })

  it('exports a table as CSV and XLSX with the rows on screen', { timeout: 60_000 }, async () => {
    await frame.click('[data-testid="tab-sources"]')
    const table = frame.locator('[data-testid="table-sources-roi"]')
    const rows = await table.locator('[data-testid="table-row"]').count()
    const firstSource = (await table
      .locator('[data-testid="table-row"]')
      .first()
      .locator('[data-col="name"]')
      .textContent())!.trim()
    const [csv] = await Promise.all([
      host.page.waitForEvent('download'),
      frame.click('[data-testid="export-csv-sources-roi"]'),
    ])
    expect(csv.suggestedFilename()).toMatch(/^funnel-lens-sources-roi-.*\.csv$/)
    const text = readFileSync((await csv.path())!, 'utf8').replace(/^\uFEFF/, '')
    const lines = text.trim().split('\r\n')
    expect(lines.length).toBe(rows + 1)
    expect(lines[0].split(',')[0]).toBe('Source')
    expect(lines[1].startsWith(firstSource.includes(',') ? `"${firstSource}` : firstSource)).toBe(true)

    const [xlsx] = await Promise.all([
      host.page.waitForEvent('download'),
      frame.click('[data-testid="export-xlsx-sources-roi"]'),
    ])
    expect(xlsx.suggestedFilename()).toMatch(/\.xlsx$/)
    const bytes = readFileSync((await xlsx.path())!)
    expect(bytes.subarray(0, 2).toString()).toBe('PK') // an OOXML zip
  })

  it('a wide table scrolls sideways inside its card and keeps the row names in view', { timeout: 60_000 }, async () => {
    await frame.click('[data-testid="tab-managers"]')
    const wrap = frame.locator('[data-testid="table-managers"] .fl-table-wrap')
    await wrap.waitFor()
    // At the host's 1366 px the managers table is wider than its card: the rest is a scroll away.
    const { scrollWidth, clientWidth } = await wrap.evaluate((el) => ({
      scrollWidth: el.scrollWidth,
      clientWidth: el.clientWidth,
    }))
    expect(scrollWidth).toBeGreaterThan(clientWidth)
    await wrap.evaluate((el) => el.scrollTo({ left: el.scrollWidth }))
    const firstName = wrap.locator('[data-testid="table-row"]').first().locator('td').first()
    const [box, name] = [await wrap.boundingBox(), await firstName.boundingBox()]
    expect(Math.abs(name!.x - box!.x)).toBeLessThan(2) // pinned at the left edge, not scrolled away
    // The last column is now in view, right of the pinned name, not under it.
    const lastHead = wrap.locator('thead th').last()
    const last = await lastHead.boundingBox()
    expect(last!.x).toBeGreaterThan(name!.x + name!.width - 1)
    expect(last!.x + last!.width).toBeLessThanOrEqual(box!.x + box!.width + 1)
    mkdirSync(SCREENSHOT_DIR, { recursive: true })
    await wrap.screenshot({ path: join(SCREENSHOT_DIR, 'managers-scrolled.png') })
  })

  it('reopening the view’s URL restores it', { timeout: 90_000 }, async () => {
    await frame.click('[data-testid="tab-churn"]')
    await frame.selectOption('[data-testid="churn-by"]', 'manager')
    const url = frame.url()
    expect(hash(frame)).toContain('#/churn?')
    expect(hash(frame)).toContain('by=manager')
    await frame.goto('about:blank')
    await frame.goto(url)
    await host.waitForApp('[data-testid="synced-deals-count"]', 90_000)
    frame = await host.appFrame()
    await waitReady(frame)
    expect(await frame.getAttribute('[data-testid="tab-churn"]', 'aria-selected')).toBe('true')
    expect(await frame.inputValue('[data-testid="filter-period"]')).toBe('last-quarter')
    expect(await frame.inputValue('[data-testid="filter-compare"]')).toBe('year')
    expect(await frame.inputValue('[data-testid="churn-by"]')).toBe('manager')

    // Bitrix24 reopens the app at its handler URL, without the hash: the last view comes back.
    const bare = url.replace(/#.*$/, '')
    await frame.goto('about:blank')
    await frame.goto(bare)
    await host.waitForApp('[data-testid="synced-deals-count"]', 90_000)
    frame = await host.appFrame()
    await waitReady(frame)
    expect(await frame.getAttribute('[data-testid="tab-churn"]', 'aria-selected')).toBe('true')
    expect(await frame.inputValue('[data-testid="filter-period"]')).toBe('last-quarter')
    expect(hash(frame)).toContain('by=manager')
  })

  it('opens budgets and settings from the header and comes back', { timeout: 90_000 }, async () => {
    await frame.click('[data-testid="open-settings"]')
    await host.waitForApp('button[data-tab="budget"]', 60_000)
    frame = await host.appFrame()
    expect(new URL(frame.url()).searchParams.get('view')).toBe('budget')
    await host.screenshot('report-interactions-settings')
    await frame.click('[data-testid="back-to-report"]')
    await host.waitForApp('[data-testid="synced-deals-count"]', 90_000)
    frame = await host.appFrame()
    await waitReady(frame)
    expect(await frame.locator('[data-testid="tab-overview"]').count()).toBe(1)
  })

  it('switches language by hand and follows the portal language', { timeout: 120_000 }, async () => {
    await frame.selectOption('[data-testid="lang-select"]', 'ru')
    await frame.waitForFunction(
      () => document.querySelector('[data-testid="tab-overview"]')?.textContent?.trim() === 'Обзор',
    )
    expect(hash(frame)).toContain('lang=ru')
    expect(await frame.evaluate(() => document.documentElement.lang)).toBe('ru')
    await host.screenshot('report-interactions-ru')

    const uk = await e2e.openHost({ placement: 'CRM_ANALYTICS_MENU', user: 1, lang: 'uk' })
    try {
      await uk.waitForApp('[data-testid="synced-deals-count"]', 90_000)
      const f = await uk.appFrame()
      expect((await f.textContent('[data-testid="tab-overview"]'))?.trim()).toBe('Огляд')
      expect((await f.textContent('[data-testid="tab-loss"]'))?.trim()).toBe('Причини відмови')
      await uk.screenshot('report-interactions-uk')
    } finally {
      await uk.close()
    }
  })
})
