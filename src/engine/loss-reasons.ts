/**
 * Loss reasons: deals lost in the period by reason, reason × loss stage (per pipeline) and
 * reason × manager; and the "call again" list.
 *
 * Call-again rule: deals lost in the 90 days before `now` (whatever the period; filters apply)
 * whose loss reason reads like a timing problem rather than a refusal — "postponed", "later",
 * "no answer", "could not reach", "thinking", "call back", "no budget yet" (English, Russian and
 * Ukrainian wordings, see CALL_AGAIN) — ranked by amount, largest first, at most 50.
 * Junk leads get the same list (`leadCallAgain`): leads closed as junk in those 90 days whose
 * reason (their reason field, else their failure status) reads the same way, newest first.
 */
import { coveredPipes, type PeriodScope, type QueryScope } from './filters'
import { SEM_F, type Prepared } from './prepare'
import { DAY_MS } from './periods'
import { rate, round2 } from './stats'
import type { WithChanges } from './changes'

export const CALL_AGAIN =
  /postpon|later|no answer|not answer|unreachable|not reach|could not reach|think|call ?back|no budget|отлож|позже|позднее|перенес|не дозвон|недозвон|не отвеча|не бер[её]т|подума|перезвон|нет бюджет|відклад|пізніше|не відповіда|подума/i
export const CALL_AGAIN_DAYS = 90
/** The three-way breakdown can have managers × reasons × stages rows; the report keeps the largest. */
export const CELL_LIMIT = 300

export interface LossReasonRow extends WithChanges {
  key: string
  name: string
  count: number
  amount: number
  /** count / all deals lost in the period. */
  share: number | null
}

export interface CallAgainRow {
  id: number
  title: string
  amount: number
  reason: string
  lostAt: number
  managerName: string
  stageName: string
}

export interface LeadCallAgainRow {
  id: number
  title: string
  reason: string
  /** When the lead was closed as junk. */
  lostAt: number
  managerName: string
  sourceName: string | null
}

export interface LossReasonsSection extends WithChanges {
  lost: number
  byReason: LossReasonRow[]
  byStage: {
    categoryId: number
    name: string
    order: string[]
    rows: { key: string; name: string; stages: Record<string, number> }[]
  }[]
  byManager: { managerId: string; name: string; lost: number; reasons: Record<string, number> }[]
  /** Number of non-empty reason × stage × manager cells (only the largest CELL_LIMIT are listed). */
  cellCount: number
  /** Reason × loss stage × manager: one row per non-empty cell, largest first, at most CELL_LIMIT. */
  cells: {
    categoryId: number
    stageId: string
    stageName: string
    reasonKey: string
    reasonName: string
    managerId: string
    managerName: string
    count: number
    amount: number
  }[]
  callAgain: CallAgainRow[]
  /** Junk leads worth contacting again (at most 50, newest first). */
  leadCallAgain: LeadCallAgainRow[]
}

export function isCallAgain(s: QueryScope, d: number): boolean {
  const p = s.p
  if (s.dealMask[d] !== 1 || p.semantic[d] !== SEM_F) return false
  const t = p.closedAt[d]
  if (!(t <= s.now && t >= s.now - CALL_AGAIN_DAYS * DAY_MS)) return false
  return callAgainReasons(p)[p.dims.lossReason.codes[d]] === 1
}

/** A junk lead (filters apply) closed in the 90 days before now with a reason worth a new try. */
export function isLeadCallAgain(s: QueryScope, i: number): boolean {
  const p = s.p
  if (s.leadMask[i] !== 1 || p.leadSemantic[i] !== SEM_F) return false
  const t = leadLostAt(p, i)
  if (!(t <= s.now && t >= s.now - CALL_AGAIN_DAYS * DAY_MS)) return false
  return callAgainReasons(p)[p.leadDims.lossReason[i]] === 1
}

function leadLostAt(p: Prepared, i: number): number {
  const l = p.data.leads[i]
  return l.closedAt ?? l.modifiedAt
}

function leadCallAgainRows(s: QueryScope): LeadCallAgainRow[] {
  const p = s.p
  const rows: LeadCallAgainRow[] = []
  for (let j = 0, list = callAgainCandidates(p).leads; j < list.length; j++) {
    const i = list[j]
    if (!isLeadCallAgain(s, i)) continue
    const lead = p.data.leads[i]
    const source = p.leadDims.source[i]
    rows.push({
      id: lead.id,
      title: lead.title,
      reason: p.dims.lossReason.dict.names[p.leadDims.lossReason[i]],
      lostAt: leadLostAt(p, i),
      managerName: p.dims.manager.dict.names[p.leadDims.manager[i]],
      sourceName: p.dims.source.dict.keys[source] === '' ? null : p.dims.source.dict.names[source],
    })
  }
  return rows.sort((a, b) => b.lostAt - a.lostAt || a.id - b.id).slice(0, 50)
}

/**
 * Per data load: the lost deals and junk leads whose reason reads as call-again, in index order.
 * The filters and the 90 days before `now` are tested per query on these few, not on every row.
 */
const candidates = new WeakMap<Prepared, { deals: Int32Array; leads: Int32Array }>()
function callAgainCandidates(p: Prepared): { deals: Int32Array; leads: Int32Array } {
  let hit = candidates.get(p)
  if (!hit) {
    const flags = callAgainReasons(p)
    const deals: number[] = [],
      leads: number[] = []
    for (let d = 0; d < p.n; d++) if (p.semantic[d] === SEM_F && flags[p.dims.lossReason.codes[d]] === 1) deals.push(d)
    for (let i = 0; i < p.leadSemantic.length; i++)
      if (p.leadSemantic[i] === SEM_F && flags[p.leadDims.lossReason[i]] === 1) leads.push(i)
    candidates.set(p, (hit = { deals: Int32Array.from(deals), leads: Int32Array.from(leads) }))
  }
  return hit
}

/** The call-again lists do not depend on the period: computed once per query, shared by both periods. */
const callAgainMemo = new WeakMap<QueryScope, Pick<LossReasonsSection, 'callAgain' | 'leadCallAgain'>>()
function callAgainLists(s: QueryScope): Pick<LossReasonsSection, 'callAgain' | 'leadCallAgain'> {
  let hit = callAgainMemo.get(s)
  if (!hit) callAgainMemo.set(s, (hit = { callAgain: callAgainRows(s), leadCallAgain: leadCallAgainRows(s) }))
  return hit
}

function callAgainRows(s: QueryScope): CallAgainRow[] {
  const p = s.p
  const reasons = p.dims.lossReason
  const managers = p.dims.manager
  const callAgain: CallAgainRow[] = []
  for (let j = 0, list = callAgainCandidates(p).deals; j < list.length; j++) {
    const d = list[j]
    if (!isCallAgain(s, d)) continue
    const deal = p.data.deals[d]
    callAgain.push({
      id: deal.id,
      title: deal.title,
      amount: round2(p.amount[d]),
      reason: reasons.dict.names[reasons.codes[d]],
      lostAt: p.closedAt[d],
      managerName: managers.dict.names[managers.codes[d]],
      stageName: stageNameOf(p, d),
    })
  }
  callAgain.sort((a, b) => b.amount - a.amount || a.id - b.id)
  return callAgain.slice(0, 50)
}

const reasonFlags = new WeakMap<Prepared, Uint8Array>()
/** 1 per loss-reason code whose name matches CALL_AGAIN (tested once per data load, not per deal). */
function callAgainReasons(p: Prepared): Uint8Array {
  let flags = reasonFlags.get(p)
  if (!flags) {
    const dict = p.dims.lossReason.dict
    flags = Uint8Array.from(dict.keys, (k, i) => (k !== '' && CALL_AGAIN.test(dict.names[i]) ? 1 : 0))
    reasonFlags.set(p, flags)
  }
  return flags
}

export function lostInScope(s: QueryScope, ps: PeriodScope, d: number): boolean {
  return s.dealMask[d] === 1 && ps.lost[d] === 1
}

function stageNameOf(p: Prepared, d: number): string {
  const st = p.lossStage[d]
  return st >= 0 ? p.pipes[p.pipe[d]].stageNames[st] : ''
}

export function lossReasonsSection(s: QueryScope, ps: PeriodScope): LossReasonsSection {
  const p = s.p
  const reasons = p.dims.lossReason
  const managers = p.dims.manager
  const K = reasons.dict.size
  const count = new Int32Array(K),
    amount = new Float64Array(K)
  const byManager = new Map<number, { lost: number; reasons: Record<string, number> }>()
  let lost = 0
  for (let j = 0, list = ps.closedDeals; j < list.length; j++) {
    const d = list[j]
    if (!lostInScope(s, ps, d)) continue
    lost++
    const k = reasons.codes[d]
    count[k]++
    amount[k] += p.amount[d]
    const m = managers.codes[d]
    const row = byManager.get(m) ?? { lost: 0, reasons: {} }
    row.lost++
    const key = reasons.dict.keys[k]
    row.reasons[key] = (row.reasons[key] ?? 0) + 1
    byManager.set(m, row)
  }
  const byReason: LossReasonRow[] = []
  for (let k = 0; k < K; k++) {
    if (count[k])
      byReason.push({
        key: reasons.dict.keys[k],
        name: reasons.dict.names[k],
        count: count[k],
        amount: round2(amount[k]),
        share: rate(count[k], lost),
      })
  }
  byReason.sort((a, b) => b.count - a.count || b.amount - a.amount || a.key.localeCompare(b.key))
  const byStage = coveredPipes(s).map((pi) => {
    const pl = p.pipes[pi]
    const cells = new Int32Array(K * p.stride)
    for (let di = 0, deals = ps.closedDeals; di < deals.length; di++) {
      const d = deals[di]
      if (p.pipe[d] === pi && ps.lost[d] === 1 && p.lossStage[d] >= 0)
        cells[reasons.codes[d] * p.stride + p.lossStage[d]]++
    }
    const rows = byReason
      .map((r) => {
        const k = reasons.dict.find(r.key)
        const stages: Record<string, number> = {}
        for (let st = 0; st < pl.processCount; st++) stages[pl.stageIds[st]] = cells[k * p.stride + st]
        return { key: r.key, name: r.name, stages }
      })
      .filter((r) => Object.values(r.stages).some((v) => v > 0))
    return { categoryId: pl.categoryId, name: pl.name, order: pl.stageIds.slice(0, pl.processCount), rows }
  })
  const cellMap = new Map<number, LossReasonsSection['cells'][number]>()
  for (let j = 0, list = ps.closedDeals; j < list.length; j++) {
    const d = list[j]
    if (ps.lost[d] !== 1 || p.lossStage[d] < 0) continue
    const pl = p.pipes[p.pipe[d]]
    const r = reasons.codes[d],
      m = managers.codes[d],
      st = p.lossStage[d]
    const key = ((p.pipe[d] * p.stride + st) * reasons.dict.size + r) * managers.dict.size + m
    let cell = cellMap.get(key)
    if (!cell) {
      cell = {
        categoryId: pl.categoryId,
        stageId: pl.stageIds[st],
        stageName: pl.stageNames[st],
        reasonKey: reasons.dict.keys[r],
        reasonName: reasons.dict.names[r],
        managerId: managers.dict.keys[m],
        managerName: managers.dict.names[m],
        count: 0,
        amount: 0,
      }
      cellMap.set(key, cell)
    }
    cell.count++
    cell.amount += p.amount[d]
  }
  const cells = [...cellMap.values()]
    .map((c) => ({ ...c, amount: round2(c.amount) }))
    .sort(
      (a, b) =>
        b.count - a.count ||
        b.amount - a.amount ||
        a.categoryId - b.categoryId ||
        a.stageId.localeCompare(b.stageId) ||
        a.reasonKey.localeCompare(b.reasonKey) ||
        a.managerId.localeCompare(b.managerId),
    )
  return {
    lost,
    byReason,
    byStage,
    cellCount: cells.length,
    cells: cells.slice(0, CELL_LIMIT),
    byManager: [...byManager]
      .map(([m, r]) => ({ managerId: managers.dict.keys[m], name: managers.dict.names[m], ...r }))
      .sort((a, b) => b.lost - a.lost || a.managerId.localeCompare(b.managerId)),
    ...callAgainLists(s),
  }
}
