/**
 * Issue 13: every placement keeps its Bitrix24 frame exactly as tall as its content, through the
 * SDK's resizeWindow, and stops sending once the content is still. Headless chromium opens each
 * placement through the demo portal's host page (real SDK, real postMessage); the host answers
 * resizeWindow by setting the iframe's height, and its protocol log counts the messages.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Frame } from 'playwright-core'
import { startE2E, type E2E } from './support/env'
import { waitFor, type HostOptions, type HostSession } from './support/host-page'
import { contentInFrame, frameHeight, resizeCount, settleResizes } from './support/frame-fit'

const MAIN_FRAME = 'iframe[data-app-frame="main"]'
/** A few pixels: the host rounds up to whole pixels, the body box may be fractional. */
const TOLERANCE = 3

let e2e: E2E

beforeAll(async () => {
  e2e = await startE2E({ deals: 300, installed: true })
})

afterAll(async () => {
  await e2e?.stop()
})

/** An open deal with the longest stage history: the tallest deal tab. */
function dealWithFullHistory(): number {
  const dump = e2e.portal.state.dump
  const moves = new Map<number, number>()
  for (const h of dump.dealHistory) moves.set(h.OWNER_ID, (moves.get(h.OWNER_ID) ?? 0) + 1)
  const open = dump.deals.filter((d) => d.CLOSED === 'N').map((d) => Number(d.ID))
  return open.sort((a, b) => (moves.get(b) ?? 0) - (moves.get(a) ?? 0))[0]
}

/**
 * Waits for the resize messages to stop, then checks: the frame is as tall as the content, the
 * content does not scroll inside the frame, no height was sent twice in a row, and nothing more
 * is sent while the content stays still.
 */
async function expectFitted(host: HostSession, frame: Frame): Promise<number> {
  const settled = await settleResizes(host)
  expect(settled).toBeGreaterThan(0)
  const content = await contentInFrame(frame)
  const height = await frameHeight(host)
  expect(Math.abs(height - content.body)).toBeLessThanOrEqual(TOLERANCE)
  expect(content.scrolls).toBe(false)

  const heights = (await host.hostLog())
    .filter((e) => e.dir === 'in' && e.command === 'resizeWindow' && e.frame === 'main')
    .map((e) => (e.params as { height: number }).height)
  for (let i = 1; i < heights.length; i++) expect(heights[i]).not.toBe(heights[i - 1])

  // Still content, no messages: another quiet stretch adds none.
  expect(await settleResizes(host, 60)).toBe(settled)

  // No feedback loop: the content's height does not follow the frame's (no vh-sized parts), so
  // a frame the portal made shorter changes nothing and the app sends nothing.
  await host.page.$eval(MAIN_FRAME, (el, h) => ((el as HTMLElement).style.height = `${h}px`), Math.round(height / 2))
  expect(await settleResizes(host)).toBe(settled)
  expect(Math.abs((await contentInFrame(frame)).body - content.body)).toBeLessThanOrEqual(TOLERANCE)
  await host.page.$eval(MAIN_FRAME, (el, h) => ((el as HTMLElement).style.height = `${h}px`), height)
  return height
}

async function open(opts: HostOptions, ready: string): Promise<{ host: HostSession; frame: Frame }> {
  const host = await e2e.openHost({ user: 1, lang: 'en', ...opts })
  await host.waitForApp(ready, 90_000)
  return { host, frame: await host.appFrame() }
}

describe('the frame fits its content (issue 13)', () => {
  it('deal tab: fits after loading, and again when the window narrows', async () => {
    const { host, frame } = await open(
      { placement: 'CRM_DEAL_DETAIL_TAB', deal: dealWithFullHistory() },
      '[data-widget="deal-health"] .fw-step',
    )
    // The conversion table is the last section: the frame must show it without inner scrolling.
    await frame.waitForSelector('tr[data-row="team"]')
    const wide = await expectFitted(host, frame)
    expect(wide).not.toBe(600) // the height the host page gives a frame before any resizeWindow
    await host.screenshot('frame-fit-deal-tab')

    await host.page.setViewportSize({ width: 560, height: 900 })
    await waitFor(
      'the frame to grow for the wrapped content',
      () => frameHeight(host),
      (h) => h > wide + TOLERANCE,
    )
    await expectFitted(host, frame)
    await host.screenshot('frame-fit-deal-tab-narrow')
    await host.close()
  })

  it('report: fits the loaded overview', async () => {
    const { host, frame } = await open({ placement: 'DEFAULT' }, '[data-testid="synced-deals-count"]')
    await frame.waitForSelector('[data-testid="report-app"][data-report-status="ready"]', { timeout: 60_000 })
    await expectFitted(host, frame)
    await host.close()
  })

  it('install wizard (install.html and index.html in install mode): fits the settings form', async () => {
    for (const appPath of ['/install.html', undefined]) {
      const { host, frame } = await open({ install: true, appPath }, 'button[data-action="install"]')
      await expectFitted(host, frame)
      await host.close()
    }
  })

  it('settings, budget and plan views: fit each, and follow a tab switch', async () => {
    for (const view of ['settings', 'budget', 'plan'] as const) {
      const { host, frame } = await open({ appPath: `/?view=${view}` }, `[data-app="install"] [data-tab="${view}"]`)
      if (view !== 'settings') await frame.waitForSelector('[data-app="install"] input[data-cell]', { timeout: 30_000 })
      const first = await expectFitted(host, frame)
      if (view === 'settings') {
        const before = await resizeCount(host)
        await frame.click('[data-app="install"] [data-tab="budget"]')
        await frame.waitForSelector('[data-app="install"] input[data-cell]', { timeout: 30_000 })
        const after = await expectFitted(host, frame)
        // The budget grid is not as tall as the settings form: the frame followed it.
        expect(after).not.toBe(first)
        expect(await resizeCount(host)).toBeGreaterThan(before)
      }
      await host.close()
    }
  })
})
