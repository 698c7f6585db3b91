/**
 * Issue 11.1, end to end: on a cold open the report is drawn from the selected period's deals
 * while the period's touches and the older history still load. The test holds the period's
 * touch requests (a batch asking for activities, tasks or calls since the split date,
 * `>=LAST_UPDATED`…) and every backfill request (rows before it, `<DATE_MODIFY`…) until it has
 * looked at the screen — no timing involved — then lets the touches through, looks again, then
 * the backfill, and checks the complete report.
 */
import type { BrowserContext, Route } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startE2E, type E2E } from './support/env'

let e2e: E2E

beforeAll(async () => {
  e2e = await startE2E({ deals: 300 })
})

afterAll(async () => {
  await e2e?.stop()
})

const OLDER = /[<](DATE_MODIFY|CREATED_TIME|LAST_UPDATED|CHANGED_DATE|CALL_START_DATE)\b/
/** The period's touch tables (stage B): activities, tasks and calls since the split date. */
const PERIOD_TOUCHES = />=(LAST_UPDATED|CHANGED_DATE|CALL_START_DATE)\b/

function decoded(body: string): string {
  let text = body
  for (let i = 0; i < 3; i++) {
    try {
      text = decodeURIComponent(text)
    } catch {
      break
    }
  }
  return text
}

/** Holds the batch requests whose text matches `pattern` until `release()`. */
function hold(pattern: RegExp) {
  const held: Route[] = []
  let released = false
  return {
    held,
    /** Whether this request is held (then it is queued here). */
    take: (route: Route, text: string) => {
      if (released || !pattern.test(text)) return false
      held.push(route)
      return true
    },
    release: async () => {
      released = true
      for (const r of held.splice(0)) await r.continue()
    },
  }
}

/** One route for the REST calls: the gates, in order, then the portal. */
async function gateRest(context: BrowserContext, gates: ReturnType<typeof hold>[]): Promise<void> {
  await context.route('**/rest/**', async (route) => {
    const text = decoded(route.request().postData() ?? '') + decoded(route.request().url())
    if (!gates.some((g) => g.take(route, text))) await route.continue()
  })
}

describe('period first on a cold open', () => {
  it(
    'shows the period from its deals, then its touches, says what is still loading, then completes',
    { timeout: 240_000 },
    async () => {
      const touches = hold(PERIOD_TOUCHES)
      const backfill = hold(OLDER)
      const host = await e2e.openHost({
        placement: 'DEFAULT',
        user: 1,
        beforeOpen: (context) => gateRest(context, [touches, backfill]),
      })
      try {
        await host.waitForApp('[data-testid="sync-partial"]', 90_000)
        const frame = await host.appFrame()
        await frame.waitForSelector('.apexcharts-canvas', { timeout: 60_000 })
        // Stage A on screen: stage B starts once it is drawn; its touches really wait, the
        // backfill is not asked for yet.
        await expect.poll(() => touches.held.length, { timeout: 60_000 }).toBeGreaterThan(0)
        expect(backfill.held.length).toBe(0)
        expect(await frame.textContent('[data-testid="sync-progress-label"]')).toContain(
          'the rest of the selected period',
        )
        expect(await frame.textContent('[data-testid="sync-partial"]')).toContain('some of its figures')
        expect(await frame.textContent('[data-testid="sync-pending"]')).toContain('activities')
        await frame.waitForSelector('[data-testid="report-app"][data-report-status="ready"]', { timeout: 60_000 })
        const kpi = '[data-testid="kpi-dealsCreated"] [data-testid="kpi-value"]'
        const createdEarly = (await frame.textContent(kpi))?.trim()
        expect(createdEarly).toMatch(/\d/)
        await frame.click('[data-testid="tab-touches"]')
        await frame.waitForSelector('[data-testid="page-touches"] [data-testid="period-pending"]')
        expect(await frame.locator('[data-testid="kpi-touches-withTouches"]').count()).toBe(0)
        await host.screenshot('period-first-touches-pending')

        // Stage B: the touches come in and the page shows their figures; the backfill still waits.
        await touches.release()
        const withTouches = '[data-testid="kpi-touches-withTouches"] [data-testid="kpi-value"]'
        await frame.waitForSelector(withTouches, { timeout: 60_000 })
        expect(Number((await frame.textContent(withTouches))?.replace(/\D/g, ''))).toBeGreaterThan(0)
        expect(await frame.locator('[data-testid="period-pending"]').count()).toBe(0)
        // The backfill starts once the whole period is drawn, and waits.
        await expect.poll(() => backfill.held.length, { timeout: 60_000 }).toBeGreaterThan(0)
        await frame.waitForSelector('[data-testid="sync-progress-label"]:has-text("older history")')
        expect(await frame.textContent('[data-testid="sync-pending"]')).toContain('deals')
        await frame.click('[data-testid="tab-overview"]')
        await frame.waitForSelector('[data-testid="report-app"][data-report-status="ready"]', { timeout: 60_000 })
        expect(await frame.locator('[data-testid="backfill-pending"]').count()).toBeGreaterThan(0) // clients
        await host.screenshot('period-first-overview')
        await frame.click('[data-testid="tab-forecast"]')
        await frame.waitForSelector('[data-testid="page-forecast"] [data-testid="backfill-pending"]')
        await host.screenshot('period-first-forecast')

        await backfill.release()
        await frame.waitForSelector('[data-testid="synced-deals-count"]', { timeout: 90_000 })
        expect(await frame.textContent('[data-testid="synced-deals-count"]')).toContain('300')
        expect(await frame.locator('[data-testid="backfill-pending"]').count()).toBe(0)
        expect(await frame.locator('[data-testid="sync-partial"]').count()).toBe(0)
        // The period's own figures were right from the start: the backfill adds only older rows.
        await frame.click('[data-testid="tab-overview"]')
        await frame.waitForSelector('[data-testid="report-app"][data-report-status="ready"]', { timeout: 60_000 })
        expect((await frame.textContent(kpi))?.trim()).toBe(createdEarly)
      } finally {
        await touches.release()
        await backfill.release()
        await host.close()
      }
    },
  )
})
