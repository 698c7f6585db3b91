/**
 * Who may talk to the portal at all. Host: only the loopback names with the portal's port (and
 * the bound address), so a DNS-rebinding page (evil.example resolving to 127.0.0.1) is refused.
 * Origin (browsers send it on cross-origin requests and on every POST): the /demo/* routes, which
 * hand out tokens and change app state, accept only the portal's own origin — the host page; /rest/
 * also accepts the app's origins. A request from any other page is refused before it does
 * anything, and CORS names the one allowed origin, never `*`. Non-browser clients (no Origin) pass.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { sendError } from './http'

const CORS_HEADERS = {
  'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
  'Access-Control-Allow-Headers': 'Content-Type, Accept, Authorization, X-Requested-With',
  'Access-Control-Max-Age': '600',
}

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]']
const DEMO_ROUTE = /^\/demo\//

export class RequestGate {
  private hosts = new Set<string>()
  private ownOrigins = new Set<string>()
  private readonly appOrigins: Set<string>

  /** `appOrigins`: URLs (any path) of the pages besides the portal's own that may call /rest/. */
  constructor(appOrigins: readonly string[]) {
    this.appOrigins = new Set(appOrigins.map((o) => new URL(o).origin))
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
      const names = [...this.hosts].join(', ')
      sendError(res, 421, 'INVALID_HOST', `This demo portal answers only to ${names}, not "${host}".`)
      return false
    }
    const origin = req.headers.origin
    if (origin === undefined) return true
    if (!this.allows(origin, url)) {
      sendError(res, 403, 'ORIGIN_NOT_ALLOWED', `Requests from ${origin} are not accepted by this demo portal.`)
      return false
    }
    res.setHeader('Access-Control-Allow-Origin', origin)
    res.setHeader('Vary', 'Origin')
    for (const [k, v] of Object.entries(CORS_HEADERS)) res.setHeader(k, v)
    return true
  }

  private allows(origin: string, url: URL): boolean {
    return this.ownOrigins.has(origin) || (!DEMO_ROUTE.test(url.pathname) && this.appOrigins.has(origin))
  }
}
