/**
 * Touches by outcome (metrics.md "Touches by outcome"): for deals lost in the period (filters
 * apply, so the loss-reason and stage filters narrow it), their touches before the loss time,
 * by kind — count and, for calls, duration — per deal; and the same per loss reason, so "no
 * answer" and "not booked" sit side by side without changing the filter.
 */
import type { PeriodScope, QueryScope } from './filters'
import { TOUCH_KINDS, type Prepared } from './prepare'
import { ratio2, round2 } from './stats'
import type { TouchKind } from './types'

export interface KindBeforeLoss {
  touches: number
  perDeal: number | null
  /** Calls: total seconds; null for kinds without a duration. */
  durationSec: number | null
  durationSecPerDeal: number | null
}

export interface ReasonBeforeLoss {
  key: string
  name: string
  deals: number
  calls: number
  callsPerDeal: number | null
  callSecPerDeal: number | null
  sms: number
  smsPerDeal: number | null
}

export interface TouchesBeforeLoss {
  /** Deals lost in the period. */
  deals: number
  kinds: Record<TouchKind, KindBeforeLoss>
  byReason: ReasonBeforeLoss[]
}

const CALL = TOUCH_KINDS.indexOf('call')
const SMS = TOUCH_KINDS.indexOf('sms')

/** Adds the deal's touches before its loss time to `count` (per kind) and `seconds` (calls). */
function tally(p: Prepared, d: number, count: Float64Array, seconds: Float64Array, row: number): void {
  const lostAt = p.closedAt[d]
  for (let i = p.touchStart[d]; i < p.touchStart[d + 1] && p.touchAt[i] < lostAt; i++) {
    const k = row + p.touchKind[i]
    count[k]++
    const sec = p.touchDuration[i]
    if (sec === sec) seconds[k] += sec
  }
}

export function touchesBeforeLoss(s: QueryScope, ps: PeriodScope): TouchesBeforeLoss {
  const p = s.p
  const K = TOUCH_KINDS.length
  const reasons = p.dims.lossReason
  const R = reasons.dict.size
  // Row 0: every lost deal; row r + 1: loss reason code r.
  const count = new Float64Array((R + 1) * K)
  const seconds = new Float64Array((R + 1) * K)
  const deals = new Int32Array(R + 1)
  for (let j = 0, list = ps.closedDeals; j < list.length; j++) {
    const d = list[j]
    if (ps.lost[d] !== 1) continue
    const r = reasons.codes[d] + 1
    deals[0]++
    deals[r]++
    tally(p, d, count, seconds, 0)
    tally(p, d, count, seconds, r * K)
  }
  const kinds = {} as Record<TouchKind, KindBeforeLoss>
  TOUCH_KINDS.forEach((kind, k) => {
    const timed = kind === 'call'
    kinds[kind] = {
      touches: count[k],
      perDeal: ratio2(count[k], deals[0]),
      durationSec: timed ? round2(seconds[k]) : null,
      durationSecPerDeal: timed ? ratio2(seconds[k], deals[0]) : null,
    }
  })
  const byReason: ReasonBeforeLoss[] = []
  for (let r = 1; r <= R; r++) {
    if (deals[r] === 0) continue
    const row = r * K
    byReason.push({
      key: reasons.dict.keys[r - 1],
      name: reasons.dict.names[r - 1],
      deals: deals[r],
      calls: count[row + CALL],
      callsPerDeal: ratio2(count[row + CALL], deals[r]),
      callSecPerDeal: ratio2(seconds[row + CALL], deals[r]),
      sms: count[row + SMS],
      smsPerDeal: ratio2(count[row + SMS], deals[r]),
    })
  }
  byReason.sort((a, b) => b.deals - a.deals || a.key.localeCompare(b.key))
  return { deals: deals[0], kinds, byReason }
}
