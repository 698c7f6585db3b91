/**
 * crm.activity.list with the special BINDINGS filter and crm.activity.binding.list (rest.md §4.9).
 * An activity bound to several listed owners is returned once (the real portal may repeat it).
 */
import type { ActivityRow } from '../../b24/wire'
import { crmError, PortalRestError } from '../envelope'
import { isObject, type Json } from '../params'
import { runList, type Order } from '../query'
import { define } from '../registry'
import { project, selectPlan } from '../select'
import { knownFields, legacyArgs, positiveInt } from './common'
import { keyIndex, tableOfIds } from './narrow'

type Binding = { OWNER_TYPE_ID: string; OWNER_ID: string }

export function bindingsOf(row: ActivityRow): Binding[] {
  return row.BINDINGS && row.BINDINGS.length
    ? row.BINDINGS
    : [{ OWNER_TYPE_ID: row.OWNER_TYPE_ID, OWNER_ID: row.OWNER_ID }]
}

const NAMED_ONLY = new Set(['BINDINGS', 'COMMUNICATIONS', 'FILES'])

define('crm.activity.list', 'crm', (ctx) => {
  const { portal, params, auth } = ctx
  const rawFilter = params.get('filter')
  const bindingSpec: Json | undefined = isObject(rawFilter) ? rawFilter.BINDINGS : undefined
  let filterOverride: Json | undefined
  if (isObject(rawFilter) && 'BINDINGS' in rawFilter) {
    filterOverride = { ...rawFilter }
    delete filterOverride.BINDINGS
  }
  const args = legacyArgs(params, knownFields(portal.activities.rows), filterOverride)
  let table = portal.activities
  if (bindingSpec !== undefined) {
    const specs = (
      Array.isArray(bindingSpec) ? bindingSpec : isObject(bindingSpec) ? Object.values(bindingSpec) : []
    ).filter(isObject)
    const index = keyIndex(portal, 'activityBindings', portal.activities, (r) =>
      bindingsOf(r).flatMap((b) => [`${b.OWNER_TYPE_ID}:${b.OWNER_ID}`, `${b.OWNER_TYPE_ID}:*`, `*:${b.OWNER_ID}`]),
    )
    const lists = specs.map((s) => {
      const type = s.OWNER_TYPE_ID === undefined ? '*' : String(s.OWNER_TYPE_ID)
      const id = s.OWNER_ID === undefined ? '*' : String(s.OWNER_ID)
      if (type === '*' && id === '*') return portal.activities.ids
      return index.get(`${type}:${id}`) ?? []
    })
    table = tableOfIds(portal.activities, lists)
  }
  const predicates: ((r: ActivityRow) => boolean)[] = []
  if (portal.restricted(auth.userId)) {
    const uid = String(auth.userId)
    predicates.push((r) => String(r.RESPONSIBLE_ID) === uid)
  }
  const order: Order = args.order.length ? args.order : [['START_TIME', 'ASC']]
  const page = runList({
    table,
    idField: 'ID',
    conditions: args.conditions,
    predicates,
    order,
    start: args.start,
    timeZone: portal.timeZone,
  })
  const plan = selectPlan(params.get('select'))
  const wantsBindings = plan.named.includes('BINDINGS')
  const result = page.rows.map((r) => {
    const out = project(r, plan, { namedOnly: NAMED_ONLY })
    if (wantsBindings) out.BINDINGS = bindingsOf(r)
    return out
  })
  return { result, total: page.total, ...(page.next !== undefined ? { next: page.next } : {}) }
})

define('crm.activity.binding.list', 'crm', (ctx) => {
  const id = positiveInt(ctx.params.get('activityId'))
  if (id === null) throw new PortalRestError(400, '100', "Required fields missing: 'activityId'")
  const row = ctx.portal.activities.get(id)
  if (!row) throw new PortalRestError(400, 'NOT_FOUND', 'Element not found')
  if (ctx.portal.restricted(ctx.auth.userId) && String(row.RESPONSIBLE_ID) !== String(ctx.auth.userId))
    throw crmError('Access denied.')
  return {
    result: bindingsOf(row).map((b) => ({ entityTypeId: Number(b.OWNER_TYPE_ID), entityId: Number(b.OWNER_ID) })),
  }
})
