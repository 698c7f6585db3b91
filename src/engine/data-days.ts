/**
 * Where the filtered data lies in time, so an empty period can point at the nearest one that is
 * not empty: the first and last local day on which a deal passing the filters was created or
 * closed, and the nearest such days before and after the report period.
 */
import type { QueryScope } from './filters'
import { DAY_MS, formatDay } from './periods'

export interface DataDays {
  /** first and last day with a deal created or closed, "YYYY-MM-DD" */
  first: string
  last: string
  /** the last such day before the period starts; null when none */
  lastBefore: string | null
  /** the first such day after the period ends; null when none */
  firstAfter: string | null
}

/** The local calendar day of an instant, as a day number. */
function localDay(s: QueryScope, at: number): number {
  return Math.floor((at + s.p.tz.offsetAt(at)) / DAY_MS)
}

/** null when no deal passes the filters. One pass over the deals; four zone look-ups at the end. */
export function dataDays(s: QueryScope): DataDays | null {
  const { start, end } = s.current.period
  let first = Infinity
  let last = -Infinity
  let lastBefore = -Infinity
  let firstAfter = Infinity
  const see = (at: number) => {
    if (!(at === at)) return // NaN: not closed, or no date
    if (at < first) first = at
    if (at > last) last = at
    if (at < start && at > lastBefore) lastBefore = at
    if (at >= end && at < firstAfter) firstAfter = at
  }
  for (let deal = 0; deal < s.p.n; deal++) {
    if (s.dealMask[deal] !== 1) continue
    see(s.p.created[deal])
    see(s.p.closedAt[deal])
  }
  if (first === Infinity) return null
  const day = (at: number) => formatDay(localDay(s, at))
  return {
    first: day(first),
    last: day(last),
    lastBefore: lastBefore === -Infinity ? null : day(lastBefore),
    firstAfter: firstAfter === Infinity ? null : day(firstAfter),
  }
}
