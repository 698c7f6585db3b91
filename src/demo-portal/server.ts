/**
 * The demo Bitrix24 portal: a loopback HTTP server speaking the REST v2 wire format of
 * docs/rest.md for every method Funnel Lens uses, fed by a PortalDump.
 *
 * Request path: gate (Host, Origin, CORS) → route (/rest/…, /demo/…, extraRoutes) → injected
 * fault → leaky bucket → auth (webhook path or OAuth `auth` param) → method or batch →
 * `{result,total?,next?,time}`. Each step lives in its own module (router, rest-route,
 * fault-reply, rate-limit, auth, demo-routes, stats); `startPortal` only builds and joins them.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { PortalDump } from '../b24/wire'
import { PortalAuth, type IssuedToken, type RefreshedToken } from './auth'
import { OperatingMeter } from './envelope'
import { FaultInjector } from './faults'
import { RequestGate } from './gate'
import { LeakyBucket } from './limiter'
import { createMutations, type PortalMutations } from './mutate'
import { portalRouter, type ExtraRoute, type PortalParts } from './router'
import { PortalState } from './state'
import { createStats, type PortalStats } from './stats'
import { AppStore } from './store'

export type { IssuedToken } from './auth'
export type { PortalStats } from './stats'
export { parseRestPath } from './rest-path'

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
  extraRoutes?: ExtraRoute
}

export interface RunningPortal {
  url: string
  port: number
  close(): Promise<void>
  stats: PortalStats
  setFaults(spec: string | null): void
  issueToken(userId: number, ttlSec?: number): IssuedToken
  refreshToken(refreshToken: string): RefreshedToken | null
  /** Every current access token now answers 401 expired_token. */
  expireTokens(): void
  /** Marks the app install finished (or not), as BX24.installFinish() does. */
  setInstalled(installed: boolean): void
  mutate: PortalMutations
  /** The live state (tables, storage); for tests and the demo launcher. */
  state: PortalState
}

export async function startPortal(opts: PortalOptions): Promise<RunningPortal> {
  const parts = portalParts(opts)
  const gate = new RequestGate(appOrigins(opts))
  const server = createServer(portalRouter({ gate, parts, extraRoutes: opts.extraRoutes }))
  server.keepAliveTimeout = 5_000
  const { host, port } = await listen(server, opts.port ?? 0, opts.host ?? '127.0.0.1')
  gate.listening(host, port)
  return runningPortal(parts, server, `http://${host}:${port}`, port)
}

function portalParts(opts: PortalOptions): PortalParts {
  const clock = opts.clock ?? Date.now
  const store = new AppStore(opts.dataDir, opts.installed ?? false)
  // An installed app has saved its settings: the portal starts with the ones its dump carries.
  if (store.data.installed) store.seedAppOptions(opts.dump.appOptions)
  const portal = new PortalState(opts.dump, store, { admins: opts.admins, ownDealsOnly: opts.ownDealsOnly, clock })
  const faults = new FaultInjector()
  faults.set(opts.faults)
  return {
    portal,
    store,
    auth: new PortalAuth(portal, opts),
    meter: new OperatingMeter(),
    bucket: new LeakyBucket(opts.rate ?? 2, opts.burst ?? 50, clock),
    faults,
    stats: createStats(),
  }
}

/** The pages besides the portal's own that may call /rest/: the app's dev server, the framed app. */
function appOrigins(opts: PortalOptions): string[] {
  const framed = opts.extraRoutes?.appOrigin ? [opts.extraRoutes.appOrigin] : []
  return [...(opts.appOrigins ?? []), ...framed]
}

/** Listens; the bound host comes back as it goes into a URL (IPv6 in brackets). */
async function listen(server: Server, port: number, host: string): Promise<{ host: string; port: number }> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => resolve())
  })
  const address = server.address() as AddressInfo
  return { host: address.family === 'IPv6' ? `[${address.address}]` : address.address, port: address.port }
}

function runningPortal(parts: PortalParts, server: Server, url: string, port: number): RunningPortal {
  const { portal, store, auth, faults } = parts
  return {
    url,
    port,
    stats: parts.stats,
    state: portal,
    mutate: createMutations(portal),
    setFaults: (spec) => faults.set(spec),
    issueToken: (userId, ttlSec) => auth.issueToken(userId, ttlSec),
    refreshToken: (rt) => auth.refreshToken(rt),
    expireTokens: () => auth.expireTokens(),
    setInstalled(installed) {
      store.data.installed = installed
      store.save()
    },
    close: () => closeServer(server),
  }
}

/** Closes keep-alive connections too, so the close does not wait for idle clients. */
function closeServer(server: Server): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.closeAllConnections()
    server.close((err) => (err ? reject(err) : resolve()))
  })
}
