/**
 * Connecting to Bitrix24 through @bitrix24/b24jssdk, in the two ways the app runs:
 *
 * - Frame mode (inside the Bitrix24 window): `initializeB24Frame()`, with a timeout because
 *   the SDK waits forever when no parent answers. The frame is cached by the SDK at module
 *   level and is never destroyed here (a destroyed frame would be handed back by the cache).
 * - Standalone: an inbound-webhook URL. https URLs go through `B24Hook.fromWebhookUrl`. A plain
 *   http URL is accepted only for a loopback host (the demo portal): `B24Hook` forces https, so
 *   we give the SDK's own `HttpV2` a small AuthActions that points at http://127.0.0.1 — every
 *   call still runs through the SDK's transport, limiter and retry code (sdk.md §3.1 option 1).
 */
import {
  ApiVersion,
  B24Hook,
  HttpV2,
  initializeB24Frame,
  type AuthActions,
  type AuthData,
  type TypeB24,
} from '@bitrix24/b24jssdk'
import { FunnelLensError } from '../errors'
import {
  clientFromSdk,
  sdkRestrictionParams,
  toRestriction,
  type B24Client,
  type ClientOptions,
  type Identity,
} from './client'

/** The app cannot reach the portal: no frame handshake, a bad or refused webhook. */
export class ConnectError extends FunnelLensError {
  constructor(message: string) {
    super('CONNECT', message, 'ConnectError')
  }
}

export interface FrameOptions extends ClientOptions {
  /** How long to wait for the Bitrix24 window to answer `getInitData`. */
  initTimeoutMs?: number
}

export interface WebhookOptions extends ClientOptions {
  /**
   * Called when the portal answers 401 expired_token/invalid_token. Webhooks do not expire on
   * Bitrix24, so by default the SDK just retries once; a custom transport (e.g. a token-based
   * demo) can hand back a fresh access token here.
   */
  refreshAuth?: () => Promise<{ accessToken: string; expiresInSec?: number }>
  /** Send this access token in the body as `auth` (OAuth style) instead of relying on the URL secret. */
  accessToken?: string
  /** Cache key part; defaults to the portal host (what the SDK itself uses for webhooks). */
  memberId?: string
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1'])

function timeout<T>(ms: number, message: string): { promise: Promise<T>; cancel: () => void } {
  let timer: ReturnType<typeof setTimeout> | undefined
  const promise = new Promise<T>((_, reject) => {
    timer = setTimeout(() => reject(new ConnectError(message)), ms)
  })
  return { promise, cancel: () => clearTimeout(timer) }
}

async function profileIdentity(client: B24Client): Promise<{ userId: number; isAdmin: boolean }> {
  const p = await client.call<{ ID?: unknown; ADMIN?: unknown }>('profile')
  const userId = Number(p?.ID)
  if (!Number.isInteger(userId) || userId <= 0)
    throw new ConnectError('The portal did not say who the current user is (profile returned no ID).')
  return { userId, isAdmin: p?.ADMIN === true }
}

/** Identity that is filled in after the first call (`profile`) went through the client itself. */
function lateIdentity(
  base: Omit<Identity, 'userId' | 'isAdmin'>,
): Identity & { fill(v: { userId: number; isAdmin: boolean }): void } {
  let userId = 0
  let isAdmin = false
  return {
    ...base,
    get userId() {
      return userId
    },
    get isAdmin() {
      return isAdmin
    },
    fill(v) {
      userId = v.userId
      isAdmin = v.isAdmin
    },
  }
}

export async function connectFrame(options: FrameOptions = {}): Promise<B24Client> {
  const restriction = toRestriction(options.restriction)
  const ms = options.initTimeoutMs ?? 10_000
  const limit = timeout<never>(
    ms,
    `Bitrix24 did not answer within ${ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`}. Funnel Lens must be opened from the Bitrix24 menu (inside the Bitrix24 window); if it was, reload the page.`,
  )
  let b24: TypeB24
  try {
    b24 = await Promise.race([
      initializeB24Frame({ restrictionParams: sdkRestrictionParams(restriction) }),
      limit.promise,
    ])
  } catch (err) {
    if (err instanceof ConnectError) throw err
    const code = (err as { code?: string })?.code
    if (code === 'JSSDK_CLIENT_SIDE_WARNING')
      throw new ConnectError(
        'This page is not running inside Bitrix24: open Funnel Lens from the Bitrix24 menu, or connect with a webhook URL.',
      )
    throw new ConnectError(`Could not start inside Bitrix24: ${(err as Error)?.message ?? String(err)}`)
  } finally {
    limit.cancel()
  }
  // The SDK caches the frame and ignores later options: apply ours explicitly.
  await b24.setRestrictionManagerParams(sdkRestrictionParams(restriction))
  const auth = b24.auth.getAuthData()
  const domain = (auth && auth.domain) || new URL(b24.getTargetOrigin()).host
  // MEMBER_ID is only read when the init data carried a token; the domain still names the portal.
  const identity = lateIdentity({ domain, memberId: (auth && auth.member_id) || domain })
  const client = clientFromSdk(b24, identity, restriction, options)
  const who = await profileIdentity(client)
  identity.fill({ userId: who.userId, isAdmin: b24.auth.isAdmin || who.isAdmin })
  return client
}

interface ParsedHook {
  url: URL
  userId: number
  secret: string
}

function parseWebhookUrl(raw: string): ParsedHook {
  let url: URL
  try {
    url = new URL(raw.trim())
  } catch {
    throw new ConnectError(
      'That is not a URL. Paste the inbound webhook address from Bitrix24: https://<portal>/rest/<user id>/<secret>/',
    )
  }
  const parts = url.pathname.split('/').filter(Boolean)
  if (parts[0] !== 'rest' || parts.length !== 3 || !/^\d+$/.test(parts[1])) {
    throw new ConnectError('A webhook URL looks like https://<portal>/rest/<user id>/<secret>/ — this one does not.')
  }
  return { url, userId: Number(parts[1]), secret: parts[2] }
}

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname.toLowerCase())
}

interface LoopbackTarget {
  origin: string
  host: string
  /** REST base paths, e.g. "/rest/1/secret" (webhook) or "/rest" (token in the body). */
  v2: string
  v3: string
  /** Webhook secret, or null when an access token travels in the body. */
  secret: string | null
}

/** AuthActions for http://127.0.0.1 (the demo portal): the secret in the path, or an OAuth-style token. */
function loopbackAuth(target: LoopbackTarget, options: WebhookOptions): AuthActions {
  let token = options.accessToken ?? null
  let expiresAt = 0
  const memberId = options.memberId ?? target.host
  const data = (): AuthData => ({
    access_token: token ?? target.secret ?? '',
    // 'hook' tells the SDK not to put `auth` in the body (sdk.md §2): the secret is in the URL.
    refresh_token: token ? 'token' : 'hook',
    expires: expiresAt ? Math.floor(expiresAt / 1000) : 0,
    expires_in: 0,
    domain: target.host,
    member_id: memberId,
  })
  return {
    // false = "expired": the SDK then refreshes before sending (sdk.md §2, clock-based path).
    getAuthData: () => (token && expiresAt && expiresAt <= Date.now() ? false : data()),
    async refreshAuth() {
      if (options.refreshAuth) {
        const fresh = await options.refreshAuth()
        token = fresh.accessToken
        expiresAt = fresh.expiresInSec ? Date.now() + fresh.expiresInSec * 1000 : 0
      }
      return data()
    },
    getUniq: (prefix: string) => `${prefix}_${memberId}`,
    isAdmin: true,
    getTargetOrigin: () => target.origin,
    getTargetOriginWithPath: () =>
      new Map([
        [ApiVersion.v2, `${target.origin}${target.v2}`],
        [ApiVersion.v3, `${target.origin}${target.v3}`],
      ]),
  }
}

function refuseNonLoopback(url: URL): void {
  if (url.protocol !== 'http:' || !isLoopbackHost(url.hostname)) {
    throw new ConnectError(
      'Plain http:// is accepted only for a portal on this computer (127.0.0.1, localhost). A real Bitrix24 webhook must use https:// — otherwise its secret travels unencrypted.',
    )
  }
}

/** A B24Hook shell (for its actions) whose HTTP transport is the SDK's HttpV2 aimed at a loopback origin. */
function loopbackSdk(
  target: LoopbackTarget,
  userId: number,
  options: WebhookOptions,
  params: ReturnType<typeof sdkRestrictionParams>,
): B24Hook {
  const b24 = new B24Hook(
    { b24Url: `https://${target.host}`, userId, secret: target.secret ?? 'token' },
    { restrictionParams: params },
  )
  const auth = loopbackAuth(target, options)
  b24.setHttpClient(ApiVersion.v2, new HttpV2(auth, null, params))
  b24.setHttpClient(ApiVersion.v3, new HttpV2(auth, null, params))
  return b24
}

/**
 * Token mode for the loopback demo portal (what the host page hands the frame, used from Node):
 * `auth` goes in the body, 401 expired_token makes the SDK call `refreshAuth` and retry.
 */
export async function connectToken(
  portalUrl: string,
  options: WebhookOptions & { accessToken: string },
): Promise<B24Client> {
  let url: URL
  try {
    url = new URL(portalUrl)
  } catch {
    throw new ConnectError('That is not a URL.')
  }
  refuseNonLoopback(url)
  const restriction = toRestriction(options.restriction)
  const params = sdkRestrictionParams(restriction)
  const target: LoopbackTarget = { origin: url.origin, host: url.host, v2: '/rest', v3: '/rest/api', secret: null }
  const b24 = loopbackSdk(target, 0, options, params)
  const identity = lateIdentity({ domain: url.host, memberId: options.memberId ?? url.host })
  const client = clientFromSdk(b24, identity, restriction, options)
  identity.fill(await profileIdentity(client))
  return client
}

export async function connectWebhook(rawUrl: string, options: WebhookOptions = {}): Promise<B24Client> {
  const hook = parseWebhookUrl(rawUrl)
  const restriction = toRestriction(options.restriction)
  const params = sdkRestrictionParams(restriction)
  let b24: B24Hook
  if (hook.url.protocol === 'https:') {
    try {
      b24 = B24Hook.fromWebhookUrl(hook.url.href, { restrictionParams: params })
    } catch (err) {
      throw new ConnectError(`The webhook URL was refused: ${(err as Error)?.message ?? String(err)}`)
    }
  } else if (hook.url.protocol === 'http:') {
    refuseNonLoopback(hook.url)
    // B24Hook hard-codes https://; we keep the object for its actions and swap in an HttpV2
    // that talks to the loopback origin.
    const base = `/rest/${hook.userId}/${hook.secret}`
    b24 = loopbackSdk(
      {
        origin: hook.url.origin,
        host: hook.url.host,
        v2: base,
        v3: `/rest/api/${hook.userId}/${hook.secret}`,
        secret: hook.secret,
      },
      hook.userId,
      options,
      params,
    )
  } else {
    throw new ConnectError(`Unsupported address scheme "${hook.url.protocol}": use https://.`)
  }
  // A webhook acts as the user in its path; webhooks are created by administrators (the SDK assumes so too).
  const identity: Identity = {
    domain: hook.url.host,
    memberId: options.memberId ?? hook.url.host,
    userId: hook.userId,
    isAdmin: true,
  }
  return clientFromSdk(b24, identity, restriction, options)
}
