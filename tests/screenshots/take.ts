/**
 * `npm run screenshots`: the README's pictures, taken the way the browser tests open the app —
 * a generated demo portal serving the host page, the app on Vite's dev server, headless Debian
 * chromium (tests/e2e/support). Seed, deal count and the browser's clock are pinned, so a re-run
 * on the same code draws the same figures. Writes docs/screenshots/<name>.png (1280×800, the
 * visible part of the host page: the Bitrix24 chrome around the app).
 *
 * Run alone: the machine is shared, and this starts a portal, Vite and chromium (~1–3 min).
 */
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Frame } from 'playwright-core'
import { connectToken } from '../../src/b24/connect'
import { budgetKey, planKey, type RecordValues } from '../../src/b24/input-cells'
import { BUDGET_STORAGE, PLAN_STORAGE, ensureStorages, readStorage, saveEdits } from '../../src/b24/storage'
import type { PortalDump } from '../../src/b24/wire'
import { REPO_ROOT } from '../e2e/support/app-server'
import { startE2E, type E2E } from '../e2e/support/env'
import type { HostSession } from '../e2e/support/host-page'

export const SHOT_DIR = join(REPO_ROOT, 'docs', 'screenshots')
const VIEWPORT = { width: 1280, height: 800 }
/** Small enough for a shared 2-core machine, large enough that every page has rows. */
const DEALS = 3000
const SEED = 20261123
/** The report's period is the last quarter before the pinned clock (2026-11-20), Jul–Sep 2026. */
const QUARTER_MONTHS = ['2026-07', '2026-08', '2026-09']
/** Budgets cover the comparison quarter too, so spend and ROI have a previous value. */
const BUDGET_MONTHS = ['2026-04', '2026-05', '2026-06', ...QUARTER_MONTHS]

/** Report pages in the README's order: tab id → file name. */
const REPORT_PAGES: [tab: string, file: string][] = [
  ['overview', 'overview'],
  ['funnels', 'funnels'],
  ['consultations', 'consultations'],
  ['churn', 'churn'],
  ['sources', 'sources'],
  ['managers', 'managers'],
  ['time', 'time'],
  ['touches', 'touches'],
  ['loss', 'loss-reasons'],
  ['forecast', 'forecast'],
]

/**
 * Writes the visible 1280×800 of the host page. `from` scrolls the host page so that element of the
 * app frame sits at the top (the report's page tabs: each page's own content, not the filter bar again).
 */
async function shoot(host: HostSession, name: string, from?: string): Promise<void> {
  // The portal's random port would change the picture on every run.
  await host.page.evaluate(() => {
    document.getElementById('portal-name')!.textContent = 'demo portal'
  })
  await host.page.evaluate(() => window.scrollTo(0, 0))
  let y = 0
  if (from) {
    // Relative to the host page's viewport, which now sits at the top.
    const box = await (await host.appFrame()).locator(from).first().boundingBox()
    if (box) y = Math.max(0, Math.round(box.y - 8))
  }
  await host.page.evaluate((top) => window.scrollTo(0, top), y)
  const file = join(SHOT_DIR, `${name}.png`)
  // No hover under a parked pointer, no transition caught half-way: the same picture every run.
  await host.page.mouse.move(0, 0)
  await host.page.screenshot({ path: file, animations: 'disabled' })
  console.log(`wrote ${file}`)
}

async function open(e2e: E2E, opts: Parameters<E2E['openHost']>[0]): Promise<HostSession> {
  const host = await e2e.openHost({ user: 1, lang: 'en', ...opts })
  await host.page.setViewportSize(VIEWPORT)
  return host
}

/** Ad budgets for the paid channels and plans for the leading managers, so ROI and plan figures are not empty. */
async function seedInputs(e2e: E2E): Promise<void> {
  const portal = e2e.portal
  const client = await connectToken(portal.url, {
    accessToken: portal.issueToken(1).accessToken,
    restriction: { burstLimit: 1000, drainRate: 1000 },
  })
  await ensureStorages(client)
  const budgets = new Map<string, RecordValues | null>()
  const spend: Record<string, number> = {
    YANDEX_DIRECT: 100_000,
    GOOGLE_ADS: 60_000,
    SOCIAL: 40_000,
    STREET_ADS: 25_000,
  }
  for (const [source, amount] of Object.entries(spend))
    BUDGET_MONTHS.forEach((m, i) =>
      budgets.set(budgetKey(source, null, m), { amount: String(amount + i * 5_000), currency: 'RUB' }),
    )
  const plans = new Map<string, RecordValues | null>()
  for (const [userId, monthly] of monthlyWins(portal.state.dump))
    for (const m of QUARTER_MONTHS)
      plans.set(planKey(userId, m), {
        amount: String(Math.ceil((monthly * 1.1) / 10_000) * 10_000),
        deals: '2',
        currency: 'RUB',
      })
  const currencies = new Set(['RUB', 'USD'])
  for (const [spec, edits] of [
    [BUDGET_STORAGE, budgets],
    [PLAN_STORAGE, plans],
  ] as const) {
    const out = await saveEdits(client, spec, await readStorage(client, spec), edits, currencies)
    if (out.saved.length !== edits.size)
      throw new Error(`seeding ${spec.entity}: saved ${out.saved.length} of ${edits.size}`)
  }
}

/**
 * The twelve managers with the most won revenue in the quarter (RUB deals), each with a third of it
 * plus a tenth as the monthly plan: plans a sales director would recognise, neither met nor absurd.
 */
function monthlyWins(dump: PortalDump): Map<number, number> {
  const sums = new Map<number, number>()
  for (const d of dump.deals) {
    if (d.STAGE_SEMANTIC_ID !== 'S' || d.CURRENCY_ID !== 'RUB') continue
    const closed = String(d.CLOSEDATE ?? '')
    if (closed < QUARTER_MONTHS[0] || closed >= '2026-10') continue
    const user = Number(d.ASSIGNED_BY_ID)
    sums.set(user, (sums.get(user) ?? 0) + Number(d.OPPORTUNITY ?? 0) / QUARTER_MONTHS.length)
  }
  return new Map([...sums].sort((a, b) => b[1] - a[1]).slice(0, 12))
}

async function reportPages(e2e: E2E): Promise<void> {
  const host = await open(e2e, { placement: 'DEFAULT' })
  await host.waitForApp('[data-testid="synced-deals-count"]', 120_000)
  const frame = await host.appFrame()
  await frame.selectOption('[data-testid="filter-period"]', 'last-quarter')
  await waitReady(frame)
  for (const [tab, file] of REPORT_PAGES) {
    await frame.click(`[data-testid="tab-${tab}"]`)
    await frame.waitForSelector(`[data-testid="page-${tab}"]`, { timeout: 30_000 })
    await waitReady(frame)
    await frame.waitForSelector('.apexcharts-canvas', { timeout: 30_000 }).catch(() => undefined)
    await settle(host)
    await shoot(host, file, tab === 'overview' ? undefined : '[data-testid="tab-overview"]')
  }
  await host.close()
}

async function waitReady(frame: Frame): Promise<void> {
  await frame.waitForSelector('[data-testid="report-app"][data-report-status="ready"]', { timeout: 90_000 })
}

/** Two animation frames after the last resize, so the host frame has taken the content's height. */
async function settle(host: HostSession): Promise<void> {
  const frame = await host.appFrame()
  await frame.evaluate(
    () => new Promise<void>((done) => requestAnimationFrame(() => requestAnimationFrame(() => done()))),
  )
  await host.page.waitForTimeout(300)
}

/**
 * An open sales deal with a path (≥ 3 moves) and a timeline (≥ 3 touches) that has sat in its stage
 * longest, up to 60 days: the widget then has risk badges to show, not only "no risk signals".
 */
function richOpenDeal(dump: PortalDump): number {
  const now = Date.parse(dump.deals.reduce((m, d) => (String(d.DATE_MODIFY) > m ? String(d.DATE_MODIFY) : m), ''))
  let best = { id: 0, score: -1 }
  for (const d of dump.deals) {
    if (d.CLOSED !== 'N' || d.CATEGORY_ID !== '0') continue
    const id = Number(d.ID)
    const moves = dump.dealHistory.filter((h) => h.OWNER_ID === id)
    const touches = dump.activities.filter((a) => a.OWNER_TYPE_ID === '2' && a.OWNER_ID === d.ID).length
    if (moves.length < 3 || touches < 3) continue
    const lastMove = Math.max(...moves.map((h) => Date.parse(String(h.CREATED_TIME))))
    const score = Math.min(now - lastMove, 60 * 86_400_000)
    if (score > best.score) best = { id, score }
  }
  if (!best.id) throw new Error('the generated portal has no open sales deal')
  return best.id
}

async function dealCard(e2e: E2E): Promise<void> {
  const host = await open(e2e, { placement: 'CRM_DEAL_DETAIL_TAB', deal: richOpenDeal(e2e.portal.state.dump) })
  const frame = await host.appFrame()
  await frame.waitForSelector('[data-widget="deal-health"] .fw-step', { timeout: 60_000 })
  await settle(host)
  await shoot(host, 'deal-card')
  await host.close()
}

async function installWizard(e2e: E2E): Promise<void> {
  const host = await open(e2e, { install: true, appPath: '/install.html' })
  const frame = await host.appFrame()
  await frame.waitForSelector('button[data-action="install"]', { timeout: 60_000 })
  await settle(host)
  await shoot(host, 'install-wizard')
  await host.close()
}

async function budgets(e2e: E2E): Promise<void> {
  const host = await open(e2e, { placement: 'DEFAULT', appPath: '/index.html?view=budget' })
  const frame = await host.appFrame()
  await frame.waitForSelector('button[data-tab="budget"]', { timeout: 60_000 })
  for (const [tab, file] of [
    ['budget', 'budgets'],
    ['plan', 'plans'],
  ] as const) {
    await frame.click(`button[data-tab="${tab}"]`)
    await frame.waitForSelector('input[data-cell]', { timeout: 60_000 })
    await showFilledCells(frame)
    await settle(host)
    await shoot(host, file)
  }
  await host.close()
}

/** Scrolls the grid sideways to its first filled cell: the months saved, not an empty January. */
async function showFilledCells(frame: Frame): Promise<void> {
  await frame.waitForFunction(() =>
    [...document.querySelectorAll('input[data-cell]')].some((i) => (i as HTMLInputElement).value),
  )
  await frame.evaluate(() => {
    const filled = [...document.querySelectorAll<HTMLInputElement>('input[data-cell]')].find((i) => i.value)
    filled?.scrollIntoView({ block: 'nearest', inline: 'center' })
  })
}

async function main(): Promise<void> {
  mkdirSync(SHOT_DIR, { recursive: true })
  const e2e = await startE2E({ deals: DEALS, seed: SEED, installed: true })
  try {
    await seedInputs(e2e)
    await reportPages(e2e)
    await dealCard(e2e)
    await budgets(e2e)
    await installWizard(e2e)
  } finally {
    await e2e.stop()
  }
}

await main()
