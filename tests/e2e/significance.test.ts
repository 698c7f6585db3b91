/**
 * Significant changes on screen (issue 9.7): in headless Chromium through the host page and the
 * real SDK, every coloured change on the Overview says it is significant, small samples are
 * marked instead of coloured (screenshot: test-output/screenshots/overview-significance.png).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Frame } from 'playwright-core'
import { waitForReport } from './support/report-tab'
import { startE2E, type E2E } from './support/env'
import { join } from 'node:path'
import { SCREENSHOT_DIR, type HostSession } from './support/host-page'

const shot = (name: string) => join(SCREENSHOT_DIR, `significance-${name}.png`)

let e2e: E2E
let host: HostSession
let frame: Frame

beforeAll(async () => {
  e2e = await startE2E({ deals: 2000 })
  host = await e2e.openHost({ placement: 'DEFAULT', user: 1, lang: 'en' })
  await host.waitForApp('[data-testid="synced-deals-count"]', 120_000)
  frame = await host.appFrame()
  await frame.selectOption('[data-testid="filter-period"]', 'last-quarter')
  await waitForReport(frame)
}, 200_000)

afterAll(async () => {
  await host?.close()
  await e2e?.stop()
})

describe('significant changes on the Overview', () => {
  it('colours a KPI change only with a significance note, marks small samples', { timeout: 60_000 }, async () => {
    await frame.waitForSelector('[data-testid="kpi-dealsCreated"] [data-testid="kpi-change"]')
    const cards = await frame.$$eval('[data-testid^="kpi-"].fl-kpi', (els) =>
      els.map((el) => {
        const change = el.querySelector('[data-testid="kpi-change"]')
        return {
          id: el.getAttribute('data-testid'),
          cls: change?.className ?? '',
          title: change?.getAttribute('title') ?? '',
          small: !!el.querySelector('[data-testid="kpi-small-sample"]'),
        }
      }),
    )
    expect(cards.length).toBeGreaterThan(5)
    for (const c of cards) {
      const coloured = /fl-up|fl-down/.test(c.cls)
      expect(coloured, `${c.id} ${c.title}`).toBe(c.title.startsWith('Significant change'))
      if (c.small) expect(coloured, String(c.id)).toBe(false)
    }
    // counts are tested per day: the deal-count cards always carry a p-value
    const created = cards.find((c) => c.id === 'kpi-dealsCreated')!
    expect(created.title).toMatch(/p = .*Poisson test per day/)
    // money has no test: never coloured
    expect(cards.find((c) => c.id === 'kpi-wonSum')!.cls).toBe('fl-neutral')
  })

  it('marks city rows by their own significance', { timeout: 60_000 }, async () => {
    const rows = frame.locator('[data-testid="table-overview-cities"] [data-testid="table-row"]')
    expect(await rows.count()).toBeGreaterThan(3)
    const marks = await frame.$$eval('[data-testid="table-overview-cities"] .fl-chg', (els) =>
      els.map((el) => ({ cls: el.className, title: el.getAttribute('title') ?? '', text: el.textContent?.trim() })),
    )
    for (const m of marks) {
      if (/fl-up|fl-down/.test(m.cls)) expect(m.title).toMatch(/^Significant change/)
      else expect(m.text).toBe('small sample')
    }
    await frame.locator('[data-testid="table-overview-cities"]').scrollIntoViewIfNeeded()
    await host.screenshot('overview-cities-significance')
    await frame.locator('[data-testid="kpi-dealsCreated"]').scrollIntoViewIfNeeded()
    await host.screenshot('overview-significance')
    // close-ups of the cards and the city table, to read the marks
    await frame
      .locator('[data-testid="page-overview"] .fl-grid')
      .first()
      .screenshot({ path: shot('kpi-cards') })
    await frame.locator('[data-testid="table-overview-cities"]').screenshot({ path: shot('cities-table') })
  })

  it('the consultation cards and counts carry the same marks', { timeout: 60_000 }, async () => {
    await frame.click('[data-testid="tab-consultations"]')
    await frame.waitForSelector('[data-testid="kpi-consult-attendance"] [data-testid="kpi-change"]', {
      timeout: 20_000,
    })
    const title = await frame.getAttribute('[data-testid="kpi-consult-attendance"] [data-testid="kpi-change"]', 'title')
    expect(title).toMatch(/two-proportion z-test|Fewer than 30/)
    await host.screenshot('consultations-significance')
  })
})
