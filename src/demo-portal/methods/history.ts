/**
 * crm.stagehistory.list (rest.md §4.5): `result.items`, JSON numbers, strict field checks
 * (INVALID_ARG_VALUE on unknown filter/order fields or directions), entityTypeId 1 and 2.
 */
import type { StageHistoryRow } from '../../b24/wire'
import { PortalRestError } from '../envelope'
import { isObject } from '../params'
import { parseFilter, parseKey, runList, type Order } from '../query'
import { define } from '../registry'
import { project, selectPlan } from '../select'
import { asObject } from './common'
import { narrowByKey } from './narrow'

const DEAL_FIELDS = new Set([
  'ID',
  'TYPE_ID',
  'OWNER_ID',
  'CREATED_TIME',
  'CATEGORY_ID',
  'STAGE_SEMANTIC_ID',
  'STAGE_ID',
])
const LEAD_FIELDS = new Set(['ID', 'TYPE_ID', 'OWNER_ID', 'CREATED_TIME', 'STATUS_SEMANTIC_ID', 'STATUS_ID'])

function invalid(message: string): PortalRestError {
  return new PortalRestError(400, 'INVALID_ARG_VALUE', message)
}

define('crm.stagehistory.list', 'crm', (ctx) => {
  const { portal, params, auth } = ctx
  const typeId = Number(params.get('entityTypeId'))
  if (typeId !== 1 && typeId !== 2) {
    throw new PortalRestError(
      400,
      'ENTITY_TYPE_NOT_SUPPORTED',
      `Entity type ${String(params.get('entityTypeId') ?? '')} is not supported`,
    )
  }
  const allowed = typeId === 2 ? DEAL_FIELDS : LEAD_FIELDS
  const filter = asObject(params.get('filter'))
  if (filter === null) throw invalid('Invalid filter: value must be an array')
  for (const key of Object.keys(filter)) {
    const { field } = parseKey(key)
    if (!allowed.has(field)) throw invalid(`Invalid filter: field '${field}' is not allowed in filter`)
  }
  const orderObj = asObject(params.get('order'))
  if (orderObj === null || Object.values(orderObj).some((v) => isObject(v)))
    throw invalid('Invalid order: value must be an array')
  const order: Order = []
  for (const [field, dir] of Object.entries(orderObj)) {
    if (!allowed.has(field)) throw invalid(`Invalid order: field '${field}' is not allowed in order`)
    const d = String(dir).toUpperCase()
    if (d !== 'ASC' && d !== 'DESC')
      throw invalid(
        `Invalid order: allowed sort directions are ASC, DESC. But got '${String(dir)}' for field '${field}'`,
      )
    order.push([field, d])
  }
  const table = typeId === 2 ? portal.dealHistory : portal.leadHistory
  const predicates: ((r: StageHistoryRow) => boolean)[] = []
  if (portal.restricted(auth.userId)) {
    const owned = portal.ownedIds(typeId === 2 ? 'deal' : 'lead', auth.userId)
    predicates.push((r) => owned.has(r.OWNER_ID))
  }
  const conditions = parseFilter(filter)
  const narrowed = narrowByKey(
    portal,
    typeId === 2 ? 'dealHistory' : 'leadHistory',
    table,
    conditions,
    'OWNER_ID',
    (r) => [String(r.OWNER_ID)],
  )
  const page = runList({
    table: narrowed.table,
    idField: 'ID',
    conditions: narrowed.conditions,
    predicates,
    order,
    start: params.start(),
    timeZone: portal.timeZone,
  })
  const plan = selectPlan(params.get('select'))
  if (!plan.star) plan.named = plan.named.filter((f) => allowed.has(f))
  const items = page.rows.map((r) => project(r, plan))
  return { result: { items }, total: page.total, ...(page.next !== undefined ? { next: page.next } : {}) }
})
