/**
 * Bounds on a report period (issue 8.4). A shared link with `from=0001-01-01&to=9999-12-31` must
 * not make the engine build tens of thousands of buckets: the period is cut to the calendar
 * window any CRM date can fall in, then to the years the data covers, and the chart bucket is
 * coarsened until there are at most MAX_BUCKETS of them. What was asked is kept in `clamp`,
 * so the app and the CLI can tell the user what they got instead.
 */
import type { BucketKind } from './periods'
import type { Prepared } from './prepare'
import { bucketCount, DAY_MS, dayNumber, dayParts, defaultBucket, formatDay, parseDay } from './periods'

/** No CRM date lies outside these days (Bitrix24 began in 2012; imports reach back further). */
export const EARLIEST_DAY = '1990-01-01'
export const LATEST_DAY = '2099-12-31'
/** A chart of more buckets is unreadable: a year by day is 366. */
export const MAX_BUCKETS = 400
/** Whole years around the data (and today) that any period may still reach: last year's report before the data began. */
const SLACK_YEARS = 1

const COARSER: Record<BucketKind, BucketKind | null> = {
  day: 'week',
  week: 'month',
  month: 'quarter',
  quarter: 'year',
  year: null,
}

/** What the query asked for, when the engine gave something else. */
export interface PeriodClamp {
  from: string
  to: string
  /** The bucket asked for (or the default for the asked period). */
  bucket: BucketKind
  /** 'window': outside 1990–2099; 'data': beyond the data's years; 'buckets': too many buckets. */
  reasons: ('window' | 'data' | 'buckets')[]
}

export interface BoundedPeriod {
  fromDay: number
  toDay: number
  bucket: BucketKind
  clamp: PeriodClamp | null
}

/** First and last day the data reaches; the period may reach SLACK_YEARS whole years beyond. */
export interface DataSpan {
  /** Local day numbers; lastDay includes today. */
  firstDay: number
  lastDay: number
}

function yearWindow(span: DataSpan): [number, number] {
  const first = dayParts(span.firstDay).y - SLACK_YEARS
  const last = dayParts(span.lastDay).y + SLACK_YEARS
  return [dayNumber(first, 1, 1), dayNumber(last, 12, 31)]
}

/**
 * Cuts [fromDay, toDay] to the calendar window and to the data's years (when they overlap: a
 * period wholly outside the data stays, it is empty and cheap once its buckets are bounded),
 * then coarsens the bucket until at most MAX_BUCKETS remain.
 */
export function boundPeriod(
  fromDay: number,
  toDay: number,
  asked: BucketKind | undefined,
  span: DataSpan,
): BoundedPeriod {
  const reasons: PeriodClamp['reasons'] = []
  let from = Math.max(fromDay, parseDay(EARLIEST_DAY))
  let to = Math.min(toDay, parseDay(LATEST_DAY))
  if (from !== fromDay || to !== toDay) reasons.push('window')
  // Wholly outside the window: the window's first or last day.
  if (from > to) {
    if (toDay < from) to = from
    else from = to
  }
  const [first, last] = yearWindow(span)
  if (from <= last && to >= first && (from < first || to > last)) {
    from = Math.max(from, first)
    to = Math.min(to, last)
    reasons.push('data')
  }
  const wanted = asked ?? defaultBucket(toDay - fromDay + 1)
  let bucket: BucketKind = asked ?? defaultBucket(to - from + 1)
  // The window holds 110 years: yearly buckets always fit.
  for (let next = COARSER[bucket]; bucketCount(bucket, from, to) > MAX_BUCKETS && next; next = COARSER[bucket])
    bucket = next
  if (bucket !== (asked ?? defaultBucket(to - from + 1))) reasons.push('buckets')
  const clamp = reasons.length ? { from: formatDay(fromDay), to: formatDay(toDay), bucket: wanted, reasons } : null
  return { fromDay: from, toDay: to, bucket, clamp }
}

/** Earliest and latest deal creation, closing and lead creation instants, per data load (±Infinity when none). */
const extremes = new WeakMap<Prepared, { min: number; max: number }>()

function dataExtremes(p: Prepared): { min: number; max: number } {
  let hit = extremes.get(p)
  if (!hit) {
    let min = Infinity
    let max = -Infinity
    const see = (at: number) => {
      if (!(at === at)) return // NaN: no date
      if (at < min) min = at
      if (at > max) max = at
    }
    for (let d = 0; d < p.n; d++) {
      see(p.created[d])
      see(p.closedAt[d])
    }
    for (let i = 0; i < p.leadCreated.length; i++) see(p.leadCreated[i])
    extremes.set(p, (hit = { min, max }))
  }
  return hit
}

/**
 * The local days from the earliest deal or lead creation to the latest creation, closing or now.
 * Unfiltered on purpose: the bounds must not move when a filter changes. The pass over the data
 * is made once per data load; `now` only widens it.
 */
export function dataSpan(p: Prepared, now: number): DataSpan {
  const { min, max } = dataExtremes(p)
  const first = Math.min(now, min)
  const last = Math.max(now, max)
  const day = (at: number) => Math.floor((at + p.tz.offsetAt(at)) / DAY_MS)
  return { firstDay: day(first), lastDay: day(last) }
}
