/**
 * Calls per manager (metrics.md "Clients, calls, leads, deadlines"): incoming and outgoing
 * counts and durations, and missed calls = incoming calls that were not answered (telephony
 * CALL_FAILED_CODE other than 200, or, without a telephony row, an incoming call with no
 * duration); share missed = missed / incoming. A call belongs to its responsible user and to
 * the period its start falls in.
 */
import type { PeriodScope, QueryScope } from './filters'
import type { Prepared } from './prepare'
import type { Touch } from './types'
import { rate, round2 } from './stats'
import { carryOnUpdate, untouched } from './carry'

export interface CallFigure {
  count: number
  durationSec: number
}

export interface ManagerCalls extends CallFigure {
  incoming: CallFigure
  outgoing: CallFigure
  missed: CallFigure
  /** missed / incoming; null without incoming calls. */
  missedShare: number | null
}

const DIR_IN = 0
const DIR_OUT = 1
const DIR_NONE = 2

/** The metrics.md definition of a missed call, on one touch. */
export function isMissedCall(t: Pick<Touch, 'kind' | 'direction' | 'durationSec' | 'callFailedCode'>): boolean {
  if (t.kind !== 'call' || t.direction !== 'in') return false
  const code = t.callFailedCode
  if (typeof code === 'string' && code.trim() !== '') return code.trim() !== '200'
  return !(typeof t.durationSec === 'number' && t.durationSec > 0)
}

/** Call touches as columns, built once per data load. */
interface CallColumns {
  user: Int32Array
  at: Float64Array
  dir: Uint8Array
  missed: Uint8Array
  /** Seconds; 0 when not given. */
  duration: Float64Array
  /** `at` ascending (touches come time-ordered from the sync): a period is then one slice of the columns. */
  sorted: boolean
}

const cache = new WeakMap<Prepared, CallColumns>()

export function callColumns(p: Prepared): CallColumns {
  const hit = cache.get(p)
  if (hit) return hit
  const calls = p.data.touches.filter((t) => t.kind === 'call')
  const m = calls.length
  const cols: CallColumns = {
    user: new Int32Array(m),
    at: new Float64Array(m),
    dir: new Uint8Array(m),
    missed: new Uint8Array(m),
    duration: new Float64Array(m),
    sorted: true,
  }
  const dict = p.dims.manager.dict
  calls.forEach((t, i) => {
    cols.user[i] = dict.find(String(t.responsibleId))
    cols.at[i] = t.at
    cols.dir[i] = t.direction === 'in' ? DIR_IN : t.direction === 'out' ? DIR_OUT : DIR_NONE
    cols.missed[i] = isMissedCall(t) ? 1 : 0
    cols.duration[i] = typeof t.durationSec === 'number' && Number.isFinite(t.durationSec) ? t.durationSec : 0
  })
  for (let i = 1; i < m && cols.sorted; i++) if (!(cols.at[i - 1] <= cols.at[i])) cols.sorted = false
  cache.set(p, cols)
  return cols
}

/** Carried when the touches are the same and the manager codes too (users are coded by the dictionary). */
carryOnUpdate(({ prev, next, patch }) => {
  const old = cache.get(prev)
  if (!old || !untouched(patch.touches)) return
  const before = prev.dims.manager.dict.keys
  const after = next.dims.manager.dict.keys
  if (before.length === after.length && before.every((k, i) => k === after[i])) cache.set(next, old)
})

/** First index of a sorted array with value ≥ t. */
function lowerBound(a: Float64Array, t: number): number {
  let lo = 0,
    hi = a.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (a[mid] < t) lo = mid + 1
    else hi = mid
  }
  return lo
}

const figure = (count: number, sec: number): CallFigure => ({ count, durationSec: round2(sec) })

/** Calls of each manager code (the manager dimension) in the period; users the filter hides are left out. */
export function callsByManager(s: QueryScope, ps: PeriodScope): Map<number, ManagerCalls> {
  const cols = callColumns(s.p)
  // Per code: [all, in, out, missed] counts and seconds.
  const acc = new Map<number, Float64Array>()
  // Sorted columns: only the period's slice (same calls, same order); else every call is tested.
  const from = cols.sorted ? lowerBound(cols.at, ps.period.start) : 0
  const to = cols.sorted ? lowerBound(cols.at, ps.period.end) : cols.at.length
  for (let i = from; i < to; i++) {
    const k = cols.user[i]
    const t = cols.at[i]
    if (k < 0 || s.managerAllowed[k] !== 1 || !(t >= ps.period.start && t < ps.period.end)) continue
    let a = acc.get(k)
    if (!a) acc.set(k, (a = new Float64Array(8)))
    const sec = cols.duration[i]
    a[0]++
    a[1] += sec
    if (cols.dir[i] === DIR_IN) {
      a[2]++
      a[3] += sec
    } else if (cols.dir[i] === DIR_OUT) {
      a[4]++
      a[5] += sec
    }
    if (cols.missed[i] === 1) {
      a[6]++
      a[7] += sec
    }
  }
  const out = new Map<number, ManagerCalls>()
  for (const [k, a] of acc)
    out.set(k, {
      ...figure(a[0], a[1]),
      incoming: figure(a[2], a[3]),
      outgoing: figure(a[4], a[5]),
      missed: figure(a[6], a[7]),
      missedShare: rate(a[6], a[2]),
    })
  return out
}

export function noCalls(): ManagerCalls {
  return {
    count: 0,
    durationSec: 0,
    incoming: figure(0, 0),
    outgoing: figure(0, 0),
    missed: figure(0, 0),
    missedShare: null,
  }
}
