/**
 * The /rest/ route: count → read body → method known? → injected fault → rate limit → params →
 * auth → one method or a batch → `{result,total?,next?,time}` (rest.md §1.3); a PortalRestError
 * becomes `{error,error_description}` with its status.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { PortalAuth } from './auth'
import { runBatch } from './batch'
import { invoke, methodNotFound } from './dispatch'
import { makeTime, PortalRestError, type OperatingMeter } from './envelope'
import { replyWithFault } from './fault-reply'
import type { FaultInjector } from './faults'
import { readBody, sendError, sendJson } from './http'
import type { LeakyBucket } from './limiter'
import { isObject, parseBody, parseBracketQuery, Params, type JsonObject } from './params'
import { admitRate } from './rate-limit'
import { parseRestPath } from './rest-path'
import type { AuthContext, PortalState } from './state'
import { countMethod, logBatch, type PortalStats } from './stats'

export interface RestDeps {
  portal: PortalState
  auth: PortalAuth
  meter: OperatingMeter
  bucket: LeakyBucket
  faults: FaultInjector
  stats: PortalStats
}

export async function handleRest(deps: RestDeps, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  deps.stats.requests++
  const route = parseRestPath(url.pathname)
  const bodyText = await readBodyOrRefuse(req, res)
  if (bodyText === null) return
  if (!route) return sendRestError(res, methodNotFound())
  if (replyWithFault(deps.faults.next(), route, req, res, deps.stats)) return
  if (!admitRate(deps.bucket, deps.stats, res)) return
  try {
    const params = restParams(req, url, bodyText)
    const auth = deps.auth.authenticate(route, params)
    countMethod(deps.stats, route.method)
    if (route.method === 'batch') sendJson(res, 200, answerBatch(deps, auth, params))
    else sendJson(res, 200, answerMethod(deps, auth, route.method, params))
  } catch (e) {
    if (e instanceof PortalRestError) sendRestError(res, e)
    else sendError(res, 500, 'INTERNAL_SERVER_ERROR', e instanceof Error ? e.message : 'Internal server error')
  }
}

function sendRestError(res: ServerResponse, e: PortalRestError): void {
  sendJson(res, e.status, e.toBody())
}

/** The body, or null once a too-large body has been answered 413 (or the request broke off). */
async function readBodyOrRefuse(req: IncomingMessage, res: ServerResponse): Promise<string | null> {
  try {
    return await readBody(req)
  } catch (e) {
    if (e instanceof PortalRestError) sendRestError(res, e)
    return null
  }
}

/** Query and body merged (the body wins); the frame's `bx24_*` query markers are not parameters. */
function restParams(req: IncomingMessage, url: URL, bodyText: string): Params {
  let body: JsonObject
  try {
    body = parseBody(req.headers['content-type'], bodyText)
  } catch {
    throw new PortalRestError(400, 'INVALID_REQUEST', 'Request body is not valid JSON')
  }
  const query = parseBracketQuery(url.search.slice(1))
  for (const k of Object.keys(query)) if (k.startsWith('bx24_')) delete query[k]
  return new Params({ ...query, ...body })
}

function answerMethod(deps: RestDeps, auth: AuthContext, method: string, params: Params): unknown {
  const { body, time } = invoke(deps.portal, deps.meter, auth, method, params.raw)
  return { ...body, time }
}

/** A batch is timed as one call of `batch`, from the portal clock plus the real time it took. */
function answerBatch(deps: RestDeps, auth: AuthContext, params: Params): unknown {
  const { portal, meter } = deps
  const started = portal.clock()
  const t0 = performance.now()
  const result = runBatch(portal, meter, auth, params)
  const finished = started + (performance.now() - t0)
  const cmd = params.get('cmd')
  logBatch(deps.stats, {
    at: Date.now(),
    ms: finished - started,
    commands: isObject(cmd) ? Object.keys(cmd).length : 0,
  })
  const operating = meter.record('batch', started, (finished - started) / 1000)
  return { result, time: makeTime(started, finished, portal.timeZone, operating) }
}
