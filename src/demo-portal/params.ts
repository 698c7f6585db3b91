/**
 * Request parameters as Bitrix24 sees them: query string and body merged (body wins, like PHP's
 * array_replace of GET and POST), PHP bracket syntax parsed with qs, and top-level names folded
 * case-insensitively with the later key winning (rest.md §1.2). Keys inside filter/select/order
 * keep their case.
 */
import { parse as qsParse } from 'qs-esm'

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json }
export type JsonObject = { [key: string]: Json }

/** PHP-style bracket parsing with limits wide enough for 50-command batches. */
export function parseBracketQuery(query: string): JsonObject {
  return qsParse(query, { depth: 20, arrayLimit: 10_000, parameterLimit: 100_000 }) as JsonObject
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Top-level parameters with case-insensitive lookup. */
export class Params {
  private readonly folded = new Map<string, Json>()

  constructor(readonly raw: JsonObject) {
    for (const [k, v] of Object.entries(raw)) this.folded.set(k.toLowerCase(), v)
  }

  get(name: string): Json | undefined {
    return this.folded.get(name.toLowerCase())
  }

  has(name: string): boolean {
    return this.folded.has(name.toLowerCase())
  }

  /** Every top-level key except the ones named (case-insensitive). */
  without(...names: string[]): JsonObject {
    const drop = new Set(names.map((n) => n.toLowerCase()))
    const out: JsonObject = {}
    for (const [k, v] of Object.entries(this.raw)) if (!drop.has(k.toLowerCase())) out[k] = v
    return out
  }

  string(name: string): string | undefined {
    const v = this.get(name)
    if (v === undefined || v === null) return undefined
    return typeof v === 'object' ? undefined : String(v)
  }

  /** `start`: integer offset, -1 disables counting; anything else counts as 0. */
  start(): number {
    const v = Number(this.get('start') ?? 0)
    if (!Number.isFinite(v)) return 0
    if (v < 0) return -1
    return Math.floor(v)
  }
}

/** PHP truthiness of a scalar request value (`halt`, `FULL`, …). */
export function phpTruthy(v: Json | undefined): boolean {
  if (v === undefined || v === null || v === false) return false
  if (typeof v === 'number') return v !== 0
  if (typeof v === 'string') return v !== '' && v !== '0'
  if (Array.isArray(v)) return v.length > 0
  if (typeof v === 'object') return Object.keys(v).length > 0
  return true
}

/** Text fields of a multipart/form-data body as a bracket query (file parts are skipped). */
function multipartToQuery(body: string, boundary: string): string {
  const pairs: string[] = []
  for (const part of body.split(`--${boundary}`)) {
    const split = part.indexOf('\r\n\r\n')
    if (split < 0) continue
    const head = part.slice(0, split)
    const name = /name="([^"]*)"/i.exec(head)?.[1]
    if (name === undefined || /filename=/i.test(head)) continue
    const value = part.slice(split + 4).replace(/\r\n$/, '')
    pairs.push(`${encodeURIComponent(name)}=${encodeURIComponent(value)}`)
  }
  return pairs.join('&')
}

/** Reads a request body into a parameter object (JSON, urlencoded or multipart text fields). */
export function parseBody(contentType: string | undefined, body: string): JsonObject {
  const text = body.trim()
  if (text === '') return {}
  const type = (contentType ?? '').toLowerCase()
  const boundary = /multipart\/form-data;.*boundary="?([^";]+)"?/i.exec(contentType ?? '')?.[1]
  if (boundary) return parseBracketQuery(multipartToQuery(body, boundary))
  if (
    type.includes('application/json') ||
    (!type.includes('urlencoded') && (text.startsWith('{') || text.startsWith('[')))
  ) {
    const parsed = JSON.parse(text) as Json
    if (isObject(parsed)) return parsed
    if (Array.isArray(parsed)) return Object.fromEntries(parsed.map((v, i) => [String(i), v]))
    return {}
  }
  return parseBracketQuery(text)
}
