/**
 * Opens the demo portal's host page in a fresh browser context and gives tests the app frame,
 * the host's protocol log, waits and screenshots. On a failed test it prints the protocol log,
 * the browser console and failed requests, and saves a screenshot, so a red run explains itself.
 */
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, BrowserContext, Frame, Locator, Page } from 'playwright-core'
import { onTestFailed } from 'vitest'
import { REPO_ROOT } from './app-server'
import { DEFAULT_NOW } from '../../../src/demo-portal/generator'

export const SCREENSHOT_DIR = join(REPO_ROOT, 'test-output', 'screenshots')

/**
 * "Today" for every page a test opens unless it sets `clockAt`: the end of the generated history
 * (the generator's pinned now). The report's default period is the last 30 whole days before the
 * browser's today, so on the real date the tests would open on empty periods once the pinned
 * history is more than a month old.
 */
export const DEFAULT_CLOCK = DEFAULT_NOW

/** One line of the host page's `window.__hostLog` (src/demo-portal/host/host.js). */
export interface HostLogEntry {
  at: number
  dir: 'in' | 'out' | 'host' | 'drop'
  frame?: string
  command?: string
  key?: string
  params?: unknown
  payload?: unknown
  reason?: string
  error?: string
}

export interface HostOptions {
  placement?: 'DEFAULT' | 'CRM_ANALYTICS_MENU' | 'CRM_DEAL_DETAIL_TAB'
  deal?: number
  user?: number
  lang?: 'ru' | 'en' | 'uk'
  /** true: install mode; false: normal mode; absent: the host decides (installer while an admin has not finished install). */
  install?: boolean
  /** Another page of the app server to frame, e.g. the SDK probe fixture. */
  appPath?: string
  /**
   * The browser's clock (host page and app frame) starts here and runs on: "today" for the app.
   * Default DEFAULT_CLOCK (startE2E: the portal's `now`); never the machine's date. `null`: the real
   * clock, for pages whose `fl:*` performance marks are read (warm-reopen, the benches): Playwright's
   * fake clock replaces `performance`, and its getEntries* always answer [].
   */
  clockAt?: string | null
  /** Runs on the new browser context before the host page opens (e.g. `context.route` to hold requests). */
  beforeOpen?: (context: BrowserContext) => Promise<void>
}

export interface HostSession {
  page: Page
  context: BrowserContext
  url: string
  /** Browser console lines, page errors and failed requests, in order. */
  console: string[]
  /** The main app frame (re-resolved each call: the host re-creates it after install). */
  appFrame(): Promise<Frame>
  hostLog(): Promise<HostLogEntry[]>
  /**
   * Waits for `selector` to be visible in the app frame. Fails early, with the reason, when the
   * app shows its fatal error or the app server could not serve one of its modules.
   */
  waitForApp(selector: string, timeoutMs?: number): Promise<Locator>
  /** Waits until the host log has an entry matching `match`, and returns it. */
  waitForLog(
    match: Partial<Pick<HostLogEntry, 'dir' | 'command' | 'frame'>>,
    timeoutMs?: number,
    after?: number,
  ): Promise<HostLogEntry>
  screenshot(name: string): Promise<string>
  close(): Promise<void>
}

export function hostUrl(portalOrigin: string, opts: HostOptions = {}): string {
  const q = new URLSearchParams()
  q.set('placement', opts.placement ?? 'DEFAULT')
  if (opts.deal !== undefined) q.set('deal', String(opts.deal))
  q.set('user', String(opts.user ?? 1))
  q.set('lang', opts.lang ?? 'en')
  if (opts.install !== undefined) q.set('install', opts.install ? '1' : '0')
  if (opts.appPath) q.set('appPath', opts.appPath)
  return `${portalOrigin}/host.html?${q}`
}

export async function openHost(browser: Browser, portalOrigin: string, opts: HostOptions = {}): Promise<HostSession> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 } })
  await opts.beforeOpen?.(context)
  const page = await context.newPage()
  const consoleLines: string[] = []
  page.on('console', (m) =>
    consoleLines.push(`[${m.type()}] ${m.location().url.startsWith(portalOrigin) ? '(host)' : '(app)'} ${m.text()}`),
  )
  page.on('pageerror', (e) => consoleLines.push(`[pageerror] ${e.message}`))
  page.on('requestfailed', (r) =>
    consoleLines.push(`[requestfailed] ${r.method()} ${r.url()} ${r.failure()?.errorText ?? ''}`),
  )
  page.on('response', (r) => {
    if (r.status() >= 400) consoleLines.push(`[http ${r.status()}] ${r.request().method()} ${r.url()}`)
  })

  const url = hostUrl(portalOrigin, opts)
  const session: HostSession = {
    page,
    context,
    url,
    console: consoleLines,
    async appFrame() {
      const handle = await page.waitForSelector('iframe[data-app-frame="main"]', { state: 'attached', timeout: 15_000 })
      const frame = await handle.contentFrame()
      if (!frame) throw new Error('the app iframe has no frame')
      return frame
    },
    hostLog: () => readHostLog(page),
    async waitForApp(selector, timeoutMs = 90_000) {
      const deadline = Date.now() + timeoutMs
      for (;;) {
        const frame = await session.appFrame()
        const target = frame.locator(selector).first()
        if (await target.isVisible().catch(() => false)) return target
        const fatal = frame.locator('[data-testid="fatal-error"]').first()
        if (await fatal.isVisible().catch(() => false)) {
          throw new Error(`the app shows a fatal error instead of ${selector}: ${await fatal.textContent()}`)
        }
        const appOrigin = new URL(frame.url()).origin
        const broken = consoleLines.find((l) => /^\[http 5\d\d\] GET /.test(l) && l.includes(appOrigin))
        if (broken) throw new Error(`the app server failed to serve a module, so ${selector} cannot appear: ${broken}`)
        if (Date.now() > deadline) throw new Error(`${selector} did not appear in the app frame within ${timeoutMs} ms`)
        await page.waitForTimeout(250)
      }
    },
    async waitForLog(match, timeoutMs = 20_000, after = -1) {
      const deadline = Date.now() + timeoutMs
      for (;;) {
        const hit = (await readHostLog(page)).find(
          (e) => e.at > after && Object.entries(match).every(([k, v]) => e[k as keyof HostLogEntry] === v),
        )
        if (hit) return hit
        if (Date.now() > deadline) throw new Error(`host log has no ${JSON.stringify(match)} after ${timeoutMs} ms`)
        await page.waitForTimeout(50)
      }
    },
    screenshot: (name) => screenshot(page, name),
    close: () => context.close(),
  }

  whenTestFails(async ({ task }) => {
    const shot = await screenshot(page, `FAILED-${task.name}`).catch(() => '(no screenshot)')
    const log = await readHostLog(page).catch(() => [])
    console.error(
      [
        `--- e2e failure: ${task.name}`,
        `host page: ${url}`,
        `screenshot: ${shot}`,
        '--- host protocol log (window.__hostLog):',
        ...log.map(formatLogEntry),
        '--- browser console:',
        ...consoleLines.slice(-80),
        '---',
      ].join('\n'),
    )
  })

  if (opts.clockAt !== null) await page.clock.install({ time: opts.clockAt ?? DEFAULT_CLOCK })
  await page.goto(url)
  return session
}

/** onTestFailed, or nothing when called outside a running test (a script reusing the harness). */
function whenTestFails(report: Parameters<typeof onTestFailed>[0]): void {
  try {
    onTestFailed(report)
  } catch {
    // not inside a test
  }
}

async function readHostLog(page: Page): Promise<HostLogEntry[]> {
  return page.evaluate(() => (window as unknown as { __hostLog?: HostLogEntry[] }).__hostLog ?? [])
}

export function formatLogEntry(e: HostLogEntry): string {
  const body = e.error ?? e.reason ?? JSON.stringify(e.params ?? e.payload ?? '')
  return `${String(e.at).padStart(6)}ms ${e.dir.padEnd(4)} ${(e.frame ?? '').padEnd(8)} ${e.command ?? ''} ${body.slice(0, 300)}`
}

async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true })
  const file = join(SCREENSHOT_DIR, `${name.replace(/[^\w.-]+/g, '_').slice(0, 100)}.png`)
  await page.screenshot({ path: file, fullPage: true })
  return file
}

/** Polls `read` until `accept` holds; the error names what was awaited and the last value seen. */
export async function waitFor<T>(
  what: string,
  read: () => Promise<T>,
  accept: (v: T) => boolean,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  let last: T | undefined
  let lastError: unknown
  for (;;) {
    try {
      last = await read()
      if (accept(last)) return last
    } catch (err) {
      lastError = err
    }
    if (Date.now() > deadline) {
      const seen = lastError ? `error ${String(lastError)}` : `last value ${JSON.stringify(last)}`
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (${seen})`)
    }
    await new Promise((r) => setTimeout(r, 100))
  }
}
