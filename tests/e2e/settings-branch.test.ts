/**
 * The settings form on a portal with enough history: the wizard suggests the no-show stage as a
 * branch stage with the share of deals that skipped it, in headless chromium through the host
 * page and the real SDK (the browser clock pinned to the generated history's end).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startE2E, type E2E } from './support/env'

const NOW = '2026-11-20T12:00:00+03:00'
let e2e: E2E

beforeAll(async () => {
  e2e = await startE2E({ deals: 4000, now: NOW, installed: false, admins: [1] })
}, 120_000)

afterAll(async () => {
  await e2e?.stop()
})

describe('settings form: branch-stage suggestions', () => {
  it('lists the no-show stage with its share, already a branch by its role', { timeout: 90_000 }, async () => {
    const host = await e2e.openHost({ install: true, user: 1, appPath: '/install.html', clockAt: NOW })
    const frame = await host.appFrame()
    const item = frame.locator('[data-test="branch-candidates"] li[data-stage="UC_7NQ2ZB"]')
    await item.waitFor({ timeout: 60_000 })
    const text = (await item.textContent()) ?? ''
    expect(text).toMatch(/No-show \(Sales\): \d+% of \d+ deals that reached “Consultation held” never entered it/)
    expect(text).toContain('marked')
    // Deselecting the no-show role leaves it a plain stage: the suggestion offers to mark it.
    await frame.selectOption('select[data-field="noShowStageIds"]', ['C1:EXECUTING'])
    await item.locator('button[data-action="mark-branch"]').click()
    const branches = await frame.$$eval('select[data-field="branchStageIds"] option:checked', (os) =>
      os.map((o) => (o as HTMLOptionElement).value),
    )
    expect(branches).toEqual(['UC_7NQ2ZB'])
    await host.screenshot('settings-branch-candidates')
    await host.close()
  })
})
