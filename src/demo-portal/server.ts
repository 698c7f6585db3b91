/**
 * The demo Bitrix24 portal: a loopback HTTP server speaking the REST v2 wire format of
 * docs/rest.md for every method Funnel Lens uses, fed by a PortalDump.
 *
 * Request path: CORS → route (/rest/…, /demo/…, extraRoutes) → injected fault → leaky bucket →
 * auth (webhook path or OAuth `auth` param) → method or batch → `{result,total?,next?,time}`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { PortalDump } from '../b24/wire'
import { runBatch } from './batch'
import { invoke, methodNotFound } from './dispatch'
import { makeTime, OperatingMeter, PortalRestError } from './envelope'
import { FaultInjector, HOSTILE_DESCRIPTION, type FaultKind } from './faults'
import { LeakyBucket } from './limiter'
import { createMutations, type PortalMutations } from './mutate'
import { parseBody, parseBracketQuery, Params, type JsonObject } from './params'
import { PortalState, type AuthContext } from './state'
import { AppStore } from './store'

export interface PortalOptions {
  /** Rows served exactly as stored. */
  dump: PortalDump
  /** Default 127.0.0.1. */
  host?: string
  /** 0 = ephemeral. */
  port?: number
  /** Leaky bucket: drain per second (default 2) and threshold (default 50). */
  rate?: number
  burst?: number
  /** Fault spec, see faults.ts / docs/demo-portal.md. */
  faults?: string
  /** Where app storage persists as JSON; omit = memory only. */
  dataDir?: string
  /** Portal admins (default [1]). */
  admins?: number[]
  /** Users whose CRM role lets them read only deals/leads/activities assigned to them. */
  ownDealsOnly?: number[]
  /** Default 'demo': /rest/<userId>/<secret>/<method> works for every active user. */
  webhookSecret?: string
  /** OAuth access token lifetime, default 3600. */
  tokenTtlSec?: number
  /** App install finished (app.info INSTALLED) on a fresh store; default false. */
  installed?: boolean
  /**
   * Epoch-ms clock (default Date.now) for the rate limiter, token lifetimes, every answer's `time`
   * and the dates `mutate` writes. Tests pass a manual clock so limits and deltas never depend on
   * how fast a loaded machine runs them.
   */
  clock?: () => number
  /**
   * Origins (besides the portal's own) whose pages may call /rest/ from a browser: the app's
   * dev server. The host routes add the app origin they frame (`hostRoutes().appOrigin`).
   */
  appOrigins?: string[]
  /** Host page etc.; return true if handled. */
  extraRoutes?: ((req: IncomingMessage, res: ServerResponse, url: URL) => boolean | Promise<boolean>) & {
    appOrigin?: string
  }
}

export interface PortalStats {
  requests: number
  rejected: number
  byMethod: Record<string, number>
  faults: Record<string, number>
  reset(): void
}

export interface IssuedToken {
  accessToken: string
  refreshToken: string
  expiresIn: number
  memberId: string
}

export interface RunningPortal {
  url: string
  port: number
  close(): Promise<void>
  stats: PortalStats
  setFaults(spec: string | null): void
  issueToken(userId: number, ttlSec?: number): IssuedToken
  refreshToken(refreshToken: string): { accessToken: string; refreshToken: string; expiresIn: number } | null
  /** Every current access token now answers 401 expired_token. */
  expireTokens(): void
  /** Marks the app install finished (or not), as BX24.installFinish() does. */
  setInstalled(installed: boolean): void
  mutate: PortalMutations
  /** The live state (tables, storage); for tests and the demo launcher. */
  state: PortalState
}

const CORS_HEADERS = {
  'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
  'Access-Control-Allow-Headers': 'Content-Type, Accept, Authorization, X-Requested-With',
  'Access-Control-Max-Age': '600',
}

const MAX_BODY = 32 * 1024 * 1024

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body)
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
  })
  res.end(text)
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (c: Buffer) => {
      size += c.length
      if (size > MAX_BODY) {
        reject(new PortalRestError(413, 'INVALID_REQUEST', 'Request body too large'))
        req.destroy()
        return
      }
      chunks.push(c)
    })
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

interface RestRoute {
  method: string
  webhook?: { userId: number; secret: string }
}

/** /rest/<method>[.json], /rest//<method>, /rest/<uid>/<secret>/<method>[.json]. */
export function parseRestPath(pathname: string): RestRoute | null {
  if (!pathname.startsWith('/rest/')) return null
  const parts = pathname.slice('/rest/'.length).split('/').map(decodeURIComponent)
  const clean = (m: string): string =>
    m
      .trim()
      .toLowerCase()
      .replace(/\.(json|xml)$/, '')
  if (parts.length === 1 && parts[0]) return { method: clean(parts[0]) }
  if (parts.length === 2 && parts[0] === '' && parts[1]) return { method: clean(parts[1]) }
  if (parts.length === 3 && /^\d+$/.test(parts[0]) && parts[2])
    return { method: clean(parts[2]), webhook: { userId: Number(parts[0]), secret: parts[1] } }
  return null
}

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]']
const DEMO_ROUTE = /^\/demo\//

/**
 * Who may talk to the portal at all. Host: only the loopback names with the portal's port (and
 * the bound address), so a DNS-rebinding page (evil.example resolving to 127.0.0.1) is refused.
 * Origin (browsers send it on cross-origin requests and on every POST): the /demo/* routes, which
 * hand out tokens and change app state, accept only the portal's own origin — the host page; /rest/
 * also accepts the app's origins. A request from any other page is refused before it does
 * anything, and CORS names the one allowed origin, never `*`. Non-browser clients (no Origin) pass.
 */
class RequestGate {
  private hosts = new Set<string>()
  private ownOrigins = new Set<string>()
  private readonly appOrigins: Set<string>

  constructor(opts: PortalOptions) {
    const extra = opts.extraRoutes?.appOrigin ? [opts.extraRoutes.appOrigin] : []
    this.appOrigins = new Set([...(opts.appOrigins ?? []), ...extra].map((o) => new URL(o).origin))
  }

  listening(boundHost: string, port: number): void {
    const names = new Set([...LOOPBACK_NAMES, boundHost])
    names.delete('0.0.0.0')
    names.delete('[::]')
    for (const n of names) {
      this.hosts.add(`${n}:${port}`)
      this.ownOrigins.add(`http://${n}:${port}`)
    }
  }

  /** True when the request may go on; otherwise it has been answered. */
  admit(req: IncomingMessage, res: ServerResponse, url: URL): boolean {
    const host = String(req.headers.host ?? '').toLowerCase()
    if (!this.hosts.has(host)) {
      sendJson(res, 421, {
        error: 'INVALID_HOST',
        error_description: `This demo portal answers only to ${[...this.hosts].join(', ')}, not "${host}".`,
      })
      return false
    }
    const origin = req.headers.origin
    if (origin === undefined) return true
    const allowed = this.ownOrigins.has(origin) || (!DEMO_ROUTE.test(url.pathname) && this.appOrigins.has(origin))
    if (!allowed) {
      sendJson(res, 403, {
        error: 'ORIGIN_NOT_ALLOWED',
        error_description: `Requests from ${origin} are not accepted by this demo portal.`,
      })
      return false
    }
    res.setHeader('Access-Control-Allow-Origin', origin)
    res.setHeader('Vary', 'Origin')
    for (const [k, v] of Object.entries(CORS_HEADERS)) res.setHeader(k, v)
    return true
  }
}

const NO_AUTH = (): PortalRestError => new PortalRestError(401, 'NO_AUTH_FOUND', 'Wrong authorization data')

export async function startPortal(opts: PortalOptions): Promise<RunningPortal> {
  const tokenTtl = opts.tokenTtlSec ?? 3600
  const secret = opts.webhookSecret ?? 'demo'
  const store = new AppStore(opts.dataDir, opts.installed ?? false)
  // An installed app has saved its settings: the portal starts with the ones its dump carries.
  if (store.data.installed) store.seedAppOptions(opts.dump.appOptions)
  const clock = opts.clock ?? Date.now
  const portal = new PortalState(opts.dump, store, { admins: opts.admins, ownDealsOnly: opts.ownDealsOnly, clock })
  const meter = new OperatingMeter()
  const bucket = new LeakyBucket(opts.rate ?? 2, opts.burst ?? 50, clock)
  const faults = new FaultInjector()
  faults.set(opts.faults)
  const stats: PortalStats = {
    requests: 0,
    rejected: 0,
    byMethod: {},
    faults: {},
    reset() {
      this.requests = 0
      this.rejected = 0
      this.byMethod = {}
      this.faults = {}
    },
  }

  function authenticate(route: RestRoute, params: Params): AuthContext {
    if (route.webhook) {
      const user = portal.user(route.webhook.userId)
      if (route.webhook.secret !== secret || !user || !user.ACTIVE) throw NO_AUTH()
      return { kind: 'webhook', userId: route.webhook.userId }
    }
    const token = params.string('auth')
    if (!token) throw NO_AUTH()
    const rec = portal.accessTokens.get(token)
    if (!rec) throw new PortalRestError(401, 'invalid_token', 'The access token provided is invalid.')
    if (rec.expiresAt <= clock())
      throw new PortalRestError(401, 'expired_token', 'The access token provided has expired.')
    const user = portal.user(rec.userId)
    if (!user || !user.ACTIVE) throw NO_AUTH()
    return { kind: 'oauth', userId: rec.userId }
  }

  function countFault(kind: string): void {
    stats.faults[kind] = (stats.faults[kind] ?? 0) + 1
  }

  /** Applies an injected fault; true when the request is finished. */
  function applyFault(kind: FaultKind | null, route: RestRoute, req: IncomingMessage, res: ServerResponse): boolean {
    if (!kind) return false
    if (kind === 'expired' && route.webhook) {
      countFault('expired-skipped')
      return false
    }
    countFault(kind)
    if (kind === 'drop') req.socket.destroy()
    else if (kind === '503')
      sendJson(res, 503, { error: 'QUERY_LIMIT_EXCEEDED', error_description: 'Too many requests' })
    else if (kind === '500')
      sendJson(res, 500, { error: 'INTERNAL_SERVER_ERROR', error_description: 'Internal server error' })
    else if (kind === 'hostile') sendJson(res, 400, { error: 'ACCESS_DENIED', error_description: HOSTILE_DESCRIPTION })
    else if (kind === '429')
      sendJson(res, 429, {
        error: 'OPERATION_TIME_LIMIT',
        error_description: 'Method is blocked due to operation time limit.',
      })
    else sendJson(res, 401, { error: 'expired_token', error_description: 'The access token provided has expired.' })
    return true
  }

  async function handleRest(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    stats.requests++
    const route = parseRestPath(url.pathname)
    let bodyText: string
    try {
      bodyText = await readBody(req)
    } catch (e) {
      if (e instanceof PortalRestError) sendJson(res, e.status, e.toBody())
      return
    }
    if (!route) {
      const e = methodNotFound()
      sendJson(res, e.status, e.toBody())
      return
    }
    if (applyFault(faults.next(), route, req, res)) return
    if (!bucket.take()) {
      stats.rejected++
      sendJson(res, 503, { error: 'QUERY_LIMIT_EXCEEDED', error_description: 'Too many requests' })
      return
    }
    try {
      let body: JsonObject
      try {
        body = parseBody(req.headers['content-type'], bodyText)
      } catch {
        throw new PortalRestError(400, 'INVALID_REQUEST', 'Request body is not valid JSON')
      }
      const query = parseBracketQuery(url.search.slice(1))
      for (const k of Object.keys(query)) if (k.startsWith('bx24_')) delete query[k]
      const params = new Params({ ...query, ...body })
      const auth = authenticate(route, params)
      stats.byMethod[route.method] = (stats.byMethod[route.method] ?? 0) + 1
      if (route.method === 'batch') {
        const started = clock()
        const t0 = performance.now()
        const result = runBatch(portal, meter, auth, params)
        const finished = started + (performance.now() - t0)
        sendJson(res, 200, {
          result,
          time: makeTime(
            started,
            finished,
            portal.timeZone,
            meter.record('batch', started, (finished - started) / 1000),
          ),
        })
        return
      }
      const { body: out, time } = invoke(portal, meter, auth, route.method, params.raw)
      sendJson(res, 200, { ...out, time })
    } catch (e) {
      if (e instanceof PortalRestError) sendJson(res, e.status, e.toBody())
      else
        sendJson(res, 500, {
          error: 'INTERNAL_SERVER_ERROR',
          error_description: e instanceof Error ? e.message : 'Internal server error',
        })
    }
  }

  async function handleDemo(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
    const route = url.pathname
    if (!['/demo/token', '/demo/refresh', '/demo/install', '/demo/option'].includes(route)) return false
    if (req.method !== 'POST') {
      sendJson(res, 405, { error: 'METHOD_NOT_ALLOWED', error_description: `POST ${route}` })
      return true
    }
    let body: JsonObject
    try {
      body = parseBody(req.headers['content-type'], await readBody(req))
    } catch {
      sendJson(res, 400, { error: 'INVALID_REQUEST', error_description: 'Request body is not valid JSON' })
      return true
    }
    const userFromToken = (): number | null => {
      const rec = portal.accessTokens.get(String(body.accessToken ?? ''))
      return rec && rec.expiresAt > clock() ? rec.userId : null
    }
    if (route === '/demo/token') {
      const userId = Number(body.userId)
      const user = portal.user(userId)
      if (!user || !user.ACTIVE) {
        sendJson(res, 400, {
          error: 'invalid_user',
          error_description: `No active user ${String(body.userId)} in this portal`,
        })
        return true
      }
      const t = portal.issueToken(userId, tokenTtl)
      const s = store.data
      sendJson(res, 200, {
        ...t,
        isAdmin: portal.isAdmin(userId),
        installed: s.installed,
        appOptions: s.appOptions,
        userOptions: s.userOptions[String(userId)] ?? {},
      })
    } else if (route === '/demo/refresh') {
      const t = portal.refresh(String(body.refreshToken ?? ''), tokenTtl)
      if (!t) sendJson(res, 401, { error: 'invalid_grant', error_description: 'Invalid refresh token' })
      else sendJson(res, 200, t)
    } else {
      const userId = userFromToken()
      if (userId === null) {
        sendJson(res, 401, { error: 'invalid_token', error_description: 'The access token provided is invalid.' })
        return true
      }
      if (route === '/demo/install') {
        if (!portal.isAdmin(userId)) {
          sendJson(res, 403, {
            error: 'ACCESS_DENIED',
            error_description: 'Access denied! Administrator authorization required',
          })
          return true
        }
        store.data.installed = body.installed !== false
        store.save()
        sendJson(res, 200, { installed: store.data.installed })
      } else {
        // The frame's setAppOption / setUserOption land in the same storage as app.option.*.
        const name = String(body.name ?? '')
        if (!name) {
          sendJson(res, 400, { error: 'ERROR_ARGUMENT', error_description: 'name is required' })
          return true
        }
        if (body.scope === 'app') {
          if (!portal.isAdmin(userId)) {
            sendJson(res, 403, {
              error: 'ACCESS_DENIED',
              error_description: 'Access denied! Administrator authorization required',
            })
            return true
          }
          store.data.appOptions[name] = body.value ?? null
        } else {
          const key = String(userId)
          store.data.userOptions[key] = { ...(store.data.userOptions[key] ?? {}), [name]: body.value ?? null }
        }
        store.save()
        sendJson(res, 200, { result: true })
      }
    }
    return true
  }

  const gate = new RequestGate(opts)
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://portal.invalid')
    if (!gate.admit(req, res, url)) return
    const done = (p: Promise<unknown>): void => {
      p.catch((e: unknown) => {
        if (!res.headersSent)
          sendJson(res, 500, {
            error: 'INTERNAL_SERVER_ERROR',
            error_description: e instanceof Error ? e.message : String(e),
          })
      })
    }
    if (req.method === 'OPTIONS') {
      res.writeHead(204)
      res.end()
      return
    }
    if (url.pathname.startsWith('/rest/')) return done(handleRest(req, res, url))
    done(
      (async () => {
        if (await handleDemo(req, res, url)) return
        if (opts.extraRoutes && (await opts.extraRoutes(req, res, url))) return
        sendJson(res, 404, { error: 'NOT_FOUND', error_description: `Nothing at ${url.pathname}` })
      })(),
    )
  })
  server.keepAliveTimeout = 5_000

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve())
  })
  const address = server.address() as AddressInfo
  const hostForUrl = address.family === 'IPv6' ? `[${address.address}]` : address.address
  gate.listening(hostForUrl, address.port)

  return {
    url: `http://${hostForUrl}:${address.port}`,
    port: address.port,
    stats,
    state: portal,
    mutate: createMutations(portal),
    setFaults: (spec) => faults.set(spec),
    issueToken: (userId, ttlSec) => portal.issueToken(userId, ttlSec ?? tokenTtl),
    refreshToken: (rt) => portal.refresh(rt, tokenTtl),
    expireTokens: () => portal.expireTokens(),
    setInstalled(installed) {
      store.data.installed = installed
      store.save()
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections()
        server.close((err) => (err ? reject(err) : resolve()))
      }),
  }
}
