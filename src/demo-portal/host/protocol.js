// The wire format of @bitrix24/b24jssdk's frame messages (shared/docs/sdk.md §1.3–1.4).
// Plain ES module: the demo portal serves it to the browser as is, no build step.

/**
 * One message from the app frame, or null when it is not an SDK command.
 * String form: `<command>[:<params>]:<callbackKey>:<APP_SID>`. The params JSON may itself contain
 * ':' so it is read from both ends: command before the first ':', APP_SID after the last,
 * the callback key just before that, params in between.
 * Object form (custom commands whose name contains ':'): `{method, params, callback, appSid}`.
 *
 * @param {unknown} data
 * @returns {{command: string, key: string, appSid: string, rawParams: string, params: unknown} | null}
 */
export function parseFrameMessage(data) {
  if (typeof data === 'string') {
    const parts = data.split(':')
    if (parts.length < 3 || !parts[0]) return null
    const rawParams = parts.slice(1, -2).join(':')
    return {
      command: parts[0],
      key: parts[parts.length - 2],
      appSid: parts[parts.length - 1],
      rawParams,
      params: decodeParams(rawParams),
    }
  }
  if (data && typeof data === 'object' && typeof data.method === 'string' && typeof data.callback === 'string') {
    const params = data.params ?? ''
    return {
      command: data.method,
      key: data.callback,
      appSid: typeof data.appSid === 'string' ? data.appSid : '',
      rawParams: typeof params === 'string' ? params : JSON.stringify(params),
      params: typeof params === 'string' ? decodeParams(params) : params,
    }
  }
  return null
}

/** JSON params as an object; a raw `singleOption`/`isRawValue` string stays a string. */
function decodeParams(raw) {
  if (raw === '') return {}
  try {
    return JSON.parse(raw)
  } catch {
    return raw
  }
}

/**
 * The reply string the SDK matches by callback key: `"<key>"` or `"<key>:<JSON>"`.
 * The SDK JSON-parses everything after the first ':', so the payload must be valid JSON.
 */
export function formatReply(key, payload) {
  return payload === undefined ? key : `${key}:${JSON.stringify(payload)}`
}

/** A fresh APP_SID, like Bitrix24's: hex, no ':' or '|' (both are separators on the wire). */
export function newAppSid() {
  const bytes = new Uint8Array(16)
  crypto.getRandomValues(bytes)
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')
}

/** `window.name` the SDK reads (sdk.md §1.1): `<host[:port]>|<0|1>|<APP_SID>`. */
export function frameName(host, isHttps, appSid) {
  return `${host}|${isHttps ? 1 : 0}|${appSid}`
}
