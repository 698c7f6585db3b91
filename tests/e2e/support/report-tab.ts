/** Opening the report tab of a started E2E on a period with data, and waiting for it to be built. */
import type { Frame } from 'playwright-core'
import type { E2E } from './env'
import type { HostSession } from './host-page'

/**
 * Waits until the report on screen was built for the current filters (data-report-key equals
 * data-query-key), not merely until some report is ready: a "ready" left from before a filter
 * change would let the test read the old figures.
 */
export async function waitForReport(f: Frame, timeout = 60_000): Promise<void> {
  await f.waitForFunction(
    () => {
      const app = document.querySelector('[data-testid="report-app"]')
      return (
        app?.getAttribute('data-report-status') === 'ready' &&
        app.getAttribute('data-report-key') === app.getAttribute('data-query-key')
      )
    },
    undefined,
    { timeout },
  )
}

/**
 * Opens the report tab as user 1 in English, waits for the first sync, and picks the last quarter
 * (it holds enough deals for every section to have rows).
 */
export async function openQuarterReport(e2e: E2E): Promise<{ host: HostSession; frame: Frame }> {
  const host = await e2e.openHost({ placement: 'DEFAULT', user: 1, lang: 'en' })
  await host.waitForApp('[data-testid="synced-deals-count"]', 90_000)
  const frame = await host.appFrame()
  await frame.selectOption('[data-testid="filter-period"]', 'last-quarter')
  await waitForReport(frame)
  return { host, frame }
}
