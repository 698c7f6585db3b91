/**
 * Install, settings, budgets: the whole admin path in headless chromium through the host page
 * and the real SDK — install as admin → placements bound → budgets typed and pasted → the
 * report's ROI table shows the spend — and a non-admin who sees the budgets read-only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Frame } from 'playwright-core'
import { startE2E, type E2E } from './support/env'
import { DEFAULT_CLOCK, waitFor, type HostLogEntry, type HostSession } from './support/host-page'
import { budgetKey } from '../../src/b24/input-cells'
import type { StatusRow } from '../../src/b24/wire'

const INSTALL_PAGE = '/install.html'
let e2e: E2E
let source: StatusRow
/**
 * The browser's month in the portal's time zone (its clock is pinned to DEFAULT_CLOCK, never the
 * machine's date): the budget goes there and the report is switched to "this month".
 */
let month = ''

beforeAll(async () => {
  e2e = await startE2E({ deals: 300, installed: false, admins: [1, 2] })
  const sources = e2e.portal.state.dump.statuses.filter((s) => s.ENTITY_ID === 'SOURCE')
  // A source that has deals, so the ROI table has a row for it.
  const used = new Set(e2e.portal.state.dump.deals.map((d) => d.SOURCE_ID))
  source = sources.find((s) => used.has(s.STATUS_ID))!
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: e2e.portal.state.dump.portal.timeZone,
    year: 'numeric',
    month: '2-digit',
  }).formatToParts(new Date(DEFAULT_CLOCK))
  month = `${parts.find((p) => p.type === 'year')!.value}-${parts.find((p) => p.type === 'month')!.value}`
})

afterAll(async () => {
  await e2e?.stop()
})

const cell = (key: string, field = 'amount') => `input[data-cell="${key}#${field}"]`

async function pasteInto(frame: Frame, selector: string, text: string): Promise<void> {
  await frame.locator(selector).evaluate((el, t) => {
    const data = new DataTransfer()
    data.setData('text/plain', t)
    el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }))
  }, text)
}

function storedBudgets(): { NAME: string; PROPERTY_VALUES: Record<string, unknown> }[] {
  return e2e.portal.state.store.entity('flbudget')?.items ?? []
}

describe('install and budgets (admin)', () => {
  let host: HostSession
  let finished: HostLogEntry

  it('installs: binds both placements, creates the storages, stores settings, finishes install', async () => {
    host = await e2e.openHost({ install: true, user: 1, appPath: INSTALL_PAGE })
    const frame = await host.appFrame()
    await frame.waitForSelector('button[data-action="install"]', { timeout: 30_000 })
    await frame.selectOption('select[data-field="cityField"]', 'UF_CRM_CITY')
    // First install: the stage roles the names make obvious are preselected, held among them.
    const selected = (field: string) =>
      frame.$$eval(`select[data-field="${field}"] option:checked`, (os) =>
        os.map((o) => (o as HTMLOptionElement).value),
      )
    expect(await selected('heldStageIds')).toEqual(['EXECUTING'])
    expect(await selected('noShowStageIds')).toEqual(['UC_7NQ2ZB', 'C1:EXECUTING'])
    expect(await frame.textContent('[data-test="branch-candidates"]')).toBeTruthy()
    // UTM channels: prefilled with the common networks, one channel a line, editable.
    const aliases = frame.locator('textarea[data-field="sourceAliases"]')
    expect(await aliases.inputValue()).toMatch(/^yandex: ya, yandex\.direct/m)
    await aliases.fill(`${await aliases.inputValue()}\nBlog: partner_blog, Blog.ru`)
    await host.screenshot('install-settings-roles')
    await frame.click('button[data-action="install"]')
    finished = await host.waitForLog({ dir: 'in', command: 'setInstallFinish' }, 30_000)

    const bound = e2e.portal.state.store.data.placements
    expect(bound.map((p) => p.placement).sort()).toEqual(['CRM_ANALYTICS_MENU', 'CRM_DEAL_DETAIL_TAB'])
    expect(new Set(bound.map((p) => p.handler))).toEqual(new Set([`${e2e.app.origin}/index.html`]))
    expect(e2e.portal.state.store.data.entities.map((e) => e.ENTITY).sort()).toEqual(['flbudget', 'flplan'])
    expect(JSON.parse(String(e2e.portal.state.store.data.appOptions.flSettings))).toMatchObject({
      cityField: 'UF_CRM_CITY',
      version: 1,
      analytics: {
        heldStageIds: ['EXECUTING'],
        noShowStageIds: ['UC_7NQ2ZB', 'C1:EXECUTING'],
        sourceAliases: { blog: ['partner_blog', 'blog.ru'], google: expect.arrayContaining(['adwords']) },
      },
    })
  })

  it('enters budgets by typing and by pasting a spreadsheet block; a bad cell is marked and the rest saves', async () => {
    // After installFinish the host reopens the app out of install mode: the settings page with tabs.
    await host.waitForLog({ dir: 'host', command: 'frame', frame: 'main' }, 10_000, finished.at)
    const frame = await host.appFrame()
    await frame.waitForSelector('button[data-tab="budget"]', { timeout: 30_000 })
    await frame.click('button[data-tab="budget"]')
    const typed = budgetKey(source.STATUS_ID, null, month)
    await frame.waitForSelector(cell(typed), { timeout: 30_000 })
    await frame.fill(cell(typed), '12 345,5')
    await frame.press(cell(typed), 'Tab')

    // Paste a 2×2 block at January of the first two rows: one of the four values is refused.
    const [first, second] = (
      await frame.locator('tr[data-row]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-row')!))
    ).slice(0, 2)
    const year = month.slice(0, 4)
    const at = (row: string, m: string) => budgetKey(row.split('|')[0], null, `${year}-${m}`)
    await pasteInto(frame, cell(at(first, '01')), '100\t200\n300\t-5\n')
    expect(await frame.locator('input[aria-invalid="true"]').count()).toBe(1)
    expect(await frame.locator(cell(at(second, '02'))).getAttribute('aria-invalid')).toBe('true')

    await frame.click('button[data-action="save"]')
    const message = await waitFor(
      'save message',
      () => frame.textContent('[data-test="message"]'),
      (t) => /Saved/.test(t ?? ''),
    )
    expect(message).toMatch(/Saved 4 cell\(s\)/)
    // The refused cell keeps its text and reason.
    expect(await frame.locator('input[aria-invalid="true"]').inputValue()).toBe('-5')

    const byName = new Map(storedBudgets().map((i) => [i.NAME, i.PROPERTY_VALUES]))
    expect(byName.get(typed)).toMatchObject({ AMOUNT: '12345.50', CURRENCY: 'RUB' })
    expect(byName.get(at(first, '01'))).toMatchObject({ AMOUNT: '100' })
    expect(byName.get(at(first, '02'))).toMatchObject({ AMOUNT: '200' })
    expect(byName.get(at(second, '01'))).toMatchObject({ AMOUNT: '300' })
    expect(byName.size).toBe(4)
  })

  it("the report's ROI table shows the entered spend", async () => {
    const report = await e2e.openHost({ placement: 'DEFAULT', user: 1 })
    const frame = await report.appFrame()
    await frame.waitForSelector('[data-testid="tab-sources"]', { timeout: 60_000 })
    // The whole month's budget is the spend of the whole month (the default period, the last
    // 30 days, would take only its days of this month).
    await frame.selectOption('[data-testid="filter-period"]', 'this-month')
    await frame.click('[data-testid="tab-sources"]')
    const row = frame
      .locator('[data-testid="table-sources-roi"] [data-testid="table-row"]', { hasText: source.NAME })
      .first()
    await row.waitFor({ timeout: 60_000 })
    const spend = await row.locator('[data-col="spend"]').innerText()
    // 12,345.50 entered: money from 1,000 up reads in whole units on screen (exports keep the cents).
    expect(spend.replace(/\D/g, '')).toBe('12346')
    await report.close()
  })
})

describe('two admins editing the same cell', () => {
  async function budgetsAs(user: number): Promise<{ host: HostSession; frame: Frame }> {
    const host = await e2e.openHost({ user, appPath: INSTALL_PAGE })
    const frame = await host.appFrame()
    await frame.waitForSelector('button[data-tab="budget"]', { timeout: 30_000 })
    await frame.click('button[data-tab="budget"]')
    await frame.waitForSelector('button[data-action="save"]', { timeout: 30_000 })
    return { host, frame }
  }

  it('the second to save sees both values, picks one, and the pick is stored', async () => {
    const key = budgetKey(source.STATUS_ID, null, month)
    const a = await budgetsAs(1)
    const b = await budgetsAs(2)
    await a.frame.fill(cell(key), '111')
    await a.frame.press(cell(key), 'Tab')
    await a.frame.click('button[data-action="save"]')
    await waitFor(
      'A saved',
      () => a.frame.textContent('[data-test="message"]'),
      (t) => /Saved 1 cell/.test(t ?? ''),
    )

    await b.frame.fill(cell(key), '222')
    await b.frame.press(cell(key), 'Tab')
    await b.frame.click('button[data-action="save"]')
    const conflict = b.frame.locator(`[data-conflict="${key}#amount"]`)
    await conflict.waitFor({ timeout: 20_000 })
    expect(await conflict.locator('[data-pick="mine"]').innerText()).toContain('222')
    expect(await conflict.locator('[data-pick="theirs"]').innerText()).toContain('111')
    const stored = () => storedBudgets().find((i) => i.NAME === key)?.PROPERTY_VALUES.AMOUNT
    expect(stored()).toBe('111')

    await conflict.locator('[data-pick="mine"]').click()
    await b.frame.click('button[data-action="save"]')
    await waitFor(
      'B saved its pick',
      async () => stored(),
      (v) => v === '222',
    )
    await a.host.close()
    await b.host.close()
  })
})

describe('budgets for a non-admin', () => {
  it('shows the stored figures read-only', async () => {
    const host = await e2e.openHost({ user: 3, appPath: INSTALL_PAGE })
    const frame = await host.appFrame()
    await frame.waitForSelector('button[data-tab="budget"]', { timeout: 30_000 })
    await frame.click('button[data-tab="budget"]')
    await frame.waitForSelector('[data-test="read-only"]', { timeout: 30_000 })
    const typed = cell(budgetKey(source.STATUS_ID, null, month))
    expect(await frame.locator(typed).inputValue()).toBe('222')
    expect(await frame.locator(typed).getAttribute('readonly')).not.toBeNull()
    expect(await frame.locator('button[data-action="save"]').count()).toBe(0)
    await host.close()
  })
})
