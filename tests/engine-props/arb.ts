/**
 * fast-check generators of small but messy CrmData portals for the engine's property tests:
 * two pipelines, skipped stages, backward moves, re-entries, deals without history, events at
 * the same instant, deals lost or won from any stage, touches, leads and budgets.
 */
import fc from 'fast-check'
import type { Budget, CrmData, Deal, Lead, Semantic, StageEvent, Touch, TouchKind } from '../../src/engine/types'

const DAY = 86_400_000
const HOUR = 3_600_000
/** 2024-01-01T00:00:00Z; the generated history covers the 120 days from here. */
export const T0 = Date.UTC(2024, 0, 1)
export const HISTORY_DAYS = 120

export const SOURCES = ['ADS', 'WEB', 'CALL']
export const CITIES = ['1', '2', '3']
export const MANAGERS = [1, 2, 3]
const REASONS = ['10', '11']

interface PipelineSpec {
  id: number
  process: string[]
  won: string
  lost: string[]
}

export const PIPELINES: PipelineSpec[] = [
  { id: 0, process: ['NEW', 'QUAL', 'OFFER', 'CONTRACT'], won: 'WON', lost: ['LOSE', 'APOLOGY'] },
  { id: 1, process: ['C1:NEW', 'C1:WORK'], won: 'C1:WON', lost: ['C1:LOSE'] },
]

/** One deal's story: a walk over process stages (indexes), then maybe a close. */
interface DealSpec {
  pipeline: number
  createdHour: number
  walk: number[]
  gapsHours: number[]
  outcome: 'open' | 'won' | 'lost'
  lostStage: number
  withHistory: boolean
  source: number | null
  city: number | null
  manager: number
  reason: number | null
  amount: number
  touches: { offsetHours: number; kind: number }[]
}

const dealSpec = (ties: boolean): fc.Arbitrary<DealSpec> =>
  fc.record({
    pipeline: fc.integer({ min: 0, max: 1 }),
    createdHour: fc.integer({ min: 0, max: HISTORY_DAYS * 24 - 1 }),
    walk: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 5 }),
    // 0 h gaps make events at the same instant (real data has them: Maven engages at creation).
    gapsHours: fc.array(
      ties ? fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 400 })) : fc.integer({ min: 1, max: 400 }),
      { minLength: 6, maxLength: 6 },
    ),
    outcome: fc.constantFrom<'open' | 'won' | 'lost'>('open', 'won', 'lost'),
    lostStage: fc.integer({ min: 0, max: 1 }),
    // One deal in five has no stage history: the engine reconstructs it (metrics.md "Inputs").
    withHistory: fc.integer({ min: 0, max: 4 }).map((x) => x > 0),
    source: fc.option(fc.integer({ min: 0, max: SOURCES.length - 1 }), { nil: null }),
    city: fc.option(fc.integer({ min: 0, max: CITIES.length - 1 }), { nil: null }),
    manager: fc.integer({ min: 0, max: MANAGERS.length - 1 }),
    reason: fc.option(fc.integer({ min: 0, max: REASONS.length - 1 }), { nil: null }),
    amount: fc.integer({ min: 0, max: 100_000 }),
    touches: fc.array(
      fc.record({ offsetHours: fc.integer({ min: -48, max: 800 }), kind: fc.integer({ min: 0, max: 4 }) }),
      { maxLength: 4 },
    ),
  })

interface LeadSpec {
  createdHour: number
  semantic: Semantic
  source: number | null
  manager: number
}

const leadSpec: fc.Arbitrary<LeadSpec> = fc.record({
  createdHour: fc.integer({ min: 0, max: HISTORY_DAYS * 24 - 1 }),
  semantic: fc.constantFrom<Semantic>('P', 'S', 'F'),
  source: fc.option(fc.integer({ min: 0, max: SOURCES.length - 1 }), { nil: null }),
  manager: fc.integer({ min: 0, max: MANAGERS.length - 1 }),
})

const TOUCH_KINDS: TouchKind[] = ['call', 'email', 'sms', 'meeting', 'task']

function emptyPortal(timeZone: string): CrmData {
  const data: CrmData = {
    portal: { memberId: 'props', domain: 'props.example', timeZone, currency: 'RUB', language: 'en' },
    pipelines: [],
    stages: [],
    leadStatuses: [
      { id: 'NEW', name: 'New', sort: 10, semantic: 'P' },
      { id: 'CONVERTED', name: 'Converted', sort: 20, semantic: 'S' },
      { id: 'JUNK', name: 'Junk', sort: 30, semantic: 'F' },
    ],
    sources: SOURCES.map((id) => ({ id, name: `Source ${id}` })),
    cities: CITIES.map((id) => ({ id, name: `City ${id}` })),
    lossReasons: REASONS.map((id) => ({ id, name: `Reason ${id}` })),
    users: MANAGERS.map((id) => ({ id, name: `Manager ${id}`, active: true, departmentIds: [] })),
    departments: [],
    currencies: [{ code: 'RUB', rate: 1, base: true }],
    deals: [],
    leads: [],
    dealEvents: [],
    leadEvents: [],
    touches: [],
    budgets: [],
    plans: [],
    settings: {
      consultationStageIds: [],
      heldStageIds: [],
      branchStageIds: [],
      noShowStageIds: [],
      contractStageIds: [],
      workingHours: { start: 9, end: 18, days: [1, 2, 3, 4, 5] },
    },
  }
  for (const pl of PIPELINES) {
    const ids = [...pl.process, pl.won, ...pl.lost]
    data.pipelines.push({ id: pl.id, name: `Pipeline ${pl.id}`, sort: pl.id * 10, stageIds: ids })
    ids.forEach((id, i) => {
      const semantic: Semantic = i < pl.process.length ? 'P' : id === pl.won ? 'S' : 'F'
      data.stages.push({ id, categoryId: pl.id, name: `Stage ${id}`, sort: (i + 1) * 10, semantic, color: null })
    })
  }
  return data
}

function addDeal(data: CrmData, id: number, s: DealSpec, nextEventId: () => number, nextTouchId: () => number): void {
  const pl = PIPELINES[s.pipeline]
  const created = T0 + s.createdHour * HOUR
  const walk = [0, ...s.walk.map((i) => Math.min(i, pl.process.length - 1))]
  const path: { stage: string; semantic: Semantic; at: number }[] = []
  let t = created
  walk.forEach((st, i) => {
    if (i > 0) t += s.gapsHours[i % s.gapsHours.length] * HOUR
    path.push({ stage: pl.process[st], semantic: 'P', at: t })
  })
  if (s.outcome !== 'open') {
    t += s.gapsHours[5] * HOUR
    const stage = s.outcome === 'won' ? pl.won : pl.lost[Math.min(s.lostStage, pl.lost.length - 1)]
    path.push({ stage, semantic: s.outcome === 'won' ? 'S' : 'F', at: t })
  }
  const last = path[path.length - 1]
  const deal: Deal = {
    id,
    title: `Deal ${id}`,
    categoryId: pl.id,
    stageId: last.stage,
    semantic: last.semantic,
    createdAt: created,
    modifiedAt: last.at,
    movedAt: last.at,
    closedAt: last.semantic === 'P' ? null : last.at,
    closed: last.semantic !== 'P',
    amount: s.amount,
    currency: 'RUB',
    sourceId: s.source === null ? null : SOURCES[s.source],
    utmSource: null,
    assignedById: MANAGERS[s.manager],
    leadId: null,
    contactId: null,
    companyId: null,
    cityId: s.city === null ? null : CITIES[s.city],
    lossReasonId: s.outcome === 'lost' && s.reason !== null ? REASONS[s.reason] : null,
  }
  data.deals.push(deal)
  if (s.withHistory) {
    path.forEach((p, i) => {
      const ev: StageEvent = {
        id: nextEventId(),
        ownerId: id,
        typeId: i === 0 ? 1 : p.semantic === 'P' ? 2 : 3,
        stageId: p.stage,
        categoryId: pl.id,
        semantic: p.semantic,
        at: p.at,
      }
      data.dealEvents.push(ev)
    })
  }
  for (const tc of s.touches) {
    const touch: Touch = {
      id: nextTouchId(),
      kind: TOUCH_KINDS[tc.kind],
      direction: tc.kind === 0 ? 'out' : null,
      at: created + tc.offsetHours * HOUR,
      durationSec: tc.kind === 0 ? 60 + tc.offsetHours : null,
      responsibleId: deal.assignedById,
      completed: true,
      dealIds: [id],
      leadIds: [],
      contactIds: [],
      companyIds: [],
    }
    data.touches.push(touch)
  }
}

function addLead(data: CrmData, id: number, s: LeadSpec): void {
  const created = T0 + s.createdHour * HOUR
  const lead: Lead = {
    id,
    title: `Lead ${id}`,
    statusId: s.semantic === 'P' ? 'NEW' : s.semantic === 'S' ? 'CONVERTED' : 'JUNK',
    semantic: s.semantic,
    createdAt: created,
    modifiedAt: created,
    closedAt: s.semantic === 'P' ? null : created + HOUR,
    amount: 0,
    currency: 'RUB',
    sourceId: s.source === null ? null : SOURCES[s.source],
    utmSource: null,
    assignedById: MANAGERS[s.manager],
    cityId: null,
    contactId: null,
  }
  data.leads.push(lead)
}

export interface PortalOptions {
  maxDeals?: number
  maxLeads?: number
  /** Allow stage events of one deal at the same instant (default true). */
  ties?: boolean
}

/** A whole small portal. */
export function crmData(opts: PortalOptions = {}): fc.Arbitrary<CrmData> {
  return fc
    .record({
      timeZone: fc.constantFrom('UTC', '+03:00', 'Europe/Berlin'),
      deals: fc.array(dealSpec(opts.ties ?? true), { minLength: 1, maxLength: opts.maxDeals ?? 40 }),
      leads: fc.array(leadSpec, { maxLength: opts.maxLeads ?? 20 }),
      budgets: fc.array(
        fc.record({
          source: fc.integer({ min: 0, max: SOURCES.length - 1 }),
          month: fc.integer({ min: 1, max: 4 }),
          amount: fc.integer({ min: 0, max: 5000 }),
        }),
        { maxLength: 4 },
      ),
    })
    .map(({ timeZone, deals, leads, budgets }) => {
      const data = emptyPortal(timeZone)
      let ev = 1
      let tc = 1
      deals.forEach((s, i) =>
        addDeal(
          data,
          i + 1,
          s,
          () => ev++,
          () => tc++,
        ),
      )
      leads.forEach((s, i) => addLead(data, i + 1, s))
      data.dealEvents.sort((a, b) => a.at - b.at || a.id - b.id)
      data.budgets = budgets.map((b): Budget => ({
        sourceId: SOURCES[b.source],
        cityId: null,
        month: `2024-0${b.month}`,
        amount: b.amount,
        currency: 'RUB',
      }))
      return data
    })
}

/** A period inside the generated history, by whole days ('YYYY-MM-DD'). */
export const periodArb: fc.Arbitrary<{ from: string; to: string }> = fc
  .tuple(fc.integer({ min: 0, max: HISTORY_DAYS - 1 }), fc.integer({ min: 0, max: 60 }))
  .map(([start, len]) => ({ from: day(start), to: day(Math.min(HISTORY_DAYS - 1, start + len)) }))

export function day(offset: number): string {
  return new Date(T0 + offset * DAY).toISOString().slice(0, 10)
}

/** Fisher–Yates with a fast-check-provided seed sequence, so failures replay. */
export function shuffled<T>(rows: readonly T[], keys: readonly number[]): T[] {
  const out = [...rows]
  for (let i = out.length - 1; i > 0; i--) {
    const j = keys[i % keys.length] % (i + 1)
    ;[out[i], out[j]] = [out[j], out[i]]
  }
  return out
}

/** "Now" for reports: just after the generated history ends. */
export const NOW = T0 + (HISTORY_DAYS + 30) * DAY
