/**
 * Builds the per-deal indexes once per data load, so that every report is a few linear passes.
 *
 * Deals are numbered 0..n-1 in input order. Stage positions are local to the deal's pipeline
 * (funnel order, `Pipeline.stageIds`); per-stage columns are `n × stride` Float64Arrays where
 * `stride` is the largest pipeline's stage count and NaN means "never".
 */
import type { CrmData, Deal, Semantic, TouchKind } from './types'
import { KeyDict, type Dim, type DimColumn } from './dims'
import { emptyQuality, type QualityCounts } from './quality'
import { timeZone, type TimeZone } from './periods'
import { IntList, quantileSelect } from './stats'

export const SEM_P = 0
export const SEM_S = 1
export const SEM_F = 2

export interface PipeInfo {
  categoryId: number
  name: string
  stageIds: string[]
  stageNames: string[]
  /** SEM_P / SEM_S / SEM_F per local stage. */
  semantics: Uint8Array
  /** Process stages come first: 0..processCount-1. */
  processCount: number
  /** Deal indexes of the deals now in this pipeline. */
  deals: Int32Array
}

export const TOUCH_KINDS: TouchKind[] = ['call', 'email', 'sms', 'meeting', 'task', 'other']

export interface Prepared {
  data: CrmData
  tz: TimeZone
  currency: string
  n: number
  stride: number
  pipes: PipeInfo[]
  pipeByCategory: Map<number, number>
  /** Pipeline index, -1 when the pipeline is unknown (deal left out). */
  pipe: Int32Array
  /** Current local stage, -1 when unknown. */
  stage: Int32Array
  semantic: Uint8Array
  created: Float64Array
  /** When the deal entered its current stage (its last stage event). */
  stageSince: Float64Array
  /** Won time (last entry into a success stage) or loss time; NaN while open. */
  closedAt: Float64Array
  /** Loss stage (last process stage before the move to failure) of deals now lost, else -1. */
  lossStage: Int32Array
  /** Amount in the report currency. */
  amount: Float64Array
  /** First pass of each stage (actual entry or implied by a jump), n × stride. */
  reachedAt: Float64Array
  /** Reached stages as bits: stage st of deal d is bit (st & 31) of word d × words + (st >> 5). */
  reachedBits: Uint32Array
  words: number
  /** First time the deal reached any success stage; NaN when never. */
  successAt: Float64Array
  /** First actual entry into each stage, n × stride. */
  firstEntry: Float64Array
  /** Every pass (actual or implied) per deal, time-ordered: CSR over deals. */
  passStart: Int32Array
  passStage: Int16Array
  passAt: Float64Array
  /** Touches of each deal (own, and its lead's/contact's before the deal existed), time-ordered. */
  touchStart: Int32Array
  touchAt: Float64Array
  touchKind: Uint8Array
  /** Seconds (calls), NaN when not given. */
  touchDuration: Float32Array
  /** First touch at or after creation, NaN when none. */
  firstTouchAt: Float64Array
  /**
   * All touches grouped by responsible user (manager dimension code), time-ordered within a
   * user: user k's touches are userTouchStart[k] .. userTouchStart[k+1]-1.
   */
  userTouchStart: Int32Array
  userTouchAt: Float64Array
  userTouchKind: Uint8Array
  userTouchDuration: Float32Array
  /** 90th percentile of completed stays per pipeline stage (ms), pipes × stride, NaN when no stays. */
  stayP90: Float64Array
  dims: Record<Dim, DimColumn>
  leadDims: { source: Int32Array; city: Int32Array; utmSource: Int32Array; manager: Int32Array }
  leadCreated: Float64Array
  leadSemantic: Uint8Array
  quality: QualityCounts
  /** Converts an amount in `currency` to the report currency. */
  toReportCurrency(amount: number, currency: string): number
}

const semCode = (s: Semantic): number => (s === 'S' ? SEM_S : s === 'F' ? SEM_F : SEM_P)
const validTime = (t: number | null | undefined): t is number => typeof t === 'number' && Number.isFinite(t)

function buildPipes(data: CrmData): { pipes: PipeInfo[]; byCategory: Map<number, number>; stageLookup: Map<string, [number, number]> } {
  const stageById = new Map(data.stages.map((s) => [s.id, s]))
  const pipes: PipeInfo[] = []
  const byCategory = new Map<number, number>()
  const stageLookup = new Map<string, [number, number]>()
  const sorted = [...data.pipelines].sort((a, b) => a.sort - b.sort || a.id - b.id)
  for (const pl of sorted) {
    // Funnel order: process stages first, then success, then failure (stable within each).
    const ids = pl.stageIds.filter((id) => stageById.has(id))
    const rank = (id: string) => semCode(stageById.get(id)!.semantic)
    ids.sort((a, b) => rank(a) - rank(b))
    const pi = pipes.length
    byCategory.set(pl.id, pi)
    ids.forEach((id, i) => stageLookup.set(id, [pi, i]))
    pipes.push({
      categoryId: pl.id,
      name: pl.name,
      stageIds: ids,
      stageNames: ids.map((id) => stageById.get(id)!.name),
      semantics: Uint8Array.from(ids.map(rank)),
      processCount: ids.filter((id) => rank(id) === SEM_P).length,
      deals: new Int32Array(0),
    })
  }
  return { pipes, byCategory, stageLookup }
}

function currencyConverter(data: CrmData, quality: QualityCounts): (amount: number, currency: string) => number {
  const rates = new Map(data.currencies.map((c) => [c.code, c.rate]))
  const reportRate = rates.get(data.portal.currency) ?? 1
  const unknown = new Set<string>()
  return (amount, currency) => {
    const r = rates.get(currency)
    if (r === undefined || !(r > 0)) {
      if (currency !== data.portal.currency && rates.size > 0 && !unknown.has(currency)) {
        unknown.add(currency)
        quality.unknownCurrencies.push(currency)
      }
      return amount
    }
    return (amount * r) / reportRate
  }
}

function buildDims(data: CrmData, pipes: PipeInfo[], pipeOf: Int32Array): Prepared['dims'] {
  const sourceNames = new Map(data.sources.map((s) => [s.id, s.name]))
  const cityNames = new Map(data.cities.map((s) => [s.id, s.name]))
  const reasonNames = new Map(data.lossReasons.map((s) => [s.id, s.name]))
  const userNames = new Map(data.users.map((u) => [String(u.id), u.name]))
  const departmentNames = new Map(data.departments.map((d) => [`dep:${d.id}`, d.name]))
  const n = data.deals.length
  const make = (nameOf: (k: string) => string): DimColumn => ({ dict: new KeyDict(nameOf), codes: new Int32Array(n) })
  const dims: Prepared['dims'] = {
    pipeline: make((k) => pipes.find((p) => String(p.categoryId) === k)?.name ?? `#${k}`),
    city: make((k) => cityNames.get(k) ?? departmentNames.get(k) ?? k),
    source: make((k) => sourceNames.get(k) ?? k),
    utmSource: make((k) => k),
    manager: make((k) => userNames.get(k) ?? `#${k} (deleted)`),
    lossReason: make((k) => reasonNames.get(k) ?? k),
  }
  // Pipeline codes equal pipe indexes so per-pipeline loops and the dimension agree.
  for (const p of pipes) dims.pipeline.dict.code(String(p.categoryId))
  // metrics.md "Sources": a deal from a lead with no own source takes the lead's (the sync layer
  // does this too; repeated here so that any producer of CrmData gets the same figures).
  const leadSource = new Map(data.leads.map((l) => [l.id, l.sourceId]))
  data.deals.forEach((d: Deal, i) => {
    dims.pipeline.codes[i] = pipeOf[i]
    dims.city.codes[i] = dims.city.dict.code(d.cityId)
    dims.source.codes[i] = dims.source.dict.code(d.sourceId ?? (d.leadId !== null ? leadSource.get(d.leadId) : null))
    dims.utmSource.codes[i] = dims.utmSource.dict.code(d.utmSource)
    dims.manager.codes[i] = dims.manager.dict.code(String(d.assignedById))
    dims.lossReason.codes[i] = dims.lossReason.dict.code(d.lossReasonId)
  })
  return dims
}

/** Per-deal stage events grouped CSR-style (typed arrays, no object per event). */
interface EventIndex {
  start: Int32Array
  order: Int32Array
  stage: Int16Array
  otherPipe: Uint8Array
  unknown: Int32Array
}

/**
 * A deal's usable history in its current pipeline, written into the reusable `hs`/`ha`
 * (stage, time) buffers: its events ordered by time, then history id (Bitrix24 assigns ids in
 * order, so the id settles events at the same instant), completed where the data falls short.
 */
function dealHistory(
  data: CrmData, ix: EventIndex, d: number, curStage: number, hs: number[], ha: number[], q: QualityCounts,
): boolean {
  const deal = data.deals[d]
  const fallbackAt = validTime(deal.movedAt) ? deal.movedAt : deal.modifiedAt
  if (ix.otherPipe[d]) q.pipelineChanged++
  q.unknownStageEvents += ix.unknown[d]
  hs.length = 0
  ha.length = 0
  const a = ix.start[d]
  const b = ix.start[d + 1]
  if (a === b) {
    q.reconstructed++
    hs.push(0)
    ha.push(deal.createdAt)
    if (curStage > 0) { hs.push(curStage); ha.push(Math.max(deal.createdAt, fallbackAt)) }
    return true
  }
  const events = data.dealEvents
  const seg = ix.order.subarray(a, b)
  // Insertion sort: histories are short and usually already in order.
  for (let i = 1; i < seg.length; i++) {
    const v = seg[i]
    const ev = events[v]
    let j = i - 1
    while (j >= 0) {
      const w = events[seg[j]]
      if (w.at < ev.at || (w.at === ev.at && w.id <= ev.id)) break
      seg[j + 1] = seg[j]
      j--
    }
    seg[j + 1] = v
  }
  for (let i = 0; i < seg.length; i++) {
    hs.push(ix.stage[seg[i]])
    ha.push(events[seg[i]].at)
  }
  const lastAt = ha[ha.length - 1]
  if (curStage >= 0 && hs[hs.length - 1] !== curStage) {
    q.historyPatched++
    hs.push(curStage)
    ha.push(Math.max(lastAt, validTime(fallbackAt) ? fallbackAt : lastAt))
  }
  return false
}

function indexEvents(
  data: CrmData, n: number, dealIdIndex: Map<number, number>, stageLookup: Map<string, [number, number]>,
  pipe: Int32Array, q: QualityCounts,
): EventIndex {
  const events = data.dealEvents
  const m = events.length
  const owner = new Int32Array(m).fill(-1)
  const stage = new Int16Array(m)
  const otherPipe = new Uint8Array(n)
  const unknown = new Int32Array(n)
  const start = new Int32Array(n + 1)
  for (let i = 0; i < m; i++) {
    const e = events[i]
    const di = dealIdIndex.get(e.ownerId)
    if (di === undefined) {
      q.orphanEvents++
      continue
    }
    const loc = stageLookup.get(e.stageId)
    if (!loc) {
      unknown[di]++
      continue
    }
    // TYPE_ID 5 = moved between pipelines; events of another pipeline do not count here.
    if (loc[0] !== pipe[di] || e.typeId === 5) otherPipe[di] = 1
    if (loc[0] !== pipe[di] || !validTime(e.at)) continue
    owner[i] = di
    stage[i] = loc[1]
    start[di + 1]++
  }
  for (let d = 0; d < n; d++) start[d + 1] += start[d]
  const order = new Int32Array(start[n])
  const fill = start.slice(0, n)
  for (let i = 0; i < m; i++) if (owner[i] >= 0) order[fill[owner[i]]++] = i
  return { start, order, stage, otherPipe, unknown }
}

export function prepare(data: CrmData): Prepared {
  const quality = emptyQuality()
  let tz: TimeZone
  try {
    tz = timeZone(data.portal.timeZone)
  } catch (e) {
    // A report in UTC beats no report; the quality summary says why the days may be shifted.
    quality.timeZoneProblem = `${e instanceof Error ? e.message : String(e)}; periods are cut in UTC`
    tz = timeZone('UTC')
  }
  const { pipes, byCategory, stageLookup } = buildPipes(data)
  const n = data.deals.length
  const stride = Math.max(1, ...pipes.map((p) => p.stageIds.length))
  const toReportCurrency = currencyConverter(data, quality)
  const userById = new Map(data.users.map((u) => [u.id, u]))

  quality.deals = n
  quality.leads = data.leads.length
  quality.dealEvents = data.dealEvents.length
  quality.touches = data.touches.length

  const pipe = new Int32Array(n)
  const stage = new Int32Array(n)
  const semantic = new Uint8Array(n)
  const created = new Float64Array(n)
  const amount = new Float64Array(n)
  const dealIdIndex = new Map<number, number>()
  const perPipe: number[][] = pipes.map(() => [])
  data.deals.forEach((d, i) => {
    dealIdIndex.set(d.id, i)
    const pi = byCategory.get(d.categoryId) ?? -1
    pipe[i] = pi
    if (pi < 0) quality.unknownPipeline++
    else perPipe[pi].push(i)
    const loc = stageLookup.get(d.stageId)
    stage[i] = loc && loc[0] === pi ? loc[1] : -1
    if (pi >= 0 && stage[i] < 0) quality.unknownCurrentStage++
    semantic[i] = stage[i] >= 0 ? pipes[pi].semantics[stage[i]] : semCode(d.semantic)
    created[i] = validTime(d.createdAt) && d.createdAt > 0 ? d.createdAt : NaN
    if (Number.isNaN(created[i])) quality.missingCreateDate++
    amount[i] = toReportCurrency(Number.isFinite(d.amount) ? d.amount : 0, d.currency)
    const user = userById.get(d.assignedById)
    if (!user) quality.unknownUsers++
    else if (!user.active) quality.inactiveUsers++
  })
  pipes.forEach((p, pi) => (p.deals = Int32Array.from(perPipe[pi])))

  const eventIndex = indexEvents(data, n, dealIdIndex, stageLookup, pipe, quality)

  const reachedAt = new Float64Array(n * stride).fill(NaN)
  const firstEntry = new Float64Array(n * stride).fill(NaN)
  const stageSince = new Float64Array(n).fill(NaN)
  const closedAt = new Float64Array(n).fill(NaN)
  const lossStage = new Int32Array(n).fill(-1)
  const passStart = new Int32Array(n + 1)
  // Passes = events + implied passes (skips are few): the arrays double if the guess falls short
  // and are cut to size at the end when much is left over.
  let passCap = Math.max(64, data.dealEvents.length + n)
  let passStage = new Int16Array(passCap)
  let passAt = new Float64Array(passCap)
  let passLen = 0
  const pushPass = (d: number, s: number, t: number) => {
    if (passLen === passCap) {
      passCap *= 2
      const ns = new Int16Array(passCap); ns.set(passStage); passStage = ns
      const na = new Float64Array(passCap); na.set(passAt); passAt = na
    }
    passStage[passLen] = s
    passAt[passLen++] = t
    const k = d * stride + s
    if (!(reachedAt[k] <= t)) reachedAt[k] = t
  }
  // Completed stays, written straight into per-(pipe × stride + stage) slices of one buffer:
  // a key never has more stays than events at its stage.
  const stayKeyCount = pipes.length * stride
  const stayStart = new Int32Array(stayKeyCount + 1)
  for (let d = 0; d < n; d++) {
    if (pipe[d] < 0) continue
    for (let i = eventIndex.start[d]; i < eventIndex.start[d + 1]; i++) stayStart[pipe[d] * stride + eventIndex.stage[eventIndex.order[i]] + 1]++
  }
  for (let k = 0; k < stayKeyCount; k++) stayStart[k + 1] += stayStart[k]
  const stayFill = stayStart.slice(0, stayKeyCount)
  const stays = new Float64Array(stayStart[stayKeyCount])
  const hs: number[] = []
  const ha: number[] = []

  for (let d = 0; d < n; d++) {
    passStart[d] = passLen
    const pi = pipe[d]
    if (pi < 0) continue
    const pl = pipes[pi]
    const deal = data.deals[d]
    const reconstructed = dealHistory(data, eventIndex, d, stage[d], hs, ha, quality)
    let pos = -1 // last process stage the deal was in
    let prevSem = -1
    let reopened = false
    let backward = false
    let lastLossStage = -1
    let lastLossAt = NaN
    let lastWinAt = NaN
    let lostWithoutStage = false
    for (let i = 0; i < hs.length; i++) {
      const s = hs[i]
      const t = ha[i]
      const sem = pl.semantics[s]
      if (!validTime(t)) continue
      if (sem === SEM_P) {
        if (prevSem === SEM_S || prevSem === SEM_F) reopened = true
        if (s < pos) backward = true
        for (let k = pos + 1; k < s; k++) pushPass(d, k, t)
        pos = s
      } else if (sem === SEM_S) {
        for (let k = pos + 1; k < pl.processCount; k++) pushPass(d, k, t)
        pos = Math.max(pos, pl.processCount - 1)
        lastWinAt = t
      } else {
        // Created straight into a failure stage: the deal still began at the first stage.
        if (pos < 0 && pl.processCount > 0) {
          pushPass(d, 0, t)
          lostWithoutStage = true
        }
        lastLossStage = pos < 0 ? 0 : pos
        if (pos >= pl.processCount) lastLossStage = pl.processCount - 1
        lastLossAt = t
      }
      pushPass(d, s, t)
      const k = d * stride + s
      if (!(firstEntry[k] <= t)) firstEntry[k] = t
      if (!reconstructed && i + 1 < ha.length && validTime(ha[i + 1])) {
        stays[stayFill[pi * stride + s]++] = ha[i + 1] - t
      }
      prevSem = sem
    }
    if (reopened) quality.reopened++
    if (backward) quality.backwardMoves++
    stageSince[d] = ha.length ? ha[ha.length - 1] : NaN
    if (semantic[d] === SEM_F) {
      lossStage[d] = lastLossStage >= 0 ? lastLossStage : pl.processCount > 0 ? Math.max(0, pos) : -1
      if (lostWithoutStage || pos < 0) quality.lostWithoutProcessStage++
      closedAt[d] = validTime(lastLossAt) ? lastLossAt : deal.closedAt ?? stageSince[d]
    } else if (semantic[d] === SEM_S) {
      closedAt[d] = validTime(lastWinAt) ? lastWinAt : deal.closedAt ?? stageSince[d]
    }
  }
  passStart[n] = passLen

  const words = Math.ceil(stride / 32)
  const reachedBits = new Uint32Array(n * words)
  const successAt = new Float64Array(n).fill(NaN)
  for (let d = 0; d < n; d++) {
    if (pipe[d] < 0) continue
    const pl = pipes[pipe[d]]
    for (let st = 0; st < pl.stageIds.length; st++) {
      const t = reachedAt[d * stride + st]
      if (t !== t) continue
      reachedBits[d * words + (st >> 5)] |= 1 << (st & 31)
      if (pl.semantics[st] === SEM_S && !(successAt[d] <= t)) successAt[d] = t
    }
  }

  const stayP90 = new Float64Array(pipes.length * stride).fill(NaN)
  for (let k = 0; k < stayKeyCount; k++) {
    const q = quantileSelect(stays.subarray(stayStart[k], stayFill[k]), 0.9)
    if (q !== null) stayP90[k] = q
  }

  const touches = indexTouches(data, n, created, dealIdIndex)
  const dims = buildDims(data, pipes, pipe)
  const leadDims = {
    source: Int32Array.from(data.leads, (l) => dims.source.dict.code(l.sourceId)),
    city: Int32Array.from(data.leads, (l) => dims.city.dict.code(l.cityId)),
    utmSource: Int32Array.from(data.leads, (l) => dims.utmSource.dict.code(l.utmSource)),
    manager: Int32Array.from(data.leads, (l) => dims.manager.dict.code(String(l.assignedById))),
  }
  const byUser = touchesByUser(data, dims.manager.dict)

  return {
    data, tz, currency: data.portal.currency, n, stride, pipes, pipeByCategory: byCategory,
    pipe, stage, semantic, created, stageSince, closedAt, lossStage, amount, reachedAt, reachedBits, words, successAt, firstEntry,
    passStart,
    passStage: passLen < passCap * 0.9 ? passStage.slice(0, passLen) : passStage.subarray(0, passLen),
    passAt: passLen < passCap * 0.9 ? passAt.slice(0, passLen) : passAt.subarray(0, passLen),
    ...touches, ...byUser, stayP90, dims, leadDims,
    leadCreated: Float64Array.from(data.leads, (l) => (validTime(l.createdAt) ? l.createdAt : NaN)),
    leadSemantic: Uint8Array.from(data.leads, (l) => semCode(l.semantic)),
    quality, toReportCurrency,
  }
}

/** Deal indexes by a key (lead or contact id): one int per key, an array only for shared keys. */
function multiIndex(keys: (number | null)[]): Map<number, number | number[]> {
  const m = new Map<number, number | number[]>()
  keys.forEach((k, i) => {
    if (k === null) return
    const cur = m.get(k)
    if (cur === undefined) m.set(k, i)
    else if (typeof cur === 'number') m.set(k, [cur, i])
    else cur.push(i)
  })
  return m
}

/** Per-deal touch lists: own touches, plus the lead's and contact's touches before the deal existed. */
function indexTouches(data: CrmData, n: number, created: Float64Array, dealIdIndex: Map<number, number>) {
  const touches = data.touches
  const byLead = multiIndex(data.deals.map((d) => d.leadId))
  const byContact = multiIndex(data.deals.map((d) => d.contactId))
  const pairDeal = new IntList(touches.length + 16)
  const pairTouch = new IntList(touches.length + 16)
  const seen = new Int32Array(n).fill(-1)
  let ti = 0
  const add = (di: number | undefined) => {
    if (di === undefined || seen[di] === ti) return
    seen[di] = ti
    pairDeal.push(di)
    pairTouch.push(ti)
  }
  const addBefore = (at: number, hit: number | number[] | undefined) => {
    if (hit === undefined) return
    if (typeof hit === 'number') { if (at < created[hit]) add(hit) }
    else for (const di of hit) if (at < created[di]) add(di)
  }
  for (ti = 0; ti < touches.length; ti++) {
    const t = touches[ti]
    if (!validTime(t.at)) continue
    for (const id of t.dealIds) add(dealIdIndex.get(id))
    for (const id of t.leadIds) addBefore(t.at, byLead.get(id))
    for (const id of t.contactIds) addBefore(t.at, byContact.get(id))
  }
  const pd = pairDeal.view()
  const pt = pairTouch.view()
  const touchStart = new Int32Array(n + 1)
  for (let i = 0; i < pd.length; i++) touchStart[pd[i] + 1]++
  for (let d = 0; d < n; d++) touchStart[d + 1] += touchStart[d]
  const m = pd.length
  const order = new Int32Array(m)
  const fill = touchStart.slice(0, n)
  for (let i = 0; i < m; i++) order[fill[pd[i]]++] = pt[i]
  const kindCode = new Map(TOUCH_KINDS.map((k, i) => [k, i]))
  const other = kindCode.get('other')!
  const touchAt = new Float64Array(m)
  const touchKind = new Uint8Array(m)
  const touchDuration = new Float32Array(m)
  const firstTouchAt = new Float64Array(n).fill(NaN)
  for (let d = 0; d < n; d++) {
    const a = touchStart[d]
    const b = touchStart[d + 1]
    // Insertion sort in place by (time, id): a deal has few touches.
    for (let i = a + 1; i < b; i++) {
      const v = order[i]
      const tv = touches[v]
      let j = i - 1
      while (j >= a) {
        const w = touches[order[j]]
        if (w.at < tv.at || (w.at === tv.at && w.id <= tv.id)) break
        order[j + 1] = order[j]
        j--
      }
      order[j + 1] = v
    }
    for (let k = a; k < b; k++) {
      const t = touches[order[k]]
      touchAt[k] = t.at
      touchKind[k] = kindCode.get(t.kind) ?? other
      touchDuration[k] = t.durationSec ?? NaN
      if (firstTouchAt[d] !== firstTouchAt[d] && t.at >= created[d]) firstTouchAt[d] = t.at
    }
  }
  return { touchStart, touchAt, touchKind, touchDuration, firstTouchAt }
}

function touchesByUser(data: CrmData, managers: KeyDict) {
  const touches = data.touches
  const m = touches.length
  const codes = Int32Array.from(touches, (t) => managers.code(String(t.responsibleId)))
  const K = managers.size
  const userTouchStart = new Int32Array(K + 1)
  for (let i = 0; i < m; i++) userTouchStart[codes[i] + 1]++
  for (let k = 0; k < K; k++) userTouchStart[k + 1] += userTouchStart[k]
  const order = new Int32Array(m)
  const fill = userTouchStart.slice(0, K)
  for (let i = 0; i < m; i++) order[fill[codes[i]]++] = i
  const at = Float64Array.from(touches, (t) => t.at)
  for (let k = 0; k < K; k++) order.subarray(userTouchStart[k], userTouchStart[k + 1]).sort((a, b) => at[a] - at[b] || touches[a].id - touches[b].id)
  const kindCode = new Map(TOUCH_KINDS.map((k, i) => [k, i]))
  const other = kindCode.get('other')!
  return {
    userTouchStart,
    userTouchAt: Float64Array.from(order, (i) => at[i]),
    userTouchKind: Uint8Array.from(order, (i) => kindCode.get(touches[i].kind) ?? other),
    userTouchDuration: Float32Array.from(order, (i) => touches[i].durationSec ?? NaN),
  }
}
