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
 *
 * Here: deals, leads and stage events, and the splice. The checks are in normalize-delta-checks.ts
 * and normalize-delta-cities.ts, the touches in normalize-delta-touches.ts.
 */
import type { DealRow, LeadRow, PortalDump, StageHistoryRow } from './wire'
import type { Deal, Lead, StageEvent, Touch } from '../engine/types'
import { notePatch, type CrmPatch, type TablePatch } from '../engine/patch'
import { byId, byTimeThenId, spliceSorted, type Probe } from '../engine/patch-splice'
import { normalizeDeal, normalizeLead, normalizeStageEvent } from './normalize'
import type { NormalizedCrmData, NormalizeSettings } from './normalize'
import { DumpAfter, numericKey, type WireRow } from './dump-after'
import { wireId, wireIdFast, wireText } from './wire-values'
import { spliceable, type WireDelta } from './normalize-delta-checks'
import { canonicalCities, cityKeys, fallbackCitiesStay } from './normalize-delta-cities'
import { deltaScope, findById, reread, type DeltaScope, type TimedRows } from './normalize-delta-scope'
import { deltaTouches } from './normalize-delta-touches'

export { deltaLimit, type WireDelta } from './normalize-delta-checks'

export interface NormalizedDelta {
  data: NormalizedCrmData
  patch: CrmPatch
}

/** Deals or leads to splice into a table sorted by id: the new rows, and the ids of those that go. */
interface IdRows<T> {
  put: T[]
  gone: Set<number>
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
  const result = splice(deltaScope(before, data, view, settings))
  if (!result || view.disordered) return null
  // The report store sends this patch as it is instead of diffing the two (engine/patch.ts).
  notePatch(data, result.data, result.patch)
  return result
}

function splice(scope: DeltaScope): NormalizedDelta | null {
  const leads = deltaLeads(scope)
  const deals = deltaDeals(scope, leads.sourceChanged)
  const dealEvents = deltaEvents(scope, 'dealHistory', 'deal')
  const leadEvents = deltaEvents(scope, 'leadHistory', 'lead')
  const touches = deltaTouches(scope)
  if (scope.guard.ruledOut()) return null
  const people = spliceDealsAndLeads(scope, deals, leads)
  if (!people) return null
  const { data } = scope
  return result(data, {
    ...people,
    dealEvents: spliceSorted(data.dealEvents, dealEvents.gone, dealEvents.put, byTimeThenId),
    leadEvents: spliceSorted(data.leadEvents, leadEvents.gone, leadEvents.put, byTimeThenId),
    touches: spliceSorted(data.touches, touches.gone, touches.put, byTimeThenId),
  })
}

/** Deals and leads spliced with canonical city keys; null when the city list would not stay as it was. */
function spliceDealsAndLeads(scope: DeltaScope, deals: IdRows<Deal>, leads: IdRows<Lead>) {
  const cities = cityKeys(scope)
  const dealPut = canonicalCities(deals.put, cities.canonical)
  const leadPut = canonicalCities(leads.put, cities.canonical)
  if (dealPut === null || leadPut === null) return null
  const dealTable = spliceSorted(scope.data.deals, probes(deals.gone), dealPut, byId)
  const leadTable = spliceSorted(scope.data.leads, probes(leads.gone), leadPut, byId)
  const gone = { deals: deals.gone, leads: leads.gone }
  const stay = fallbackCitiesStay(scope, cities.named, gone, { deals: dealTable.rows, leads: leadTable.rows })
  return stay ? { deals: dealTable, leads: leadTable } : null
}

type Spliced<T> = { rows: T[]; patch: TablePatch<T> }

interface SplicedTables {
  deals: Spliced<Deal>
  leads: Spliced<Lead>
  dealEvents: Spliced<StageEvent>
  leadEvents: Spliced<StageEvent>
  touches: Spliced<Touch>
}

/** The cached data with the spliced tables, and the patch between them. */
function result(data: NormalizedCrmData, tables: SplicedTables): NormalizedDelta {
  const patch: CrmPatch = {
    replaced: {},
    deals: tables.deals.patch,
    leads: tables.leads.patch,
    dealEvents: tables.dealEvents.patch,
    leadEvents: tables.leadEvents.patch,
    touches: tables.touches.patch,
  }
  const next: NormalizedCrmData = {
    ...data,
    deals: tables.deals.rows,
    leads: tables.leads.rows,
    dealEvents: tables.dealEvents.rows,
    leadEvents: tables.leadEvents.rows,
    touches: tables.touches.rows,
  }
  return { data: next, patch }
}

/** The touched leads normalised again; `sourceChanged`: those whose source changed (their deals read it). */
function deltaLeads(scope: DeltaScope): IdRows<Lead> & { sourceChanged: Set<number> } {
  const { view, guard } = scope
  const put: Lead[] = []
  const gone = new Set<number>()
  const sourceChanged = new Set<number>()
  for (const id of view.touched('leads')) {
    guard.again('leads', id)
    gone.add(id)
    const row = view.now('leads', id)
    if (sourceOf(view.old('leads', id)) !== sourceOf(row)) sourceChanged.add(id)
    guard.oldReason(findById(scope.data.leads, id)?.lossReasonId, 'lead')
    if (!row) continue
    const lead = normalizeLead(row as unknown as LeadRow, scope.ctx)
    if (lead) put.push(lead)
  }
  return { put, gone, sourceChanged }
}

/** The touched deals normalised again, and those that read a lead's changed source. */
function deltaDeals(scope: DeltaScope, sourceChanged: ReadonlySet<number>): IdRows<Deal> {
  const { view, guard } = scope
  const leadSources = { get: (id: number) => sourceOf(view.now('leads', id)) ?? undefined }
  const put: Deal[] = []
  const gone = new Set<number>()
  for (const id of dealsToRead(view, sourceChanged)) {
    guard.again('deals', id)
    gone.add(id)
    guard.oldReason(findById(scope.data.deals, id)?.lossReasonId, 'deal')
    const row = view.now('deals', id)
    if (!row) continue
    const deal = normalizeDeal(row as unknown as DealRow, leadSources, scope.ctx)
    if (deal) put.push(deal)
  }
  return { put, gone }
}

/** The touched deals, and the deals without a source of their own whose lead's source changed. */
function dealsToRead(view: DumpAfter, sourceChanged: ReadonlySet<number>): Set<number> {
  const ids = new Set(view.touched('deals'))
  if (sourceChanged.size === 0) return ids
  view.forEach('deals', (r) => {
    const lead = wireIdFast(r.LEAD_ID)
    if (lead !== null && sourceChanged.has(lead) && wireText(r.SOURCE_ID) === null) ids.add(numericKey('deals', r))
  })
  return ids
}

/** The touched stage-history rows' events, as they were (their place goes) and as they are. */
function deltaEvents(scope: DeltaScope, table: 'dealHistory' | 'leadHistory', kind: 'deal' | 'lead') {
  const out: TimedRows<StageEvent> = { put: [], gone: [] }
  for (const id of scope.view.touched(table))
    reread(scope, table, id, out, (row, ctx) => normalizeStageEvent(row as unknown as StageHistoryRow, kind, ctx))
  return out
}

const probes = (ids: Set<number>): Probe[] => [...ids].map((id) => ({ id }))

/** A lead row's source, null for none (or for no lead). */
function sourceOf(row: WireRow | undefined): string | null {
  return row === undefined || wireId(row.ID) === null ? null : wireText(row.SOURCE_ID)
}
