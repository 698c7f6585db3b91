/**
 * Deal-card widget speed on a full-size demo portal (20,000 deals, default generator):
 * 1. the data path in Node through the real SDK over HTTP — requests and ms per deal card
 *    (two batch requests: the deal, its history and touches; then the pipeline sample);
 * 2. first paint in headless chromium through the host page — ms from the frame's navigation
 *    start to the painted widget, and the REST requests the frame sent — for the production
 *    build (`vite build` into a temp folder, served as static files, as Bitrix24 serves the
 *    zip) and, for comparison, for Vite's dev server (the e2e harness; on-demand transforms).
 * Run: npx tsx tests/bench/widget.ts  (or `npm run bench -- widget`).
 */
import { createReadStream, mkdtempSync, rmSync, statSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { extname, join, normalize } from 'node:path'
import type { Browser, Request } from 'playwright-core'
import { build } from 'vite'
import { hostRoutes } from '../../src/demo-portal/host/routes'
import { launchBrowser } from '../e2e/support/browser'
import { openHost } from '../e2e/support/host-page'
import { REPO_ROOT } from '../e2e/support/app-server'
import { connectToken } from '../../src/b24/connect'
import { loadDealCard } from '../../src/b24/deal-card-loader'
import { dealCard } from '../../src/engine/deal-card'
import { generatePortal } from '../../src/demo-portal/generator'
import { startPortal } from '../../src/demo-portal/server'
import { startE2E } from '../e2e/support/env'

const DEALS = 20_000
const CARDS = 20

function stats(samples: number[]): string {
  const s = [...samples].sort((a, b) => a - b)
  const at = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))]
  return `median ${at(0.5).toFixed(0)} ms, p90 ${at(0.9).toFixed(0)} ms, max ${s[s.length - 1].toFixed(0)} ms (n=${s.length})`
}

async function nodeDataPath(): Promise<void> {
  const t0 = performance.now()
  const dump = generatePortal({ seed: 42, deals: DEALS })
  // The real cloud pacing (2 requests/s, burst 50): the widget's few requests never wait.
  const portal = await startPortal({ dump, admins: [1] })
  console.log(
    `portal: ${dump.deals.length} deals, ${dump.dealHistory.length} history rows, ${dump.activities.length} activities (up in ${(performance.now() - t0).toFixed(0)} ms)`,
  )
  try {
    const client = await connectToken(portal.url, { accessToken: portal.issueToken(1).accessToken })
    const open = dump.deals
      .filter((d) => d.CLOSED === 'N')
      .slice(0, CARDS)
      .map((d) => Number(d.ID))
    const load: number[] = []
    const compute: number[] = []
    const requests: number[] = []
    for (const id of open) {
      const before = client.requests
      const a = performance.now()
      const data = await loadDealCard(client, id)
      const b = performance.now()
      dealCard(data)
      compute.push(performance.now() - b)
      load.push(b - a)
      requests.push(client.requests - before)
    }
    console.log(
      `data path (Node, SDK over HTTP): ${stats(load)}; requests per card: ${[...new Set(requests)].join(', ')}`,
    )
    console.log(`norms + risks (engine):          ${stats(compute)}`)
  } finally {
    await portal.close()
  }
}

const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
}

/** Serves a built app folder the way Bitrix24 serves an uploaded static app: plain files. */
async function serveStatic(dir: string): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(
      /^(\.\.[/\\])+/,
      '',
    )
    const file = join(dir, path.endsWith('/') ? `${path}index.html` : path)
    try {
      if (!file.startsWith(dir) || !statSync(file).isFile()) throw new Error('not a file')
    } catch {
      res.writeHead(404).end()
      return
    }
    res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' })
    createReadStream(file).pipe(res)
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const port = (server.address() as AddressInfo).port
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((r) => server.close(() => r())) }
}

async function paints(browser: Browser, portalUrl: string, dealIds: number[], label: string): Promise<void> {
  const times: number[] = []
  for (const [i, id] of dealIds.entries()) {
    const host = await openHost(browser, portalUrl, {
      placement: 'CRM_DEAL_DETAIL_TAB',
      deal: id,
      user: 1,
      clockAt: null,
    })
    const rest: string[] = []
    host.page.on('request', (req: Request) => {
      if (req.frame() !== host.page.mainFrame() && new URL(req.url()).pathname.startsWith('/rest/'))
        rest.push(new URL(req.url()).pathname)
    })
    const frame = await host.appFrame()
    await frame.waitForSelector('[data-widget="deal-health"] .fw-step', { timeout: 120_000 })
    const ms = await frame.evaluate(() => performance.getEntriesByName('fl-deal-tab-painted')[0]?.startTime ?? NaN)
    console.log(
      `  ${label} deal ${id}: first paint ${ms.toFixed(0)} ms after the frame started, ${rest.length} REST requests${i === 0 ? ' (cold)' : ''}`,
    )
    if (i > 0) times.push(ms)
    await host.close()
  }
  console.log(`first paint in chromium, ${label} (warm): ${stats(times)}`)
}

async function browserFirstPaint(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'fl-widget-bench-'))
  await build({
    configFile: join(REPO_ROOT, 'vite.config.ts'),
    root: REPO_ROOT,
    logLevel: 'warn',
    build: { outDir: dir, emptyOutDir: true },
  })
  const app = await serveStatic(dir)
  const dump = generatePortal({ seed: 42, deals: DEALS })
  const portal = await startPortal({ dump, admins: [1], installed: true, extraRoutes: hostRoutes({ appUrl: app.url }) })
  const browser = await launchBrowser()
  const ids = dump.deals
    .filter((d) => d.CLOSED === 'N')
    .slice(0, 6)
    .map((d) => Number(d.ID))
  try {
    await paints(browser, portal.url, ids, 'built app')
  } finally {
    await browser.close()
    await portal.close()
    await app.close()
    rmSync(dir, { recursive: true, force: true })
  }
  const e2e = await startE2E({ deals: DEALS, installed: true })
  try {
    const devIds = e2e.portal.state.dump.deals
      .filter((d) => d.CLOSED === 'N')
      .slice(0, 4)
      .map((d) => Number(d.ID))
    await paints(e2e.browser, e2e.portal.url, devIds, 'dev server')
  } finally {
    await e2e.stop()
  }
}

export async function run(): Promise<void> {
  await nodeDataPath()
  await browserFirstPaint()
}

if (import.meta.url === `file://${process.argv[1]}`) await run()
