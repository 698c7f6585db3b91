/**
 * Which handler answers what (src/demo-portal/router.ts), over HTTP: demo routes only by POST with
 * JSON, the launcher's extra routes before the 404, a crashing route answered 500, REST paths of
 * no known shape answered as an unknown method.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { startPortal, type PortalOptions, type RunningPortal } from '../../src/demo-portal/server'
import { makeDump } from './fixture'

let portal: RunningPortal | null = null
afterEach(async () => {
  await portal?.close()
  portal = null
})

async function start(extra: Partial<PortalOptions> = {}): Promise<RunningPortal> {
  portal = await startPortal({ dump: makeDump(10), rate: 1000, burst: 1000, ...extra })
  return portal
}

async function call(url: string, init: RequestInit = {}): Promise<{ status: number; body: unknown }> {
  const res = await fetch(url, init)
  const text = await res.text()
  return { status: res.status, body: text ? JSON.parse(text) : null }
}

describe('routing', () => {
  it('answers 404 NOT_FOUND where nothing lives, and extra routes first when they take the request', async () => {
    const extraRoutes = (_req: unknown, res: { end(s: string): void }, url: URL): boolean => {
      if (url.pathname !== '/host.html') return false
      res.end('"host page"')
      return true
    }
    const p = await start({ extraRoutes: extraRoutes as unknown as PortalOptions['extraRoutes'] })
    expect(await call(`${p.url}/host.html`)).toEqual({ status: 200, body: 'host page' })
    expect(await call(`${p.url}/nope`)).toEqual({
      status: 404,
      body: { error: 'NOT_FOUND', error_description: 'Nothing at /nope' },
    })
  })

  it('a crashing extra route is answered 500 with its message', async () => {
    const p = await start({
      extraRoutes: () => {
        throw new Error('boom')
      },
    })
    expect(await call(`${p.url}/anything`)).toEqual({
      status: 500,
      body: { error: 'INTERNAL_SERVER_ERROR', error_description: 'boom' },
    })
  })

  it('demo routes take POST with a JSON body only', async () => {
    const p = await start()
    expect(await call(`${p.url}/demo/token`)).toEqual({
      status: 405,
      body: { error: 'METHOD_NOT_ALLOWED', error_description: 'POST /demo/token' },
    })
    const bad = await call(`${p.url}/demo/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{',
    })
    expect(bad).toEqual({
      status: 400,
      body: { error: 'INVALID_REQUEST', error_description: 'Request body is not valid JSON' },
    })
    expect((await call(`${p.url}/demo/other`, { method: 'POST', body: '{}' })).status).toBe(404)
  })

  it('a /rest/ path of no known shape is an unknown method, counted as a request', async () => {
    const p = await start()
    expect(await call(`${p.url}/rest/1/demo/x/profile`, { method: 'POST' })).toEqual({
      status: 404,
      body: { error: 'ERROR_METHOD_NOT_FOUND', error_description: 'Method not found!' },
    })
    expect(p.stats.requests).toBe(1)
    expect(p.stats.byMethod).toEqual({})
  })

  it('a preflight is answered 204 with no body', async () => {
    const p = await start()
    expect(await call(`${p.url}/rest/profile`, { method: 'OPTIONS' })).toEqual({ status: 204, body: null })
  })
})
