/**
 * The real @bitrix24/b24jssdk against the demo portal over HTTP: B24Hook with its transport
 * pointed at http://127.0.0.1 (sdk.md §3.1 option 1), and an OAuth-style transport whose
 * refreshAuth goes to the portal, to check the SDK's refresh-and-retry on 401 expired_token.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ApiVersion, B24Hook, HttpV2, LoggerFactory, type AuthActions, type AuthData } from '@bitrix24/b24jssdk'
import { startPortal, type RunningPortal } from '../../src/demo-portal/server'
import { makeDump } from './fixture'

let portal: RunningPortal

beforeAll(async () => {
  portal = await startPortal({ dump: makeDump(), port: 0, rate: 1000, burst: 10_000 })
})
afterAll(() => portal.close())

function authActions(base: string, data: () => AuthData, refresh: () => Promise<AuthData>): AuthActions {
  return {
    getAuthData: () => data(),
    refreshAuth: refresh,
    getUniq: (prefix: string) => `${prefix}_demo`,
    isAdmin: true,
    getTargetOrigin: () => portal.url,
    getTargetOriginWithPath: () =>
      new Map([
        [ApiVersion.v2, base],
        [ApiVersion.v3, `${base}/api`],
      ]),
  }
}

function hookClient(): B24Hook {
  const b24 = new B24Hook({ b24Url: portal.url, userId: 1, secret: 'demo' })
  b24.offClientSideWarning()
  b24.setLogger(LoggerFactory.createNullLogger())
  const auth = authActions(
    `${portal.url}/rest/1/demo`,
    () => ({
      access_token: 'demo',
      refresh_token: 'hook',
      expires: 0,
      expires_in: 0,
      domain: '127.0.0.1',
      member_id: 'member-demo',
    }),
    async () => ({
      access_token: 'demo',
      refresh_token: 'hook',
      expires: 0,
      expires_in: 0,
      domain: '127.0.0.1',
      member_id: 'member-demo',
    }),
  )
  b24.setHttpClient(ApiVersion.v2, new HttpV2(auth, null, {}))
  return b24
}

describe('real SDK against the demo portal', () => {
  it('calls a method, walks a list with callList and runs a batch', async () => {
    const b24 = hookClient()
    const time = await b24.actions.v2.call.make({ method: 'server.time' })
    expect(time.isSuccess).toBe(true)
    expect(String(time.getData()?.result)).toMatch(/^\d{4}-\d{2}-\d{2}T/)

    portal.stats.reset()
    const list = await b24.actions.v2.callList.make<{ ID: string }>({
      method: 'crm.deal.list',
      params: { select: ['ID'], filter: { '>OPPORTUNITY': 0 } },
    })
    expect(list.isSuccess).toBe(true)
    expect(list.getData()?.map((r) => Number(r.ID))).toEqual(Array.from({ length: 120 }, (_, i) => i + 1))
    expect(portal.stats.byMethod['crm.deal.list']).toBe(3)

    const batch = await b24.actions.v2.batch.make<unknown>({
      calls: {
        me: { method: 'user.current' },
        deals: { method: 'crm.deal.list', params: { filter: { '<=ID': 2 }, select: ['ID'] } },
      },
      options: { isHaltOnError: true },
    })
    expect(batch.isSuccess).toBe(true)
    const data = batch.getData() as Record<string, unknown>
    expect((data.me as { ID: string }).ID).toBe('1')
    expect(data.deals).toEqual([{ ID: '1' }, { ID: '2' }])

    // Array-shaped commands in chunks of 50, the way a windowed sync pages deals.
    const windows = Array.from({ length: 60 }, (_, i) => ({
      method: 'crm.deal.list',
      params: { order: { ID: 'ASC' }, filter: { '>=ID': i * 2 + 1, '<ID': i * 2 + 3 }, select: ['ID'], start: -1 },
    }))
    portal.stats.reset()
    const chunks = await b24.actions.v2.batchByChunk.make<{ ID: string }[]>({
      calls: windows.map((w) => [w.method, w.params]),
      options: { isHaltOnError: true },
    })
    expect(chunks.isSuccess).toBe(true)
    expect(
      chunks
        .getData()
        ?.flat()
        .map((r) => Number(r.ID)),
    ).toEqual(Array.from({ length: 120 }, (_, i) => i + 1))
    expect(portal.stats.byMethod).toEqual({ batch: 2 })
  })

  it('refreshes and retries once when the portal answers 401 expired_token', async () => {
    let token = portal.issueToken(1)
    let refreshes = 0
    const current = (): AuthData => ({
      access_token: token.accessToken,
      refresh_token: token.refreshToken,
      expires: Date.now() / 1000 + 3600,
      expires_in: 3600,
      domain: '127.0.0.1',
      member_id: token.memberId,
    })
    const auth = authActions(`${portal.url}/rest`, current, async () => {
      refreshes++
      const next = portal.refreshToken(token.refreshToken)
      if (!next) throw new Error('refresh refused')
      token = { ...next, memberId: token.memberId }
      return current()
    })
    const b24 = hookClient()
    b24.setHttpClient(ApiVersion.v2, new HttpV2(auth, null, {}))
    portal.expireTokens()
    const res = await b24.actions.v2.call.make({ method: 'profile' })
    expect(res.isSuccess).toBe(true)
    expect(refreshes).toBe(1)
    expect((res.getData()?.result as { ID: string }).ID).toBe('1')
  })
})
