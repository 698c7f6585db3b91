/**
 * Who is calling: a webhook URL (/rest/<userId>/<secret>/…, any active user) or an OAuth access
 * token (`auth` parameter), and the token lifecycle around it — issue, single-use refresh, expiry.
 * Lifetimes run on the portal's clock, so tests move time by hand.
 */
import { PortalRestError } from './envelope'
import type { Params } from './params'
import type { RestRoute } from './rest-path'
import type { AuthContext, PortalState } from './state'

export interface IssuedToken {
  accessToken: string
  refreshToken: string
  expiresIn: number
  memberId: string
}

export type RefreshedToken = Omit<IssuedToken, 'memberId'>

export interface AuthOptions {
  /** Default 'demo'. */
  webhookSecret?: string
  /** OAuth access token lifetime, default 3600. */
  tokenTtlSec?: number
}

const noAuth = (): PortalRestError => new PortalRestError(401, 'NO_AUTH_FOUND', 'Wrong authorization data')

export class PortalAuth {
  readonly tokenTtlSec: number
  private readonly secret: string

  constructor(
    private readonly portal: PortalState,
    opts: AuthOptions = {},
  ) {
    this.tokenTtlSec = opts.tokenTtlSec ?? 3600
    this.secret = opts.webhookSecret ?? 'demo'
  }

  /** The caller of a REST request, or a 401 PortalRestError. */
  authenticate(route: RestRoute, params: Params): AuthContext {
    return route.webhook ? this.webhook(route.webhook) : this.oauth(params.string('auth'))
  }

  issueToken(userId: number, ttlSec?: number): IssuedToken {
    return this.portal.issueToken(userId, ttlSec ?? this.tokenTtlSec)
  }

  /** A new token pair for a refresh token, which is used up; null when it is unknown or used. */
  refreshToken(refreshToken: string): RefreshedToken | null {
    return this.portal.refresh(refreshToken, this.tokenTtlSec)
  }

  /** Every current access token now answers 401 expired_token. */
  expireTokens(): void {
    this.portal.expireTokens()
  }

  /** The user a live (known, unexpired) access token belongs to, else null. */
  userOfToken(accessToken: string): number | null {
    const rec = this.portal.accessTokens.get(accessToken)
    return rec && rec.expiresAt > this.portal.clock() ? rec.userId : null
  }

  private webhook(hook: NonNullable<RestRoute['webhook']>): AuthContext {
    if (hook.secret !== this.secret || !this.isActive(hook.userId)) throw noAuth()
    return { kind: 'webhook', userId: hook.userId }
  }

  private oauth(token: string | undefined): AuthContext {
    if (!token) throw noAuth()
    const rec = this.portal.accessTokens.get(token)
    if (!rec) throw new PortalRestError(401, 'invalid_token', 'The access token provided is invalid.')
    if (rec.expiresAt <= this.portal.clock())
      throw new PortalRestError(401, 'expired_token', 'The access token provided has expired.')
    if (!this.isActive(rec.userId)) throw noAuth()
    return { kind: 'oauth', userId: rec.userId }
  }

  private isActive(userId: number): boolean {
    // Truthiness, not `=== true`: a dump read from JSON may carry any truthy flag.
    return Boolean(this.portal.user(userId)?.ACTIVE)
  }
}
