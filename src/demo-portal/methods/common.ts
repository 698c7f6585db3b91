/** Argument handling shared by the legacy list methods. */
import { crmError } from '../envelope'
import { isObject, type Json, type JsonObject, type Params } from '../params'
import { parseFilter, parseOrder, type Condition, type Order } from '../query'

/** PHP accepts `[]` (empty array) where an object is expected; lists become index maps. */
export function asObject(value: Json | undefined): JsonObject | null {
  if (value === undefined || value === null || value === '') return {}
  if (isObject(value)) return value
  if (Array.isArray(value)) return Object.fromEntries(value.map((v, i) => [String(i), v]))
  return null
}

export interface LegacyArgs {
  filter: JsonObject
  conditions: Condition[]
  order: Order
  start: number
}

/** filter/order/start of crm.*.list; non-object filter/order → 400 as documented. */
export function legacyArgs(params: Params, known?: Set<string>, filterOverride?: Json): LegacyArgs {
  const filter = asObject(filterOverride === undefined ? params.get('filter') : filterOverride)
  if (filter === null) throw crmError("Parameter 'filter' must be array.")
  const order = asObject(params.get('order'))
  if (order === null) throw crmError("Parameter 'order' must be array.")
  let conditions = parseFilter(filter)
  // Legacy CRM lists ignore filter keys that are not fields of the entity.
  if (known) conditions = conditions.filter((c) => known.has(c.field))
  const parsedOrder = parseOrder(order).filter(([f]) => !known || known.has(f))
  return { filter, conditions, order: parsedOrder, start: params.start() }
}

/** Field names a table knows: keys of its first row plus the named extras. */
export function knownFields(rows: object[], extra: Iterable<string> = []): Set<string> {
  const set = new Set<string>(['ID', ...extra])
  if (rows.length) for (const k of Object.keys(rows[0])) set.add(k)
  return set
}

export function positiveInt(value: Json | undefined): number | null {
  const n = Number(value)
  return Number.isInteger(n) && n > 0 ? n : null
}
