/**
 * Incremental update (issue 11.2): a random delta of changed, added and deleted deals, stage
 * events, touches and leads, applied as a patch to a prepared portal, must give exactly what a
 * full `prepare` of the new data gives — every index, every dictionary code, every quality count
 * and the report — also when deltas follow one another.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { buildReport, prepare, type Prepared } from '../../src/engine/index'
import { applyPatch, diffCrmData } from '../../src/engine/patch'
import { updatePrepared } from '../../src/engine/prepare-update'
import type { CrmData, Deal, StageEvent, Touch } from '../../src/engine/types'
import { NOW, PIPELINES, T0, crmData, periodArb } from './arb'
import { leadProcessedAt } from '../../src/engine/lead-processing'
import { leadLinks } from '../../src/engine/lead-links'
import { clientIndex } from '../../src/engine/clients'
import { closeDays } from '../../src/engine/overdue'
import { callColumns } from '../../src/engine/calls'

const HOUR = 3_600_000
const DAY = 24 * HOUR
const RUNS = { numRuns: 150 }

/** Everything a report reads, functions left out (the zone by name, dictionaries by keys and names). */
function comparable(p: Prepared): Record<string, unknown> {
  const { data: _data, toReportCurrency: _convert, tz, dims, ...rest } = p
  const plainDims = Object.fromEntries(
    Object.entries(dims).map(([dim, column]) => [
      dim,
      { keys: column.dict.keys, names: column.dict.names, codes: column.codes },
    ]),
  )
  return { ...rest, zone: tz.name, dims: plainDims }
}

type Edit =
  | { kind: 'move'; deal: number; stage: number; hours: number }
  | { kind: 'edit'; deal: number; field: number; value: number }
  | { kind: 'removeDeal'; deal: number; withEvents: boolean }
  | { kind: 'addDeal'; stage: number; hours: number; lead: number; withTouch: boolean }
  | { kind: 'removeEvent'; event: number }
  | { kind: 'shiftEvent'; event: number; hours: number }
  | { kind: 'orphanEvent'; hours: number }
  | { kind: 'lateEvent'; deal: number; stage: number; hours: number }
  | { kind: 'addTouch'; deal: number; hours: number; viaLead: boolean; user: number }
  | { kind: 'removeTouch'; touch: number }
  | { kind: 'editLead'; lead: number; value: number }

const pick = fc.nat({ max: 1000 })
const editArb: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ kind: fc.constant('move' as const), deal: pick, stage: fc.nat({ max: 7 }), hours: fc.nat({ max: 500 }) }),
  fc.record({ kind: fc.constant('edit' as const), deal: pick, field: fc.nat({ max: 8 }), value: fc.nat({ max: 9 }) }),
  fc.record({ kind: fc.constant('removeDeal' as const), deal: pick, withEvents: fc.boolean() }),
  fc.record({
    kind: fc.constant('addDeal' as const),
    stage: fc.nat({ max: 7 }),
    hours: fc.nat({ max: 2000 }),
    lead: fc.nat({ max: 25 }),
    withTouch: fc.boolean(),
  }),
  fc.record({ kind: fc.constant('removeEvent' as const), event: pick }),
  fc.record({ kind: fc.constant('shiftEvent' as const), event: pick, hours: fc.integer({ min: -300, max: 300 }) }),
  fc.record({ kind: fc.constant('orphanEvent' as const), hours: fc.nat({ max: 2000 }) }),
  fc.record({
    kind: fc.constant('lateEvent' as const),
    deal: pick,
    stage: fc.nat({ max: 7 }),
    hours: fc.integer({ min: -50, max: 500 }),
  }),
  fc.record({
    kind: fc.constant('addTouch' as const),
    deal: pick,
    hours: fc.integer({ min: -100, max: 800 }),
    viaLead: fc.boolean(),
    user: fc.nat({ max: 4 }),
  }),
  fc.record({ kind: fc.constant('removeTouch' as const), touch: pick }),
  fc.record({ kind: fc.constant('editLead' as const), lead: pick, value: fc.nat({ max: 9 }) }),
)

/** All stage ids of the generated pipelines with their pipeline and semantic. */
const STAGES = PIPELINES.flatMap((pl) => [
  ...pl.process.map((id) => ({ id, categoryId: pl.id, semantic: 'P' as const })),
  { id: pl.won, categoryId: pl.id, semantic: 'S' as const },
  ...pl.lost.map((id) => ({ id, categoryId: pl.id, semantic: 'F' as const })),
])

/** The data after the edits, built the way a sync delta lands: changed rows in place, new ones appended. */
function edited(base: CrmData, edits: Edit[]): CrmData {
  const data: CrmData = {
    ...base,
    deals: base.deals.map((d) => ({ ...d })),
    dealEvents: [...base.dealEvents],
    touches: [...base.touches],
    leads: [...base.leads],
  }
  // Ids above every id so far, as a portal hands out (rounds of edits never reuse one).
  let nextId = 1 + Math.max(10_000, ...[base.deals, base.dealEvents, base.touches].flat().map((r) => r.id))
  const event = (ownerId: number, stage: (typeof STAGES)[number], at: number): StageEvent => ({
    id: nextId++,
    ownerId,
    typeId: 2,
    stageId: stage.id,
    categoryId: stage.categoryId,
    semantic: stage.semantic,
    at,
  })
  for (const e of edits) {
    const deal = data.deals.length ? data.deals[('deal' in e ? e.deal : 0) % data.deals.length] : undefined
    switch (e.kind) {
      case 'move': {
        if (!deal) break
        const stage = STAGES[e.stage % STAGES.length]
        const at = deal.modifiedAt + e.hours * HOUR
        Object.assign(deal, { stageId: stage.id, categoryId: stage.categoryId, semantic: stage.semantic })
        Object.assign(deal, { movedAt: at, modifiedAt: at, closed: stage.semantic !== 'P' })
        data.dealEvents.push(event(deal.id, stage, at))
        break
      }
      case 'edit': {
        if (!deal) break
        const edits: ((d: Deal) => void)[] = [
          (d) => (d.amount = e.value * 1000),
          (d) => (d.assignedById = e.value > 6 ? 90 + e.value : 1 + (e.value % 3)),
          (d) => (d.cityId = e.value > 6 ? `new-${e.value}` : String(1 + (e.value % 3))),
          (d) => (d.sourceId = e.value > 5 ? null : ['ADS', 'WEB', 'CALL'][e.value % 3]),
          (d) => (d.createdAt += (e.value - 4) * 50 * HOUR),
          (d) => (d.leadId = e.value === 0 ? null : e.value),
          (d) => (d.contactId = e.value === 0 ? null : 500 + e.value),
          (d) => (d.companyId = e.value === 0 ? null : 700 + e.value),
          (d) => (d.expectedCloseDay = e.value === 0 ? null : `2024-0${1 + (e.value % 3)}-1${e.value}`),
        ]
        edits[e.field % edits.length](deal)
        break
      }
      case 'removeDeal':
        if (!deal) break
        data.deals = data.deals.filter((d) => d !== deal)
        if (e.withEvents) data.dealEvents = data.dealEvents.filter((ev) => ev.ownerId !== deal.id)
        break
      case 'addDeal': {
        const stage = STAGES[e.stage % STAGES.length]
        const created = T0 + e.hours * HOUR
        const id = nextId++
        data.deals.push({
          ...(data.deals[0] ?? base.deals[0]),
          id,
          title: `New ${id}`,
          categoryId: stage.categoryId,
          stageId: stage.id,
          semantic: stage.semantic,
          createdAt: created,
          modifiedAt: created + HOUR,
          movedAt: created + HOUR,
          leadId: e.lead % 3 === 0 ? null : e.lead,
          contactId: null,
        })
        data.dealEvents.push(
          event(
            id,
            STAGES.find((s) => s.categoryId === stage.categoryId)!,
            created,
          ),
        )
        data.dealEvents.push(event(id, stage, created + HOUR))
        if (e.withTouch) data.touches.push(touch(nextId++, created + 2 * HOUR, 2, [id], []))
        break
      }
      case 'removeEvent':
        if (data.dealEvents.length) data.dealEvents.splice(e.event % data.dealEvents.length, 1)
        break
      case 'shiftEvent': {
        if (!data.dealEvents.length) break
        const i = e.event % data.dealEvents.length
        data.dealEvents[i] = { ...data.dealEvents[i], at: data.dealEvents[i].at + e.hours * HOUR }
        break
      }
      case 'orphanEvent':
        data.dealEvents.push(event(77_777, STAGES[1], T0 + e.hours * HOUR))
        break
      case 'lateEvent': {
        // History that arrives without a change of the deal row (the sync reads the tables apart).
        if (!deal) break
        const stages = STAGES.filter((st) => st.categoryId === deal.categoryId)
        data.dealEvents.push(event(deal.id, stages[e.stage % stages.length], deal.createdAt + e.hours * HOUR))
        break
      }
      case 'addTouch': {
        if (!deal) break
        const at = deal.createdAt + e.hours * HOUR
        const viaLead = e.viaLead && deal.leadId !== null
        data.touches.push(touch(nextId++, at, 1 + e.user, viaLead ? [] : [deal.id], viaLead ? [deal.leadId!] : []))
        break
      }
      case 'removeTouch':
        if (data.touches.length) data.touches.splice(e.touch % data.touches.length, 1)
        break
      case 'editLead': {
        if (!data.leads.length) break
        const i = e.lead % data.leads.length
        data.leads[i] = { ...data.leads[i], assignedById: e.value > 7 ? 95 : 1 + (e.value % 3), sourceId: null }
        break
      }
    }
  }
  return data
}

function touch(id: number, at: number, user: number, dealIds: number[], leadIds: number[]): Touch {
  return {
    id,
    kind: 'call',
    direction: 'out',
    at,
    durationSec: 30,
    responsibleId: user,
    completed: true,
    dealIds,
    leadIds,
    contactIds: [],
    companyIds: [],
  }
}

/** Events and touches in (time, id) order, as the sync's normalisation leaves them. */
function byTime(data: CrmData): CrmData {
  const order = (a: { at: number; id: number }, b: { at: number; id: number }) => a.at - b.at || a.id - b.id
  return { ...data, dealEvents: [...data.dealEvents].sort(order), touches: [...data.touches].sort(order) }
}

/** Touches bound to leads too, so a deal's lead brings earlier touches with it. */
const portalArb = crmData({ maxDeals: 25, maxLeads: 10 }).map((data) => ({
  ...data,
  deals: data.deals.map((d, i) => ({
    ...d,
    leadId: i % 3 === 0 && data.leads.length ? 1 + (i % data.leads.length) : null,
  })),
  touches: [
    ...data.touches,
    ...data.leads.map((l, i) => touch(5_000 + i, l.createdAt + HOUR, 1 + (i % 3), [], [l.id])),
  ],
}))

describe('incremental update equals a full prepare', () => {
  it('after one random delta: every index, code, quality count and the report', () => {
    fc.assert(
      fc.property(
        portalArb,
        fc.array(editArb, { minLength: 1, maxLength: 8 }),
        periodArb,
        fc.boolean(),
        (unsorted, edits, period, sortLikeSync) => {
          // The sync keeps events and touches sorted by time: new rows land mid-table, moved ones move.
          const base = sortLikeSync ? byTime(unsorted) : unsorted
          const after = sortLikeSync ? byTime(edited(base, edits)) : edited(base, edits)
          const patch = diffCrmData(base, after)
          expect(patch).not.toBeNull()
          const next = applyPatch(base, patch!)
          expect(next).toEqual(after)
          const updated = updatePrepared(prepare(base), next, patch!)
          const full = prepare(after)
          expect(comparable(updated)).toEqual(comparable(full))
          const query = { ...period, compare: 'previous' as const, now: NOW }
          expect(buildReport(updated, query)).toEqual(buildReport(full, query))
        },
      ),
      RUNS,
    )
  })

  it("with the report's per-data-load caches carried across the update: the values and the report a rebuild gives", () => {
    let carried = 0
    fc.assert(
      fc.property(portalArb, fc.array(editArb, { minLength: 1, maxLength: 6 }), periodArb, (base, edits, period) => {
        const query = { ...period, compare: 'previous' as const, now: NOW }
        const prev = prepare(base)
        // The report on screen before the delta filled the caches of `prev`.
        buildReport(prev, query)
        const caches = [leadProcessedAt, leadLinks, clientIndex, closeDays, callColumns] as ((p: Prepared) => unknown)[]
        const before = caches.map((cache) => cache(prev))
        const after = edited(base, edits)
        const patch = diffCrmData(base, after)!
        const updated = updatePrepared(prev, applyPatch(base, patch), patch)
        const full = prepare(after)
        caches.forEach((cache, i) => {
          const value = cache(updated)
          if (value === before[i]) carried++
          expect(value).toEqual(cache(full))
        })
        expect(buildReport(updated, query)).toEqual(buildReport(full, query))
      }),
      RUNS,
    )
    expect(carried).toBeGreaterThan(0)
  })

  it('a deal won months ago, reopened now: the backtest carried from before counts it no more', () => {
    const query = { from: '2024-05-01', to: '2024-05-29', compare: 'previous' as const, now: NOW }
    const monthStart = Date.UTC(2024, 4, 1)
    let checked = 0
    for (const base of fc.sample(portalArb, { numRuns: 200, seed: 42 })) {
      if (base.portal.timeZone !== 'UTC') continue
      const won = base.deals.find((d) => d.semantic === 'S' && d.closedAt !== null && d.closedAt < monthStart - DAY)
      if (!won || checked >= 5) continue
      const prev = prepare(base)
      buildReport(prev, query)
      const open = STAGES.find((st) => st.categoryId === won.categoryId && st.semantic === 'P')!
      const at = NOW - HOUR
      const reopened: Deal = { ...won, stageId: open.id, semantic: 'P', closed: false, closedAt: null, movedAt: at }
      const event: StageEvent = {
        id: 1 + Math.max(0, ...base.dealEvents.map((e) => e.id)),
        ownerId: won.id,
        typeId: 2,
        stageId: open.id,
        categoryId: open.categoryId,
        semantic: 'P',
        at,
      }
      const after = {
        ...base,
        deals: base.deals.map((d) => (d.id === won.id ? reopened : d)),
        dealEvents: [...base.dealEvents, event],
      }
      const patch = diffCrmData(base, after)!
      const updated = updatePrepared(prev, applyPatch(base, patch), patch)
      expect(buildReport(updated, query)).toEqual(buildReport(prepare(after), query))
      checked++
    }
    expect(checked).toBeGreaterThan(0)
  })

  it('after deltas that follow one another (each update starting from the last)', () => {
    fc.assert(
      fc.property(
        portalArb,
        fc.array(fc.array(editArb, { minLength: 1, maxLength: 4 }), { minLength: 2, maxLength: 4 }),
        (base, rounds) => {
          let data = base
          let prepared = prepare(base)
          for (const edits of rounds) {
            const after = edited(data, edits)
            const patch = diffCrmData(data, after)!
            data = applyPatch(data, patch)
            prepared = updatePrepared(prepared, data, patch)
          }
          expect(comparable(prepared)).toEqual(comparable(prepare(data)))
        },
      ),
      { numRuns: 80 },
    )
  })
})
