/**
 * A webhook never follows a redirect (issue 8.2): an https portal that answers 307 to an http://
 * URL (or to another host) would otherwise receive the secret there in clear. A real https
 * server with a self-signed certificate made in the test answers 307; the targets count what
 * reaches them.
 */
import { globalAgent, createServer as createHttpsServer, type Server as HttpsServer } from 'node:https'
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connectWebhook } from '../../src/b24/connect'
import { REDIRECT_REFUSED, RestError } from '../../src/b24/client'
import { selfSignedCert } from '../support/self-signed'

const SECRET = 's3cret-hook'
const { key, cert } = selfSignedCert()
const savedCa = globalAgent.options.ca

interface Listener {
  url: string
  seen: string[]
  close(): Promise<void>
}

async function listen(server: Server | HttpsServer, scheme: 'http' | 'https', seen: string[]): Promise<Listener> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const port = (server.address() as AddressInfo).port
  return {
    url: `${scheme}://127.0.0.1:${port}`,
    seen,
    close: () => new Promise((r) => server.close(() => r())),
  }
}

function record(seen: string[], req: IncomingMessage, then: () => void): void {
  let body = ''
  req.on('data', (c: Buffer) => (body += c.toString()))
  req.on('end', () => {
    seen.push(`${req.method} ${req.url} ${body}`)
    then()
  })
}

/** Anything that answers: counts requests, replies like a portal. */
async function target(scheme: 'http' | 'https'): Promise<Listener> {
  const seen: string[] = []
  const reply = (req: IncomingMessage, res: import('node:http').ServerResponse) =>
    record(seen, req, () => {
      res.writeHead(200, { 'Content-Type': 'application/json' })
      res.end(JSON.stringify({ result: { ID: '1', ADMIN: true }, time: { start: Date.now() / 1000 } }))
    })
  const server = scheme === 'https' ? createHttpsServer({ key, cert }, reply) : createServer(reply)
  return listen(server, scheme, seen)
}

let plain: Listener
let otherHost: Listener
let portal: Listener
/** Where the https portal sends its redirects next. */
let redirectTo = ''

beforeAll(async () => {
  // Trust the test's own certificate for this process only (restored below).
  globalAgent.options.ca = cert
  plain = await target('http')
  otherHost = await target('https')
  const seen: string[] = []
  const server = createHttpsServer({ key, cert }, (req, res) =>
    record(seen, req, () => {
      if (req.url?.includes('/rest/1/ok/')) {
        res.writeHead(200, { 'Content-Type': 'application/json' })
        res.end(JSON.stringify({ result: { ID: '1', ADMIN: true }, time: { start: Date.now() / 1000 } }))
        return
      }
      res.writeHead(307, { Location: `${redirectTo}${req.url}` })
      res.end()
    }),
  )
  portal = await listen(server, 'https', seen)
})

afterAll(async () => {
  globalAgent.options.ca = savedCa
  await Promise.all([plain?.close(), otherHost?.close(), portal?.close()])
})

const fast = { restriction: { sdkMaxRetries: 1 }, retry: { maxAttempts: 2, baseDelayMs: 5, maxDelayMs: 10 } }

describe('webhook over https', () => {
  it('reaches a portal that answers directly (the TLS setup of this test works)', async () => {
    const c = await connectWebhook(`${portal.url}/rest/1/ok/`, fast)
    expect(await c.call<{ ID: string }>('profile')).toMatchObject({ ID: '1' })
  })

  it.each([
    ['plain http on the same host', () => plain],
    ['https on another host', () => otherHost],
  ])('never follows a 307 to %s: the target receives nothing', async (_, to) => {
    redirectTo = to().url
    portal.seen.length = 0
    const c = await connectWebhook(`${portal.url}/rest/1/${SECRET}/`, fast)
    const err = await c.call('profile').catch((e: unknown) => e)
    expect(err).toBeInstanceOf(RestError)
    expect((err as RestError).code).toBe(REDIRECT_REFUSED)
    expect((err as RestError).message).toContain(`redirect to ${to().url}.`)
    expect((err as RestError).message).not.toContain(SECRET)
    expect(portal.seen.length).toBeGreaterThan(0)
    expect(portal.seen[0]).toContain(SECRET)
    expect(to().seen).toEqual([])
  })
})
