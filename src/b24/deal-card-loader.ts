/**
 * Loads what the deal-card widget needs in exactly two batch requests, with no full sync:
 *
 * 1. the deal, its stage history, its latest activities, the source names and the settings
 *    (branch stages);
 * 2. (now that the pipeline is known) the pipeline's stages, a sample of its most recent
 *    stage history (`historyPages` × 50 events, newest first) for the norms, its most
 *    recently closed deals (`dealPages` × 50) for conversion and source churn, and the
 *    manager's name.
 *
 * Norms are computed live from that sample (nothing precomputed in storage), so the widget
 * is right on a portal whose report was never opened.
 */
import { replyOf, RestError, type AppRest, type RestParams } from './app-rest'
import { dealStages } from './normalize-dictionaries'
import { ProblemLog } from './normalize-problems'
import { activityTouches } from './normalize-touches'
import { wireDate, wireId, wireInt, wireNumber, wireText } from './wire-values'
import type { ActivityRow, DealRow, LeadRow, StageHistoryRow, StatusRow, UserRow } from './wire'
import type { ClosedDealSample, DealCardInput, DealSummary } from '../engine/deal-card'
import type { Semantic, StageEvent } from '../engine/types'
import { branchStageIds } from '../engine/branch'
import { SETTINGS_OPTION, parseSettings } from './settings'

export interface DealCardData extends DealCardInput {
  title: string
  amount: number
  currency: string
  sourceName: string | null
  managerName: string | null
}

export interface DealCardLoadOptions {
  historyPages?: number
  dealPages?: number
  now?: number
}

function semantic(v: unknown): Semantic {
  return v === 'S' || v === 'F' ? v : 'P'
}

function stageEvent(row: StageHistoryRow): StageEvent | null {
  const at = wireDate(row.CREATED_TIME)
  const id = wireId(row.ID)
  const ownerId = wireId(row.OWNER_ID)
  if (at === null || id === null || ownerId === null || !row.STAGE_ID) return null
  return {
    id,
    ownerId,
    typeId: wireInt(row.TYPE_ID) ?? 2,
    stageId: row.STAGE_ID,
    categoryId: wireInt(row.CATEGORY_ID) ?? 0,
    semantic: semantic(row.STAGE_SEMANTIC_ID),
    at,
  }
}

function items<T>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[]
  const wrapped = (result as { items?: T[] } | null)?.items
  return Array.isArray(wrapped) ? wrapped : []
}

const ACTIVITY_SELECT = [
  'ID',
  'OWNER_ID',
  'OWNER_TYPE_ID',
  'TYPE_ID',
  'PROVIDER_ID',
  'CREATED',
  'START_TIME',
  'END_TIME',
  'COMPLETED',
  'DIRECTION',
  'RESPONSIBLE_ID',
]

export async function loadDealCard(
  rest: AppRest,
  dealId: number,
  opts: DealCardLoadOptions = {},
): Promise<DealCardData> {
  const historyPages = Math.min(opts.historyPages ?? 20, 30)
  const dealPages = Math.min(opts.dealPages ?? 16, 50 - 3 - historyPages)
  const first = await rest.batch({
    deal: ['crm.deal.get', { id: dealId }],
    history: ['crm.stagehistory.list', { entityTypeId: 2, filter: { OWNER_ID: dealId }, order: { ID: 'ASC' } }],
    activities: [
      'crm.activity.list',
      { filter: { OWNER_TYPE_ID: 2, OWNER_ID: dealId }, order: { ID: 'DESC' }, select: ACTIVITY_SELECT },
    ],
    sources: ['crm.status.list', { filter: { ENTITY_ID: 'SOURCE' } }],
    settings: ['app.option.get', { option: SETTINGS_OPTION }],
  })
  const row = replyOf<DealRow | null>(first, 'deal')
  if (!row || !row.ID)
    throw new RestError('crm.deal.get', 'NOT_FOUND', `deal ${dealId} was not found or you cannot see it`, 404)
  const categoryId = wireInt(row.CATEGORY_ID) ?? 0

  const second: Record<string, [string, RestParams]> = {
    stages: [
      'crm.status.list',
      { filter: { ENTITY_ID: categoryId === 0 ? 'DEAL_STAGE' : `DEAL_STAGE_${categoryId}` } },
    ],
    manager: ['user.get', { ID: row.ASSIGNED_BY_ID }],
  }
  // metrics.md: a deal converted from a lead with no own source takes the lead's.
  const leadId = wireText(row.SOURCE_ID) === null ? wireId(row.LEAD_ID) : null
  if (leadId !== null) second.lead = ['crm.lead.get', { id: leadId }]
  for (let p = 0; p < historyPages; p++) {
    second[`h${p}`] = [
      'crm.stagehistory.list',
      { entityTypeId: 2, filter: { CATEGORY_ID: categoryId }, order: { ID: 'DESC' }, start: p * 50 },
    ]
  }
  for (let p = 0; p < dealPages; p++) {
    second[`d${p}`] = [
      'crm.deal.list',
      {
        filter: { CATEGORY_ID: categoryId, CLOSED: 'Y' },
        order: { ID: 'DESC' },
        select: ['ID', 'ASSIGNED_BY_ID', 'SOURCE_ID', 'STAGE_SEMANTIC_ID'],
        start: p * 50,
      },
    ]
  }
  const replies = await rest.batch(second)

  const log = new ProblemLog()
  const stages = dealStages(replyOf<StatusRow[]>(replies, 'stages'), log)
  const seen = new Set<number>()
  const sampleEvents: StageEvent[] = []
  for (let p = 0; p < historyPages; p++) {
    const r = replies[`h${p}`]
    if (!r?.ok) continue
    for (const h of items<StageHistoryRow>(r.result)) {
      const e = stageEvent(h)
      if (e && !seen.has(e.id)) {
        seen.add(e.id)
        sampleEvents.push(e)
      }
    }
  }
  const sampleDeals: ClosedDealSample[] = []
  const seenDeals = new Set<number>()
  for (let p = 0; p < dealPages; p++) {
    const r = replies[`d${p}`]
    if (!r?.ok) continue
    for (const d of r.result as DealRow[]) {
      const id = wireId(d.ID)
      if (id === null || seenDeals.has(id)) continue
      seenDeals.add(id)
      sampleDeals.push({
        id,
        assignedById: wireId(d.ASSIGNED_BY_ID) ?? 0,
        sourceId: wireText(d.SOURCE_ID),
        semantic: semantic(d.STAGE_SEMANTIC_ID),
      })
    }
  }

  const deal: DealSummary = {
    id: wireId(row.ID) ?? dealId,
    stageId: row.STAGE_ID,
    semantic: semantic(row.STAGE_SEMANTIC_ID),
    createdAt: wireDate(row.DATE_CREATE) ?? 0,
    movedAt: wireDate(row.MOVED_TIME),
    sourceId:
      wireText(row.SOURCE_ID) ??
      (replies.lead?.ok ? wireText((replies.lead.result as LeadRow | null)?.SOURCE_ID) : null),
    assignedById: wireId(row.ASSIGNED_BY_ID) ?? 0,
  }
  const sources = replyOf<StatusRow[]>(first, 'sources')
  const manager = replies.manager?.ok ? (replies.manager.result as UserRow[])[0] : undefined
  return {
    deal,
    events: items<StageHistoryRow>(replyOf(first, 'history'))
      .map(stageEvent)
      .filter((e): e is StageEvent => e !== null),
    stages,
    touches: activityTouches(replyOf<ActivityRow[]>(first, 'activities'), [], log),
    sampleEvents,
    sampleDeals,
    // Unreadable settings only lose the branch rule, never the card.
    branchStageIds: [...branchStageIds(first.settings?.ok ? parseSettings(first.settings.result).analytics : null)],
    now: opts.now ?? Date.now(),
    title: wireText(row.TITLE) ?? `#${deal.id}`,
    amount: wireNumber(row.OPPORTUNITY) ?? 0,
    currency: row.CURRENCY_ID,
    sourceName: sources.find((s) => s.STATUS_ID === deal.sourceId)?.NAME ?? deal.sourceId,
    managerName: manager ? [manager.NAME, manager.LAST_NAME].filter(Boolean).join(' ') || null : null,
  }
}
