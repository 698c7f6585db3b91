// What the host page asks of the demo portal it is served from (same origin):
// the user's session token, option storage, the install flag, and plain REST for its own
// chrome (deal card header, deal slider). The app itself never comes here: it talks REST
// through the SDK with the token the host hands over.

/** Seconds the SDK is told a token has left (sdk.md §1.6: AUTH_EXPIRES is "seconds from now"). */
export function secondsLeft(auth, now = Date.now()) {
  return Math.max(0, Math.floor((auth.expiresAt - now) / 1000))
}

export async function postJson(path, body) {
  const res = await fetch(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body ?? {}),
  })
  const text = await res.text()
  let data = null
  try {
    data = text ? JSON.parse(text) : null
  } catch {
    throw new Error(`${path}: HTTP ${res.status}, not JSON: ${text.slice(0, 120)}`)
  }
  if (!res.ok || (data && data.error)) {
    const reason =
      data && (data.error_description || data.error)
        ? `${data.error}: ${data.error_description ?? ''}`
        : `HTTP ${res.status}`
    const err = new Error(`${path}: ${reason}`)
    err.status = res.status
    err.code = data && data.error
    throw err
  }
  return data
}

/**
 * The portal's token answer (POST /demo/token or /demo/refresh, src/demo-portal/server.ts) in
 * the one shape the host keeps. A refresh answer carries no admin flag or member id: keep the
 * session's.
 */
function toAuth(data, previous) {
  const expiresIn = Number(data.expiresIn ?? 3600)
  return {
    accessToken: String(data.accessToken),
    refreshToken: String(data.refreshToken),
    expiresAt: Date.now() + expiresIn * 1000,
    isAdmin: typeof data.isAdmin === 'boolean' ? data.isAdmin : previous ? previous.isAdmin : false,
    memberId: String(data.memberId ?? (previous ? previous.memberId : '')),
  }
}

export function createPortalApi(userId) {
  /** @type {ReturnType<typeof toAuth> | null} */
  let auth = null
  let refreshing = null

  /** What the portal knows at session start: install flag and stored options come along. */
  let session = null

  async function issueToken() {
    const data = await postJson('/demo/token', { userId })
    auth = toAuth(data, auth)
    session = {
      installed: data.installed === true,
      appOptions: asObject(data.appOptions),
      userOptions: asObject(data.userOptions),
    }
    return auth
  }

  /** One refresh at a time: the app frame and the host chrome may both find the token stale. */
  function refresh() {
    if (!refreshing) {
      refreshing = (async () => {
        try {
          auth = toAuth(await postJson('/demo/refresh', { refreshToken: auth && auth.refreshToken }), auth)
        } catch (err) {
          // A real parent window re-issues from the user's session; do the same if the refresh token is gone.
          console.warn('host: refresh failed, issuing a new session token', err)
          await issueToken()
        }
        return auth
      })().finally(() => {
        refreshing = null
      })
    }
    return refreshing
  }

  /** REST as the app would call it (auth in the JSON body); refreshes once on 401 expired_token. */
  async function rest(method, params = {}) {
    if (!auth) await issueToken()
    if (secondsLeft(auth) <= 0) await refresh()
    const call = () => postJson(`/rest/${encodeURIComponent(method)}`, { ...params, auth: auth.accessToken })
    try {
      return (await call()).result
    } catch (err) {
      if (err.status !== 401) throw err
      await refresh()
      return (await call()).result
    }
  }

  /** Calls a /demo/* route that acts as the session's user; retries once with a fresh token. */
  async function asUser(path, body) {
    if (!auth) await issueToken()
    try {
      return await postJson(path, { ...body, accessToken: auth.accessToken })
    } catch (err) {
      if (err.status !== 401) throw err
      await refresh()
      return postJson(path, { ...body, accessToken: auth.accessToken })
    }
  }

  /** BX24.installFinish(): app.info INSTALLED becomes true (admins only, like the real portal). */
  function finishInstall() {
    return asUser('/demo/install', { installed: true })
  }

  /** setAppOption / setUserOption land in the same storage as app.option.* / user.option.*. */
  function saveOption(scope, name, value) {
    return asUser('/demo/option', { scope, name, value })
  }

  return {
    get auth() {
      return auth
    },
    get session() {
      return session
    },
    issueToken,
    refresh,
    rest,
    finishInstall,
    saveOption,
  }
}

/** USER_OPTIONS / APP_OPTIONS must be objects, or the SDK's options.userSet throws (sdk.md §1.6). */
export function asObject(v) {
  return v && typeof v === 'object' && !Array.isArray(v) ? v : {}
}
