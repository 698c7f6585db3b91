/**
 * Legacy CRM methods: deals, leads, their user fields, dictionaries, pipelines, currencies
 * (rest.md §4). Rows are served as stored in the dump; `select` trims them.
 */
import type { DealRow, LeadRow, UserFieldRow } from '../../b24/wire'
import { crmError, PortalRestError, type MethodResult } from '../envelope'
import { compileCondition, parseFilter, parseOrder, runList, sortRows } from '../query'
import { define, type CallContext } from '../registry'
import { project, selectPlan } from '../select'
import type { Table } from '../table'
import { asObject, knownFields, legacyArgs, positiveInt } from './common'
import { dealFields } from './deal-fields'

function multipleUf(fields: UserFieldRow[]): Set<string> {
  return new Set(fields.filter((f) => f.MULTIPLE === 'Y').map((f) => f.FIELD_NAME))
}

function crmList<R extends DealRow | LeadRow>(
  ctx: CallContext,
  table: Table<R>,
  userFields: UserFieldRow[],
): MethodResult {
  const { portal, auth, params } = ctx
  const known = knownFields(
    table.rows,
    userFields.map((f) => f.FIELD_NAME),
  )
  const args = legacyArgs(params, known)
  const predicates: ((r: R) => boolean)[] = []
  if (portal.restricted(auth.userId)) {
    const uid = String(auth.userId)
    predicates.push((r) => String(r.ASSIGNED_BY_ID) === uid)
  }
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
  const opts = { multipleUf: multipleUf(userFields) }
  return {
    result: page.rows.map((r) => project(r, plan, opts)),
    total: page.total,
    ...(page.next !== undefined ? { next: page.next } : {}),
  }
}

function crmGet<R extends DealRow | LeadRow>(ctx: CallContext, table: Table<R>): MethodResult {
  const id = positiveInt(ctx.params.get('id'))
  if (id === null) throw crmError('ID is not defined or invalid.')
  const row = table.get(id)
  if (!row) throw crmError('Not found')
  if (ctx.portal.restricted(ctx.auth.userId) && String(row.ASSIGNED_BY_ID) !== String(ctx.auth.userId))
    throw crmError('Access denied.')
  return { result: row }
}

define('crm.deal.list', 'crm', (ctx) => crmList(ctx, ctx.portal.deals, ctx.portal.dump.dealUserFields))
define('crm.lead.list', 'crm', (ctx) => crmList(ctx, ctx.portal.leads, ctx.portal.dump.leadUserFields))
define('crm.deal.get', 'crm', (ctx) => crmGet(ctx, ctx.portal.deals))
define('crm.lead.get', 'crm', (ctx) => crmGet(ctx, ctx.portal.leads))
define('crm.deal.fields', 'crm', (ctx) => ({ result: dealFields(ctx.portal.dump.dealUserFields) }))

/** crm.*.userfield.list: labels only with filter.LANG (crm-deal-userfield-list). */
function userFieldList(ctx: CallContext, fields: UserFieldRow[]): MethodResult {
  const filter = asObject(ctx.params.get('filter'))
  if (filter === null) throw crmError("Parameter 'filter' must be array.")
  const order = asObject(ctx.params.get('order'))
  if (order === null) throw crmError("Parameter 'order' must be array.")
  const withLabels = Object.keys(filter).some((k) => k.toUpperCase() === 'LANG')
  const conditions = parseFilter(Object.fromEntries(Object.entries(filter).filter(([k]) => k.toUpperCase() !== 'LANG')))
  const tests = conditions.map((c) => compileCondition(c, ctx.portal.timeZone))
  let rows = fields.filter((f) => tests.every((t) => t(f)))
  const parsed = parseOrder(Object.keys(order).length ? order : { SORT: 'ASC', ID: 'ASC' })
  rows = sortRows(rows, parsed)
  const result = rows.map((f) => {
    if (withLabels) return f
    const copy: Record<string, unknown> = { ...f }
    for (const k of ['EDIT_FORM_LABEL', 'LIST_COLUMN_LABEL', 'LIST_FILTER_LABEL', 'ERROR_MESSAGE', 'HELP_MESSAGE'])
      delete copy[k]
    return copy
  })
  return { result, total: result.length }
}

define('crm.deal.userfield.list', 'crm', (ctx) => userFieldList(ctx, ctx.portal.dump.dealUserFields))
define('crm.lead.userfield.list', 'crm', (ctx) => userFieldList(ctx, ctx.portal.dump.leadUserFields))

/** crm.status.list: one dictionary per call, `select` ignored (crm-status-list.md). */
define('crm.status.list', 'crm', (ctx) => {
  const filter = asObject(ctx.params.get('filter'))
  if (filter === null) throw crmError("Parameter 'filter' must be array.")
  const entityKey = Object.keys(filter).find((k) => k.replace(/^=/, '') === 'ENTITY_ID')
  if (entityKey !== undefined && typeof filter[entityKey] !== 'string')
    throw crmError('Filter by ENTITY_ID must be a string')
  const order = asObject(ctx.params.get('order')) ?? {}
  const tests = parseFilter(filter).map((c) => compileCondition(c, ctx.portal.timeZone))
  const rows = ctx.portal.dump.statuses.filter((s) => tests.every((t) => t(s)))
  const parsed = parseOrder(Object.keys(order).length ? order : { SORT: 'ASC' })
  const sorted = sortRows(rows, parsed)
  return { result: sorted, total: sorted.length }
})

/** crm.status.entity.types: built from the dictionaries the dump holds. */
define('crm.status.entity.types', 'crm', (ctx) => {
  const { statuses, dealCategories } = ctx.portal.dump
  const semantic = (entityId: string): Record<string, unknown> => {
    const rows = statuses.filter((s) => s.ENTITY_ID === entityId).sort((a, b) => Number(a.SORT) - Number(b.SORT))
    return {
      START_FIELD: rows[0]?.STATUS_ID ?? '',
      FINAL_SUCCESS_FIELD: rows.find((s) => s.SEMANTICS === 'S')?.STATUS_ID ?? '',
      FINAL_UNSUCCESS_FIELD: rows.find((s) => s.SEMANTICS === 'F')?.STATUS_ID ?? '',
      FINAL_SORT: 0,
    }
  }
  const result: Record<string, unknown>[] = [
    { ID: 'STATUS', NAME: 'Lead stages', SEMANTIC_INFO: semantic('STATUS'), ENTITY_TYPE_ID: 1 },
    { ID: 'SOURCE', NAME: 'Sources' },
    { ID: 'DEAL_TYPE', NAME: 'Deal type' },
  ]
  for (const c of [...dealCategories].sort((a, b) => a.sort - b.sort)) {
    if (c.id === 0) continue
    result.push({
      ID: `DEAL_STAGE_${c.id}`,
      NAME: `${c.name} deal stages`,
      PARENT_ID: 'DEAL_STAGE',
      SEMANTIC_INFO: semantic(`DEAL_STAGE_${c.id}`),
      PREFIX: `C${c.id}`,
      FIELD_ATTRIBUTE_SCOPE: `category_${c.id}`,
      ENTITY_TYPE_ID: 2,
      CATEGORY_ID: String(c.id),
    })
  }
  result.push({
    ID: 'DEAL_STAGE',
    NAME: 'General deal stages',
    SEMANTIC_INFO: semantic('DEAL_STAGE'),
    FIELD_ATTRIBUTE_SCOPE: '',
    ENTITY_TYPE_ID: 2,
    CATEGORY_ID: 0,
  })
  return { result }
})

/** crm.category.list: `result.categories`, numbers, default pipeline included. */
define('crm.category.list', 'crm', (ctx) => {
  const typeId = Number(ctx.params.get('entityTypeId'))
  if (!Number.isInteger(typeId) || typeId <= 0) throw new PortalRestError(400, 'NOT_FOUND', 'Smart process not found')
  if (typeId !== 2)
    throw new PortalRestError(400, 'ENTITY_TYPE_NOT_SUPPORTED', `Entity type ${typeId} is not supported`)
  const categories = ctx.portal.dump.dealCategories
  return { result: { categories }, total: categories.length }
})

/** crm.currency.list: `total` is always 0 for this method (crm-currency-list.md). */
define('crm.currency.list', 'crm', (ctx) => {
  const order = asObject(ctx.params.get('order')) ?? {}
  const parsed = parseOrder(Object.keys(order).length ? order : { SORT: 'ASC' })
  const rows = sortRows(ctx.portal.dump.currencies, parsed)
  return { result: rows, total: 0 }
})
