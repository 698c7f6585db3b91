/**
 * Which handler answers a request: the gate (Host, Origin, CORS) first, then CORS preflight,
 * /rest/…, the demo's own /demo/… routes, the launcher's extra routes (host page, static files),
 * and 404 for anything else. A handler that crashes is answered 500.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { handleDemo, type DemoDeps } from './demo-routes'
import type { RequestGate } from './gate'
import { answerCrash, sendError } from './http'
import { handleRest, type RestDeps } from './rest-route'

/** Host page etc.; returns true if it handled the request. */
export type ExtraRoute = ((req: IncomingMessage, res: ServerResponse, url: URL) => boolean | Promise<boolean>) & {
  /** The framed app's origin, which may then call /rest/ from the browser. */
  appOrigin?: string
}

/** Everything the routes work on: one object serves both the REST and the demo handlers. */
export type PortalParts = RestDeps & DemoDeps

export interface RouterDeps {
  gate: RequestGate
  parts: PortalParts
  extraRoutes?: ExtraRoute
}

export function portalRouter(deps: RouterDeps): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    // The base only anchors the path: the Host header has not been checked yet.
    const url = new URL(req.url ?? '/', 'http://portal.invalid')
    if (!deps.gate.admit(req, res, url)) return
    if (req.method === 'OPTIONS') {
      res.writeHead(204)
      res.end()
      return
    }
    const answered = url.pathname.startsWith('/rest/')
      ? handleRest(deps.parts, req, res, url)
      : otherRoutes(deps, req, res, url)
    answered.catch((e: unknown) => answerCrash(res, e))
  }
}

async function otherRoutes(deps: RouterDeps, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  if (await handleDemo(deps.parts, req, res, url)) return
  if (deps.extraRoutes && (await deps.extraRoutes(req, res, url))) return
  sendError(res, 404, 'NOT_FOUND', `Nothing at ${url.pathname}`)
}
