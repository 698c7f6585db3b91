/**
 * Calendar periods, comparison periods and chart buckets in the portal's time zone
 * (metrics.md "Periods").
 *
 * Calendar arithmetic runs on "day numbers" (days since 1970-01-01 of a wall-clock date), which
 * needs no time zone. A zone is applied only when a day boundary becomes an instant: once per
 * boundary, through `Intl.DateTimeFormat` (IANA) or a constant (fixed "+03:00" offsets). Rows are
 * then placed into buckets by binary search over those instants, never by a per-row date call.
 */
import { QueryError } from './errors'

export type BucketKind = 'day' | 'week' | 'month' | 'quarter' | 'year'
export type CompareMode = 'previous' | 'year' | 'none'

/** A day in milliseconds: the one definition (UTC day numbers, durations in days). */
export const DAY_MS = 86_400_000

/** A wall-clock date as a day number: days since 1970-01-01. */
export function dayNumber(y: number, m: number, d: number): number {
  if (y >= 0 && y < 100) {
    // Date.UTC reads years 0–99 as 1900–1999: "0001-01-01" must stay year 1.
    const t = new Date(Date.UTC(2000, 0, 1))
    t.setUTCFullYear(y, m - 1, d)
    return Math.round(t.getTime() / DAY_MS)
  }
  return Math.round(Date.UTC(y, m - 1, d) / DAY_MS)
}

export function dayParts(n: number): { y: number; m: number; d: number } {
  const t = new Date(n * DAY_MS)
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() }
}

const pad = (v: number, w = 2) => String(v).padStart(w, '0')

export function formatDay(n: number): string {
  const { y, m, d } = dayParts(n)
  return `${pad(y, 4)}-${pad(m)}-${pad(d)}`
}

/** Parses 'YYYY-MM-DD'; throws a message the user can act on. */
export function parseDay(s: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s ?? '')
  if (!m) throw new QueryError('BAD_DATE', `"${s}" is not a date; write it as YYYY-MM-DD, e.g. 2024-03-31`)
  const y = Number(m[1])
  const mo = Number(m[2])
  const d = Number(m[3])
  const n = dayNumber(y, mo, d)
  const back = dayParts(n)
  if (back.m !== mo || back.d !== d) throw new QueryError('BAD_DATE', `"${s}" is not a calendar date`)
  return n
}

/** ISO weekday 1 (Monday) … 7 (Sunday) of a day number. 1970-01-01 was a Thursday. */
export function isoWeekday(n: number): number {
  return ((((n + 3) % 7) + 7) % 7) + 1
}

function daysInMonth(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate()
}

/** Adds months to a date, clamping the day (Jan 31 + 1 month = Feb 28/29). */
export function addMonths(n: number, months: number): number {
  const { y, m, d } = dayParts(n)
  const total = y * 12 + (m - 1) + months
  const ny = Math.floor(total / 12)
  const nm = (total % 12) + 1
  return dayNumber(ny, nm, Math.min(d, daysInMonth(ny, nm)))
}

function isFirstOfMonth(n: number): boolean {
  return dayParts(n).d === 1
}
function isLastOfMonth(n: number): boolean {
  return dayParts(n + 1).d === 1
}

/** 'YYYY-MM' of a day number. */
export function monthKey(n: number): string {
  const { y, m } = dayParts(n)
  return `${pad(y, 4)}-${pad(m)}`
}

// ---------------------------------------------------------------- time zones

/** Offset of the zone from UTC at an instant, in ms (Moscow: +3 h). */
export interface TimeZone {
  name: string
  offsetAt(instant: number): number
}

const formatters = new Map<string, Intl.DateTimeFormat>()

/** "+03:00", "-05:30", "UTC", "Z" → minutes; null when not a fixed offset. */
function fixedOffsetMinutes(zone: string): number | null {
  if (zone === 'UTC' || zone === 'Z' || zone === 'GMT') return 0
  const m = /^(?:UTC|GMT)?([+-])(\d{1,2})(?::?(\d{2}))?$/.exec(zone)
  if (!m) return null
  const minutes = Number(m[2]) * 60 + Number(m[3] ?? 0)
  return m[1] === '-' ? -minutes : minutes
}

export function timeZone(zone: string): TimeZone {
  const fixed = fixedOffsetMinutes(zone)
  if (fixed !== null) return { name: zone, offsetAt: () => fixed * 60_000 }
  let f = formatters.get(zone)
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone: zone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      })
    } catch {
      throw new QueryError(
        'BAD_TIME_ZONE',
        `Unknown time zone "${zone}"; use an IANA name like Europe/Moscow or an offset like +03:00`,
      )
    }
    formatters.set(zone, f)
  }
  const fmt = f
  return {
    name: zone,
    offsetAt(instant: number): number {
      const whole = Math.floor(instant / 1000) * 1000
      const parts: Record<string, number> = {}
      for (const p of fmt.formatToParts(new Date(whole))) if (p.type !== 'literal') parts[p.type] = Number(p.value)
      const wall = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour % 24, parts.minute, parts.second)
      return wall - whole
    },
  }
}

const midnights = new Map<string, Map<number, number>>()

/**
 * The instant of 00:00 local time on a day number (two passes settle DST changes). Memoised per
 * zone: a filter change asks for the same day edges again, and Intl is the slow part.
 */
export function localMidnight(tz: TimeZone, day: number): number {
  let cache = midnights.get(tz.name)
  if (!cache) midnights.set(tz.name, (cache = new Map()))
  const hit = cache.get(day)
  if (hit !== undefined) return hit
  const wall = day * DAY_MS
  const first = wall - tz.offsetAt(wall)
  const second = wall - tz.offsetAt(first)
  if (cache.size > 100_000) cache.clear()
  cache.set(day, second)
  return second
}

// ---------------------------------------------------------------- periods

export interface Period {
  /** First day included, 'YYYY-MM-DD'. */
  from: string
  /** Last day included, 'YYYY-MM-DD'. */
  to: string
  /** Instant of `from` 00:00 local (included). */
  start: number
  /** Instant of the day after `to`, 00:00 local (excluded). */
  end: number
  days: number
}

export function makePeriod(tz: TimeZone, fromDay: number, toDay: number): Period {
  return {
    from: formatDay(fromDay),
    to: formatDay(toDay),
    start: localMidnight(tz, fromDay),
    end: localMidnight(tz, toDay + 1),
    days: toDay - fromDay + 1,
  }
}

export function parsePeriod(tz: TimeZone, from: string, to: string): Period {
  const f = parseDay(from)
  const t = parseDay(to)
  if (t < f) throw new QueryError('BAD_PERIOD', `The period ends (${to}) before it starts (${from}); swap the dates`)
  return makePeriod(tz, f, t)
}

/**
 * The comparison period's first and last day (metrics.md "comparison period"):
 * whole calendar months compare with the same number of months just before (a month with the
 * previous month, a quarter with the previous quarter), any other range with the same number
 * of days just before; 'year' takes the same dates one year earlier (a range ending on a
 * month's last day ends on that month's last day a year earlier, so Feb 29 → Feb 28).
 */
export function comparisonDays(fromDay: number, toDay: number, mode: CompareMode): [number, number] | null {
  if (mode === 'none') return null
  if (mode === 'year') {
    const f = addMonths(fromDay, -12)
    const t = isLastOfMonth(toDay) ? addMonths(toDay + 1, -12) - 1 : addMonths(toDay, -12)
    return [f, t]
  }
  if (isFirstOfMonth(fromDay) && isLastOfMonth(toDay)) {
    const a = dayParts(fromDay)
    const b = dayParts(toDay)
    const months = (b.y - a.y) * 12 + (b.m - a.m) + 1
    return [addMonths(fromDay, -months), fromDay - 1]
  }
  const len = toDay - fromDay + 1
  return [fromDay - len, fromDay - 1]
}

// ---------------------------------------------------------------- buckets

/** The natural start (day number) of the bucket that holds a day. */
function bucketStart(kind: BucketKind, n: number): number {
  const { y, m } = dayParts(n)
  switch (kind) {
    case 'day':
      return n
    case 'week':
      return n - (isoWeekday(n) - 1)
    case 'month':
      return dayNumber(y, m, 1)
    case 'quarter':
      return dayNumber(y, m - ((m - 1) % 3), 1)
    case 'year':
      return dayNumber(y, 1, 1)
  }
}

function nextBucketStart(kind: BucketKind, start: number): number {
  switch (kind) {
    case 'day':
      return start + 1
    case 'week':
      return start + 7
    case 'month':
      return addMonths(start, 1)
    case 'quarter':
      return addMonths(start, 3)
    case 'year':
      return addMonths(start, 12)
  }
}

export function bucketLabel(kind: BucketKind, n: number): string {
  const { y, m } = dayParts(n)
  switch (kind) {
    case 'day':
    case 'week':
      return formatDay(n)
    case 'month':
      return monthKey(n)
    case 'quarter':
      return `${y}-Q${Math.floor((m - 1) / 3) + 1}`
    case 'year':
      return String(y)
  }
}

export interface Buckets {
  kind: BucketKind
  /** Label of each bucket's natural start (a partial first week is labelled by its Monday). */
  labels: string[]
  /** Instants: edges[i] ≤ t < edges[i+1] is bucket i; edges.length = labels.length + 1. */
  edges: number[]
}

/** Buckets covering [fromDay, toDay]; the first and last may be cut by the period's edges. */
export function makeBuckets(tz: TimeZone, kind: BucketKind, fromDay: number, toDay: number): Buckets {
  const labels: string[] = []
  const edges: number[] = []
  let s = bucketStart(kind, fromDay)
  let cut = fromDay
  while (cut <= toDay) {
    labels.push(bucketLabel(kind, s))
    edges.push(localMidnight(tz, cut))
    s = nextBucketStart(kind, s)
    cut = s
  }
  edges.push(localMidnight(tz, toDay + 1))
  return { kind, labels, edges }
}

/** How many buckets makeBuckets would make for [fromDay, toDay], without making them. */
export function bucketCount(kind: BucketKind, fromDay: number, toDay: number): number {
  if (toDay < fromDay) return 0
  const a = dayParts(fromDay)
  const b = dayParts(toDay)
  const months = (b.y - a.y) * 12 + (b.m - a.m)
  switch (kind) {
    case 'day':
      return toDay - fromDay + 1
    case 'week':
      return (bucketStart('week', toDay) - bucketStart('week', fromDay)) / 7 + 1
    case 'month':
      return months + 1
    case 'quarter':
      return Math.floor((b.y * 12 + b.m - 1) / 3) - Math.floor((a.y * 12 + a.m - 1) / 3) + 1
    case 'year':
      return b.y - a.y + 1
  }
}

/** Index of the bucket holding instant t, or -1 outside. Binary search, no date calls. */
export function bucketIndex(edges: ArrayLike<number>, t: number): number {
  if (!(t >= edges[0]) || !(t < edges[edges.length - 1])) return -1
  let lo = 0
  let hi = edges.length - 1
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1
    if (edges[mid] <= t) lo = mid
    else hi = mid
  }
  return lo
}

/** Default chart bucket from the period length. */
export function defaultBucket(days: number): BucketKind {
  if (days <= 45) return 'day'
  if (days <= 200) return 'week'
  if (days <= 1100) return 'month'
  return 'quarter'
}

/** Day numbers of every whole day [fromDay, toDay] overlapping month "YYYY-MM": overlap count and month length. */
export function monthOverlap(
  month: string,
  fromDay: number,
  toDay: number,
): { overlap: number; length: number } | null {
  const m = /^(\d{4})-(\d{2})$/.exec(month)
  if (!m) return null
  const first = dayNumber(Number(m[1]), Number(m[2]), 1)
  const last = addMonths(first, 1) - 1
  const overlap = Math.max(0, Math.min(last, toDay) - Math.max(first, fromDay) + 1)
  return { overlap, length: last - first + 1 }
}
