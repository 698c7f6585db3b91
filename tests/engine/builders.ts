/**
 * A tiny builder of hand-made CrmData portals for the engine's table tests.
 * Default portal: time zone +03:00, currency RUB, one pipeline (id 0) with stages
 * NEW → CONTACT → OFFER (process), WON (success), LOSE (failure).
 */
import type { CrmData, Deal, Lead, Semantic, StageEvent, Touch } from '../../src/engine/types'

/** Epoch ms of an ISO date-time with offset, e.g. at('2024-03-01T10:00+03:00'). */
export function at(iso: string): number {
  const t = Date.parse(iso)
  if (Number.isNaN(t)) throw new Error(`bad time in test: ${iso}`)
  return t
}

export interface StageSpec {
  id: string
  name?: string
  semantic?: Semantic
}

export function portal(
  opts: { timeZone?: string; currency?: string; pipelines?: { id: number; name?: string; stages: StageSpec[] }[] } = {},
): CrmData {
  const pipelines = opts.pipelines ?? [
    {
      id: 0,
      name: 'Sales',
      stages: [
        { id: 'NEW' },
        { id: 'CONTACT' },
        { id: 'OFFER' },
        { id: 'WON', semantic: 'S' as Semantic },
        { id: 'LOSE', semantic: 'F' as Semantic },
      ],
    },
  ]
  const data: CrmData = {
    portal: {
      memberId: 'test',
      domain: 'test.bitrix24.ru',
      timeZone: opts.timeZone ?? '+03:00',
      currency: opts.currency ?? 'RUB',
      language: 'en',
    },
    pipelines: [],
    stages: [],
    leadStatuses: [],
    sources: [],
    cities: [],
    lossReasons: [],
    users: [
      { id: 1, name: 'Anna', active: true, departmentIds: [] },
      { id: 2, name: 'Boris', active: true, departmentIds: [] },
    ],
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
  pipelines.forEach((pl, pi) => {
    data.pipelines.push({
      id: pl.id,
      name: pl.name ?? `Pipeline ${pl.id}`,
      sort: pi * 10,
      stageIds: pl.stages.map((s) => s.id),
    })
    pl.stages.forEach((s, i) =>
      data.stages.push({
        id: s.id,
        categoryId: pl.id,
        name: s.name ?? s.id,
        sort: (i + 1) * 10,
        semantic: s.semantic ?? 'P',
        color: null,
      }),
    )
  })
  return data
}

let eventId = 1

/**
 * Adds a deal. `history` is a list of [stageId, iso time]; the first entry is the creation.
 * Without `history` the deal has no stage events (the engine must reconstruct it).
 */
export function addDeal(
  data: CrmData,
  d: Partial<Deal> & { id: number; stageId: string; created: string; history?: [string, string][] },
): Deal {
  const stage = data.stages.find((s) => s.id === d.stageId)
  const semantic = d.semantic ?? stage?.semantic ?? 'P'
  const hist = d.history ?? []
  const lastAt = hist.length ? at(hist[hist.length - 1][1]) : at(d.created)
  const deal: Deal = {
    id: d.id,
    title: d.title ?? `Deal ${d.id}`,
    categoryId: d.categoryId ?? stage?.categoryId ?? 0,
    stageId: d.stageId,
    semantic,
    createdAt: at(d.created),
    modifiedAt: d.modifiedAt ?? lastAt,
    movedAt: d.movedAt !== undefined ? d.movedAt : lastAt,
    closedAt: d.closedAt !== undefined ? d.closedAt : semantic === 'P' ? null : lastAt,
    closed: semantic !== 'P',
    amount: d.amount ?? 0,
    currency: d.currency ?? 'RUB',
    sourceId: d.sourceId ?? null,
    utmSource: d.utmSource ?? null,
    assignedById: d.assignedById ?? 1,
    leadId: d.leadId ?? null,
    contactId: d.contactId ?? null,
    companyId: d.companyId ?? null,
    cityId: d.cityId ?? null,
    lossReasonId: d.lossReasonId ?? null,
    ...(d.expectedCloseDay !== undefined ? { expectedCloseDay: d.expectedCloseDay } : {}),
  }
  data.deals.push(deal)
  hist.forEach(([stageId, iso], i) => {
    const st = data.stages.find((s) => s.id === stageId)
    const ev: StageEvent = {
      id: eventId++,
      ownerId: d.id,
      typeId: i === 0 ? 1 : st?.semantic === 'P' || !st ? 2 : 3,
      stageId,
      categoryId: st?.categoryId ?? deal.categoryId,
      semantic: st?.semantic ?? 'P',
      at: at(iso),
    }
    data.dealEvents.push(ev)
  })
  return deal
}

export function addLead(data: CrmData, l: Partial<Lead> & { id: number; created: string; semantic: Semantic }): Lead {
  const lead: Lead = {
    id: l.id,
    title: l.title ?? `Lead ${l.id}`,
    statusId: l.statusId ?? (l.semantic === 'S' ? 'CONVERTED' : l.semantic === 'F' ? 'JUNK' : 'NEW'),
    semantic: l.semantic,
    createdAt: at(l.created),
    modifiedAt: at(l.created),
    closedAt: null,
    amount: l.amount ?? 0,
    currency: l.currency ?? 'RUB',
    sourceId: l.sourceId ?? null,
    utmSource: l.utmSource ?? null,
    assignedById: l.assignedById ?? 1,
    cityId: l.cityId ?? null,
    contactId: l.contactId ?? null,
  }
  data.leads.push(lead)
  return lead
}

let touchId = 1

export function addTouch(data: CrmData, t: Omit<Partial<Touch>, 'at'> & { at: string; kind: Touch['kind'] }): Touch {
  const touch: Touch = {
    id: t.id ?? touchId++,
    kind: t.kind,
    direction: t.direction ?? null,
    at: at(t.at),
    durationSec: t.durationSec ?? null,
    ...(t.callFailedCode !== undefined ? { callFailedCode: t.callFailedCode } : {}),
    responsibleId: t.responsibleId ?? 1,
    completed: t.completed ?? true,
    dealIds: t.dealIds ?? [],
    leadIds: t.leadIds ?? [],
    contactIds: t.contactIds ?? [],
    companyIds: t.companyIds ?? [],
  }
  data.touches.push(touch)
  return touch
}

/** Ids of drill rows, sorted, for comparing with the deals a test expects. */
export function ids(rows: { id: number }[]): number[] {
  return rows.map((r) => r.id).sort((a, b) => a - b)
}
