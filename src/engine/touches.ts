/**
 * Touches (metrics.md "Touches").
 *
 * Per deal figures are over the cohort (deals created in the period) and all their touches:
 * own activities plus the lead's and contact's activities before the deal existed.
 * - `beforeWon` / `beforeLost`: touches before the won / loss time of cohort deals now won / lost.
 * - `betweenStages`: touches between the first entry into a settings "from" stage and the first
 *   later entry into a "to" stage (consultation → contract), or the loss time (no-show → loss).
 * - `meanGapHours`: per deal with ≥ 2 touches the mean gap between consecutive touches, averaged.
 * Per manager and day: touches of the period by responsible user and local day; `tasks` counts
 * task touches; the idle gap is the mean gap between consecutive touches of that user on that
 * day when both fall inside working hours (settings; local hour counted from the day's start).
 */
import type { PeriodScope, QueryScope } from './filters'
import { SEM_F, SEM_S, TOUCH_KINDS, type Prepared } from './prepare'
import { formatDay, isoWeekday, localMidnight } from './periods'
import { HOUR_MS, ratio2, round2 } from './stats'
import type { TouchKind } from './types'
import type { WithChanges } from './changes'
import { touchesBeforeLoss, type TouchesBeforeLoss } from './touches-before-loss'

export interface TouchCount {
  deals: number
  touches: number
  /** touches/deals. */
  mean: number | null
}

export interface ManagerDayRow {
  managerId: string
  name: string
  day: string
  touches: number
  tasks: number
  /** Minutes; null without two touches in working hours that day. */
  meanIdleGapMinutes: number | null
}

export interface ManagerTouchRow {
  managerId: string
  name: string
  days: number
  touches: number
  tasks: number
  tasksPerDay: number | null
  meanIdleGapMinutes: number | null
}

export interface TouchesSection extends WithChanges {
  /** Cohort deals. */
  deals: number
  withTouches: number
  perDeal: { total: number | null; byKind: Record<TouchKind, number | null> }
  calls: { count: number; durationSec: number; meanDurationSecPerDeal: number | null }
  beforeWon: TouchCount
  beforeLost: TouchCount
  /** Deals lost in the period: touches before the loss by kind and by loss reason. */
  beforeLoss: TouchesBeforeLoss
  betweenStages: {
    name: string
    from: string[]
    to: string[] | 'loss'
    deals: number
    touches: number
    mean: number | null
  }[]
  meanGapHours: number | null
  managers: ManagerTouchRow[]
  managerDays: ManagerDayRow[]
}

/** Touches of a deal before an instant (the deal's touch list is time-ordered). */
export function touchesBefore(p: Prepared, d: number, t: number): number {
  let n = 0
  for (let i = p.touchStart[d]; i < p.touchStart[d + 1] && p.touchAt[i] < t; i++) n++
  return n
}

function touchesBetween(p: Prepared, d: number, a: number, b: number): number {
  let n = 0
  for (let i = p.touchStart[d]; i < p.touchStart[d + 1]; i++) if (p.touchAt[i] >= a && p.touchAt[i] < b) n++
  return n
}

const stageIndexCache = new WeakMap<string[], Map<number, Int32Array>>()
/** Local indexes of the named stage ids in a pipeline (memoised per settings list). */
function stageIndexes(p: Prepared, pi: number, stageIds: string[]): Int32Array {
  let byPipe = stageIndexCache.get(stageIds)
  if (!byPipe) stageIndexCache.set(stageIds, (byPipe = new Map()))
  let v = byPipe.get(pi)
  if (!v) {
    const ids = p.pipes[pi].stageIds
    byPipe.set(pi, (v = Int32Array.from(stageIds.map((id) => ids.indexOf(id)).filter((i) => i >= 0))))
  }
  return v
}

/** First entry of the deal into any of the stage ids (its pipeline only); NaN when none. */
export function firstEntryAny(p: Prepared, d: number, stageIds: string[]): number {
  const idx = stageIndexes(p, p.pipe[d], stageIds)
  let best = NaN
  for (let i = 0; i < idx.length; i++) {
    const t = p.firstEntry[d * p.stride + idx[i]]
    if (t === t && !(best <= t)) best = t
  }
  return best
}

/** The [from, to) window of a named stage pair for a deal, or null when the deal did not go through it. */
export function stagePairWindow(
  p: Prepared,
  d: number,
  from: string[],
  to: string[] | 'loss',
): [number, number] | null {
  const a = firstEntryAny(p, d, from)
  if (a !== a) return null
  let b: number
  if (to === 'loss') b = p.semantic[d] === SEM_F ? p.closedAt[d] : NaN
  else b = firstEntryAny(p, d, to)
  return b === b && b >= a ? [a, b] : null
}

export function namedStagePairs(p: Prepared): { name: string; from: string[]; to: string[] | 'loss' }[] {
  const st = p.data.settings
  return [
    { name: 'consultation→contract', from: st.consultationStageIds, to: st.contractStageIds },
    { name: 'noShow→loss', from: st.noShowStageIds, to: 'loss' as const },
  ]
}

export function touchesSection(s: QueryScope, ps: PeriodScope): TouchesSection {
  const p = s.p
  const kinds = new Float64Array(TOUCH_KINDS.length)
  let deals = 0,
    withTouches = 0,
    total = 0,
    calls = 0,
    callSec = 0
  const won = { deals: 0, touches: 0 }
  const lost = { deals: 0, touches: 0 }
  const pairs = namedStagePairs(p).map((x) => ({ ...x, deals: 0, touches: 0 }))
  let gapSum = 0,
    gapDeals = 0
  for (let j = 0, list = ps.cohortDeals; j < list.length; j++) {
    const d = list[j]
    deals++
    const a = p.touchStart[d],
      b = p.touchStart[d + 1]
    if (b > a) withTouches++
    total += b - a
    for (let i = a; i < b; i++) {
      kinds[p.touchKind[i]]++
      if (p.touchKind[i] === 0) {
        calls++
        if (p.touchDuration[i] === p.touchDuration[i]) callSec += p.touchDuration[i]
      }
    }
    if (b - a >= 2) {
      gapSum += (p.touchAt[b - 1] - p.touchAt[a]) / (b - a - 1)
      gapDeals++
    }
    if (p.semantic[d] === SEM_S) {
      won.deals++
      won.touches += touchesBefore(p, d, p.closedAt[d])
    }
    if (p.semantic[d] === SEM_F) {
      lost.deals++
      lost.touches += touchesBefore(p, d, p.closedAt[d])
    }
    for (const pair of pairs) {
      const w = stagePairWindow(p, d, pair.from, pair.to)
      if (!w) continue
      pair.deals++
      pair.touches += touchesBetween(p, d, w[0], w[1])
    }
  }
  const byKind = {} as Record<TouchKind, number | null>
  TOUCH_KINDS.forEach((k, i) => (byKind[k] = ratio2(kinds[i], deals)))
  const { managers, managerDays } = memoisedManagerDays(s, ps)
  return {
    deals,
    withTouches,
    perDeal: { total: ratio2(total, deals), byKind },
    calls: { count: calls, durationSec: round2(callSec), meanDurationSecPerDeal: ratio2(callSec, deals) },
    beforeWon: { ...won, mean: ratio2(won.touches, won.deals) },
    beforeLost: { ...lost, mean: ratio2(lost.touches, lost.deals) },
    beforeLoss: touchesBeforeLoss(s, ps),
    betweenStages: pairs.map((x) => ({ ...x, mean: ratio2(x.touches, x.deals) })),
    meanGapHours: gapDeals ? round2(gapSum / gapDeals / HOUR_MS) : null,
    managers,
    managerDays,
  }
}

/** Day buckets of the period (cached per period scope object). */
const dayEdgeCache = new WeakMap<PeriodScope, { edges: number[]; days: number[] }>()
function dayEdges(p: Prepared, ps: PeriodScope): { edges: number[]; days: number[] } {
  let v = dayEdgeCache.get(ps)
  if (!v) {
    const edges: number[] = []
    const days: number[] = []
    for (let day = ps.fromDay; day <= ps.toDay + 1; day++) {
      edges.push(day === ps.fromDay ? ps.period.start : day === ps.toDay + 1 ? ps.period.end : localMidnightOf(p, day))
      days.push(day)
    }
    v = { edges, days }
    dayEdgeCache.set(ps, v)
  }
  return v
}

const localMidnightOf = (p: Prepared, day: number) => localMidnight(p.tz, day)

/** First index in [lo, hi) of a sorted array with value ≥ t. */
function lowerBound(a: Float64Array, lo: number, hi: number, t: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (a[mid] < t) lo = mid + 1
    else hi = mid
  }
  return lo
}

const TASK = TOUCH_KINDS.indexOf('task')

type ManagerDayFigures = { managers: ManagerTouchRow[]; managerDays: ManagerDayRow[] }
/** Last few results per data load, by period and manager filter: nothing else changes them. */
const managerDayMemo = new WeakMap<Prepared, { key: string; value: ManagerDayFigures }[]>()

/**
 * Manager-day figures depend on the period and the manager filter only (all the user's touches,
 * whatever the deal filters): a city or source change reuses them. Thousands of rows per period.
 */
function memoisedManagerDays(s: QueryScope, ps: PeriodScope): ManagerDayFigures {
  const key = `${ps.fromDay}:${ps.toDay}:${s.managerAllowed.join('')}`
  let memo = managerDayMemo.get(s.p)
  if (!memo) managerDayMemo.set(s.p, (memo = []))
  const hit = memo.find((m) => m.key === key)
  if (hit) return hit.value
  const value = managerDayFigures(s, ps)
  // Current and comparison periods of the last two queries.
  if (memo.length >= 4) memo.shift()
  memo.push({ key, value })
  return value
}

function managerDayFigures(s: QueryScope, ps: PeriodScope): ManagerDayFigures {
  const p = s.p
  const dict = p.dims.manager.dict
  const wh = p.data.settings.workingHours
  const workDays = new Set(wh.days)
  const { edges, days } = dayEdges(p, ps)
  const dayLabels = new Map<number, string>()
  const label = (i: number) => dayLabels.get(i) ?? dayLabels.set(i, formatDay(days[i])).get(i)!
  const working = days.map((day) => workDays.has(isoWeekday(day)))
  const { userTouchStart, userTouchAt: at, userTouchKind: kind } = p
  const rows: ManagerDayRow[] = []
  const managers: ManagerTouchRow[] = []
  const { start, end } = ps.period
  // Managers in the rows' final order, so that the rows (each manager's days ascending) need no
  // sort of their own: thousands of localeCompare calls per period.
  for (const k of managerOrder(p, userTouchStart.length - 1)) {
    if (s.managerAllowed[k] !== 1) continue
    const hi = userTouchStart[k + 1]
    let i = lowerBound(at, userTouchStart[k], hi, start)
    if (i >= hi || !(at[i] < end)) continue
    const m = { days: 0, touches: 0, tasks: 0, gapSum: 0, gapN: 0 }
    let di = 0
    while (i < hi && at[i] < end) {
      while (edges[di + 1] <= at[i]) di++
      const dayEnd = edges[di + 1]
      let touches = 0,
        tasks = 0,
        gapSum = 0,
        gapN = 0,
        lastWorking = NaN
      for (; i < hi && at[i] < dayEnd; i++) {
        touches++
        if (kind[i] === TASK) tasks++
        const hour = (at[i] - edges[di]) / HOUR_MS
        if (working[di] && hour >= wh.start && hour < wh.end) {
          if (lastWorking === lastWorking) {
            gapSum += at[i] - lastWorking
            gapN++
          }
          lastWorking = at[i]
        }
      }
      rows.push({
        managerId: dict.keys[k],
        name: dict.names[k],
        day: label(di),
        touches,
        tasks,
        meanIdleGapMinutes: gapN ? round2(gapSum / gapN / 60_000) : null,
      })
      m.days++
      m.touches += touches
      m.tasks += tasks
      m.gapSum += gapSum
      m.gapN += gapN
    }
    managers.push({
      managerId: dict.keys[k],
      name: dict.names[k],
      days: m.days,
      touches: m.touches,
      tasks: m.tasks,
      tasksPerDay: ratio2(m.tasks, m.days),
      meanIdleGapMinutes: m.gapN ? round2(m.gapSum / m.gapN / 60_000) : null,
    })
  }
  managers.sort((a, b) => b.touches - a.touches || a.managerId.localeCompare(b.managerId))
  return { managers, managerDays: rows }
}

/** Manager codes 0..count-1 ordered by key as the manager-day rows are (a stable sort, so ties keep code order). */
const managerOrders = new WeakMap<Prepared, number[]>()
function managerOrder(p: Prepared, count: number): number[] {
  let order = managerOrders.get(p)
  if (!order || order.length !== count) {
    const keys = p.dims.manager.dict.keys
    order = Array.from({ length: count }, (_, k) => k).sort((a, b) => keys[a].localeCompare(keys[b]))
    managerOrders.set(p, order)
  }
  return order
}
