/**
 * The demo-only routes' decisions (src/demo-portal/demo-routes.ts `demoReply`), without HTTP:
 * who gets a token, who may flip the install flag or save an app option, where options land.
 */
import { describe, expect, it } from 'vitest'
import { PortalAuth } from '../../src/demo-portal/auth'
import { demoReply } from '../../src/demo-portal/demo-routes'
import { PortalState } from '../../src/demo-portal/state'
import { AppStore } from '../../src/demo-portal/store'
import { makeDump } from './fixture'

function setup() {
  const clock = { now: 2_000_000 }
  const store = new AppStore(undefined, false)
  const portal = new PortalState(makeDump(10), store, { clock: () => clock.now })
  const deps = { portal, store, auth: new PortalAuth(portal, { tokenTtlSec: 60 }) }
  return { clock, store, deps, token: (userId: number) => deps.auth.issueToken(userId).accessToken }
}

const errorOf = (reply: { status: number; body: unknown }) =>
  `${reply.status} ${(reply.body as { error?: string }).error ?? 'ok'}`

describe('demo routes', () => {
  it('/demo/token: a live token with the rights, install flag and options the frame starts from', () => {
    const { deps, store } = setup()
    store.data.userOptions['2'] = { theme: 'dark' }
    const reply = demoReply(deps, '/demo/token', { userId: 2 })
    expect(reply.status).toBe(200)
    const body = reply.body as { accessToken: string; expiresIn: number }
    expect(body).toMatchObject({ expiresIn: 60, isAdmin: false, installed: false, userOptions: { theme: 'dark' } })
    expect(deps.auth.userOfToken(body.accessToken)).toBe(2)
    expect(errorOf(demoReply(deps, '/demo/token', { userId: 4 }))).toBe('400 invalid_user') // inactive
    expect(errorOf(demoReply(deps, '/demo/token', {}))).toBe('400 invalid_user')
  })

  it('/demo/refresh: a refresh token works once', () => {
    const { deps } = setup()
    const { refreshToken } = deps.auth.issueToken(1)
    expect(demoReply(deps, '/demo/refresh', { refreshToken }).status).toBe(200)
    expect(errorOf(demoReply(deps, '/demo/refresh', { refreshToken }))).toBe('401 invalid_grant')
  })

  it('/demo/install and /demo/option need a live token: an expired one is refused', () => {
    const { deps, clock, token } = setup()
    const accessToken = token(1)
    clock.now += 60_000
    expect(errorOf(demoReply(deps, '/demo/install', { accessToken }))).toBe('401 invalid_token')
    expect(errorOf(demoReply(deps, '/demo/option', { accessToken, name: 'x' }))).toBe('401 invalid_token')
    expect(errorOf(demoReply(deps, '/demo/install', {}))).toBe('401 invalid_token')
  })

  it('/demo/install: admins only; anything but `installed: false` installs', () => {
    const { deps, store, token } = setup()
    expect(errorOf(demoReply(deps, '/demo/install', { accessToken: token(2) }))).toBe('403 ACCESS_DENIED')
    expect(store.data.installed).toBe(false)
    expect(demoReply(deps, '/demo/install', { accessToken: token(1) }).body).toEqual({ installed: true })
    expect(demoReply(deps, '/demo/install', { accessToken: token(1), installed: false }).body).toEqual({
      installed: false,
    })
  })

  it('/demo/option: user options per user for anyone, app options for admins only', () => {
    const { deps, store, token } = setup()
    const save = (userId: number, body: Record<string, string>) =>
      errorOf(demoReply(deps, '/demo/option', { accessToken: token(userId), ...body }))
    expect(save(2, { name: 'theme', value: 'dark' })).toBe('200 ok')
    expect(save(2, { name: 'lang', value: 'de' })).toBe('200 ok')
    expect(save(3, { name: 'theme' })).toBe('200 ok')
    expect(store.data.userOptions).toEqual({ 2: { theme: 'dark', lang: 'de' }, 3: { theme: null } })
    expect(save(2, { name: 'city', value: 'UF_CITY', scope: 'app' })).toBe('403 ACCESS_DENIED')
    expect(save(1, { name: 'city', value: 'UF_CITY', scope: 'app' })).toBe('200 ok')
    expect(store.data.appOptions).toEqual({ city: 'UF_CITY' })
    expect(save(1, { value: 'x' })).toBe('400 ERROR_ARGUMENT')
  })
})
