/**
 * tasks.task.list (camelCase rows in `result.tasks`, UF_CRM_TASK → ufCrmTask, rest.md §6) and
 * voximplant.statistic.get (FILTER plus SORT/ORDER strings, rest.md §5).
 *
 * Who sees what, after the official REST docs (b24restdocs):
 * - tasks.task.list: "administrators see all tasks, managers see their employees' tasks, others
 *   see only the tasks available to them" — here: tasks the user created or is responsible for,
 *   plus those of the members of departments the user heads (UF_HEAD, sub-departments included).
 * - voximplant.statistic.get: "user with Call Statistics — View permission"; that permission is
 *   none / own / department / all in the telephony roles. Admins and ordinary users see all calls;
 *   a user with `ownDealsOnly` (a restricted CRM role) is modelled with telephony "own": only
 *   calls where PORTAL_USER_ID is the user.
 */
import type { CallRow, TaskRow } from '../../b24/wire'
import type { AuthContext, PortalState } from '../state'
import { PortalRestError } from '../envelope'
import { isObject } from '../params'
import { parseFilter, runList, type Condition, type Order } from '../query'
import { define } from '../registry'
import { asObject } from './common'

const TASK_ALIASES: Record<string, string> = { REAL_STATUS: 'status', STATUS: 'status', UF_CRM_TASK: 'ufCrmTask' }

/** CREATED_DATE → createdDate. */
export function taskKey(upper: string): string {
  if (TASK_ALIASES[upper]) return TASK_ALIASES[upper]
  return upper.toLowerCase().replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase())
}

const taskGet = (row: object, field: string): unknown => (row as Record<string, unknown>)[field]

function taskVisibility(portal: PortalState, auth: AuthContext): ((row: TaskRow) => boolean)[] {
  if (portal.isAdmin(auth.userId)) return []
  const uid = String(auth.userId)
  const team = portal.subordinates(auth.userId)
  return [(r) => r.responsibleId === uid || r.createdBy === uid || team.has(Number(r.responsibleId))]
}

function callVisibility(portal: PortalState, auth: AuthContext): ((row: CallRow) => boolean)[] {
  if (portal.isAdmin(auth.userId) || !portal.restricted(auth.userId)) return []
  const uid = String(auth.userId)
  return [(r) => String(r.PORTAL_USER_ID) === uid]
}

define('tasks.task.list', 'task', (ctx) => {
  const { params, portal } = ctx
  const orderObj = asObject(params.get('order')) ?? {}
  const order: Order = []
  for (const [f, d] of Object.entries(orderObj)) {
    const key = taskKey(f.toUpperCase())
    if (portal.tasks.size && !(key in portal.tasks.rows[0]) && key !== 'id') {
      throw new PortalRestError(400, '0', 'Invalid sorting key (internal error)')
    }
    order.push([key, String(d).toUpperCase() === 'DESC' ? 'DESC' : 'ASC'])
  }
  if (order.length === 0) order.push(['id', 'DESC'])
  const filter = asObject(params.get('filter')) ?? {}
  const conditions: Condition[] = parseFilter(filter).map((c) => ({ ...c, field: taskKey(c.field.toUpperCase()) }))
  const page = runList({
    table: portal.tasks,
    idField: 'id',
    conditions,
    predicates: taskVisibility(portal, ctx.auth),
    order,
    start: params.start(),
    timeZone: portal.timeZone,
    get: taskGet,
  })
  const select = params.get('select')
  const names = Array.isArray(select) ? select.map((s) => taskKey(String(s).toUpperCase())) : []
  const all = names.length === 0 || names.includes('*')
  const tasks = page.rows.map((row) => {
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(row)) {
      if (k === 'id' || (all && k !== 'ufCrmTask') || names.includes(k)) out[k] = v
    }
    if (names.includes('ufCrmTask') && !('ufCrmTask' in out)) out.ufCrmTask = []
    return out
  })
  return { result: { tasks }, total: page.total, ...(page.next !== undefined ? { next: page.next } : {}) }
})

define('voximplant.statistic.get', 'telephony', (ctx) => {
  const { params, portal } = ctx
  const sort = params.get('sort')
  const dir = params.get('order')
  const order: Order = [
    [
      typeof sort === 'string' && sort ? sort.toUpperCase() : 'ID',
      String(dir ?? 'ASC').toUpperCase() === 'DESC' ? 'DESC' : 'ASC',
    ],
  ]
  const filter = params.get('filter')
  const conditions = parseFilter(isObject(filter) ? filter : {})
  const page = runList<CallRow>({
    table: portal.calls,
    idField: 'ID',
    conditions,
    predicates: callVisibility(portal, ctx.auth),
    order,
    start: params.start(),
    timeZone: portal.timeZone,
  })
  return { result: page.rows, total: page.total, ...(page.next !== undefined ? { next: page.next } : {}) }
})
