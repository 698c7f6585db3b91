// APP_OPTIONS / USER_OPTIONS for init data. Kept by the demo portal (GET/POST /demo/app-options)
// so they survive a reload and match what app.option.get returns over REST; if this portal has
// no such route, they live in this page's localStorage instead.
import { postJson } from './portal-api.js'

const LOCAL_KEY = 'funnel-lens-host-options'

export function createOptionStore(userId) {
  let local = false

  async function load() {
    const res = await fetch(`/demo/app-options?userId=${encodeURIComponent(userId)}`)
    if (res.status === 404) {
      local = true
      return readLocal()
    }
    if (!res.ok) throw new Error(`/demo/app-options: HTTP ${res.status}`)
    const data = await res.json()
    return { app: asObject(data.app), user: asObject(data.user) }
  }

  async function save(scope, name, value) {
    if (!local) return postJson('/demo/app-options', { scope, userId, name, value })
    const all = readAll()
    const bucket = scope === 'app' ? 'app' : `user:${userId}`
    all[bucket] = { ...asObject(all[bucket]), [name]: value }
    localStorage.setItem(LOCAL_KEY, JSON.stringify(all))
  }

  function readLocal() {
    const all = readAll()
    return { app: asObject(all.app), user: asObject(all[`user:${userId}`]) }
  }

  return { load, save, get isLocal() { return local } }
}

function readAll() {
  try {
    return asObject(JSON.parse(localStorage.getItem(LOCAL_KEY) ?? '{}'))
  } catch {
    return {}
  }
}

/** USER_OPTIONS / APP_OPTIONS must be objects, or the SDK's options.userSet throws (sdk.md §1.6). */
function asObject(v) {
  return v && typeof v === 'object' && !Array.isArray(v) ? v : {}
}
