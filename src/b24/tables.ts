/**
 * What to load for each table of a PortalDump, and how each REST list method pages.
 *
 * - "cursor" tables are walked by ID: `start=-1`, `order {ID:'ASC'}`, `filter {'>ID': last}`
 *   (rest.md §1.4 "fast export"); pages can be chained inside one batch with back-references.
 * - "offset" tables cannot be walked that way (user.get / voximplant / department.get sort by
 *   strings; dictionaries are small): plain `start=0,50,100…` pages, several per batch.
 */
import type { PortalDump } from './wire'

/** Synced tables. App options are read apart; client names are not synced: the report asks for those it shows. */
export type TableName = Exclude<keyof PortalDump, 'format' | 'portal' | 'appOptions' | 'companies' | 'contacts'>

export const ALL_TABLES: readonly TableName[] = [
  'statuses',
  'dealCategories',
  'dealUserFields',
  'leadUserFields',
  'users',
  'departments',
  'currencies',
  'deals',
  'leads',
  'dealHistory',
  'leadHistory',
  'activities',
  'tasks',
  'calls',
]

interface BaseSpec {
  table: TableName
  method: string
  /** Fixed params (select, entityTypeId, sort…). */
  params: Record<string, unknown>
  /** Key of a row's id in the reply ('ID', 'id', 'CURRENCY'). */
  idKey: string
  /** Rows sit under result[resultKey] (crm.stagehistory.list → items, tasks.task.list → tasks). */
  resultKey?: 'items' | 'tasks' | 'categories'
  /** Name of the filter parameter (voximplant wants FILTER; everything else filter). */
  filterParam: string
}

export interface CursorSpec extends BaseSpec {
  kind: 'cursor'
  /** Filter/order key for the cursor: 'ID' everywhere (tasks too, whose rows say 'id'). */
  cursorKey: string
  orderValue: 'ASC' | 'asc'
  /** Field that moves when a row is edited; null for rows that never change (stage history). */
  modifiedField: string | null
  /**
   * Date that splits a cold load into "recent" (≥ since, loaded first) and "older" (< since,
   * backfilled): the modified field, or the creation time of rows that never change. A row
   * created or edited after `since` always has it ≥ since, so the two parts never overlap.
   */
  recentField: string
}

export interface OffsetSpec extends BaseSpec {
  kind: 'offset'
  /** Rows are only ever added (telephony): a delta can ask for `>ID` instead of reloading. */
  appendOnly: boolean
  /** As CursorSpec.recentField, for a large offset table (calls); dictionaries load whole. */
  recentField?: string
}

export type TableSpec = CursorSpec | OffsetSpec

export const PAGE = 50

const ACTIVITY_SELECT = [
  'ID',
  'OWNER_ID',
  'OWNER_TYPE_ID',
  'TYPE_ID',
  'PROVIDER_ID',
  'PROVIDER_TYPE_ID',
  'ASSOCIATED_ENTITY_ID',
  'SUBJECT',
  'CREATED',
  'LAST_UPDATED',
  'START_TIME',
  'END_TIME',
  'DEADLINE',
  'COMPLETED',
  'STATUS',
  'RESPONSIBLE_ID',
  'PRIORITY',
  'DIRECTION',
  'AUTHOR_ID',
  'EDITOR_ID',
  'BINDINGS',
]
const TASK_SELECT = [
  'ID',
  'TITLE',
  'CREATED_DATE',
  'CHANGED_DATE',
  'CLOSED_DATE',
  'DEADLINE',
  'RESPONSIBLE_ID',
  'CREATED_BY',
  'STATUS',
  'UF_CRM_TASK',
]

function cursor(
  table: TableName,
  method: string,
  params: Record<string, unknown>,
  modifiedField: string | null,
  extra: Partial<CursorSpec> = {},
): CursorSpec {
  return {
    kind: 'cursor',
    table,
    method,
    params,
    idKey: 'ID',
    cursorKey: 'ID',
    orderValue: 'ASC',
    modifiedField,
    recentField: modifiedField ?? 'CREATED_TIME',
    filterParam: 'filter',
    ...extra,
  }
}

function offset(
  table: TableName,
  method: string,
  params: Record<string, unknown>,
  extra: Partial<OffsetSpec> = {},
): OffsetSpec {
  return { kind: 'offset', table, method, params, idKey: 'ID', filterParam: 'filter', appendOnly: false, ...extra }
}

export const TABLE_SPECS: Record<TableName, TableSpec> = {
  statuses: offset('statuses', 'crm.status.list', { order: { ID: 'ASC' } }),
  dealCategories: offset(
    'dealCategories',
    'crm.category.list',
    { entityTypeId: 2 },
    { idKey: 'id', resultKey: 'categories' },
  ),
  dealUserFields: offset('dealUserFields', 'crm.deal.userfield.list', { order: { ID: 'ASC' } }),
  leadUserFields: offset('leadUserFields', 'crm.lead.userfield.list', { order: { ID: 'ASC' } }),
  users: offset('users', 'user.get', { sort: 'ID', order: 'ASC' }),
  // No sort/order: department.get reads top-level keys as filters too, and SORT is a department field.
  departments: offset('departments', 'department.get', {}),
  currencies: offset('currencies', 'crm.currency.list', { order: { SORT: 'ASC' } }, { idKey: 'CURRENCY' }),
  deals: cursor('deals', 'crm.deal.list', { select: ['*', 'UF_*'] }, 'DATE_MODIFY'),
  leads: cursor('leads', 'crm.lead.list', { select: ['*', 'UF_*'] }, 'DATE_MODIFY'),
  dealHistory: cursor('dealHistory', 'crm.stagehistory.list', { entityTypeId: 2 }, null, { resultKey: 'items' }),
  leadHistory: cursor('leadHistory', 'crm.stagehistory.list', { entityTypeId: 1 }, null, { resultKey: 'items' }),
  activities: cursor('activities', 'crm.activity.list', { select: ACTIVITY_SELECT }, 'LAST_UPDATED'),
  tasks: cursor('tasks', 'tasks.task.list', { select: TASK_SELECT }, 'CHANGED_DATE', {
    idKey: 'id',
    resultKey: 'tasks',
    orderValue: 'asc',
  }),
  calls: offset(
    'calls',
    'voximplant.statistic.get',
    { SORT: 'ID', ORDER: 'ASC' },
    { filterParam: 'FILTER', appendOnly: true, recentField: 'CALL_START_DATE' },
  ),
}

/** Rows of one reply, wherever the method puts them; [] for anything unexpected. */
export function rowsOf(spec: TableSpec, result: unknown): Record<string, unknown>[] {
  const inner = spec.resultKey ? (result as Record<string, unknown> | null)?.[spec.resultKey] : result
  if (Array.isArray(inner)) return inner as Record<string, unknown>[]
  // PHP serialises an id-keyed array as an object; keep its values in order.
  if (inner && typeof inner === 'object') return Object.values(inner) as Record<string, unknown>[]
  return []
}

/** Stable string key of a row (cache key, dedupe key); null when the row has no usable id. */
export function rowKey(spec: TableSpec, row: Record<string, unknown>): string | null {
  const v = row?.[spec.idKey]
  if (typeof v === 'number' && Number.isFinite(v)) return String(v)
  if (typeof v === 'string' && v.trim() !== '') return v.trim()
  return null
}

/** Numeric id for cursor comparisons; NaN when absent. */
export function numericId(spec: TableSpec, row: Record<string, unknown>): number {
  const k = rowKey(spec, row)
  return k !== null && /^\d+$/.test(k) ? Number(k) : Number.NaN
}

/** Back-reference to the last row's id of an earlier command in the same batch. */
export function lastIdReference(spec: CursorSpec, command: string): string {
  const path = spec.resultKey ? `[${spec.resultKey}]` : ''
  return `$result[${command}]${path}[${PAGE - 1}][${spec.idKey}]`
}
