/**
 * tasks.task.list (camelCase rows in `result.tasks`, UF_CRM_TASK → ufCrmTask, rest.md §6) and
 * voximplant.statistic.get (FILTER plus SORT/ORDER strings, rest.md §5).
 */
import type { CallRow } from '../../b24/wire'
import { RestError } from '../envelope'
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

define('tasks.task.list', 'task', (ctx) => {
  const { params, portal } = ctx
  const orderObj = asObject(params.get('order')) ?? {}
  const order: Order = []
  for (const [f, d] of Object.entries(orderObj)) {
    const key = taskKey(f.toUpperCase())
    if (portal.tasks.size && !(key in portal.tasks.rows[0]) && key !== 'id') {
      throw new RestError(400, '0', 'Invalid sorting key (internal error)')
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
    order,
    start: params.start(),
    timeZone: portal.timeZone,
  })
  return { result: page.rows, total: page.total, ...(page.next !== undefined ? { next: page.next } : {}) }
})
