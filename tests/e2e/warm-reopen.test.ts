/**
 * Issue 4, end to end: a warm reopen of the report. The last report is saved per portal user
 * and shown before any data is read; a delta that changed nothing does not post the data to
 * the engine's worker again; a change still reaches the screen; another user of the same
 * browser never sees the first user's saved report.
 *
 * Observed through the app's performance marks (the same the report-render bench prints):
 * fl:snapshot-saved / fl:snapshot-shown, fl:engine-load (one per post of CrmData to the
 * worker), fl:engine-patch (one per delta sent as a patch), fl:worker-loaded-N.
 */
import type { Frame } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startE2E, type E2E } from './support/env'
import { hostUrl, type HostSession } from './support/host-page'

const RESTRICTED_USER = 7
let e2e: E2E

beforeAll(async () => {
  e2e = await startE2E({ deals: 300, ownDealsOnly: [RESTRICTED_USER] })
})

afterAll(async () => {
  await e2e?.stop()
})

type Marks = Array<{ name: string; at: number }>

async function marks(frame: Frame): Promise<Marks> {
  return frame.evaluate(() =>
    performance
      .getEntriesByType('mark')
      .filter((m) => m.name.startsWith('fl:'))
      .map((m) => ({ name: m.name, at: m.startTime })),
  )
}

const count = (list: Marks, name: string) => list.filter((m) => m.name === name).length
const at = (list: Marks, name: string) => list.find((m) => m.name === name)?.at ?? Number.NaN

/** Waits until the sync is done, the report is fresh and saved for the next visit. */
async function settled(host: HostSession): Promise<Frame> {
  await host.waitForApp('[data-testid="synced-deals-count"]', 90_000)
  const frame = await host.appFrame()
  await frame.waitForSelector('[data-testid="report-app"][data-report-status="ready"]', { timeout: 60_000 })
  await frame.waitForFunction(() => performance.getEntriesByName('fl:snapshot-saved').length > 0, undefined, {
    timeout: 20_000,
  })
  return frame
}

async function reopen(host: HostSession): Promise<Frame> {
  const frame = await host.appFrame()
  const url = frame.url()
  await frame.goto('about:blank')
  await frame.goto(url)
  return settled(host)
}

async function dealsShown(frame: Frame): Promise<number> {
  return Number(((await frame.textContent('[data-testid="synced-deals-count"]')) ?? '').replace(/\D/g, ''))
}

describe('warm reopen of the report', () => {
  it(
    'shows the saved report first, posts unchanged data once, picks up a change, and keeps users apart',
    { timeout: 240_000 },
    async () => {
      const host = await e2e.openHost({ placement: 'DEFAULT', user: 1, clockAt: null }) // reads fl:* marks
      try {
        // First visit: nothing saved yet, so no saved report is shown.
        const first = await settled(host)
        expect(count(await marks(first), 'fl:snapshot-shown')).toBe(0)
        const total = await dealsShown(first)
        expect(total).toBe(300)

        // Reopen with nothing changed on the portal.
        const warm = await reopen(host)
        const m = await marks(warm)
        expect(count(m, 'fl:snapshot-shown')).toBe(1)
        expect(at(m, 'fl:snapshot-shown')).toBeLessThan(at(m, 'fl:worker-loaded-1'))
        expect(count(m, 'fl:engine-load')).toBe(1) // the cached data only; the delta changed nothing
        expect(await warm.locator('[data-testid="report-cached"]').count()).toBe(0) // replaced by fresh figures
        expect(await dealsShown(warm)).toBe(total)

        // A deal added and one deleted on the portal: the reopen sends the delta to the engine's
        // worker as a patch (not the whole data again) and shows the fresh figures.
        e2e.portal.mutate.addDeal({
          TITLE: 'Fresh deal',
          CATEGORY_ID: '0',
          STAGE_ID: 'NEW',
          STAGE_SEMANTIC_ID: 'P',
          ASSIGNED_BY_ID: '1',
          OPPORTUNITY: '10.00',
          CURRENCY_ID: 'RUB',
          CLOSED: 'N',
        })
        e2e.portal.mutate.addDeal({
          TITLE: 'Second fresh deal',
          CATEGORY_ID: '0',
          STAGE_ID: 'NEW',
          STAGE_SEMANTIC_ID: 'P',
          ASSIGNED_BY_ID: '1',
          OPPORTUNITY: '20.00',
          CURRENCY_ID: 'RUB',
          CLOSED: 'N',
        })
        e2e.portal.mutate.deleteDeal(9)
        const changed = await reopen(host)
        const changedMarks = await marks(changed)
        expect(count(changedMarks, 'fl:engine-load')).toBe(1) // the cached data
        expect(count(changedMarks, 'fl:engine-patch')).toBe(1) // the delta
        expect(await dealsShown(changed)).toBe(total + 1)

        // Another user in the same browser: their own database, so no saved report of user 1.
        await host.page.goto(hostUrl(e2e.portal.url, { placement: 'DEFAULT', user: RESTRICTED_USER }))
        const other = await settled(host)
        expect(count(await marks(other), 'fl:snapshot-shown')).toBe(0)
        expect(await dealsShown(other)).toBeLessThan(total)
      } finally {
        await host.close()
      }
    },
  )
})
