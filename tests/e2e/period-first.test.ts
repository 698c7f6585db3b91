/**
 * Issue 11.1, end to end: on a cold open the report is drawn from the selected period's rows
 * while the older history still loads. The test holds every backfill request (a batch asking
 * for rows before the split date, `<DATE_MODIFY`, `<CREATED_TIME`…) until it has looked at the
 * partial screen — no timing involved — then lets them through and checks the complete report.
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

/** Holds the backfill's batch requests until `release()`. */
function holdBackfill() {
  const held: Route[] = []
  let released = false
  return {
    held,
    install: async (context: BrowserContext) => {
      await context.route('**/rest/**', async (route) => {
        const body = route.request().postData() ?? ''
        if (!released && OLDER.test(decoded(body) + decoded(route.request().url()))) held.push(route)
        else await route.continue()
      })
    },
    release: async () => {
      released = true
      for (const r of held.splice(0)) await r.continue()
    },
  }
}

describe('period first on a cold open', () => {
  it(
    'shows the period from its own rows, says what is still loading, then completes',
    { timeout: 240_000 },
    async () => {
      const gate = holdBackfill()
      const host = await e2e.openHost({ placement: 'DEFAULT', user: 1, beforeOpen: gate.install })
      try {
        await host.waitForApp('[data-testid="sync-partial"]', 90_000)
        const frame = await host.appFrame()
        await frame.waitForSelector('.apexcharts-canvas', { timeout: 60_000 })
        expect(gate.held.length).toBeGreaterThan(0) // the backfill is really waiting
        expect(await frame.textContent('[data-testid="sync-progress-label"]')).toContain('older history')
        expect(await frame.textContent('[data-testid="sync-pending"]')).toContain('deals')
        await frame.waitForSelector('[data-testid="report-app"][data-report-status="ready"]', { timeout: 60_000 })
        const kpi = '[data-testid="kpi-dealsCreated"] [data-testid="kpi-value"]'
        const createdEarly = (await frame.textContent(kpi))?.trim()
        expect(createdEarly).toMatch(/\d/)
        expect(await frame.locator('[data-testid="backfill-pending"]').count()).toBeGreaterThan(0) // clients
        await host.screenshot('period-first-overview')
        await frame.click('[data-testid="tab-forecast"]')
        await frame.waitForSelector('[data-testid="page-forecast"] [data-testid="backfill-pending"]')
        await host.screenshot('period-first-forecast')

        await gate.release()
        await frame.waitForSelector('[data-testid="synced-deals-count"]', { timeout: 90_000 })
        expect(await frame.textContent('[data-testid="synced-deals-count"]')).toContain('300')
        expect(await frame.locator('[data-testid="backfill-pending"]').count()).toBe(0)
        expect(await frame.locator('[data-testid="sync-partial"]').count()).toBe(0)
        // The period's own figures were right from the start: the backfill adds only older rows.
        await frame.click('[data-testid="tab-overview"]')
        await frame.waitForSelector('[data-testid="report-app"][data-report-status="ready"]', { timeout: 60_000 })
        expect((await frame.textContent(kpi))?.trim()).toBe(createdEarly)
      } finally {
        await gate.release()
        await host.close()
      }
    },
  )
})
