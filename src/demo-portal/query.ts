/**
 * The list machinery shared by every list method: filter operators (crm-deal-list.md,
 * rest.md §1.6), order, 50-row pages with `total`/`next`, and `start=-1` (no count, no next).
 *
 * Fast path: conditions on the id field (`>ID`, `>=ID`, `<ID`, `<=ID`, `=ID`) cut a window out
 * of the id-sorted table by binary search; with order by id (or none) the window is walked in
 * order and a `start=-1` page stops after 50 matches. Other orders scan, then sort.
 */
import type { Json, JsonObject } from './params'
import { Table } from './table'
import { looksLikeWireDate, parseDateValue } from './tz'

export const PAGE_SIZE = 50

export type Op = '=' | '!=' | '>' | '>=' | '<' | '<=' | '@' | '!@' | '%' | '=%' | '!%' | '!=%' | '><' | '!><' | '?'

export interface Condition {
  field: string
  op: Op
  value: Json
}

// Longest prefixes first so ">=" is not read as ">".
const PREFIXES: [string, Op][] = [
  ['!><', '!><'],
  ['!=%', '!=%'],
  ['!%=', '!=%'],
  ['><', '><'],
  ['>=', '>='],
  ['<=', '<='],
  ['!@', '!@'],
  ['=%', '=%'],
  ['%=', '=%'],
  ['!=', '!='],
  ['!%', '!%'],
  ['@', '@'],
  ['>', '>'],
  ['<', '<'],
  ['=', '='],
  ['%', '%'],
  ['!', '!='],
  ['?', '?'],
]

export function parseKey(key: string): { field: string; op: Op } {
  for (const [prefix, op] of PREFIXES) {
    if (key.startsWith(prefix) && key.length > prefix.length) return { field: key.slice(prefix.length), op }
  }
  return { field: key, op: '=' }
}

/** Filter object → conditions; a plain array value means IN. */
export function parseFilter(filter: JsonObject): Condition[] {
  const out: Condition[] = []
  for (const [key, value] of Object.entries(filter)) {
    const { field, op } = parseKey(key)
    const isList = Array.isArray(value) || (value !== null && typeof value === 'object')
    let effective: Op = op
    if (isList && op === '=') effective = '@'
    if (isList && op === '!=') effective = '!@'
    out.push({ field, op: effective, value })
  }
  return out
}

function listOf(value: Json): Json[] {
  if (Array.isArray(value)) return value
  if (value !== null && typeof value === 'object') return Object.values(value)
  return [value]
}

const NUMERIC = /^-?\d+(\.\d+)?$/

function asNumber(v: unknown): number {
  if (typeof v === 'number') return v
  if (typeof v === 'string' && NUMERIC.test(v)) return Number(v)
  return NaN
}

function asBoolNumber(v: unknown): number {
  if (v === true || v === 'Y' || v === 'y' || v === '1' || v === 1 || v === 'true') return 1
  if (v === false || v === 'N' || v === 'n' || v === '0' || v === 0 || v === 'false' || v === '') return 0
  return NaN
}

function isEmpty(v: unknown): boolean {
  return v === null || v === undefined || v === ''
}

/**
 * A filter value read every way a row may need it (number, flag, instant, text), once per
 * condition: a date-filtered list compares every row of its table with it.
 */
interface Operand {
  empty: boolean
  num: number
  bool: number
  instant: number
  text: string
}

function operandOf(filterValue: unknown, timeZone: string): Operand {
  return {
    empty: isEmpty(filterValue),
    num: asNumber(filterValue),
    bool: asBoolNumber(filterValue),
    instant: typeof filterValue === 'number' ? filterValue * 1000 : parseDateValue(filterValue, timeZone),
    text: String(filterValue).toLowerCase(),
  }
}

function compareToOperand(rowValue: unknown, f: Operand): number | null {
  if (isEmpty(rowValue)) return f.empty ? 0 : null
  if (f.empty) return null
  if (typeof rowValue === 'boolean') return Number.isNaN(f.bool) ? null : (rowValue ? 1 : 0) - f.bool
  // A wire date is never a number: checked first, it spares the number test on every dated row.
  if (looksLikeWireDate(rowValue)) {
    const rd = Date.parse(rowValue)
    if (!Number.isNaN(rd) && !Number.isNaN(f.instant)) return rd - f.instant
  } else {
    const rn = asNumber(rowValue)
    if (!Number.isNaN(rn) && !Number.isNaN(f.num)) return rn - f.num
  }
  const a = String(rowValue).toLowerCase()
  return a < f.text ? -1 : a > f.text ? 1 : 0
}

/**
 * Compares a stored value with a filter value: booleans, numbers, dates as instants, else
 * case-insensitive text. null when the two cannot be ordered.
 */
export function compareToFilter(rowValue: unknown, filterValue: unknown, timeZone: string): number | null {
  return compareToOperand(rowValue, operandOf(filterValue, timeZone))
}

function likePattern(pattern: string): RegExp {
  const escaped = pattern
    .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    .replace(/%/g, '.*')
    .replace(/_/g, '.')
  return new RegExp(`^${escaped}$`, 'is')
}

type Getter = (row: object, field: string) => unknown

export const plainGetter: Getter = (row, field) => (row as Record<string, unknown>)[field]

/** One condition as a predicate. Multiple-valued fields match when any element matches. */
export function compileCondition(
  cond: Condition,
  timeZone: string,
  get: Getter = plainGetter,
): (row: object) => boolean {
  const { field, op, value } = cond
  const one = operandOf(Array.isArray(value) ? value[0] : value, timeZone)
  const list = op === '@' || op === '!@' ? listOf(value).map((v) => operandOf(v, timeZone)) : []
  const eqOne = operandOf(value, timeZone)
  const eq = (rv: unknown, f: Operand): boolean => compareToOperand(rv, f) === 0
  const needle = String(value).toLowerCase()
  const like = op === '=%' || op === '!=%' ? likePattern(String(value)) : null
  const range = op === '><' || op === '!><' ? listOf(value) : []
  const [lo, hi] = [operandOf(range[0], timeZone), operandOf(range[1], timeZone)]
  const test = (rv: unknown): boolean => {
    switch (op) {
      case '=':
        return eq(rv, eqOne)
      case '!=':
        return !eq(rv, eqOne)
      case '@':
        return list.some((f) => eq(rv, f))
      case '!@':
        return !list.some((f) => eq(rv, f))
      case '>':
      case '>=':
      case '<':
      case '<=': {
        const c = compareToOperand(rv, one)
        if (c === null) return false
        return op === '>' ? c > 0 : op === '>=' ? c >= 0 : op === '<' ? c < 0 : c <= 0
      }
      case '%':
        return !isEmpty(rv) && String(rv).toLowerCase().includes(needle)
      case '!%':
        return isEmpty(rv) || !String(rv).toLowerCase().includes(needle)
      case '=%':
        return !isEmpty(rv) && like!.test(String(rv))
      case '!=%':
        return isEmpty(rv) || !like!.test(String(rv))
      case '><':
      case '!><': {
        const a = compareToOperand(rv, lo)
        const b = compareToOperand(rv, hi)
        const inside = a !== null && b !== null && a >= 0 && b <= 0
        return op === '><' ? inside : !inside
      }
      case '?':
        return isEmpty(rv) === (String(value).toUpperCase() === 'Y' || value === true)
    }
  }
  const negative = op === '!=' || op === '!@' || op === '!%' || op === '!=%' || op === '!><'
  return (row) => {
    const rv = get(row, field)
    if (Array.isArray(rv)) {
      if (rv.length === 0) return test(null)
      return negative ? rv.every(test) : rv.some(test)
    }
    return test(rv)
  }
}

export type Direction = 'ASC' | 'DESC'
export type Order = [string, Direction][]

/** Sort key of a value: numbers and instants as numbers, text lowercased; empties first. */
function sortKey(v: unknown): number | string {
  if (isEmpty(v)) return -Infinity
  if (typeof v === 'number') return v
  if (typeof v === 'boolean') return v ? 1 : 0
  const n = asNumber(v)
  if (!Number.isNaN(n)) return n
  if (looksLikeWireDate(v)) {
    const d = Date.parse(v)
    if (!Number.isNaN(d)) return d
  }
  return String(v).toLowerCase()
}

function compareKeys(a: number | string, b: number | string): number {
  if (typeof a === typeof b) return a < b ? -1 : a > b ? 1 : 0
  return typeof a === 'number' ? -1 : 1
}

export interface ListRequest<R extends object> {
  table: Table<R>
  idField: string
  conditions: Condition[]
  /** Extra row tests: permissions, special keys (BINDINGS, UF_CRM_TASK). */
  predicates?: ((row: R) => boolean)[]
  order: Order
  start: number
  timeZone: string
  get?: Getter
}

export interface ListPage<R> {
  rows: R[]
  /** 0 for start=-1 (counting disabled), else the number of matching rows. */
  total: number
  next?: number
}

/** Runs a list request: fast id windows when possible, else scan + sort. */
export function runList<R extends object>(req: ListRequest<R>): ListPage<R> {
  const { table, idField, timeZone } = req
  const get = req.get ?? plainGetter
  let from = 0
  let to = table.size
  const rest: ((row: R) => boolean)[] = [...(req.predicates ?? [])]
  for (const c of req.conditions) {
    const n = asNumber(Array.isArray(c.value) ? undefined : c.value)
    if (c.field === idField && !Number.isNaN(n) && ['>', '>=', '<', '<=', '='].includes(c.op)) {
      if (c.op === '>') from = Math.max(from, table.lowerBound(Math.floor(n) + 1))
      else if (c.op === '>=') from = Math.max(from, table.lowerBound(Math.ceil(n)))
      else if (c.op === '<') to = Math.min(to, table.lowerBound(Math.ceil(n)))
      else if (c.op === '<=') to = Math.min(to, table.lowerBound(Math.floor(n) + 1))
      else if (Number.isInteger(n)) {
        from = Math.max(from, table.lowerBound(n))
        to = Math.min(to, table.lowerBound(n + 1))
      } else to = from
    } else rest.push(compileCondition(c, timeZone, get))
  }
  if (to < from) to = from
  const matches = (row: R): boolean => {
    for (const p of rest) if (!p(row)) return false
    return true
  }
  const start = req.start
  const order = req.order
  const byIdOnly = order.length === 0 || (order.length === 1 && order[0][0] === idField)
  const desc = byIdOnly && order.length === 1 && order[0][1] === 'DESC'
  const rows = table.rows
  if (byIdOnly && rest.length === 0) {
    const total = to - from
    if (start < 0) return { rows: pick(rows, from, to, 0, desc), total: 0 }
    return page(pick(rows, from, to, start, desc), total, start)
  }
  if (byIdOnly && start < 0) {
    // No count asked: stop at the 50th match.
    const out: R[] = []
    for (let k = 0; k < to - from && out.length < PAGE_SIZE; k++) {
      const row = rows[desc ? to - 1 - k : from + k]
      if (matches(row)) out.push(row)
    }
    return { rows: out, total: 0 }
  }
  const scan = (): R[] => {
    if (byIdOnly) {
      const out: R[] = []
      for (let k = 0; k < to - from; k++) {
        const row = rows[desc ? to - 1 - k : from + k]
        if (matches(row)) out.push(row)
      }
      return out
    }
    const found: { row: R; keys: (number | string)[] }[] = []
    for (let i = from; i < to; i++) {
      const row = rows[i]
      if (matches(row)) found.push({ row, keys: order.map(([f]) => sortKey(get(row, f))) })
    }
    found.sort((a, b) => {
      for (let i = 0; i < order.length; i++) {
        const c = compareKeys(a.keys[i], b.keys[i])
        if (c !== 0) return order[i][1] === 'DESC' ? -c : c
      }
      return table.idOf(a.row) - table.idOf(b.row)
    })
    return found.map((f) => f.row)
  }
  const all = remembered(req, scan)
  const skip = Math.max(0, start)
  const out = all.slice(skip, skip + PAGE_SIZE)
  return start < 0 ? { rows: out, total: 0 } : page(out, all.length, start)
}

/** The scans of the batch request running now, by table, then by query (see withScanMemo). */
let scans: Map<object, Map<string, unknown[]>> | null = null

/**
 * Runs `fn` (one batch request) with the scans of counted lists remembered. Offset paging asks
 * the same filtered list page after page (`start` = 0, 50, 100 … in one batch), and each page
 * needs every match for `total`: without this, each page scans the whole table. Safe because
 * nothing in a batch changes a CRM table (the REST API here has no CRM writes; the mutation
 * API runs between requests) and only queries decided by their conditions alone are kept.
 */
export function withScanMemo<T>(fn: () => T): T {
  const outer = scans
  scans = new Map()
  try {
    return fn()
  } finally {
    scans = outer
  }
}

function remembered<R extends object>(req: ListRequest<R>, scan: () => R[]): R[] {
  // Permission predicates and custom getters are closures: their queries are not comparable.
  const comparable = (req.predicates ?? []).length === 0 && (req.get ?? plainGetter) === plainGetter
  if (!scans || !comparable) return scan()
  const key = JSON.stringify([req.idField, req.conditions, req.order, req.timeZone])
  let byQuery = scans.get(req.table)
  if (!byQuery) scans.set(req.table, (byQuery = new Map()))
  let rows = byQuery.get(key) as R[] | undefined
  if (!rows) byQuery.set(key, (rows = scan()))
  return rows
}

function pick<R>(rows: R[], from: number, to: number, skip: number, desc: boolean): R[] {
  if (!desc) return rows.slice(from + skip, Math.min(to, from + skip + PAGE_SIZE))
  const out: R[] = []
  for (let i = to - 1 - skip; i >= from && out.length < PAGE_SIZE; i--) out.push(rows[i])
  return out
}

function page<R>(rows: R[], total: number, start: number): ListPage<R> {
  const next = start + PAGE_SIZE < total ? start + PAGE_SIZE : undefined
  return next === undefined ? { rows, total } : { rows, total, next }
}

/** `{FIELD: 'asc'|'desc'}` → Order; unknown directions read as ASC (legacy lists). */
export function parseOrder(order: JsonObject): Order {
  return Object.entries(order).map(([f, d]) => [f, String(d).toUpperCase() === 'DESC' ? 'DESC' : 'ASC'])
}

/** Sorts a small in-memory list (dictionaries, user fields) by an Order. */
export function sortRows<R extends object>(rows: R[], order: Order): R[] {
  const keyed = rows.map((row) => ({ row, keys: order.map(([f]) => sortKey((row as Record<string, unknown>)[f])) }))
  keyed.sort((a, b) => {
    for (let i = 0; i < order.length; i++) {
      const c = compareKeys(a.keys[i], b.keys[i])
      if (c !== 0) return order[i][1] === 'DESC' ? -c : c
    }
    return 0
  })
  return keyed.map((k) => k.row)
}
