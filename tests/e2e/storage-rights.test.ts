/**
 * Issue 8.5 end to end: an employee created the budget storage before the admin ever opened the
 * app and gave everyone write rights. When the admin opens the report, the app resets the rights
 * to its own and says so in the status bar; a manager's open changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startE2E, type E2E } from './support/env'

const EMPLOYEE = 5
let e2e: E2E

beforeAll(async () => {
  e2e = await startE2E({ deals: 60 })
})

afterAll(async () => {
  await e2e?.stop()
})

async function rest<T>(userId: number, method: string, params: Record<string, unknown>): Promise<T> {
  const res = await fetch(`${e2e.portal.url}/rest/${method}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ ...params, auth: e2e.portal.issueToken(userId).accessToken }),
  })
  return ((await res.json()) as { result: T }).result
}

describe('storage rights on an admin load', () => {
  it(
    'resets an employee’s storage rights when the admin opens the report, and tells the admin',
    { timeout: 180_000 },
    async () => {
      await rest(EMPLOYEE, 'entity.add', { ENTITY: 'flbudget', NAME: 'mine', ACCESS: { AU: 'W' } })

      const manager = await e2e.openHost({ user: EMPLOYEE })
      try {
        await manager.waitForApp('[data-testid="report-app"]', 90_000)
      } finally {
        await manager.close()
      }
      expect(await rest(1, 'entity.rights', { ENTITY: 'flbudget' })).toEqual({ AU: 'W', [`U${EMPLOYEE}`]: 'X' })

      const admin = await e2e.openHost({ user: 1 })
      try {
        const notice = await admin.waitForApp('[data-testid="notice"]', 90_000)
        expect(await notice.textContent()).toContain('flbudget')
        await admin.screenshot('storage-rights-reset')
      } finally {
        await admin.close()
      }
      expect(await rest(1, 'entity.rights', { ENTITY: 'flbudget' })).toEqual({ AU: 'R', G1: 'W', U1: 'X' })
    },
  )
})
