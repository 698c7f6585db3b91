import { createServer } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connectWebhook, connectToken, ConnectError, isLoopbackHost } from '../../src/b24/connect'
import type { RunningPortal } from '../../src/demo-portal/server'
import { FAST, demoDump, portalWith, tokenClient } from '../sync/portal'

describe('connectWebhook: which addresses are accepted', () => {
  it('refuses plain http to anything but this computer', async () => {
    await expect(connectWebhook('http://example.bitrix24.ru/rest/1/secret/')).rejects.toThrow(
      /only for a portal on this computer/,
    )
    await expect(connectWebhook('http://10.0.0.5/rest/1/secret/')).rejects.toBeInstanceOf(ConnectError)
    await expect(connectToken('http://example.com', { accessToken: 't' })).rejects.toThrow(
      /only for a portal on this computer/,
    )
  })

  it('explains malformed webhook URLs', async () => {
    await expect(connectWebhook('not a url')).rejects.toThrow(/not a URL/)
    await expect(connectWebhook('https://x.bitrix24.ru/rest/abc/secret/')).rejects.toThrow(/rest\/<user id>\/<secret>/)
    await expect(connectWebhook('ftp://127.0.0.1/rest/1/secret/')).rejects.toThrow(/Unsupported/)
  })

  it('builds an https webhook client without any request, with the identity from the URL', async () => {
    const c = await connectWebhook('https://example.bitrix24.ru/rest/7/s3cr3t/', {
      restriction: { burstLimit: 50, drainRate: 2 },
    })
    expect(c).toMatchObject({ domain: 'example.bitrix24.ru', memberId: 'example.bitrix24.ru', userId: 7, requests: 0 })
    expect(c.restriction).toMatchObject({ burstLimit: 50, drainRate: 2 })
  })

  it('knows the loopback names', () => {
    expect(['127.0.0.1', 'localhost', '[::1]'].every(isLoopbackHost)).toBe(true)
    expect(isLoopbackHost('127.0.0.2.example.com')).toBe(false)
  })
})

describe('over HTTP to the demo portal', () => {
  let portal: RunningPortal
  beforeAll(async () => {
    portal = await portalWith(demoDump(2, 30))
  })
  afterAll(() => portal?.close())

  it('reaches a loopback webhook through the SDK and counts every HTTP request', async () => {
    const c = await connectWebhook(`${portal.url}/rest/1/demo/`, FAST)
    portal.stats.reset()
    const reply = await c.callFull<unknown[]>('crm.deal.list', { start: 0, select: ['ID'] })
    expect(reply.total).toBe(30)
    expect(reply.result).toHaveLength(30)
    expect(reply.serverTime).toBeGreaterThan(Date.UTC(2020, 0, 1))
    const b = await c.batchFull({ ok: ['crm.deal.list', { start: 0 }], bad: ['no.such.method', {}] })
    expect(b.replies.ok).toMatchObject({ ok: true, total: 30 })
    expect(b.replies.bad.ok).toBe(false)
    expect(b.replies.bad.error?.code).toBe('ERROR_METHOD_NOT_FOUND')
    expect(b.serverOffset).toMatch(/^[+-]\d\d:\d\d$/)
    expect(c.requests).toBe(2)
    expect(portal.stats.requests).toBe(2)
  })

  it('rejects a wrong webhook secret with the portal error, without retrying it', async () => {
    const c = await connectWebhook(`${portal.url}/rest/1/wrong/`, FAST)
    await expect(c.call('profile')).rejects.toMatchObject({ code: 'NO_AUTH_FOUND', status: 401 })
    expect(c.requests).toBe(1)
  })

  it('token mode: learns the user from profile and refreshes an expired token', async () => {
    const c = await tokenClient(portal, 1)
    expect(c).toMatchObject({ userId: 1, isAdmin: true })
    portal.expireTokens()
    const before = c.requests
    expect(await c.call<unknown[]>('crm.deal.list', { select: ['ID'] })).toHaveLength(30)
    expect(c.requests - before).toBe(2) // the refused one and the retry with the fresh token
  })
})

describe('timeouts', () => {
  it('retries a request that never gets an answer, then fails with a clear message', async () => {
    // Not a portal at all: a socket that accepts and stays silent (a hung network path).
    let connections = 0
    const silent = createServer((socket) => {
      connections++
      socket.on('error', () => {})
    })
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r))
    const port = (silent.address() as { port: number }).port
    try {
      const c = await connectWebhook(`http://127.0.0.1:${port}/rest/1/x/`, {
        timeoutMs: 150,
        restriction: { burstLimit: 100, drainRate: 100, sdkMaxRetries: 1 },
        retry: { maxAttempts: 2, baseDelayMs: 5, maxDelayMs: 10 },
      })
      await expect(c.call('profile')).rejects.toThrow(/kept failing after 2 attempts \(last: REQUEST_TIMEOUT/)
      expect(c.requests).toBe(2)
      expect(connections).toBeGreaterThanOrEqual(1)
    } finally {
      silent.close()
    }
  })
})
