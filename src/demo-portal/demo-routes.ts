/**
 * Routes only the demo has, called by the host page in place of what Bitrix24 does around an app:
 * /demo/token and /demo/refresh (the OAuth handshake), /demo/install (BX24.installFinish) and
 * /demo/option (the frame's setAppOption / setUserOption). POST with a JSON body; each answer is
 * decided by `demoReply`, which knows nothing of HTTP.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { PortalAuth } from './auth'
import { readBody, sendError, sendJson } from './http'
import { parseBody, type JsonObject } from './params'
import type { PortalState } from './state'
import type { AppStore } from './store'

export interface DemoDeps {
  portal: PortalState
  store: AppStore
  auth: PortalAuth
}

export interface DemoReply {
  status: number
  body: unknown
}

const DEMO_PATHS = ['/demo/token', '/demo/refresh', '/demo/install', '/demo/option']

const refusal = (status: number, error: string, description: string): DemoReply => ({
  status,
  body: { error, error_description: description },
})

const adminsOnly = (): DemoReply => refusal(403, 'ACCESS_DENIED', 'Access denied! Administrator authorization required')

/** False when the path is not a demo route; otherwise the request has been answered. */
export async function handleDemo(
  deps: DemoDeps,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<boolean> {
  const path = url.pathname
  if (!DEMO_PATHS.includes(path)) return false
  if (req.method !== 'POST') {
    sendError(res, 405, 'METHOD_NOT_ALLOWED', `POST ${path}`)
    return true
  }
  let body: JsonObject
  try {
    body = parseBody(req.headers['content-type'], await readBody(req))
  } catch {
    sendError(res, 400, 'INVALID_REQUEST', 'Request body is not valid JSON')
    return true
  }
  const reply = demoReply(deps, path, body)
  sendJson(res, reply.status, reply.body)
  return true
}

/** The answer to a demo route's body; token and refresh need no token, the others a live one. */
export function demoReply(deps: DemoDeps, path: string, body: JsonObject): DemoReply {
  if (path === '/demo/token') return issueToken(deps, body)
  if (path === '/demo/refresh') return refreshToken(deps, body)
  const userId = deps.auth.userOfToken(String(body.accessToken ?? ''))
  if (userId === null) return refusal(401, 'invalid_token', 'The access token provided is invalid.')
  return path === '/demo/install' ? install(deps, userId, body) : saveOption(deps, userId, body)
}

/** A token for any active user, with what the frame needs to start: rights, install flag, options. */
function issueToken({ portal, store, auth }: DemoDeps, body: JsonObject): DemoReply {
  const userId = Number(body.userId)
  if (!portal.user(userId)?.ACTIVE)
    return refusal(400, 'invalid_user', `No active user ${String(body.userId)} in this portal`)
  const token = auth.issueToken(userId)
  const s = store.data
  return {
    status: 200,
    body: {
      ...token,
      isAdmin: portal.isAdmin(userId),
      installed: s.installed,
      appOptions: s.appOptions,
      userOptions: s.userOptions[String(userId)] ?? {},
    },
  }
}

function refreshToken({ auth }: DemoDeps, body: JsonObject): DemoReply {
  const token = auth.refreshToken(String(body.refreshToken ?? ''))
  return token ? { status: 200, body: token } : refusal(401, 'invalid_grant', 'Invalid refresh token')
}

function install({ portal, store }: DemoDeps, userId: number, body: JsonObject): DemoReply {
  if (!portal.isAdmin(userId)) return adminsOnly()
  store.data.installed = body.installed !== false
  store.save()
  return { status: 200, body: { installed: store.data.installed } }
}

/** The frame's option setters land in the same storage as app.option.* / user.option.*. */
function saveOption({ portal, store }: DemoDeps, userId: number, body: JsonObject): DemoReply {
  const name = String(body.name ?? '')
  if (!name) return refusal(400, 'ERROR_ARGUMENT', 'name is required')
  const value = body.value ?? null
  if (body.scope === 'app') {
    if (!portal.isAdmin(userId)) return adminsOnly()
    store.data.appOptions[name] = value
  } else {
    const key = String(userId)
    store.data.userOptions[key] = { ...(store.data.userOptions[key] ?? {}), [name]: value }
  }
  store.save()
  return { status: 200, body: { result: true } }
}
