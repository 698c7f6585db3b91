/**
 * Issue 2, point 7, end to end: the host page frames the real app, the app syncs the CRM from
 * the demo portal through the real SDK, and the deal count it shows equals the portal's own
 * `crm.deal.list` total, read separately over REST with a webhook.
 *
 * Contract with the app: after a sync it renders `[data-testid="synced-deals-count"]`, whose
 * digits are the number of deals in the synced data.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startE2E, type E2E } from './support/env'
import type { HostOptions } from './support/host-page'
import { webhookCall } from './support/portal'

const DEALS = 300
/** A manager whose CRM role shows only the deals assigned to them. */
const RESTRICTED_USER = 7

let e2e: E2E

beforeAll(async () => {
  e2e = await startE2E({ deals: DEALS, ownDealsOnly: [RESTRICTED_USER] })
})

afterAll(async () => {
  await e2e?.stop()
})

async function shownDealCount(opts: HostOptions, screenshot: string): Promise<number> {
  const host = await e2e.openHost(opts)
  try {
    const figure = await host.waitForApp('[data-testid="synced-deals-count"]', 90_000)
    const text = (await figure.textContent()) ?? ''
    await host.screenshot(screenshot)
    const digits = text.replace(/\D/g, '')
    expect(digits, `synced-deals-count text "${text}"`).not.toBe('')
    return Number(digits)
  } finally {
    await host.close()
  }
}

async function portalDealTotal(userId: number): Promise<number> {
  const answer = await webhookCall(e2e.portal, 'crm.deal.list', { select: ['ID'], start: 0 }, userId)
  expect(answer.status).toBe(200)
  expect(typeof answer.total).toBe('number')
  return answer.total as number
}

describe('host page → app → sync → figure on screen', () => {
  it('shows the portal’s deal count after syncing as the admin (report page)', { timeout: 120_000 }, async () => {
    const total = await portalDealTotal(1)
    expect(total).toBe(DEALS)
    expect(await shownDealCount({ placement: 'DEFAULT', user: 1 }, 'sync-figure-admin')).toBe(total)
  })

  it(
    'shows only what the portal lets a restricted manager see (CRM analytics menu)',
    { timeout: 120_000 },
    async () => {
      const total = await portalDealTotal(RESTRICTED_USER)
      // The role really narrows the list, so equality below is not the admin's figure by accident.
      expect(total).toBeGreaterThan(0)
      expect(total).toBeLessThan(DEALS)
      expect(
        await shownDealCount({ placement: 'CRM_ANALYTICS_MENU', user: RESTRICTED_USER }, 'sync-figure-restricted'),
      ).toBe(total)
    },
  )
})
