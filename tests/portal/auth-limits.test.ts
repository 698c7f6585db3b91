import { request, type IncomingHttpHeaders } from 'node:http'
import { afterEach, describe, expect, it } from 'vitest'
import { startPortal, type PortalOptions, type RunningPortal } from '../../src/demo-portal/server'
import { FaultSpecError, parseFaultSpec } from '../../src/demo-portal/faults'
import { makeDump, post } from './fixture'

let portal: RunningPortal | null = null
afterEach(async () => {
  await portal?.close()
  portal = null
})

async function start(extra: Partial<PortalOptions> = {}): Promise<RunningPortal> {
  portal = await startPortal({ dump: makeDump(), port: 0, rate: 1000, burst: 10_000, ...extra })
  return portal
}

describe('auth', () => {
  it('webhook: right secret works for active users only', async () => {
    const p = await start({ webhookSecret: 's3cret' })
    expect((await post(`${p.url}/rest/2/s3cret`, 'profile')).status).toBe(200)
    const wrong = await post(`${p.url}/rest/2/demo`, 'profile')
    expect(wrong.status).toBe(401)
    expect(wrong.body).toEqual({ error: 'NO_AUTH_FOUND', error_description: 'Wrong authorization data' })
    expect((await post(`${p.url}/rest/4/s3cret`, 'profile')).status).toBe(401) // user 4 is inactive
  })

  it('OAuth: auth in body or query, /rest//method; unknown, missing and expired tokens are 401', async () => {
    const p = await start()
    const t = p.issueToken(2)
    expect(t.memberId).toBe('member-demo')
    const inBody = await post(`${p.url}/rest`, 'user.current', { auth: t.accessToken })
    expect((inBody.body.result as { ID: string }).ID).toBe('2')
    const inQuery = await fetch(`${p.url}/rest//profile?auth=${t.accessToken}`)
    expect(((await inQuery.json()) as { result: { ID: string; ADMIN: boolean } }).result).toMatchObject({
      ID: '2',
      ADMIN: false,
    })
    expect((await post(`${p.url}/rest`, 'profile', { auth: 'nope' })).body.error).toBe('invalid_token')
    expect((await post(`${p.url}/rest`, 'profile', {})).body.error).toBe('NO_AUTH_FOUND')
    p.expireTokens()
    const expired = await post(`${p.url}/rest`, 'profile', { auth: t.accessToken })
    expect(expired.status).toBe(401)
    expect(expired.body.error).toBe('expired_token')
    const fresh = p.refreshToken(t.refreshToken)
    expect(fresh).not.toBeNull()
    expect((await post(`${p.url}/rest`, 'profile', { auth: fresh?.accessToken })).status).toBe(200)
    expect(p.refreshToken(t.refreshToken)).toBeNull() // refresh tokens are single-use
  })

  it('token lifetime runs out by itself', async () => {
    let now = 5_000_000
    const p = await start({ tokenTtlSec: 60, clock: () => now })
    const t = p.issueToken(1)
    now += 59_999
    expect((await post(`${p.url}/rest`, 'profile', { auth: t.accessToken })).status).toBe(200)
    now += 1
    expect((await post(`${p.url}/rest`, 'profile', { auth: t.accessToken })).body.error).toBe('expired_token')
  })

  it('demo token routes issue and refresh tokens', async () => {
    const p = await start()
    const res = await fetch(`${p.url}/demo/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ userId: 1 }),
    })
    expect(res.headers.get('access-control-allow-origin')).toBeNull()
    const tok = (await res.json()) as { accessToken: string; refreshToken: string; expiresIn: number; isAdmin: boolean }
    expect(tok.expiresIn).toBe(3600)
    expect(tok.isAdmin).toBe(true)
    const ref = await fetch(`${p.url}/demo/refresh`, {
      method: 'POST',
      body: JSON.stringify({ refreshToken: tok.refreshToken }),
    })
    const again = (await ref.json()) as { accessToken: string }
    expect((await post(`${p.url}/rest`, 'user.admin', { auth: again.accessToken })).body.result).toBe(true)
  })
})

/** A raw request, so the test can set Host and Origin as a browser or a rebinding page would. */
function raw(
  url: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string; noHost?: boolean },
): Promise<{ status: number; headers: IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const init = { method: opts.method ?? 'POST', headers: opts.headers, setHost: !opts.noHost }
    const req = request(url, init, (res) => {
      let body = ''
      res.on('data', (c: Buffer) => (body += c.toString()))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
    })
    req.on('error', reject)
    req.end(opts.body)
  })
}

describe('who may call the portal (Host, Origin, CORS)', () => {
  const APP = 'http://127.0.0.1:5173'
  const json = { 'Content-Type': 'application/json' }

  it('answers only to its loopback names and port: a DNS-rebinding Host is refused before anything runs', async () => {
    const p = await start({ appOrigins: [APP] })
    const body = JSON.stringify({ userId: 1 })
    for (const host of [`127.0.0.1:${p.port}`, `localhost:${p.port}`, `LOCALHOST:${p.port}`]) {
      expect((await raw(`${p.url}/demo/token`, { headers: { ...json, Host: host }, body })).status).toBe(200)
    }
    for (const host of [`evil.example:${p.port}`, 'localhost:1', `127.0.0.1.evil.example:${p.port}`]) {
      const r = await raw(`${p.url}/demo/token`, { headers: { ...json, Host: host }, body })
      expect(r.status).toBe(421)
      expect(JSON.parse(r.body).error).toBe('INVALID_HOST')
      expect(r.body).not.toContain('accessToken')
    }
    // No Host at all: Node's HTTP/1.1 server refuses it (400) before the portal sees it.
    expect((await raw(`${p.url}/demo/token`, { headers: json, body, noHost: true })).status).toBe(400)
    const before = p.stats.requests
    const hook = await raw(`${p.url}/rest/1/demo/profile`, { headers: { Host: `evil.example:${p.port}` } })
    expect(hook.status).toBe(421)
    expect(p.stats.requests).toBe(before)
  })

  it('hands tokens and changes app state only for its own pages; CORS names one origin, never *', async () => {
    const p = await start({ appOrigins: [APP] })
    const own = `http://127.0.0.1:${p.port}`
    const token = (origin: string) =>
      raw(`${p.url}/demo/token`, { headers: { ...json, Origin: origin }, body: JSON.stringify({ userId: 1 }) })
    const ok = await token(own)
    expect(ok.status).toBe(200)
    expect(ok.headers['access-control-allow-origin']).toBe(own)
    for (const origin of ['https://evil.example', APP, 'null']) {
      const r = await token(origin)
      expect(r.status).toBe(403)
      expect(r.headers['access-control-allow-origin']).toBeUndefined()
      expect(r.body).not.toContain('accessToken')
    }
    // A cross-site form post cannot flip the install flag either.
    const accessToken = p.issueToken(1).accessToken
    const install = await raw(`${p.url}/demo/install`, {
      headers: { ...json, Origin: 'https://evil.example' },
      body: JSON.stringify({ accessToken, installed: false }),
    })
    expect(install.status).toBe(403)
    expect((await post(`${p.url}/rest`, 'app.info', { auth: accessToken })).body.result).toMatchObject({
      INSTALLED: false,
    })
  })

  it('lets the app origin call REST from the browser, and nobody else', async () => {
    const p = await start({ appOrigins: [APP] })
    const pre = (origin: string) =>
      raw(`${p.url}/rest/crm.deal.list`, {
        method: 'OPTIONS',
        headers: { Origin: origin, 'Access-Control-Request-Method': 'POST' },
      })
    const allowed = await pre(APP)
    expect(allowed.status).toBe(204)
    expect(allowed.headers['access-control-allow-origin']).toBe(APP)
    expect(allowed.headers['access-control-allow-headers']).toContain('Content-Type')
    expect((await pre('https://evil.example')).status).toBe(403)
    const hook = (origin: string) => raw(`${p.url}/rest/1/demo/crm.deal.list`, { headers: { ...json, Origin: origin } })
    const app = await hook(APP)
    expect(app.status).toBe(200)
    expect(app.headers['access-control-allow-origin']).toBe(APP)
    const evil = await hook('https://evil.example')
    expect(evil.status).toBe(403)
    expect(evil.body).not.toContain('"result"')
  })
})

describe('errors', () => {
  it('unknown method → 404 ERROR_METHOD_NOT_FOUND', async () => {
    const p = await start()
    const r = await post(`${p.url}/rest/1/demo`, 'crm.deal.frobnicate')
    expect(r.status).toBe(404)
    expect(r.body).toEqual({ error: 'ERROR_METHOD_NOT_FOUND', error_description: 'Method not found!' })
  })

  it('app-context methods refuse webhooks with the documented codes', async () => {
    const p = await start()
    const hook = `${p.url}/rest/1/demo`
    const opt = await post(hook, 'app.option.get')
    expect(opt.status).toBe(403)
    expect(opt.body).toEqual({
      error: 'ACCESS_DENIED',
      error_description: 'Access denied! Application context required',
    })
    expect((await post(hook, 'user.option.set', { options: { a: 1 } })).body.error).toBe('ACCESS_DENIED')
    expect((await post(hook, 'entity.get')).body.error).toBe('ACCESS_DENIED')
    const pl = await post(hook, 'placement.bind', { PLACEMENT: 'CRM_DEAL_DETAIL_TAB', HANDLER: 'http://127.0.0.1/x' })
    expect(pl.status).toBe(403)
    expect(pl.body.error).toBe('WRONG_AUTH_TYPE')
    // A webhook's app.info carries scope and license only (CRestProvider::appInfo).
    expect((await post(hook, 'app.info')).body.result).toHaveProperty('SCOPE')
  })

  it('admin-only methods refuse other users', async () => {
    const p = await start()
    const t = p.issueToken(2)
    const r = await post(`${p.url}/rest`, 'app.option.set', { auth: t.accessToken, options: { a: '1' } })
    expect(r.status).toBe(403)
    expect(r.body.error_description).toBe('Access denied! Administrator authorization required')
    expect((await post(`${p.url}/rest`, 'placement.get', { auth: t.accessToken })).status).toBe(403)
    expect((await post(`${p.url}/rest`, 'placement.list', { auth: t.accessToken })).status).toBe(200)
  })
})

describe('limiter', () => {
  it('refuses with 503 QUERY_LIMIT_EXCEEDED past the burst and recovers as it drains', async () => {
    // A manual clock: the bucket drains only when the test moves time, never while a loaded machine is slow.
    let now = 1_000_000
    const p = await start({ rate: 20, burst: 5, clock: () => now })
    const hook = `${p.url}/rest/1/demo`
    const statuses: number[] = []
    for (let i = 0; i < 7; i++) statuses.push((await post(hook, 'server.time')).status)
    expect(statuses).toEqual([200, 200, 200, 200, 200, 503, 503])
    const refused = await post(hook, 'server.time')
    expect(refused.body).toEqual({ error: 'QUERY_LIMIT_EXCEEDED', error_description: 'Too many requests' })
    expect(p.stats.rejected).toBe(3)
    now += 49 // 20/s drains 0.98 of a request: still full
    expect((await post(hook, 'server.time')).status).toBe(503)
    now += 1 // one whole request drained
    expect((await post(hook, 'server.time')).status).toBe(200)
    expect((await post(hook, 'server.time')).status).toBe(503)
    now += 150 // three more
    const after = []
    for (let i = 0; i < 4; i++) after.push((await post(hook, 'server.time')).status)
    expect(after).toEqual([200, 200, 200, 503])
  })
})

describe('clock', () => {
  it('one injected clock dates the answers and what mutations write', async () => {
    const now = Date.parse('2025-06-01T09:30:00Z')
    const p = await start({ clock: () => now })
    const answer = await post(`${p.url}/rest/1/demo`, 'server.time')
    expect((answer.body.time as { start: number }).start).toBe(now / 1000)
    const batch = await post(`${p.url}/rest/1/demo`, 'batch', { cmd: { t: 'server.time' } })
    expect((batch.body.time as { start: number }).start).toBe(now / 1000)
    const deal = p.mutate.addDeal({ TITLE: 'Clocked', ASSIGNED_BY_ID: '2' })
    expect(Date.parse(deal.DATE_MODIFY)).toBe(now)
  })
})

describe('faults', () => {
  it('at=N:kind hits exactly the Nth request after the spec is set', async () => {
    const p = await start()
    const t = p.issueToken(1)
    const base = `${p.url}/rest`
    p.setFaults('at=2:503,3:500,4:expired,5:drop,6:429')
    const call = async (): Promise<number | 'dropped'> => {
      try {
        return (await post(base, 'server.time', { auth: t.accessToken })).status
      } catch {
        return 'dropped'
      }
    }
    const seen = []
    for (let i = 0; i < 7; i++) seen.push(await call())
    expect(seen).toEqual([200, 503, 500, 401, 'dropped', 429, 200])
    expect(p.stats.faults).toEqual({ 503: 1, 500: 1, expired: 1, drop: 1, 429: 1 })
  })

  it('expired is skipped for webhooks; fault bodies are the documented ones', async () => {
    const p = await start({ faults: 'at=1:expired,2:500' })
    const hook = `${p.url}/rest/1/demo`
    expect((await post(hook, 'server.time')).status).toBe(200)
    const five = await post(hook, 'server.time')
    expect(five).toEqual({
      status: 500,
      body: { error: 'INTERNAL_SERVER_ERROR', error_description: 'Internal server error' },
    })
    expect(p.stats.faults).toEqual({ 'expired-skipped': 1, 500: 1 })
  })

  it('random faults are repeatable for a seed and roughly follow the rates', async () => {
    const run = async (): Promise<number[]> => {
      const p = await start({ faults: 'seed=7;503=0.2;500=0.1' })
      const out: number[] = []
      for (let i = 0; i < 60; i++) out.push((await post(`${p.url}/rest/1/demo`, 'server.time')).status)
      await p.close()
      portal = null
      return out
    }
    const a = await run()
    const b = await run()
    expect(a).toEqual(b)
    const share = (s: number): number => a.filter((x) => x === s).length / a.length
    expect(share(503)).toBeGreaterThan(0.05)
    expect(share(503)).toBeLessThan(0.4)
    expect(share(500)).toBeGreaterThan(0)
  })

  it('rejects malformed specs with a clear message', () => {
    expect(() => parseFaultSpec('503=2')).toThrow(/within 0..1/)
    expect(() => parseFaultSpec('at=x:503')).toThrow(/N:503/)
    expect(() => parseFaultSpec('boom=0.1')).toThrow(/unknown key/)
    expect(() => parseFaultSpec('seed=x')).toThrow(
      expect.objectContaining({ name: 'FaultSpecError', code: 'BAD_FAULT_SPEC' }),
    )
    expect(() => parseFaultSpec('503')).toThrow(FaultSpecError)
  })
})

describe('ownDealsOnly', () => {
  it('limits deals, leads, activities and stage history to the user’s own rows', async () => {
    const p = await start({ ownDealsOnly: [3] })
    const mine = `${p.url}/rest/3/demo`
    const deals = await post(mine, 'crm.deal.list', { select: ['ID', 'ASSIGNED_BY_ID'] })
    expect(deals.body.total).toBe(40)
    expect((deals.body.result as { ASSIGNED_BY_ID: string }[]).every((d) => d.ASSIGNED_BY_ID === '3')).toBe(true)
    expect((await post(mine, 'crm.deal.get', { id: 1 })).body.error_description).toBe('Access denied.')
    expect((await post(mine, 'crm.deal.get', { id: 2 })).status).toBe(200)
    const hist = await post(mine, 'crm.stagehistory.list', { entityTypeId: 2, filter: { '@OWNER_ID': [1, 2, 5] } })
    expect((hist.body.result as { items: { OWNER_ID: number }[] }).items.map((i) => i.OWNER_ID)).toEqual([2, 5, 5])
    const acts = await post(mine, 'crm.activity.list', { select: ['RESPONSIBLE_ID'] })
    expect((acts.body.result as { RESPONSIBLE_ID: string }[]).every((a) => a.RESPONSIBLE_ID === '3')).toBe(true)
    const leads = await post(mine, 'crm.lead.list', {})
    expect(leads.body.total).toBe(3)
    const all = await post(`${p.url}/rest/2/demo`, 'crm.deal.list', {})
    expect(all.body.total).toBe(120)
  })
})

describe('touches follow the viewer’s rights (REST docs: voximplant.statistic.get, tasks.task.list)', () => {
  it('a restricted user sees own calls only; a department head sees the team’s tasks; an admin sees all', async () => {
    const dump = makeDump()
    dump.departments[1].UF_HEAD = '2' // Bob heads Sales, where Cid (3) works
    const p = await start({ dump, ownDealsOnly: [3] })
    const as = (uid: number) => `${p.url}/rest/${uid}/demo`
    const callUsers = async (uid: number) =>
      ((await post(as(uid), 'voximplant.statistic.get', {})).body.result as { PORTAL_USER_ID: string }[]).map(
        (c) => c.PORTAL_USER_ID,
      )
    const taskIds = async (uid: number) =>
      (
        (await post(as(uid), 'tasks.task.list', { select: ['ID'] })).body.result as { tasks: { id: string }[] }
      ).tasks.map((t) => t.id)
    expect(await callUsers(3)).toEqual(['3'])
    expect(await callUsers(2)).toEqual(['1', '2', '3', '1', '2'])
    expect(await callUsers(1)).toHaveLength(5)
    expect(await taskIds(3)).toEqual(['3'])
    expect(await taskIds(2)).toEqual(['5', '3', '2'])
    expect(await taskIds(1)).toEqual(['5', '4', '3', '2', '1'])
    const total = await post(as(3), 'voximplant.statistic.get', { FILTER: { '>ID': 0 } })
    expect(total.body.total).toBe(1)
  })
})
