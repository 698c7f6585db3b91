/**
 * Test helpers that change the live dump the way CRM users would: new and edited deals/leads
 * (DATE_MODIFY bumped), stage moves with their history rows, activities. Delta-sync tests use
 * them between two syncs.
 */
import type { ActivityRow, DealRow, LeadRow, StageHistoryRow } from '../b24/wire'
import type { PortalState } from './state'
import { formatInZone } from './tz'

export interface PortalMutations {
  /** Adds a deal; ID defaults to max+1, DATE_CREATE/DATE_MODIFY to now. Returns the stored row. */
  addDeal(fields: Partial<DealRow>): DealRow
  /** Changes fields of a deal and bumps DATE_MODIFY (unless given). */
  updateDeal(id: number, patch: Partial<DealRow>): DealRow
  deleteDeal(id: number): boolean
  /**
   * Moves a deal to `stageId` at `at` (ms, default now): STAGE_ID, STAGE_SEMANTIC_ID, CLOSED,
   * MOVED_TIME, DATE_MODIFY change and a stage-history row (TYPE_ID 2, or 3 for a final stage)
   * is appended.
   */
  moveDeal(id: number, stageId: string, at?: number): { deal: DealRow; history: StageHistoryRow }
  addLead(fields: Partial<LeadRow>): LeadRow
  updateLead(id: number, patch: Partial<LeadRow>): LeadRow
  deleteLead(id: number): boolean
  /** Appends a history row; ID defaults to max+1. */
  addHistory(kind: 'deal' | 'lead', row: Omit<StageHistoryRow, 'ID'> & { ID?: number }): StageHistoryRow
  addActivity(fields: Partial<ActivityRow>): ActivityRow
  updateActivity(id: number, patch: Partial<ActivityRow>): ActivityRow
  deleteActivity(id: number): boolean
}

export function createMutations(portal: PortalState): PortalMutations {
  const now = (ms = portal.clock()): string => formatInZone(ms, portal.timeZone)
  const changed = (): void => {
    portal.version++
  }
  const mustGet = <R extends object>(row: R | undefined, what: string, id: number): R => {
    if (!row) throw new Error(`demo portal: no ${what} ${id}`)
    return row
  }
  const semanticOf = (entityId: string, statusId: string): 'P' | 'S' | 'F' => {
    const s = portal.dump.statuses.find((x) => x.ENTITY_ID === entityId && x.STATUS_ID === statusId)
    return s?.SEMANTICS === 'S' ? 'S' : s?.SEMANTICS === 'F' ? 'F' : 'P'
  }
  const stageEntity = (categoryId: string): string =>
    categoryId === '0' || !categoryId ? 'DEAL_STAGE' : `DEAL_STAGE_${categoryId}`

  const api: PortalMutations = {
    addDeal(fields) {
      const id = fields.ID ? Number(fields.ID) : portal.deals.maxId() + 1
      const stamp = now()
      const row = { DATE_CREATE: stamp, DATE_MODIFY: stamp, ...fields, ID: String(id) } as DealRow
      portal.deals.put(row)
      changed()
      return row
    },
    updateDeal(id, patch) {
      const row = mustGet(portal.deals.get(id), 'deal', id)
      Object.assign(row, { DATE_MODIFY: now() }, patch, { ID: String(id) })
      changed()
      return row
    },
    deleteDeal(id) {
      const ok = portal.deals.remove(id)
      changed()
      return ok
    },
    moveDeal(id, stageId, at = portal.clock()) {
      const deal = mustGet(portal.deals.get(id), 'deal', id)
      const semantic = semanticOf(stageEntity(deal.CATEGORY_ID), stageId)
      const stamp = now(at)
      Object.assign(deal, {
        STAGE_ID: stageId,
        STAGE_SEMANTIC_ID: semantic,
        CLOSED: semantic === 'P' ? 'N' : 'Y',
        MOVED_TIME: stamp,
        DATE_MODIFY: stamp,
      })
      const history = api.addHistory('deal', {
        TYPE_ID: semantic === 'P' ? 2 : 3,
        OWNER_ID: id,
        CREATED_TIME: stamp,
        CATEGORY_ID: Number(deal.CATEGORY_ID),
        STAGE_ID: stageId,
        STAGE_SEMANTIC_ID: semantic,
      })
      changed()
      return { deal, history }
    },
    addLead(fields) {
      const id = fields.ID ? Number(fields.ID) : portal.leads.maxId() + 1
      const stamp = now()
      const row = { DATE_CREATE: stamp, DATE_MODIFY: stamp, ...fields, ID: String(id) } as LeadRow
      portal.leads.put(row)
      changed()
      return row
    },
    updateLead(id, patch) {
      const row = mustGet(portal.leads.get(id), 'lead', id)
      Object.assign(row, { DATE_MODIFY: now() }, patch, { ID: String(id) })
      changed()
      return row
    },
    deleteLead(id) {
      const ok = portal.leads.remove(id)
      changed()
      return ok
    },
    addHistory(kind, fields) {
      const table = kind === 'deal' ? portal.dealHistory : portal.leadHistory
      const row = { ...fields, ID: fields.ID ?? table.maxId() + 1 } as StageHistoryRow
      table.put(row)
      changed()
      return row
    },
    addActivity(fields) {
      const id = fields.ID ? Number(fields.ID) : portal.activities.maxId() + 1
      const stamp = now()
      const row = { CREATED: stamp, LAST_UPDATED: stamp, ...fields, ID: String(id) } as ActivityRow
      portal.activities.put(row)
      changed()
      return row
    },
    updateActivity(id, patch) {
      const row = mustGet(portal.activities.get(id), 'activity', id)
      Object.assign(row, { LAST_UPDATED: now() }, patch, { ID: String(id) })
      changed()
      return row
    },
    deleteActivity(id) {
      const ok = portal.activities.remove(id)
      changed()
      return ok
    },
  }
  return api
}
