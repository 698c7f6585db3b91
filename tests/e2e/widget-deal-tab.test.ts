/**
 * The deal-card widget in headless chromium, opened by the host page as CRM_DEAL_DETAIL_TAB
 * through index.html and the real SDK: it paints the deal's stage path, touches, risks and
 * conversion, and the app frame sends at most 5 REST requests to do it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Request } from 'playwright-core'
import { startE2E, type E2E } from './support/env'

let e2e: E2E

beforeAll(async () => {
  e2e = await startE2E({ deals: 300, installed: true })
})

afterAll(async () => {
  await e2e?.stop()
})

/** An open deal with a few stage moves and at least one activity. */
function pickDeal(): { id: number; stages: string[]; activities: number } {
  const dump = e2e.portal.state.dump
  for (const d of dump.deals) {
    if (d.CLOSED !== 'N') continue
    const id = Number(d.ID)
    const own = dump.dealHistory.filter((h) => h.OWNER_ID === id).sort((a, b) => a.ID - b.ID)
    const acts = dump.activities.filter((a) => a.OWNER_TYPE_ID === '2' && a.OWNER_ID === d.ID).length
    if (own.length >= 2 && acts > 0) return { id, stages: own.map((h) => h.STAGE_ID!), activities: Math.min(acts, 50) }
  }
  throw new Error('the generated portal has no open deal with history and activities')
}

describe('deal-card widget', () => {
  it("paints the deal's path, touches, risks and conversion with ≤ 5 REST requests", async () => {
    const deal = pickDeal()
    const host = await e2e.openHost({ placement: 'CRM_DEAL_DETAIL_TAB', deal: deal.id, user: 1 })
    const rest: string[] = []
    host.page.on('request', (req: Request) => {
      if (req.frame() !== host.page.mainFrame() && new URL(req.url()).pathname.startsWith('/rest/'))
        rest.push(new URL(req.url()).pathname)
    })
    const frame = await host.appFrame()
    await frame.waitForSelector('[data-widget="deal-health"] .fw-step', { timeout: 60_000 })

    const steps = await frame.locator('.fw-step').evaluateAll((els) => els.map((e) => e.getAttribute('data-stage')))
    expect(steps).toEqual(deal.stages)
    expect(await frame.locator('.fw-step--current').count()).toBe(1)
    expect(await frame.locator('.fw-touch').count()).toBe(deal.activities)
    expect(await frame.textContent('[data-test="days-since-touch"]')).toMatch(/Last touch|No touches/)
    expect(await frame.locator('[data-risk]').count()).toBeGreaterThan(0)
    expect(await frame.locator('tr[data-row="team"] td').last().innerText()).toMatch(/%|—/)
    expect(rest.length).toBeGreaterThan(0)
    expect(rest.length).toBeLessThanOrEqual(5)
    await host.screenshot('widget-deal-tab')
    await host.close()
  })

  it('speaks the portal language', async () => {
    const deal = pickDeal()
    const host = await e2e.openHost({ placement: 'CRM_DEAL_DETAIL_TAB', deal: deal.id, user: 1, lang: 'ru' })
    const frame = await host.appFrame()
    await frame.waitForSelector('[data-widget="deal-health"] .fw-step', { timeout: 60_000 })
    const headings = await frame.locator('[data-widget="deal-health"] h2').allInnerTexts()
    expect(headings).toEqual(['Путь по этапам против нормы воронки', 'Касания', 'Конверсия (выиграно / закрыто)'])
    await host.close()
  })

  it('says so when the tab has no such deal', async () => {
    const host = await e2e.openHost({ placement: 'CRM_DEAL_DETAIL_TAB', deal: 987654, user: 1 })
    const frame = await host.appFrame()
    const alert = await frame.waitForSelector('[data-widget="deal-health"] [role="alert"]', { timeout: 60_000 })
    expect(await alert.innerText()).toMatch(/Could not load this deal/)
    await host.close()
  })
})
