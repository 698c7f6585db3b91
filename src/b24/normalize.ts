/**
 * Wire rows (wire.ts) → domain tables (engine/types.ts). The one place where Bitrix24's wire
 * habits are undone. The app's sync, the CLI and the tests all come through `dumpToCrmData`,
 * so a dump file and a live portal give the same tables.
 *
 * Malformed rows never throw: what can be kept is kept (with a default), what cannot is left
 * out, and both are listed in `problems`.
 */
import {
  DUMP_ROW_TABLES,
  type CompanyRow,
  type ContactRow,
  type DealRow,
  type LeadRow,
  type PortalDump,
  type StageHistoryRow,
  type UserFieldRow,
} from './wire'
import type { CrmData, Deal, Lead, NamedItem, Semantic, Stage, StageEvent, User } from '../engine/types'
import type { SyncSettings } from './settings'
import { defaultSettings } from './settings'
import { ProblemLog, type DataProblem, type ProblemTable } from './normalize-problems'
import * as dict from './normalize-dictionaries'
import { mergeReasons, reasonReader, type ReasonReader } from './normalize-reasons'
import { activityTouches, orphanCallTouches, OwnerLists, taskTouches } from './normalize-touches'
import { NO_MEMO, type Memo } from './normalize-memo'
import { isBadDate, ufFirstValue, wireDate, wireId, wireInt, wireNumber, wireText } from './wire-values'

export type { DataProblem } from './normalize-problems'

/** Field names used when the settings name none: the demo portal and the install wizard create these. */
export const DEFAULT_CITY_FIELD = 'UF_CRM_CITY'
export const DEFAULT_LOSS_REASON_FIELD = 'UF_CRM_LOSS_REASON'

export type NormalizeSettings = Partial<
  Pick<
    SyncSettings,
    'cityField' | 'leadCityField' | 'lossReasonField' | 'leadLossReasonField' | 'currency' | 'analytics'
  >
>

/** CrmData plus the problems met on the way (the report's data-quality block shows them). */
export interface NormalizedCrmData extends CrmData {
  problems: DataProblem[]
}

const SEMANTICS = new Set(['P', 'S', 'F'])

function semanticOf(v: unknown): Semantic | null {
  return typeof v === 'string' && SEMANTICS.has(v) ? (v as Semantic) : null
}

/** What normalising one row reads besides the row: the dictionaries and settings, and the problem log. */
export interface Context {
  log: ProblemLog
  stagesById: Map<string, Stage>
  leadStatusIds: Set<string>
  usersById: Map<number, User>
  baseCurrency: string
  cityField: string
  leadCityField: string
  lossField: string
  /** Reads deals' and leads' loss-reason fields (enumeration, string or list). */
  dealReasons: ReasonReader
  leadReasons: ReasonReader
  leadLossField: string
  leadStatusNames: Map<string, string>
}

/** City key: the city field's item id, else "dep:<first department of the manager>". */
function cityOf(row: object, field: string, assignedById: number, ctx: Context): string | null {
  const own = ufFirstValue((row as Record<string, unknown>)[field])
  if (own !== null) return own
  const dep = ctx.usersById.get(assignedById)?.departmentIds[0]
  return dep === undefined ? null : `dep:${dep}`
}

/** Created date, falling back to the modification date; null means the row cannot be placed in time. */
function createdModified(
  table: ProblemTable,
  row: { ID: unknown; DATE_CREATE: unknown; DATE_MODIFY: unknown },
  log: ProblemLog,
): { createdAt: number; modifiedAt: number } | null {
  const created = wireDate(row.DATE_CREATE)
  const modified = wireDate(row.DATE_MODIFY)
  if (created === null && modified === null) {
    log.add(
      table,
      row.ID,
      'bad date',
      `${table} ${String(row.ID)}: no readable DATE_CREATE ("${String(row.DATE_CREATE)}")`,
      true,
    )
    return null
  }
  if (created === null)
    log.add(
      table,
      row.ID,
      'bad date',
      `${table} ${String(row.ID)}: DATE_CREATE "${String(row.DATE_CREATE)}" unreadable, DATE_MODIFY used`,
      false,
    )
  else if (isBadDate(row.DATE_MODIFY))
    log.add(
      table,
      row.ID,
      'bad date',
      `${table} ${String(row.ID)}: DATE_MODIFY "${String(row.DATE_MODIFY)}" unreadable`,
      false,
    )
  return { createdAt: created ?? modified!, modifiedAt: modified ?? created! }
}

function amountOf(table: ProblemTable, row: { ID: unknown; OPPORTUNITY: unknown }, log: ProblemLog): number {
  const n = wireNumber(row.OPPORTUNITY)
  if (n === null && row.OPPORTUNITY !== null && row.OPPORTUNITY !== '' && row.OPPORTUNITY !== undefined) {
    log.add(table, row.ID, 'bad amount', `${table} ${String(row.ID)}: OPPORTUNITY "${String(row.OPPORTUNITY)}"`, false)
  }
  return n ?? 0
}

/** A lead's source by lead id (a Map, or a lookup in the dump after a delta). */
export type LeadSources = Pick<Map<number, string>, 'get'>

export function normalizeDeal(row: DealRow, leadSources: LeadSources, ctx: Context): Deal | null {
  const id = wireId(row.ID)
  if (id === null) {
    ctx.log.add('deals', row.ID, 'missing id', `deal without a valid ID (${String(row.ID)})`, true)
    return null
  }
  const times = createdModified('deals', row, ctx.log)
  if (!times) return null
  const stageId = wireText(row.STAGE_ID) ?? ''
  const stage = ctx.stagesById.get(stageId)
  if (!stage)
    ctx.log.add('deals', row.ID, 'unknown stage', `deal ${row.ID}: stage "${stageId}" is not in any pipeline`, false)
  const semantic = semanticOf(row.STAGE_SEMANTIC_ID) ?? stage?.semantic ?? 'P'
  const closed = row.CLOSED === 'Y' || semantic !== 'P'
  const movedAt = wireDate(row.MOVED_TIME)
  const assignedById = wireId(row.ASSIGNED_BY_ID) ?? 0
  const leadId = wireId(row.LEAD_ID)
  return {
    id,
    title: wireText(row.TITLE) ?? `#${id}`,
    categoryId: wireInt(row.CATEGORY_ID) ?? stage?.categoryId ?? 0,
    stageId,
    semantic,
    createdAt: times.createdAt,
    modifiedAt: times.modifiedAt,
    movedAt,
    closedAt: closed ? (wireDate(row.CLOSEDATE) ?? movedAt ?? times.modifiedAt) : null,
    closed,
    amount: amountOf('deals', row, ctx.log),
    currency: wireText(row.CURRENCY_ID) ?? ctx.baseCurrency,
    // metrics.md "Sources": a converted deal with no own source takes its lead's.
    sourceId: wireText(row.SOURCE_ID) ?? (leadId !== null ? (leadSources.get(leadId) ?? null) : null),
    utmSource: wireText(row.UTM_SOURCE),
    assignedById,
    leadId,
    contactId: wireId(row.CONTACT_ID),
    companyId: wireId(row.COMPANY_ID),
    cityId: cityOf(row, ctx.cityField, assignedById, ctx),
    lossReasonId: ctx.dealReasons.read(row[ctx.lossField as `UF_CRM_${string}`]),
    expectedCloseDay: wireDay(row.CLOSEDATE),
  }
}

/** The calendar day of a wire date as the portal wrote it ("2024-08-30T00:00:00+03:00" → "2024-08-30"). */
function wireDay(v: unknown): string | null {
  return wireDate(v) === null ? null : (v as string).slice(0, 10)
}

export function normalizeLead(row: LeadRow, ctx: Context): Lead | null {
  const id = wireId(row.ID)
  if (id === null) {
    ctx.log.add('leads', row.ID, 'missing id', `lead without a valid ID (${String(row.ID)})`, true)
    return null
  }
  const times = createdModified('leads', row, ctx.log)
  if (!times) return null
  const statusId = wireText(row.STATUS_ID) ?? ''
  if (!ctx.leadStatusIds.has(statusId))
    ctx.log.add('leads', row.ID, 'unknown stage', `lead ${row.ID}: status "${statusId}" is not a lead status`, false)
  const semantic = semanticOf(row.STATUS_SEMANTIC_ID) ?? 'P'
  const assignedById = wireId(row.ASSIGNED_BY_ID) ?? 0
  return {
    id,
    title: wireText(row.TITLE) ?? ([wireText(row.NAME), wireText(row.LAST_NAME)].filter(Boolean).join(' ') || `#${id}`),
    statusId,
    semantic,
    createdAt: times.createdAt,
    modifiedAt: times.modifiedAt,
    closedAt: semantic === 'P' ? null : (wireDate(row.DATE_CLOSED) ?? wireDate(row.MOVED_TIME) ?? times.modifiedAt),
    amount: amountOf('leads', row, ctx.log),
    currency: wireText(row.CURRENCY_ID) ?? ctx.baseCurrency,
    sourceId: wireText(row.SOURCE_ID),
    utmSource: wireText(row.UTM_SOURCE),
    assignedById,
    cityId: cityOf(row, ctx.leadCityField, assignedById, ctx),
    contactId: wireId(row.CONTACT_ID),
    lossReasonId: semantic === 'F' ? leadReason(row, statusId, ctx) : null,
  }
}

/** A junk lead's reason: its loss-reason field, else the failure status it sits in ("Не дозвонились"). */
function leadReason(row: LeadRow, statusId: string, ctx: Context): string | null {
  const own = ctx.leadReasons.read(row[ctx.leadLossField as `UF_CRM_${string}`])
  if (own !== null || !statusId) return own
  const key = `status:${statusId}`
  ctx.leadReasons.name(key, ctx.leadStatusNames.get(statusId) ?? statusId)
  return key
}

export function normalizeStageEvent(row: StageHistoryRow, kind: 'deal' | 'lead', ctx: Context): StageEvent | null {
  const table: ProblemTable = kind === 'deal' ? 'dealHistory' : 'leadHistory'
  const id = wireId(row.ID)
  const ownerId = wireId(row.OWNER_ID)
  if (id === null || ownerId === null) {
    ctx.log.add(table, row.ID, 'missing id', `history row ${String(row.ID)}: ID or OWNER_ID missing`, true)
    return null
  }
  const at = wireDate(row.CREATED_TIME)
  if (at === null) {
    ctx.log.add(table, row.ID, 'bad date', `history row ${row.ID}: CREATED_TIME "${String(row.CREATED_TIME)}"`, true)
    return null
  }
  const stageId = wireText(kind === 'deal' ? row.STAGE_ID : row.STATUS_ID) ?? ''
  const stage = kind === 'deal' ? ctx.stagesById.get(stageId) : undefined
  const known = kind === 'deal' ? stage !== undefined : ctx.leadStatusIds.has(stageId)
  if (!known) ctx.log.add(table, row.ID, 'unknown stage', `history row ${row.ID}: stage "${stageId}" unknown`, false)
  const semantic =
    semanticOf(kind === 'deal' ? row.STAGE_SEMANTIC_ID : row.STATUS_SEMANTIC_ID) ?? stage?.semantic ?? 'P'
  return {
    id,
    ownerId,
    typeId: wireInt(row.TYPE_ID) ?? 0,
    stageId,
    categoryId: kind === 'deal' ? (wireInt(row.CATEGORY_ID) ?? stage?.categoryId ?? 0) : -1,
    semantic,
    at,
  }
}

/** What a deal reads from its lead: the lead's source, for a deal without its own. */
function sourceFromLead(row: DealRow, leadSources: Map<number, string>): string | undefined {
  if (wireText(row.SOURCE_ID) !== null) return undefined
  const leadId = wireId(row.LEAD_ID)
  return leadId === null ? undefined : leadSources.get(leadId)
}

/**
 * Everything besides a row itself that normalising it reads: the dictionaries and the settings.
 * Rows remembered under another key are normalised again.
 */
function contextKey(dump: PortalDump, settings: NormalizeSettings | undefined): string {
  const { statuses, users, departments, currencies, dealUserFields, leadUserFields, dealCategories } = dump
  return JSON.stringify([
    statuses,
    users,
    departments,
    currencies,
    dealUserFields,
    leadUserFields,
    dealCategories,
    settings,
  ])
}

function fieldOr(value: string | null | undefined, fallback: string): string {
  return value === undefined || value === null || value === '' ? fallback : value
}

/**
 * Cities: the city fields' enumeration items, plus every department a deal or lead fell back to.
 * The deal and lead fields have enumerations of their own (different item ids for the same
 * city) and a department can stand for the same city too, so keys that name the same city
 * are merged into one — the first seen, deal field first — and the rows are re-keyed.
 */
function unifyCities(
  dealFields: UserFieldRow[],
  leadFields: UserFieldRow[],
  ctx: Context,
  deals: Deal[],
  leads: Lead[],
  depNames: Map<number, string>,
): { items: NamedItem[]; canonical: Map<string, string> } {
  const named = new Map<string, string>()
  for (const i of dict.enumItems(dealFields, ctx.cityField)) named.set(i.id, i.name)
  for (const i of dict.enumItems(leadFields, ctx.leadCityField)) if (!named.has(i.id)) named.set(i.id, i.name)
  const extra = new Map<string, string>()
  for (const r of [...deals, ...leads]) {
    if (r.cityId === null || named.has(r.cityId) || extra.has(r.cityId)) continue
    const dep = /^dep:(\d+)$/.exec(r.cityId)
    extra.set(r.cityId, dep ? (depNames.get(Number(dep[1])) ?? `Department ${dep[1]}`) : r.cityId)
  }
  // Fallback cities in a fixed order, whatever order the rows came in.
  const sortedExtra = [...extra].sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }))
  const byName = new Map<string, string>()
  const canonical = new Map<string, string>()
  const items: NamedItem[] = []
  for (const [id, name] of [...named, ...sortedExtra]) {
    const key = name.trim().toLocaleLowerCase()
    const first = byName.get(key)
    if (first === undefined) {
      byName.set(key, id)
      items.push({ id, name })
    }
    canonical.set(id, first ?? id)
  }
  return { items, canonical }
}

/**
 * Rows with their city key made canonical; a row that changes is a copy, so a row remembered by
 * the memo (and shared with the data of an earlier load) is never written to.
 */
function withCanonicalCities<R extends { cityId: string | null }>(rows: R[], canonical: Map<string, string>): R[] {
  return rows.map((r) => {
    const key = r.cityId === null ? null : (canonical.get(r.cityId) ?? r.cityId)
    return key === r.cityId ? r : { ...r, cityId: key }
  })
}

/** Client names (metrics.md "Client"): rows without an id or a name are left out. */
function clientNames<R extends { ID: unknown }>(rows: R[] | undefined, nameOf: (r: R) => string | null) {
  const out: NamedItem<number>[] = []
  for (const r of rows ?? []) {
    const id = wireId(r.ID)
    const name = nameOf(r)
    if (id !== null && name !== null) out.push({ id, name })
  }
  return out
}

export const companyName = (r: CompanyRow) => wireText(r.TITLE)
export const contactName = (r: ContactRow) =>
  [wireText(r.NAME), wireText(r.LAST_NAME)].filter(Boolean).join(' ') || null

function uniqueById<T>(rows: T[], idOf: (r: T) => unknown): T[] {
  // Cache and loader dedupe already; a dump file written by hand might not. Rows in increasing
  // numeric id order (the cache's own order) cannot repeat one: no set of a million strings.
  if (increasingIds(rows, idOf)) return rows
  const seen = new Set<string>()
  const out: T[] = []
  for (const r of rows) {
    const k = String(idOf(r))
    if (seen.has(k)) continue
    seen.add(k)
    out.push(r)
  }
  return out
}

function increasingIds<T>(rows: T[], idOf: (r: T) => unknown): boolean {
  let previous = -Infinity
  for (let i = 0; i < rows.length; i++) {
    const id = idOf(rows[i])
    const n = typeof id === 'number' ? id : typeof id === 'string' && id !== '' ? Number(id) : NaN
    // Only the plain decimal spelling: "07" and "7" are two keys to the set below.
    if (!(n > previous) || (typeof id === 'string' && String(n) !== id)) return false
    previous = n
  }
  return true
}

/**
 * A row that is not an object at all (null, a number, a string: a hand-edited or truncated dump)
 * cannot be normalised: it is left out and counted, and the rest of its table loads.
 */
function objectRowsOnly(dump: PortalDump, log: ProblemLog): PortalDump {
  const out = { ...dump } as Record<string, unknown>
  for (const table of DUMP_ROW_TABLES) {
    const rows = out[table]
    if (rows === undefined || rows === null) continue
    if (!Array.isArray(rows)) {
      log.add(table, null, 'not a list', `${table} is ${typeof rows}, not a list of rows`, true)
      out[table] = []
      continue
    }
    if (rows.every(isRowObject)) continue
    out[table] = rows.filter((row, i) => {
      if (isRowObject(row)) return true
      log.add(table, null, 'not a row', `${table}[${i}] is ${row === null ? 'null' : typeof row}`, true)
      return false
    })
  }
  return out as unknown as PortalDump
}

function isRowObject(row: unknown): boolean {
  return typeof row === 'object' && row !== null && !Array.isArray(row)
}

/** The dictionaries of a dump read into a normalising context (their problems logged to `log`). */
export function normalizeContext(dump: PortalDump, settings: NormalizeSettings | undefined, log: ProblemLog) {
  const stages = dict.dealStages(dump.statuses ?? [], log)
  const users = dict.users(dump.users ?? [], log)
  const departments = dict.departments(dump.departments ?? [], log)
  const currencies = dict.currencies(dump.currencies ?? [], log)
  const baseCurrency = currencies.find((c) => c.base)?.code ?? currencies[0]?.code ?? ''
  const leadStatuses = dict.leadStatuses(dump.statuses ?? [])
  const cityField = fieldOr(settings?.cityField, DEFAULT_CITY_FIELD)
  // Leads keep their own user fields; by default the deal's field name (as for the city).
  const leadLossField = fieldOr(
    settings?.leadLossReasonField,
    fieldOr(settings?.lossReasonField, DEFAULT_LOSS_REASON_FIELD),
  )
  const ctx: Context = {
    log,
    stagesById: new Map(stages.map((s) => [s.id, s])),
    leadStatusIds: new Set(leadStatuses.map((s) => s.id)),
    usersById: new Map(users.map((u) => [u.id, u])),
    baseCurrency,
    cityField,
    leadCityField: fieldOr(settings?.leadCityField, cityField),
    lossField: fieldOr(settings?.lossReasonField, DEFAULT_LOSS_REASON_FIELD),
    dealReasons: reasonReader(dump.dealUserFields ?? [], fieldOr(settings?.lossReasonField, DEFAULT_LOSS_REASON_FIELD)),
    leadReasons: reasonReader(dump.leadUserFields ?? [], leadLossField),
    leadLossField,
    leadStatusNames: new Map(leadStatuses.map((s) => [s.id, s.name])),
  }
  return { ctx, stages, users, departments, currencies, leadStatuses }
}

/**
 * The domain tables of a dump. With a `memo` (a warm reopen: the cached dump, then the dump after
 * the delta), rows normalised before are taken from it instead of normalised again.
 */
export function dumpToCrmData(
  input: PortalDump,
  settings?: NormalizeSettings,
  memo: Memo = NO_MEMO,
): NormalizedCrmData {
  const log = new ProblemLog()
  const dump = objectRowsOnly(input, log)
  const { ctx, stages, users, departments, currencies, leadStatuses } = normalizeContext(dump, settings, log)
  const baseCurrency = ctx.baseCurrency
  const leadRows = uniqueById(dump.leads ?? [], (r) => r.ID)
  const leadSources = new Map<number, string>()
  for (const l of leadRows) {
    const id = wireId(l.ID)
    const src = wireText(l.SOURCE_ID)
    if (id !== null && src !== null) leadSources.set(id, src)
  }
  const context = memo.context(contextKey(dump, settings))
  const leads = leadRows
    .map((r) =>
      memo.row(
        r,
        context,
        undefined,
        log,
        () => normalizeLead(r, ctx),
        // Reading a junk lead's reason names it in the reason list: done again for a remembered row.
        (lead) => lead?.semantic === 'F' && leadReason(r, lead.statusId, ctx),
      ),
    )
    .filter((x): x is Lead => x !== null)
  const deals = uniqueById(dump.deals ?? [], (r) => r.ID)
    .map((r) =>
      memo.row(
        r,
        context,
        sourceFromLead(r, leadSources),
        log,
        () => normalizeDeal(r, leadSources, ctx),
        (deal) => deal !== null && ctx.dealReasons.read(r[ctx.lossField as `UF_CRM_${string}`]),
      ),
    )
    .filter((x): x is Deal => x !== null)
  const events = (rows: StageHistoryRow[] | undefined, kind: 'deal' | 'lead') =>
    uniqueById(rows ?? [], (r) => r.ID)
      .map((r) => memo.row(r, context, kind, log, () => normalizeStageEvent(r, kind, ctx)))
      .filter((x): x is StageEvent => x !== null)
      .sort((a, b) => a.at - b.at || a.id - b.id)
  const activities = uniqueById(dump.activities ?? [], (r) => r.ID)
  const calls = uniqueById(dump.calls ?? [], (r) => r.ID)
  // One set of binding lists for all touches: touches of one owner share its list.
  const owners = new OwnerLists()
  const activityTouchList = activityTouches(activities, calls, log, memo, context, owners)
  const touches = [
    ...activityTouchList,
    ...orphanCallTouches(calls, new Set(activityTouchList.map((t) => t.id)), log, memo, context, owners),
    ...taskTouches(
      uniqueById(dump.tasks ?? [], (r) => r.id),
      activities,
      log,
      memo,
      context,
      owners,
    ),
  ].sort((a, b) => a.at - b.at || a.id - b.id)
  const depNames = new Map(departments.map((d) => [d.id, d.name]))
  const cities = unifyCities(dump.dealUserFields ?? [], dump.leadUserFields ?? [], ctx, deals, leads, depNames)
  const reportCurrency =
    settings?.currency && currencies.some((c) => c.code === settings.currency) ? settings.currency : baseCurrency
  return {
    portal: {
      memberId: dump.portal?.memberId ?? '',
      domain: dump.portal?.domain ?? '',
      timeZone: dump.portal?.timeZone || 'UTC',
      currency: reportCurrency,
      language: dump.portal?.language || 'en',
    },
    pipelines: dict.pipelines(dump.dealCategories ?? [], stages),
    stages,
    leadStatuses,
    sources: dict.sources(dump.statuses ?? []),
    cities: cities.items,
    lossReasons: mergeReasons(ctx.dealReasons.items(), ctx.leadReasons.items()),
    users,
    departments,
    currencies,
    deals: withCanonicalCities(deals, cities.canonical).sort((a, b) => a.id - b.id),
    leads: withCanonicalCities(leads, cities.canonical).sort((a, b) => a.id - b.id),
    dealEvents: events(dump.dealHistory, 'deal'),
    leadEvents: events(dump.leadHistory, 'lead'),
    touches,
    budgets: [],
    plans: [],
    companies: clientNames(dump.companies, companyName),
    contacts: clientNames(dump.contacts, contactName),
    settings: settings?.analytics ?? defaultSettings().analytics,
    problems: log.items,
  }
}
