/**
 * crm.company.list and crm.contact.list (rest.md §4.12): the legacy list contract over the
 * dump's client rows (strings on the wire, 50 per page, `select`, `filter` with `@ID`).
 * A user limited to their own CRM rows sees the clients assigned to them.
 */
import type { CompanyRow, ContactRow } from '../../b24/wire'
import type { MethodResult } from '../envelope'
import { runList } from '../query'
import { define, type CallContext } from '../registry'
import { project, selectPlan } from '../select'
import { Table } from '../table'
import { knownFields, legacyArgs } from './common'

const tables = new WeakMap<object, Table<CompanyRow | ContactRow>>()

function tableOf(rows: CompanyRow[] | ContactRow[] | undefined): Table<CompanyRow | ContactRow> {
  const key = rows ?? []
  let table = tables.get(key)
  if (!table) tables.set(key, (table = new Table<CompanyRow | ContactRow>(key, (r) => Number(r.ID))))
  return table
}

function clientList(ctx: CallContext, rows: CompanyRow[] | ContactRow[] | undefined): MethodResult {
  const { portal, auth, params } = ctx
  const table = tableOf(rows)
  const args = legacyArgs(params, knownFields(table.rows))
  const uid = String(auth.userId)
  const predicates = portal.restricted(auth.userId) ? [(r: CompanyRow | ContactRow) => r.ASSIGNED_BY_ID === uid] : []
  const page = runList({
    table,
    idField: 'ID',
    conditions: args.conditions,
    predicates,
    order: args.order,
    start: args.start,
    timeZone: portal.timeZone,
  })
  const plan = selectPlan(params.get('select'))
  return {
    result: page.rows.map((r) => project(r, plan)),
    total: page.total,
    ...(page.next !== undefined ? { next: page.next } : {}),
  }
}

define('crm.company.list', 'crm', (ctx) => clientList(ctx, ctx.portal.dump.companies))
define('crm.contact.list', 'crm', (ctx) => clientList(ctx, ctx.portal.dump.contacts))
