/**
 * Everything a browser test needs, started once per test file: the app's dev server, a demo
 * portal that serves the host page for it, and headless chromium. `stop()` closes all three
 * (call it in afterAll).
 */
import type { Browser } from 'playwright-core'
import type { RunningPortal } from '../../../src/demo-portal/server'
import { startAppServer, type AppServer } from './app-server'
import { launchBrowser } from './browser'
import { DEFAULT_CLOCK, openHost, type HostOptions, type HostSession } from './host-page'
import { startTestPortal, type TestPortalOptions } from './portal'

export interface E2E {
  app: AppServer
  portal: RunningPortal
  browser: Browser
  /**
   * Opens the host page of this portal in a new browser context, the browser's clock at the end of
   * the portal's history (its `now`, else DEFAULT_CLOCK) unless `opts.clockAt` says otherwise.
   */
  openHost(opts?: HostOptions): Promise<HostSession>
  stop(): Promise<void>
}

export async function startE2E(portalOpts: Omit<TestPortalOptions, 'appUrl'> = {}): Promise<E2E> {
  const started: Array<() => Promise<unknown>> = []
  try {
    const [appStart, browserStart] = await Promise.allSettled([startAppServer(), launchBrowser()])
    if (appStart.status === 'fulfilled') started.push(() => appStart.value.close())
    if (browserStart.status === 'fulfilled') started.push(() => browserStart.value.close())
    if (appStart.status === 'rejected') throw appStart.reason
    if (browserStart.status === 'rejected') throw browserStart.reason
    const app = appStart.value
    const browser = browserStart.value
    const portal = await startTestPortal({ ...portalOpts, appUrl: app.url })
    started.push(() => portal.close())
    return {
      app,
      portal,
      browser,
      openHost: (opts) => openHost(browser, portal.url, { clockAt: portalOpts.now ?? DEFAULT_CLOCK, ...opts }),
      stop: () => stopAll(started),
    }
  } catch (err) {
    await stopAll(started)
    throw err
  }
}

async function stopAll(stops: Array<() => Promise<unknown>>): Promise<void> {
  const results = await Promise.allSettled(stops.reverse().map((stop) => stop()))
  const failed = results.find((r) => r.status === 'rejected')
  if (failed) console.error('e2e teardown:', (failed as PromiseRejectedResult).reason)
}
