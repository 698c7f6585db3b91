/**
 * Issue 8.5 against the demo portal over HTTP: an employee creates the budget storage before the
 * app is installed (Bitrix24 lets any user call entity.add, and the creator gets X). Installing
 * resets its rights to the app's and reports it; every later admin load checks again, keeps
 * quiet when nothing changed (one request, and no flip-flop between two admins), and resets and
 * reports any change made outside the app.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connectToken } from '../../src/b24/connect'
import type { B24Client } from '../../src/b24/client'
import { runInstall } from '../../src/b24/install'
import { defaultSettings } from '../../src/b24/settings'
import { enforceStorageRights } from '../../src/b24/storage-rights'
import { generatePortal } from '../../src/demo-portal/generator'
import { startPortal, type RunningPortal } from '../../src/demo-portal/server'

let portal: RunningPortal
let adminA: B24Client
let adminB: B24Client
let employee: B24Client
const HANDLER = 'http://127.0.0.1:5173/index.html'

async function clientFor(userId: number): Promise<B24Client> {
  return connectToken(portal.url, {
    accessToken: portal.issueToken(userId).accessToken,
    restriction: { burstLimit: 500, drainRate: 100 },
  })
}

beforeAll(async () => {
  portal = await startPortal({ dump: generatePortal({ seed: 11, deals: 40 }), admins: [1, 2], rate: 100, burst: 500 })
  adminA = await clientFor(1)
  adminB = await clientFor(2)
  employee = await clientFor(5)
})

afterAll(async () => {
  await portal?.close()
})

const rightsOf = (c: B24Client, entity: string) => c.call<Record<string, string>>('entity.rights', { ENTITY: entity })
const addBudget = (c: B24Client) =>
  c.batch({ x: ['entity.item.add', { ENTITY: 'flbudget', NAME: 'budget|WEB||2026-01', PROPERTY_VALUES: {} }] })

describe('storage rights', () => {
  it('an employee’s pre-install storage loses its write rights on install, and the admin is told', async () => {
    await employee.call('entity.add', { ENTITY: 'flbudget', NAME: 'mine', ACCESS: { AU: 'W' } })
    expect(await rightsOf(employee, 'flbudget')).toEqual({ AU: 'W', U5: 'X' })
    expect((await addBudget(employee)).x.ok).toBe(true)

    const report = await runInstall(adminA, { handler: HANDLER, lang: 'en', settings: defaultSettings() })
    expect(report.rightsReset).toEqual([{ entity: 'flbudget', found: { AU: 'W', U5: 'X' } }])
    expect(await rightsOf(adminA, 'flbudget')).toEqual({ AU: 'R', G1: 'W', U1: 'X' })
    expect(await rightsOf(adminA, 'flplan')).toEqual({ AU: 'R', G1: 'W', U1: 'X' })

    expect((await addBudget(employee)).x.error?.code).toBe('ACCESS_DENIED')
    const grab = await employee.batch({ r: ['entity.rights', { ENTITY: 'flbudget', ACCESS: { AU: 'X' } }] })
    expect(grab.r.error?.code).toBe('ACCESS_DENIED')
  })

  it('later admin loads find nothing to fix: one request, and two admins never undo each other', async () => {
    const before = adminB.requests
    expect((await enforceStorageRights(adminB)).reset).toEqual([])
    expect(adminB.requests - before).toBe(1)
    expect((await enforceStorageRights(adminA)).reset).toEqual([])
    expect(await rightsOf(adminA, 'flbudget')).toEqual({ AU: 'R', G1: 'W', U1: 'X' })
  })

  it('a grant made outside the app is reset on the next admin load and reported', async () => {
    // Someone with X (here an admin in another tool) lets the employee write the plans.
    await adminB.call('entity.rights', { ENTITY: 'flplan', ACCESS: { AU: 'R', G1: 'W', U5: 'W' } })
    const check = await enforceStorageRights(adminA)
    expect(check.reset).toEqual([{ entity: 'flplan', found: { AU: 'R', G1: 'W', U5: 'W', U2: 'X' } }])
    expect(await rightsOf(adminA, 'flplan')).toEqual({ AU: 'R', G1: 'W', U1: 'X' })
    expect((await enforceStorageRights(adminB)).reset).toEqual([])
  })
})
