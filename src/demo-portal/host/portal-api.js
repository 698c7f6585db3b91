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
    const reason = data && (data.error_description || data.error) ? `${data.error}: ${data.error_description ?? ''}` : `HTTP ${res.status}`
    const err = new Error(`${path}: ${reason}`)
    err.status = res.status
    err.code = data && data.error
    throw err
  }
  return data
}

/** The portal's token answer in the one shape the host keeps. */
function toAuth(data) {
  const d = data && typeof data === 'object' && 'result' in data ? data.result : data
  const expiresIn = Number(d.AUTH_EXPIRES ?? d.expires_in ?? 3600)
  return {
    accessToken: String(d.AUTH_ID ?? d.access_token),
    refreshToken: String(d.REFRESH_ID ?? d.refresh_token),
    expiresAt: Date.now() + expiresIn * 1000,
    isAdmin: (d.IS_ADMIN ?? d.isAdmin) === true,
    memberId: String(d.MEMBER_ID ?? d.member_id ?? ''),
  }
}

export function createPortalApi(userId) {
  /** @type {ReturnType<typeof toAuth> | null} */
  let auth = null
  let refreshing = null

  async function issueToken() {
    auth = toAuth(await postJson('/demo/token', { userId }))
    return auth
  }

  /** One refresh at a time: the app frame and the host chrome may both find the token stale. */
  function refresh() {
    if (!refreshing) {
      refreshing = (async () => {
        try {
          auth = toAuth(await postJson('/demo/refresh', { refreshToken: auth && auth.refreshToken }))
        } catch (err) {
          // A real parent window re-issues from the user's session; do the same if the refresh token is gone.
          console.warn('host: refresh failed, issuing a new session token', err)
          await issueToken()
        }
        return auth
      })().finally(() => { refreshing = null })
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

  function finishInstall() {
    return postJson('/demo/install-finish', { userId })
  }

  return {
    get auth() { return auth },
    issueToken,
    refresh,
    rest,
    finishInstall,
  }
}
