/**
 * A delta normalised on its own (issue 11.2): the rows a warm reopen's delta upserted or deleted —
 * and the rows that read them (a deal without a source of its own reads its lead's; an activity
 * touch reads its call's statistics row; a call is a touch of its own only without an activity
 * touch; a task is one only without a TYPE_ID 3 activity) — are normalised against the cached
 * dump's dictionaries and spliced into the cached data. The result is the CrmPatch for the engine
 * and the new data, both equal to what normalising the whole dump after the delta gives
 * (`dumpToCrmData`), in a few milliseconds instead of seconds at 100,000 deals.
 *
 * The patch is noted (engine/patch.ts notePatch) for the report store, which then sends it without
 * a diff.
 *
 * Whatever this cannot splice exactly gives null, and the caller normalises the whole dump: a
 * dictionary, the settings or the portal facts changed; the delta is large; a row involved has a
 * data problem (the problem list keeps its order); a loss reason is free text (its spelling counts
 * name it); a city appears or may disappear from the city list; a cached table is not id-sorted.
 */
import type { PortalDump } from './wire'
import type { ActivityRow, CallRow, DealRow, LeadRow, StageHistoryRow, TaskRow } from './wire'
import type { Deal, Lead, StageEvent, Touch } from '../engine/types'
import { notePatch, type CrmPatch, type TablePatch } from '../engine/patch'
import { byId, byTimeThenId, spliceSorted, type Probe } from '../engine/patch-splice'
import { normalizeContext, normalizeDeal, normalizeLead, normalizeStageEvent } from './normalize'
import type { Context, NormalizedCrmData, NormalizeSettings } from './normalize'
import { enumItems } from './normalize-dictionaries'
import { ProblemLog } from './normalize-problems'
import { activityTouch, orphanCallTouch, OwnerLists, taskTouch } from './normalize-touches'
import { DumpAfter, numericKey, type RowChange, type WireRow } from './dump-after'
import type { TableName } from './tables'
import { wireId, wireIdFast, wireText } from './wire-values'

/** Tables a delta may touch here; anything else (dictionaries) means a full normalisation. */
const ROW_TABLES = new Set<TableName>(['deals', 'leads', 'dealHistory', 'leadHistory', 'activities', 'calls', 'tasks'])

export interface WireDelta extends RowChange {
  replace?: Partial<Record<TableName, WireRow[]>>
}

export interface NormalizedDelta {
  data: NormalizedCrmData
  patch: CrmPatch
}

/** Past this many rows the splicing saves little over a whole normalisation with the row memo. */
export function deltaLimit(deals: number): number {
  return Math.max(200, Math.floor(deals * 0.05))
}

/**
 * `data` (= dumpToCrmData(before, settings)) after `change`, and the patch from one to the other;
 * null when only a whole normalisation gives it exactly.
 */
export function normalizeDelta(
  before: PortalDump,
  data: NormalizedCrmData,
  change: WireDelta,
  portal: PortalDump['portal'],
  settings?: NormalizeSettings,
): NormalizedDelta | null {
  if (!spliceable(before, data, change, portal)) return null
  const view = new DumpAfter(before, change)
  const run = new DeltaRun(before, data, view, settings)
  const result = run.splice()
  if (!result || view.disordered) return null
  // The report store sends this patch as it is instead of diffing the two (engine/patch.ts).
  notePatch(data, result.data, result.patch)
  return result
}

function spliceable(before: PortalDump, data: NormalizedCrmData, change: WireDelta, portal: PortalDump['portal']) {
  if (Object.keys(change.replace ?? {}).length > 0) return false
  if (JSON.stringify(portal ?? null) !== JSON.stringify(before.portal ?? null)) return false
  // Rows left out whole (not a row, not a list) shift nothing we could follow: normalise afresh.
  if (data.problems.some((p) => p.kind === 'not a row' || p.kind === 'not a list')) return false
  let rows = 0
  for (const part of [change.upserts ?? {}, change.deletes ?? {}])
    for (const [t, list] of Object.entries(part) as [TableName, unknown[]][]) {
      if (list.length === 0) continue
      if (!ROW_TABLES.has(t)) return false
      rows += list.length
    }
  if (rows > deltaLimit(data.deals.length)) return false
  for (const [t, list] of Object.entries(change.upserts ?? {}) as [TableName, WireRow[]][])
    for (const r of list)
      if (typeof r !== 'object' || r === null || Array.isArray(r) || !(numericKey(t, r) >= 0)) return false
  for (const list of Object.values(change.deletes ?? {}))
    for (const k of list ?? []) if (String(Number(k)) !== k || !(Number(k) >= 0)) return false
  return true
}

/** One delta's normalisation: each `put` list holds the new rows, each `gone` set the ids that go. */
class DeltaRun {
  private readonly ctx: Context
  private readonly log = new ProblemLog()
  private readonly owners = new OwnerLists()
  /** Rows that logged a problem when the cached dump was normalised: "table:id". */
  private readonly hadProblem: Set<string>
  private readonly reasonItems: { deal: number; lead: number }
  private readonly departments: Map<number, string>
  /** For rows as they were before the delta: their problems were logged with the cached data. */
  private readonly scratch: Context
  private failed = false

  constructor(
    private readonly before: PortalDump,
    private readonly data: NormalizedCrmData,
    private readonly view: DumpAfter,
    private readonly settings: NormalizeSettings | undefined,
  ) {
    // Dictionary problems were logged with the cached data: a log of their own, thrown away.
    const { ctx, departments } = normalizeContext(before, settings, new ProblemLog())
    this.ctx = { ...ctx, log: this.log }
    this.scratch = { ...ctx, log: new ProblemLog() }
    this.departments = new Map(departments.map((d) => [d.id, d.name]))
    this.hadProblem = new Set(data.problems.map((p) => `${p.table}:${p.rowId}`))
    this.reasonItems = { deal: ctx.dealReasons.items().length, lead: ctx.leadReasons.items().length }
  }

  /** A row to normalise again: one that had a problem before cannot be spliced. */
  private again(table: string, id: number): void {
    if (this.hadProblem.has(`${table}:${id}`)) this.failed = true
  }

  splice(): NormalizedDelta | null {
    const leads = this.leads()
    const deals = this.deals(leads.sourceChanged)
    const dealEvents = this.events('dealHistory', 'deal')
    const leadEvents = this.events('leadHistory', 'lead')
    const touches = this.touches()
    if (this.failed || this.log.items.length > 0 || this.readFreeText()) return null
    const cities = this.cityKeys()
    const dealPut = this.canonicalCities(deals.put, cities.canonical)
    const leadPut = this.canonicalCities(leads.put, cities.canonical)
    if (dealPut === null || leadPut === null) return null
    const dealTable = spliceSorted(this.data.deals, probes(deals.gone), dealPut, byId)
    const leadTable = spliceSorted(this.data.leads, probes(leads.gone), leadPut, byId)
    const gone = { deals: deals.gone, leads: leads.gone }
    if (!this.fallbackCitiesStay(cities.named, gone, dealTable.rows, leadTable.rows)) return null
    const tables = {
      deals: dealTable,
      leads: leadTable,
      dealEvents: spliceSorted(this.data.dealEvents, dealEvents.gone, dealEvents.put, byTimeThenId),
      leadEvents: spliceSorted(this.data.leadEvents, leadEvents.gone, leadEvents.put, byTimeThenId),
      touches: spliceSorted(this.data.touches, touches.gone, touches.put, byTimeThenId),
    }
    const patch: CrmPatch = {
      replaced: {},
      deals: tables.deals.patch,
      leads: tables.leads.patch,
      dealEvents: tables.dealEvents.patch,
      leadEvents: tables.leadEvents.patch,
      touches: tables.touches.patch as TablePatch<Touch>,
    }
    const data: NormalizedCrmData = {
      ...this.data,
      deals: tables.deals.rows,
      leads: tables.leads.rows,
      dealEvents: tables.dealEvents.rows,
      leadEvents: tables.leadEvents.rows,
      touches: tables.touches.rows,
    }
    return { data, patch }
  }

  /** A free-text loss reason read (old or new row): its spelling counts name it, so the list may change. */
  private readFreeText(): boolean {
    return (
      this.ctx.dealReasons.items().length !== this.reasonItems.deal ||
      this.ctx.leadReasons.items().length !== this.reasonItems.lead
    )
  }

  private leads() {
    const put: Lead[] = []
    const gone = new Set<number>()
    const sourceChanged = new Set<number>()
    for (const id of this.view.touched('leads')) {
      this.again('leads', id)
      gone.add(id)
      const was = this.view.old('leads', id)
      const row = this.view.now('leads', id)
      if (sourceOf(was) !== sourceOf(row)) sourceChanged.add(id)
      this.oldReason(this.leadById(id)?.lossReasonId, 'lead')
      if (!row) continue
      const lead = normalizeLead(row as unknown as LeadRow, this.ctx)
      if (lead) put.push(lead)
    }
    return { put, gone, sourceChanged }
  }

  private deals(sourceChanged: ReadonlySet<number>) {
    const ids = new Set(this.view.touched('deals'))
    // Deals without a source of their own read their lead's: those of a lead whose source changed.
    if (sourceChanged.size > 0)
      this.view.forEach('deals', (r) => {
        const lead = wireIdFast(r.LEAD_ID)
        if (lead !== null && sourceChanged.has(lead) && wireText(r.SOURCE_ID) === null) ids.add(numericKey('deals', r))
      })
    const leadSources = { get: (id: number) => sourceOf(this.view.now('leads', id)) ?? undefined }
    const put: Deal[] = []
    const gone = new Set<number>()
    for (const id of ids) {
      this.again('deals', id)
      gone.add(id)
      this.oldReason(this.dealById(id)?.lossReasonId, 'deal')
      const row = this.view.now('deals', id)
      if (!row) continue
      const deal = normalizeDeal(row as unknown as DealRow, leadSources, this.ctx)
      if (deal) put.push(deal)
    }
    return { put, gone }
  }

  private events(table: 'dealHistory' | 'leadHistory', kind: 'deal' | 'lead') {
    const put: StageEvent[] = []
    const gone: Probe[] = []
    for (const id of this.view.touched(table)) {
      this.again(table, id)
      const was = this.view.old(table, id)
      const old = was ? normalizeStageEvent(was as unknown as StageHistoryRow, kind, this.scratch) : null
      if (old) gone.push(old)
      const row = this.view.now(table, id)
      const event = row ? normalizeStageEvent(row as unknown as StageHistoryRow, kind, this.ctx) : null
      if (event) put.push(event)
    }
    return { put, gone }
  }

  /**
   * Touches of the touched activities, calls and tasks, and of the rows that read them: the
   * activity a call names, the calls that name an activity, the task a TYPE_ID 3 activity stands for.
   */
  private touches() {
    const activities = new Set(this.view.touched('activities'))
    const calls = new Set(this.view.touched('calls'))
    const tasks = new Set(this.view.touched('tasks'))
    for (const id of [...calls]) {
      for (const row of [this.view.old('calls', id), this.view.now('calls', id)]) {
        const activity = wireId(row?.CRM_ACTIVITY_ID)
        if (activity !== null) activities.add(activity)
      }
    }
    for (const id of this.view.touched('activities'))
      for (const row of [this.view.old('activities', id), this.view.now('activities', id)])
        if (row && String(row.TYPE_ID) === '3') {
          const task = wireId(row.ASSOCIATED_ENTITY_ID)
          if (task !== null) tasks.add(task)
        }
    // One walk of the calls after the delta: each activity's call (the last one naming it, as the
    // full normalisation's map keeps) and the calls naming a touched activity.
    const callOf = new Map<number, CallRow>()
    if (activities.size > 0)
      this.view.forEach('calls', (r) => {
        const activity = wireIdFast(r.CRM_ACTIVITY_ID)
        if (activity === null || !activities.has(activity)) return
        callOf.set(activity, r as unknown as CallRow)
        calls.add(numericKey('calls', r))
      })
    const put: Touch[] = []
    const gone: Probe[] = []
    // The touch a row was before the delta, where it stood (its time does not depend on other rows).
    const was = (touch: Touch | null) => touch && gone.push(touch)
    const log = this.scratch.log
    const activityTouches = new Set<number>()
    for (const id of activities) {
      this.again('activities', id)
      const old = this.view.old('activities', id)
      was(old ? activityTouch(old as unknown as ActivityRow, undefined, log, this.owners) : null)
      const row = this.view.now('activities', id)
      const touch = row ? activityTouch(row as unknown as ActivityRow, callOf.get(id), this.log, this.owners) : null
      if (touch) {
        put.push(touch)
        activityTouches.add(id)
      }
    }
    for (const id of calls) {
      this.again('calls', id)
      const old = this.view.old('calls', id)
      was(old ? orphanCallTouch(old as unknown as CallRow, log, this.owners) : null)
      const row = this.view.now('calls', id)
      if (!row) continue
      const activity = wireId(row.CRM_ACTIVITY_ID)
      const hasActivityTouch =
        activity !== null && (activities.has(activity) ? activityTouches.has(activity) : this.activityTouches(activity))
      if (hasActivityTouch) continue
      const touch = orphanCallTouch(row as unknown as CallRow, this.log, this.owners)
      if (touch) put.push(touch)
    }
    const counted = this.tasksAsActivities(tasks)
    for (const id of tasks) {
      this.again('tasks', id)
      const old = this.view.old('tasks', id)
      was(old ? taskTouch(old as unknown as TaskRow, false, log, this.owners) : null)
      const row = this.view.now('tasks', id)
      const touch = row ? taskTouch(row as unknown as TaskRow, counted.has(id), this.log, this.owners) : null
      if (touch) put.push(touch)
    }
    return { put, gone }
  }

  /** Whether an activity the delta left alone is a touch (its call row does not decide that). */
  private activityTouches(id: number): boolean {
    const row = this.view.now('activities', id)
    return (
      row !== undefined &&
      activityTouch(row as unknown as ActivityRow, undefined, new ProblemLog(), this.owners) !== null
    )
  }

  /** Of these tasks, those a TYPE_ID 3 activity after the delta stands for (one walk of the activities). */
  private tasksAsActivities(tasks: ReadonlySet<number>): Set<number> {
    const counted = new Set<number>()
    if (tasks.size === 0) return counted
    this.view.forEach('activities', (r) => {
      if (String(r.TYPE_ID) !== '3') return
      const task = wireIdFast(r.ASSOCIATED_ENTITY_ID)
      if (task !== null && tasks.has(task)) counted.add(task)
    })
    return counted
  }

  /** A row that goes or changes and had a free-text reason: its spelling counts change. */
  private oldReason(reason: string | null | undefined, kind: 'deal' | 'lead'): void {
    if (reason === null || reason === undefined) return
    const reader = kind === 'deal' ? this.ctx.dealReasons : this.ctx.leadReasons
    if (!reader.items().some((i) => i.id === reason)) this.failed = true
  }

  private dealById(id: number): Deal | undefined {
    return findById(this.data.deals, id)
  }

  private leadById(id: number): Lead | undefined {
    return findById(this.data.leads, id)
  }

  /**
   * The new rows with their city key made canonical, as the whole normalisation makes it, or null
   * when the city list would not stay as it was: a new row's city is neither a city field's item
   * (canonical: the first item of that name, deal field first) nor a fallback city of the list
   * already, or a fallback city (a department) that a changed or removed row had is no row's now.
   */
  private canonicalCities<R extends Deal | Lead>(put: R[], canonical: (id: string) => string | null): R[] | null {
    const out: R[] = []
    for (const r of put) {
      const city = r.cityId === null ? null : canonical(r.cityId)
      if (r.cityId !== null && city === null) return null
      out.push(city === r.cityId ? r : { ...r, cityId: city })
    }
    return out
  }

  /**
   * City keys made canonical as unifyCities (normalize.ts) makes them: the list holds the first
   * key of each city name (field items, deal field first, then fallback cities), so a key's
   * canonical one is the list's item of its name; a name the list lacks is a new city (null).
   */
  private cityKeys(): { canonical: (id: string) => string | null; named: Set<string> } {
    const named = new Map<string, string>()
    for (const i of enumItems(this.before.dealUserFields ?? [], this.ctx.cityField)) named.set(i.id, i.name)
    for (const i of enumItems(this.before.leadUserFields ?? [], this.ctx.leadCityField))
      if (!named.has(i.id)) named.set(i.id, i.name)
    const key = (name: string) => name.trim().toLocaleLowerCase()
    const itemByName = new Map(this.data.cities.map((c) => [key(c.name), c.id]))
    const nameOf = (id: string) => {
      const own = named.get(id)
      if (own !== undefined) return own
      const dep = /^dep:(\d+)$/.exec(id)
      return dep ? (this.departments.get(Number(dep[1])) ?? `Department ${dep[1]}`) : id
    }
    return { canonical: (id) => itemByName.get(key(nameOf(id))) ?? null, named: new Set(named.keys()) }
  }

  /** A fallback city a changed or removed row had is still some row's (else it leaves the list). */
  private fallbackCitiesStay(
    named: Set<string>,
    gone: { deals: Set<number>; leads: Set<number> },
    dealRows: Deal[],
    leadRows: Lead[],
  ): boolean {
    const left = new Set<string>()
    for (const id of gone.deals) {
      const city = this.dealById(id)?.cityId
      if (city != null && !named.has(city)) left.add(city)
    }
    for (const id of gone.leads) {
      const city = this.leadById(id)?.cityId
      if (city != null && !named.has(city)) left.add(city)
    }
    if (left.size === 0) return true
    for (const r of dealRows) if (r.cityId !== null) left.delete(r.cityId)
    for (const r of leadRows) if (r.cityId !== null) left.delete(r.cityId)
    return left.size === 0
  }
}

const probes = (ids: Set<number>): Probe[] => [...ids].map((id) => ({ id }))

function sourceOf(row: WireRow | undefined): string | null {
  return row === undefined || wireId(row.ID) === null ? null : wireText(row.SOURCE_ID)
}

/** Binary search in rows sorted by id. */
function findById<T extends { id: number }>(rows: readonly T[], id: number): T | undefined {
  let lo = 0
  let hi = rows.length - 1
  while (lo <= hi) {
    const mid = (lo + hi) >> 1
    if (rows[mid].id === id) return rows[mid]
    if (rows[mid].id < id) lo = mid + 1
    else hi = mid - 1
  }
  return undefined
}
