/**
 * Users and structure (rest.md §7): user.get with string sort/order, FILTER (or top-level
 * field params), start incl. -1; user.current, profile, user.admin, department.get.
 */
import type { UserRow } from '../../b24/wire'
import { PortalRestError } from '../envelope'
import { isObject, type Json, type JsonObject } from '../params'
import { parseFilter, runList, type Condition, type Order } from '../query'
import { define } from '../registry'

const USER_CONTROL = ['sort', 'order', 'filter', 'start', 'select', 'admin_mode', 'image_resize', 'auth']

function stringOrder(sort: Json | undefined, order: Json | undefined, fallback: string): Order {
  if (sort !== undefined && typeof sort !== 'string')
    throw new PortalRestError(400, 'ERROR_ARGUMENT', 'Sort must be a string')
  if (order !== undefined && typeof order !== 'string')
    throw new PortalRestError(400, 'ERROR_ARGUMENT', 'Order must be a string')
  const field = sort && sort !== '' ? sort.toUpperCase() : fallback
  return [[field, String(order ?? 'ASC').toUpperCase() === 'DESC' ? 'DESC' : 'ASC']]
}

define('user.get', 'user_brief', (ctx) => {
  const { params, portal } = ctx
  const order = stringOrder(params.get('sort'), params.get('order'), 'ID')
  let filter: JsonObject
  const given = params.get('filter')
  if (given !== undefined) filter = isObject(given) ? given : {}
  else filter = params.without(...USER_CONTROL)
  const conditions: Condition[] = []
  const predicates: ((u: UserRow) => boolean)[] = []
  for (const c of parseFilter(filter)) {
    if (c.field === 'NAME_SEARCH') {
      const needle = String(c.value).toLowerCase()
      predicates.push((u) => `${u.NAME} ${u.LAST_NAME}`.toLowerCase().includes(needle))
    } else conditions.push(c)
  }
  const page = runList({
    table: portal.users,
    idField: 'ID',
    conditions,
    predicates,
    order,
    start: params.start(),
    timeZone: portal.timeZone,
  })
  return { result: page.rows, total: page.total, ...(page.next !== undefined ? { next: page.next } : {}) }
})

define('user.current', 'user_brief', (ctx) => {
  const user = ctx.portal.user(ctx.auth.userId)
  return { result: user ?? {} }
})

define('profile', 'basic', (ctx) => {
  const user = ctx.portal.user(ctx.auth.userId)
  if (!user || !user.ACTIVE) return { result: [] }
  return {
    result: {
      ID: user.ID,
      ADMIN: ctx.portal.isAdmin(ctx.auth.userId),
      NAME: user.NAME,
      LAST_NAME: user.LAST_NAME,
      PERSONAL_GENDER: '',
      TIME_ZONE: user.TIME_ZONE ?? '',
    },
  }
})

define('user.admin', 'basic', (ctx) => ({ result: ctx.portal.isAdmin(ctx.auth.userId) }))

/** department.get: filter fields are top-level params (ID, NAME, SORT, PARENT, UF_HEAD). */
define('department.get', 'department', (ctx) => {
  const { params, portal } = ctx
  const order = stringOrder(params.get('sort'), params.get('order'), 'SORT')
  const conditions: Condition[] = []
  for (const field of ['ID', 'NAME', 'SORT', 'PARENT', 'UF_HEAD']) {
    const v = params.get(field)
    if (v !== undefined && v !== '') conditions.push({ field, op: Array.isArray(v) ? '@' : '=', value: v })
  }
  const start = params.start()
  const page = runList({
    table: portal.departments,
    idField: 'ID',
    conditions,
    order,
    start,
    timeZone: portal.timeZone,
  })
  return { result: page.rows, total: page.total, ...(page.next !== undefined ? { next: page.next } : {}) }
})
