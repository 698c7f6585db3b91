/**
 * PortalAuth on its own (src/demo-portal/auth.ts): who a webhook or a token speaks for, and token
 * lifetimes on an injected clock — no server, no wall clock.
 */
import { describe, expect, it } from 'vitest'
import { PortalAuth } from '../../src/demo-portal/auth'
import { PortalRestError } from '../../src/demo-portal/envelope'
import { Params } from '../../src/demo-portal/params'
import { PortalState } from '../../src/demo-portal/state'
import { AppStore } from '../../src/demo-portal/store'
import { makeDump } from './fixture'

function setup(opts: { webhookSecret?: string; tokenTtlSec?: number } = {}) {
  const clock = { now: 1_000_000 }
  const portal = new PortalState(makeDump(10), new AppStore(undefined, false), { clock: () => clock.now })
  return { clock, auth: new PortalAuth(portal, opts) }
}

const oauth = (token?: string) => new Params(token === undefined ? {} : { auth: token })

/** The error code `authenticate` refuses with, or 'ok'. */
function codeOf(run: () => unknown): string {
  try {
    run()
    return 'ok'
  } catch (e) {
    if (e instanceof PortalRestError) return `${e.status} ${e.code}`
    throw e
  }
}

describe('token lifetimes', () => {
  it('an access token lives tokenTtlSec on the portal clock, to the millisecond', () => {
    const { clock, auth } = setup({ tokenTtlSec: 60 })
    const t = auth.issueToken(2)
    expect(t.expiresIn).toBe(60)
    clock.now += 59_999
    expect(auth.authenticate({ method: 'profile' }, oauth(t.accessToken))).toEqual({ kind: 'oauth', userId: 2 })
    expect(auth.userOfToken(t.accessToken)).toBe(2)
    clock.now += 1
    expect(codeOf(() => auth.authenticate({ method: 'profile' }, oauth(t.accessToken)))).toBe('401 expired_token')
    expect(auth.userOfToken(t.accessToken)).toBeNull()
  })

  it('defaults to an hour; an explicit lifetime wins for that token only', () => {
    const { clock, auth } = setup()
    const hour = auth.issueToken(1)
    const short = auth.issueToken(1, 5)
    expect([hour.expiresIn, short.expiresIn]).toEqual([3600, 5])
    clock.now += 5_000
    expect(auth.userOfToken(short.accessToken)).toBeNull()
    expect(auth.userOfToken(hour.accessToken)).toBe(1)
    clock.now += 3_595_000
    expect(auth.userOfToken(hour.accessToken)).toBeNull()
  })

  it('a refresh token is single-use and gives a fresh full lifetime from now', () => {
    const { clock, auth } = setup({ tokenTtlSec: 60 })
    const first = auth.issueToken(2)
    clock.now += 120_000
    const next = auth.refreshToken(first.refreshToken)
    expect(next).toMatchObject({ expiresIn: 60 })
    expect(auth.refreshToken(first.refreshToken)).toBeNull()
    expect(auth.refreshToken('unknown')).toBeNull()
    clock.now += 59_999
    expect(auth.userOfToken(next!.accessToken)).toBe(2)
  })

  it('expireTokens ends every current token at once; refresh still works', () => {
    const { auth } = setup()
    const a = auth.issueToken(1)
    const b = auth.issueToken(2)
    auth.expireTokens()
    expect(codeOf(() => auth.authenticate({ method: 'profile' }, oauth(a.accessToken)))).toBe('401 expired_token')
    expect(auth.userOfToken(b.accessToken)).toBeNull()
    expect(auth.userOfToken(auth.refreshToken(b.refreshToken)!.accessToken)).toBe(2)
  })
})

describe('who a request speaks for', () => {
  it('a webhook needs the secret and an active user', () => {
    const { auth } = setup({ webhookSecret: 's3cret' })
    const hook = (userId: number, secret: string) => () =>
      auth.authenticate({ method: 'profile', webhook: { userId, secret } }, oauth())
    expect(hook(2, 's3cret')()).toEqual({ kind: 'webhook', userId: 2 })
    expect(codeOf(hook(2, 'demo'))).toBe('401 NO_AUTH_FOUND')
    expect(codeOf(hook(4, 's3cret'))).toBe('401 NO_AUTH_FOUND') // user 4 is inactive
    expect(codeOf(hook(99, 's3cret'))).toBe('401 NO_AUTH_FOUND') // no such user
  })

  it('OAuth: no token, an unknown one, or one of an inactive user are refused with their own codes', () => {
    const { auth } = setup()
    const as = (token?: string) => () => auth.authenticate({ method: 'profile' }, oauth(token))
    expect(codeOf(as())).toBe('401 NO_AUTH_FOUND')
    expect(codeOf(as(''))).toBe('401 NO_AUTH_FOUND')
    expect(codeOf(as('nope'))).toBe('401 invalid_token')
    expect(codeOf(as(auth.issueToken(4).accessToken))).toBe('401 NO_AUTH_FOUND')
    expect(auth.issueToken(3).memberId).toBe('member-demo')
  })
})
