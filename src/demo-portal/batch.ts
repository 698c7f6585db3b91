/**
 * `batch` (batch.md, rest.md §3): up to 50 `method?query` commands run in order with the
 * batch's auth; `$result[cmd][path…]` (also `$next`, `$total`, `$time`, `$error`) references
 * earlier answers. Resolution follows CRestUtil::processBatchElement of the Bitrix rest module:
 * the path is walked while keys exist (null counts as missing); on a miss the walk stops at the
 * deepest value found. A value that is exactly the reference becomes that value (even an object
 * or list); a reference inside a longer string is replaced by its text — objects and lists,
 * which PHP cannot put into a string, become "" (our choice; see docs/demo-portal.md "Batch").
 */
import { phpArray, PortalRestError, type OperatingMeter } from './envelope'
import { invoke } from './dispatch'
import { withScanMemo } from './query'
import { isObject, parseBracketQuery, phpTruthy, type Json, type JsonObject, type Params } from './params'
import type { AuthContext, PortalState } from './state'

export const MAX_BATCH = 50

type RefStore = Record<'result' | 'next' | 'total' | 'time' | 'error', Map<string, unknown>>

const REF = /\$(result|next|total|time|error)([^\s]*)/gi

function walk(store: RefStore, kind: string, path: string): unknown {
  const keys = [...path.matchAll(/\[([^\]]+)\]/g)].map((m) => m[1])
  let r: unknown = Object.fromEntries(store[kind.toLowerCase() as keyof RefStore])
  for (const key of keys) {
    if (
      r !== null &&
      typeof r === 'object' &&
      key in r &&
      (r as Record<string, unknown>)[key] !== null &&
      (r as Record<string, unknown>)[key] !== undefined
    ) {
      r = (r as Record<string, unknown>)[key]
    } else break
  }
  return r
}

function asText(v: unknown): string {
  if (v === null || v === undefined || v === false) return ''
  if (v === true) return '1'
  if (typeof v === 'object') return ''
  return String(v)
}

export function substitute(value: string, store: RefStore): unknown {
  const matches = [...value.matchAll(REF)].filter((m) => /\[[^\]]+\]/.test(m[2]))
  if (matches.length === 0) return value
  if (matches.length === 1 && matches[0][0] === value) return walk(store, matches[0][1], matches[0][2])
  let out = value
  for (const m of matches) out = out.split(m[0]).join(asText(walk(store, m[1], m[2])))
  return out
}

function resolve(value: Json, store: RefStore): Json {
  if (typeof value === 'string') return substitute(value, store) as Json
  if (Array.isArray(value)) return value.map((v) => resolve(v, store))
  if (isObject(value)) {
    const out: JsonObject = {}
    for (const [k, v] of Object.entries(value)) out[String(substitute(k, store))] = resolve(v, store)
    return out
  }
  return value
}

function commandsOf(cmd: Json | undefined): [string, string][] {
  if (Array.isArray(cmd)) return cmd.map((c, i) => [String(i), String(c)])
  if (isObject(cmd)) return Object.entries(cmd).map(([k, c]) => [k, typeof c === 'string' ? c : ''])
  return []
}

export function runBatch(portal: PortalState, meter: OperatingMeter, auth: AuthContext, params: Params): unknown {
  const commands = commandsOf(params.get('cmd'))
  if (commands.length > MAX_BATCH)
    throw new PortalRestError(400, 'ERROR_BATCH_LENGTH_EXCEEDED', 'Max batch length exceeded')
  const parsed = commands.map(([key, line]) => {
    const q = line.indexOf('?')
    const method = (q < 0 ? line : line.slice(0, q))
      .trim()
      .toLowerCase()
      .replace(/\.json$/, '')
    return { key, method, query: q < 0 ? '' : line.slice(q + 1) }
  })
  if (parsed.some((c) => c.method === 'batch'))
    throw new PortalRestError(405, 'ERROR_BATCH_METHOD_NOT_ALLOWED', 'Method is not allowed for batch usage')
  const halt = phpTruthy(params.get('halt'))
  const store: RefStore = { result: new Map(), next: new Map(), total: new Map(), time: new Map(), error: new Map() }
  // One scan per filtered list however many of its pages the batch asks for (query.ts).
  withScanMemo(() => {
    for (const c of parsed) {
      if (c.method === '') continue
      try {
        const raw = resolve(parseBracketQuery(c.query), store) as JsonObject
        const { body, time } = invoke(portal, meter, auth, c.method, raw)
        store.result.set(c.key, body.result)
        if (body.total !== undefined) store.total.set(c.key, body.total)
        if (body.next !== undefined) store.next.set(c.key, body.next)
        store.time.set(c.key, time)
      } catch (e) {
        const err = e instanceof PortalRestError ? e : internalError(e)
        store.error.set(c.key, err.toBody())
        if (halt) break
      }
    }
  })
  return {
    result: phpArray(store.result),
    result_error: phpArray(store.error),
    result_total: phpArray(store.total),
    result_next: phpArray(store.next),
    result_time: phpArray(store.time),
  }
}

function internalError(e: unknown): PortalRestError {
  return new PortalRestError(500, 'INTERNAL_SERVER_ERROR', e instanceof Error ? e.message : 'Internal server error')
}
