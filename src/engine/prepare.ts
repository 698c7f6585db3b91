/**
 * Builds the per-deal indexes once per data load, so that every report is a few linear passes.
 *
 * Deals are numbered 0..n-1 in input order. Stage positions are local to the deal's pipeline
 * (funnel order, `Pipeline.stageIds`); per-stage columns are `n × stride` Float64Arrays where
 * `stride` is the largest pipeline's stage count and NaN means "never".
 */
import type { CrmData, Deal, Semantic } from './types'
import { channelResolver, DEFAULT_SOURCE_ALIASES } from './channels'
import { KeyDict, type Dim, type DimColumn } from './dims'
import { IdIndex } from './id-index'
import { emptyQuality, type QualityCounts } from './quality'
import { timeZone, type TimeZone } from './periods'
import { prepareTouches, TOUCH_KINDS } from './prepare-touches'
import { quantileSelect } from './stats'
import { branchStageIds, pathShape, type PathShape } from './branch'

export const SEM_P = 0
export const SEM_S = 1
export const SEM_F = 2

/** A pipeline in funnel order, with its main path around the branch stages (`branch.ts`). */
export interface PipeInfo extends PathShape {
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

export { TOUCH_KINDS }

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
  /** lossReason: junk leads' reason (the deals' dictionary; "not set" otherwise). */
  leadDims: { source: Int32Array; city: Int32Array; utmSource: Int32Array; manager: Int32Array; lossReason: Int32Array }
  leadCreated: Float64Array
  leadSemantic: Uint8Array
  quality: QualityCounts
  /** Converts an amount in `currency` to the report currency. */
  toReportCurrency(amount: number, currency: string): number
}

const semCode = (s: Semantic): number => (s === 'S' ? SEM_S : s === 'F' ? SEM_F : SEM_P)
const validTime = (t: number | null | undefined): t is number => typeof t === 'number' && Number.isFinite(t)

function buildPipes(data: CrmData): {
  pipes: PipeInfo[]
  byCategory: Map<number, number>
  stageLookup: Map<string, [number, number]>
} {
  const stageById = new Map(data.stages.map((s) => [s.id, s]))
  const pipes: PipeInfo[] = []
  const byCategory = new Map<number, number>()
  const stageLookup = new Map<string, [number, number]>()
  const branches = branchStageIds(data.settings)
  const sorted = [...data.pipelines].sort((a, b) => a.sort - b.sort || a.id - b.id)
  for (const pl of sorted) {
    // Funnel order: process stages first, then success, then failure (stable within each).
    const ids = pl.stageIds.filter((id) => stageById.has(id))
    const rank = (id: string) => semCode(stageById.get(id)!.semantic)
    ids.sort((a, b) => rank(a) - rank(b))
    const pi = pipes.length
    byCategory.set(pl.id, pi)
    ids.forEach((id, i) => stageLookup.set(id, [pi, i]))
    const processCount = ids.filter((id) => rank(id) === SEM_P).length
    pipes.push({
      categoryId: pl.id,
      name: pl.name,
      stageIds: ids,
      stageNames: ids.map((id) => stageById.get(id)!.name),
      semantics: Uint8Array.from(ids.map(rank)),
      processCount,
      deals: new Int32Array(0),
      ...pathShape(ids, processCount, branches),
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

function buildDims(
  data: CrmData,
  pipes: PipeInfo[],
  pipeOf: Int32Array,
): { dims: Prepared['dims']; channel: (raw: string | null) => string | null } {
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
  // Built on the first deal that needs it (most deals carry their own source).
  const channel = channelResolver(data.settings?.sourceAliases ?? DEFAULT_SOURCE_ALIASES)
  let leadSource: Map<number, string | null> | null = null
  const sourceOfLead = (id: number) => (leadSource ??= new Map(data.leads.map((l) => [l.id, l.sourceId]))).get(id)
  data.deals.forEach((d: Deal, i) => {
    dims.pipeline.codes[i] = pipeOf[i]
    dims.city.codes[i] = dims.city.dict.code(d.cityId)
    dims.source.codes[i] = dims.source.dict.code(d.sourceId ?? (d.leadId !== null ? sourceOfLead(d.leadId) : null))
    dims.utmSource.codes[i] = dims.utmSource.dict.code(channel(d.utmSource))
    dims.manager.codes[i] = dims.manager.dict.code(String(d.assignedById))
    dims.lossReason.codes[i] = dims.lossReason.dict.code(d.lossReasonId)
  })
  return { dims, channel }
}

/**
 * Per-deal stage events grouped CSR-style (typed arrays, no object per event): deal d's events
 * are positions start[d] .. start[d+1]-1 of `event` (index into data.dealEvents), `stage` and `at`,
 * so a deal's history is read from contiguous memory.
 */
interface EventIndex {
  start: Int32Array
  event: Int32Array
  stage: Int16Array
  at: Float64Array
  /** Longest history (events of one deal). */
  maxLen: number
  otherPipe: Uint8Array
  unknown: Int32Array
  /** Indexed events per (pipe × stride + stage), shifted by one: the prefix sums start the stay slices. */
  perStageCount: Int32Array
  /** A free buffer of at least `start[n]` doubles (the per-event times, no longer needed): room for the stays. */
  scratch: Float64Array
}

/**
 * A deal's usable history in its current pipeline, written into the reusable `hs`/`ha`
 * (stage, time) buffers: its events ordered by time, then history id (Bitrix24 assigns ids in
 * order, so the id settles events at the same instant), completed where the data falls short.
 * Returns the history length; `reconstructed` tells whether the events were missing.
 * `firstStage` is -1 for a pipeline without any stage we know (its stages missing from the
 * portal's stage list): a deal there has no history to reconstruct.
 */
function dealHistory(
  data: CrmData,
  ix: EventIndex,
  d: number,
  curStage: number,
  firstStage: number,
  hs: Int16Array,
  ha: Float64Array,
  q: QualityCounts,
): number {
  const deal = data.deals[d]
  const fallbackAt = validTime(deal.movedAt) ? deal.movedAt : deal.modifiedAt
  if (ix.otherPipe[d]) q.pipelineChanged++
  q.unknownStageEvents += ix.unknown[d]
  const a = ix.start[d]
  const b = ix.start[d + 1]
  if (a === b) {
    q.reconstructed++
    if (firstStage < 0) return 0
    // Created at the first main-path stage: a branch stage is never assumed, only entered.
    const first = firstStage
    hs[0] = first
    // Only numbers go into the buffer as they are (a missing date stays invalid, not 0).
    ha[0] = typeof deal.createdAt === 'number' ? deal.createdAt : NaN
    if (curStage >= 0 && curStage !== first) {
      hs[1] = curStage
      ha[1] = Math.max(deal.createdAt, fallbackAt)
      return 2
    }
    return 1
  }
  const events = data.dealEvents
  const { event, stage, at } = ix
  // Insertion sort: histories are short and usually already in order; ids only settle ties.
  for (let i = a + 1; i < b; i++) {
    const v = event[i]
    const tv = at[i]
    const sv = stage[i]
    let j = i - 1
    while (j >= a) {
      const tw = at[j]
      if (tw < tv || (tw === tv && events[event[j]].id <= events[v].id)) break
      event[j + 1] = event[j]
      at[j + 1] = tw
      stage[j + 1] = stage[j]
      j--
    }
    event[j + 1] = v
    at[j + 1] = tv
    stage[j + 1] = sv
  }
  let len = 0
  for (let i = a; i < b; i++, len++) {
    hs[len] = stage[i]
    ha[len] = at[i]
  }
  const lastAt = ha[len - 1]
  if (curStage >= 0 && hs[len - 1] !== curStage) {
    q.historyPatched++
    hs[len] = curStage
    ha[len++] = Math.max(lastAt, validTime(fallbackAt) ? fallbackAt : lastAt)
  }
  return len
}

function indexEvents(
  data: CrmData,
  n: number,
  stride: number,
  pipeCount: number,
  dealIndex: IdIndex,
  stageLookup: Map<string, [number, number]>,
  pipe: Int32Array,
  q: QualityCounts,
): EventIndex {
  const events = data.dealEvents
  const m = events.length
  const owner = new Int32Array(m).fill(-1)
  const ownStage = new Int16Array(m)
  // Times are copied here so that the event objects are walked once (they are scattered in memory).
  const ownAt = new Float64Array(m)
  const otherPipe = new Uint8Array(n)
  const unknown = new Int32Array(n)
  const start = new Int32Array(n + 1)
  const perStageCount = new Int32Array(pipeCount * stride + 1)
  // Stage id → (pipe << 16) | local stage in a null-prototype object: a keyed load per event is
  // cheaper than Map.get with a string key, and one int needs no second load.
  const stageCode: Record<string, number> = Object.create(null) as Record<string, number>
  for (const [id, [pi, st]] of stageLookup) stageCode[id] = (pi << 16) | st
  for (let i = 0; i < m; i++) {
    const e = events[i]
    const di = dealIndex.get(e.ownerId)
    if (di < 0) {
      q.orphanEvents++
      continue
    }
    const sid = e.stageId
    const code = typeof sid === 'string' ? stageCode[sid] : undefined
    if (code === undefined) {
      unknown[di]++
      continue
    }
    const lp = code >> 16
    const ls = code & 0xffff
    // TYPE_ID 5 = moved between pipelines; events of another pipeline do not count here.
    if (lp !== pipe[di] || e.typeId === 5) otherPipe[di] = 1
    if (lp !== pipe[di] || !validTime(e.at)) continue
    owner[i] = di
    ownStage[i] = ls
    ownAt[i] = e.at
    start[di + 1]++
    perStageCount[lp * stride + ls + 1]++
  }
  let maxLen = 0
  for (let d = 0; d < n; d++) {
    if (start[d + 1] > maxLen) maxLen = start[d + 1]
    start[d + 1] += start[d]
  }
  const total = start[n]
  const event = new Int32Array(total)
  const stage = new Int16Array(total)
  const at = new Float64Array(total)
  const fill = start.slice(0, n)
  for (let i = 0; i < m; i++) {
    const di = owner[i]
    if (di < 0) continue
    const k = fill[di]++
    event[k] = i
    stage[k] = ownStage[i]
    at[k] = ownAt[i]
  }
  return { start, event, stage, at, maxLen, otherPipe, unknown, perStageCount, scratch: ownAt }
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
  const dealIndex = new IdIndex(data.deals.map((d) => d.id))
  const perPipe: number[][] = pipes.map(() => [])
  data.deals.forEach((d, i) => {
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

  const eventIndex = indexEvents(data, n, stride, pipes.length, dealIndex, stageLookup, pipe, quality)

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
      const ns = new Int16Array(passCap)
      ns.set(passStage)
      passStage = ns
      const na = new Float64Array(passCap)
      na.set(passAt)
      passAt = na
    }
    passStage[passLen] = s
    passAt[passLen++] = t
    const k = d * stride + s
    if (!(reachedAt[k] <= t)) reachedAt[k] = t
  }
  // Completed stays, written straight into per-(pipe × stride + stage) slices of one buffer:
  // a key never has more stays than events at its stage.
  const stayKeyCount = pipes.length * stride
  const stayStart = eventIndex.perStageCount
  for (let k = 0; k < stayKeyCount; k++) stayStart[k + 1] += stayStart[k]
  const stayFill = stayStart.slice(0, stayKeyCount)
  // Stays never outnumber the indexed events, so they fit in the dead per-event time buffer.
  const stays = eventIndex.scratch.subarray(0, stayStart[stayKeyCount])
  const hs = new Int16Array(eventIndex.maxLen + 2)
  const ha = new Float64Array(eventIndex.maxLen + 2)

  for (let d = 0; d < n; d++) {
    passStart[d] = passLen
    const pi = pipe[d]
    if (pi < 0) continue
    const pl = pipes[pi]
    const deal = data.deals[d]
    const first = pl.stageIds.length ? Math.max(0, pl.firstMain) : -1
    const hn = dealHistory(data, eventIndex, d, stage[d], first, hs, ha, quality)
    const reconstructed = eventIndex.start[d] === eventIndex.start[d + 1]
    // pos: the deal's place on the main path (every main-path stage up to it is passed);
    // cur: the process stage it is actually in (a branch stage too), for the loss stage.
    let pos = -1
    let cur = -1
    let prevSem = -1
    let reopened = false
    let backward = false
    let lastLossStage = -1
    let lastLossAt = NaN
    let lastWinAt = NaN
    let lostWithoutStage = false
    const { branch } = pl
    for (let i = 0; i < hn; i++) {
      const s = hs[i]
      const t = ha[i]
      const sem = pl.semantics[s]
      if (!validTime(t)) continue
      if (sem === SEM_P) {
        if (prevSem === SEM_S || prevSem === SEM_F) reopened = true
        if (s < pos) backward = true
        // A jump passes the main-path stages it skips; never a branch stage (metrics.md).
        for (let k = pos + 1; k < s; k++) if (!branch[k]) pushPass(d, k, t)
        // In a branch stage the deal stands on the main path just before it: returning to
        // that stage (booked → no-show → booked again) is a re-entry, not a move back.
        pos = branch[s] ? pl.prevMain[s] : s
        cur = s
      } else if (sem === SEM_S) {
        for (let k = pos + 1; k < pl.processCount; k++) if (!branch[k]) pushPass(d, k, t)
        pos = Math.max(pos, pl.processCount - 1)
        if (cur < pl.lastMain) cur = pl.lastMain
        lastWinAt = t
      } else {
        // Created straight into a failure stage: the deal still began at the first stage.
        if (cur < 0 && pl.firstMain >= 0) {
          pushPass(d, pl.firstMain, t)
          lostWithoutStage = true
        }
        // Only a process stage is a loss stage: a pipeline with none known has no loss stage.
        lastLossStage = cur >= 0 ? cur : pl.processCount > 0 ? Math.max(0, pl.firstMain) : -1
        lastLossAt = t
      }
      pushPass(d, s, t)
      const k = d * stride + s
      if (!(firstEntry[k] <= t)) firstEntry[k] = t
      if (!reconstructed && i + 1 < hn && validTime(ha[i + 1])) {
        stays[stayFill[pi * stride + s]++] = ha[i + 1] - t
      }
      prevSem = sem
    }
    if (reopened) quality.reopened++
    if (backward) quality.backwardMoves++
    // A one-entry reconstructed history is the raw creation date, stored as before (null → 0).
    stageSince[d] = hn === 0 ? NaN : reconstructed && hn === 1 ? (deal.createdAt as number) : ha[hn - 1]
    if (semantic[d] === SEM_F) {
      lossStage[d] = lastLossStage >= 0 ? lastLossStage : pl.processCount > 0 ? Math.max(0, cur) : -1
      if (lostWithoutStage || cur < 0) quality.lostWithoutProcessStage++
      closedAt[d] = validTime(lastLossAt) ? lastLossAt : (deal.closedAt ?? stageSince[d])
    } else if (semantic[d] === SEM_S) {
      closedAt[d] = validTime(lastWinAt) ? lastWinAt : (deal.closedAt ?? stageSince[d])
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

  const { dims, channel } = buildDims(data, pipes, pipe)
  // One loop over the lead objects (TypedArray.from with a mapper goes through the iterator
  // protocol, six times over); each dictionary still sees its keys in lead order.
  const leads = data.leads
  const nl = leads.length
  const leadDims = {
    source: new Int32Array(nl),
    city: new Int32Array(nl),
    utmSource: new Int32Array(nl),
    manager: new Int32Array(nl),
    lossReason: new Int32Array(nl),
  }
  const leadCreated = new Float64Array(nl)
  const leadSemantic = new Uint8Array(nl)
  for (let i = 0; i < nl; i++) {
    const l = leads[i]
    leadDims.source[i] = dims.source.dict.code(l.sourceId)
    leadDims.city[i] = dims.city.dict.code(l.cityId)
    leadDims.utmSource[i] = dims.utmSource.dict.code(channel(l.utmSource))
    leadDims.manager[i] = dims.manager.dict.code(String(l.assignedById))
    leadDims.lossReason[i] = dims.lossReason.dict.code(l.lossReasonId)
    leadCreated[i] = validTime(l.createdAt) ? l.createdAt : NaN
    leadSemantic[i] = semCode(l.semantic)
  }
  const touches = prepareTouches(data, n, created, dealIndex, dims.manager.dict)

  return {
    data,
    tz,
    currency: data.portal.currency,
    n,
    stride,
    pipes,
    pipeByCategory: byCategory,
    pipe,
    stage,
    semantic,
    created,
    stageSince,
    closedAt,
    lossStage,
    amount,
    reachedAt,
    reachedBits,
    words,
    successAt,
    firstEntry,
    passStart,
    passStage: passLen < passCap * 0.9 ? passStage.slice(0, passLen) : passStage.subarray(0, passLen),
    passAt: passLen < passCap * 0.9 ? passAt.slice(0, passLen) : passAt.subarray(0, passLen),
    ...touches,
    stayP90,
    dims,
    leadDims,
    leadCreated,
    leadSemantic,
    quality,
    toReportCurrency,
  }
}
