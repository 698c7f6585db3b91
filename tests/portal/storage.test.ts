import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { startPortal, type RunningPortal } from '../../src/demo-portal/server'
import { makeDump, post } from './fixture'

const dirs: string[] = []
let portal: RunningPortal | null = null
afterEach(async () => {
  await portal?.close()
  portal = null
})
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'portal-store-'))
  dirs.push(d)
  return d
}

async function start(dataDir?: string): Promise<{
  p: RunningPortal
  as: (userId: number) => (method: string, params?: Record<string, unknown>) => ReturnType<typeof post>
}> {
  const p = await startPortal({ dump: makeDump(10), port: 0, rate: 1000, burst: 10_000, dataDir, admins: [1] })
  portal = p
  const as = (userId: number) => {
    const t = p.issueToken(userId)
    return (method: string, params: Record<string, unknown> = {}) =>
      post(`${p.url}/rest`, method, { ...params, auth: t.accessToken })
  }
  return { p, as }
}

describe('entity storage', () => {
  it('enforces ACCESS levels: R reads, W writes, X manages; creator gets X', async () => {
    const { as } = await start()
    const admin = as(1)
    const reader = as(2)
    const writer = as(3)
    expect(
      (await admin('entity.add', { ENTITY: 'plans', NAME: 'Plans', ACCESS: { AU: 'R', U3: 'W' } })).body.result,
    ).toBe(true)
    expect((await admin('entity.rights', { ENTITY: 'plans' })).body.result).toEqual({ AU: 'R', U3: 'W', U1: 'X' })
    const dup = await admin('entity.add', { ENTITY: 'plans', NAME: 'again' })
    expect(dup.body.error).toBe('ERROR_ENTITY_ALREADY_EXISTS')
    expect(
      (await admin('entity.item.property.add', { ENTITY: 'plans', PROPERTY: 'amount', NAME: 'Amount', TYPE: 'N' })).body
        .result,
    ).toBe(true)

    const denied = await reader('entity.item.add', { ENTITY: 'plans', NAME: 'x' })
    expect(denied.status).toBe(403)
    expect(denied.body.error).toBe('ACCESS_DENIED')
    const added = await writer('entity.item.add', {
      ENTITY: 'plans',
      NAME: 'Q1',
      PROPERTY_VALUES: { amount: 500, unknown: 1 },
    })
    const id = added.body.result as number
    expect(typeof id).toBe('number')
    const read = await reader('entity.item.get', { ENTITY: 'plans', FILTER: { PROPERTY_amount: '500' } })
    const item = (read.body.result as Record<string, unknown>[])[0]
    expect(item).toMatchObject({
      ID: String(id),
      NAME: 'Q1',
      MODIFIED_BY: '3',
      CREATED_BY: '3',
      ENTITY: 'plans',
      PROPERTY_VALUES: { amount: '500' },
    })
    expect(item.TIMESTAMP_X).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/)
    expect(read.body.total).toBe(1)
    expect((await reader('entity.item.update', { ENTITY: 'plans', ID: id, NAME: 'hack' })).body.error).toBe(
      'ACCESS_DENIED',
    )
    expect((await reader('entity.item.delete', { ENTITY: 'plans', ID: id })).body.error).toBe('ACCESS_DENIED')
    expect((await writer('entity.item.property.add', { ENTITY: 'plans', PROPERTY: 'x' })).body.error).toBe(
      'ACCESS_DENIED',
    )

    expect(
      (await admin('entity.item.update', { ENTITY: 'plans', ID: id, PROPERTY_VALUES: { amount: 600 } })).body.result,
    ).toBe(true)
    const after = (await reader('entity.item.get', { ENTITY: 'plans' })).body.result as Record<string, unknown>[]
    expect(after[0]).toMatchObject({
      MODIFIED_BY: '1',
      CREATED_BY: '3',
      NAME: 'Q1',
      PROPERTY_VALUES: { amount: '600' },
    })
    expect((await admin('entity.item.update', { ENTITY: 'plans', ID: 99999 })).body.error).toBe('ERROR_ITEM_NOT_FOUND')
    expect((await admin('entity.get', { ENTITY: 'nope' })).body.error).toBe('ERROR_ENTITY_NOT_FOUND')
    expect((await writer('entity.item.delete', { ENTITY: 'plans', ID: id })).body.result).toBe(true)
    expect((await reader('entity.item.get', { ENTITY: 'plans' })).body.result).toEqual([])
  })

  it('persists storage, options, placements and install state across restarts, atomically', async () => {
    const dir = tempDir()
    {
      const { p, as } = await start(dir)
      const admin = as(1)
      await admin('entity.add', { ENTITY: 'budgets', NAME: 'Budgets', ACCESS: { AU: 'R' } })
      await admin('entity.item.add', { ENTITY: 'budgets', NAME: 'March' })
      expect((await admin('app.option.set', { options: { currency: 'EUR', plan: '{"a":1}' } })).body.result).toBe(true)
      await as(2)('user.option.set', { options: { theme: 'dark' } })
      await admin('placement.bind', {
        PLACEMENT: 'CRM_DEAL_DETAIL_TAB',
        HANDLER: 'http://127.0.0.1:5173/tab.html',
        TITLE: 'Funnel',
      })
      expect((await admin('app.info')).body.result).toMatchObject({ INSTALLED: false })
      p.setInstalled(true)
      await p.close()
      portal = null
    }
    const file = JSON.parse(readFileSync(join(dir, 'app-storage.json'), 'utf8')) as { format: string }
    expect(file.format).toBe('funnel-lens-portal-storage/1')
    const { as } = await start(dir)
    const admin = as(1)
    expect(
      ((await as(2)('entity.item.get', { ENTITY: 'budgets' })).body.result as { NAME: string }[]).map((i) => i.NAME),
    ).toEqual(['March'])
    expect((await as(3)('app.option.get', { option: 'currency' })).body.result).toBe('EUR')
    expect((await as(3)('app.option.get', { option: 'missing' })).body.result).toBeNull()
    expect((await as(2)('user.option.get')).body.result).toEqual({ theme: 'dark' })
    expect((await as(3)('user.option.get')).body.result).toEqual([])
    const placements = (await admin('placement.get')).body.result as Record<string, unknown>[]
    expect(placements).toEqual([
      {
        placement: 'CRM_DEAL_DETAIL_TAB',
        userId: 0,
        handler: 'http://127.0.0.1:5173/tab.html',
        options: [],
        title: 'Funnel',
        description: '',
        groupName: '',
        langAll: [],
      },
    ])
    expect((await admin('app.info')).body.result).toMatchObject({ INSTALLED: true, STATUS: 'L' })
    expect((await admin('placement.unbind', { PLACEMENT: 'CRM_DEAL_DETAIL_TAB' })).body.result).toEqual({ count: 2 })
  })

  it('placement.bind validates its arguments', async () => {
    const { as } = await start()
    const admin = as(1)
    expect((await admin('placement.bind', { HANDLER: 'http://x.example/' })).body).toEqual({
      error: 'ERROR_ARGUMENT',
      error_description: "Argument 'PLACEMENT' is null or empty",
      argument: 'PLACEMENT',
    })
    expect((await admin('placement.bind', { PLACEMENT: 'NOPE', HANDLER: 'http://x.example/' })).body.error).toBe(
      'ERROR_PLACEMENT_NOT_FOUND',
    )
    expect(
      (await admin('placement.bind', { PLACEMENT: 'CRM_ANALYTICS_MENU', HANDLER: 'ftp://x.example/' })).body.error,
    ).toBe('ERROR_UNSUPPORTED_PROTOCOL')
    expect((await admin('app.option.set', {})).body.error).toBe('ARGUMENT_NULL')
    expect((await admin('scope')).body.result).toContain('crm')
    expect((await admin('method.get', { name: 'crm.deal.list' })).body.result).toEqual({
      isExisting: true,
      isAvailable: true,
    })
    expect((await admin('method.get', { name: 'crm.item.frob' })).body.result).toEqual({
      isExisting: false,
      isAvailable: false,
    })
  })
})

describe('mutations', () => {
  it('added and moved deals show up with a bumped DATE_MODIFY and a history row', async () => {
    const { p } = await start()
    const hook = `${p.url}/rest/1/demo`
    const before = (await post(hook, 'crm.deal.get', { id: 3 })).body.result as { DATE_MODIFY: string }
    const { history } = p.mutate.moveDeal(3, 'WON')
    const after = (await post(hook, 'crm.deal.get', { id: 3 })).body.result as {
      DATE_MODIFY: string
      STAGE_ID: string
      STAGE_SEMANTIC_ID: string
      CLOSED: string
    }
    expect(after).toMatchObject({ STAGE_ID: 'WON', STAGE_SEMANTIC_ID: 'S', CLOSED: 'Y' })
    expect(Date.parse(after.DATE_MODIFY)).toBeGreaterThan(Date.parse(before.DATE_MODIFY))
    const hist = await post(hook, 'crm.stagehistory.list', {
      entityTypeId: 2,
      filter: { OWNER_ID: 3, '>ID': history.ID - 1 },
    })
    expect((hist.body.result as { items: unknown[] }).items).toEqual([history])
    p.mutate.addDeal({ TITLE: 'Fresh', ASSIGNED_BY_ID: '2' })
    const since = new Date(Date.now() - 60_000).toISOString()
    const fresh = await post(hook, 'crm.deal.list', { filter: { '>DATE_MODIFY': since }, select: ['ID', 'TITLE'] })
    expect((fresh.body.result as { TITLE: string }[]).map((d) => d.TITLE)).toEqual(['Special deal 3', 'Fresh'])
    p.mutate.deleteDeal(11)
    expect((await post(hook, 'crm.deal.get', { id: 11 })).status).toBe(400)
  })
})
