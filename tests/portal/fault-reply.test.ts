/** What each injected fault sends on the wire (src/demo-portal/fault-reply.ts), on a stand-in response. */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { describe, expect, it } from 'vitest'
import { replyWithFault } from '../../src/demo-portal/fault-reply'
import { HOSTILE_DESCRIPTION, type FaultKind } from '../../src/demo-portal/faults'
import { createStats } from '../../src/demo-portal/stats'

function exchange() {
  const sent = { status: 0, body: null as unknown, destroyed: false }
  const res = {
    writeHead: (status: number) => (sent.status = status),
    end: (text: string) => (sent.body = JSON.parse(text)),
  } as unknown as ServerResponse
  const req = { socket: { destroy: () => (sent.destroyed = true) } } as unknown as IncomingMessage
  return { sent, req, res }
}

const OAUTH = { method: 'profile' }
const WEBHOOK = { method: 'profile', webhook: { userId: 1, secret: 'demo' } }

describe('fault replies', () => {
  it.each<[FaultKind, number, string, string]>([
    ['503', 503, 'QUERY_LIMIT_EXCEEDED', 'Too many requests'],
    ['500', 500, 'INTERNAL_SERVER_ERROR', 'Internal server error'],
    ['429', 429, 'OPERATION_TIME_LIMIT', 'Method is blocked due to operation time limit.'],
    ['hostile', 400, 'ACCESS_DENIED', HOSTILE_DESCRIPTION],
    ['expired', 401, 'expired_token', 'The access token provided has expired.'],
  ])('%s answers %i %s and is counted', (kind, status, error, description) => {
    const { sent, req, res } = exchange()
    const stats = createStats()
    expect(replyWithFault(kind, OAUTH, req, res, stats)).toBe(true)
    expect(sent).toEqual({ status, body: { error, error_description: description }, destroyed: false })
    expect(stats.faults).toEqual({ [kind]: 1 })
  })

  it('drop closes the socket without an answer', () => {
    const { sent, req, res } = exchange()
    const stats = createStats()
    expect(replyWithFault('drop', OAUTH, req, res, stats)).toBe(true)
    expect(sent).toEqual({ status: 0, body: null, destroyed: true })
    expect(stats.faults).toEqual({ drop: 1 })
  })

  it('no fault, or expired on a webhook (no token to expire), lets the request go on', () => {
    const { sent, req, res } = exchange()
    const stats = createStats()
    expect(replyWithFault(null, OAUTH, req, res, stats)).toBe(false)
    expect(replyWithFault('expired', WEBHOOK, req, res, stats)).toBe(false)
    expect(sent.status).toBe(0)
    expect(stats.faults).toEqual({ 'expired-skipped': 1 })
  })
})
