/**
 * Consultation figures (metrics.md "Consultations"), from the stage roles in the settings.
 * Times are hours; durations below zero (bad data) are left out and counted in `negative`.
 *
 * - timeToContract: first contract pass − DATE_CREATE, deals whose first contract pass is in P.
 * - bookingsBeforeContract: for the same deals, booked passes before that contract pass.
 * - attendance: every booked pass in P and what the deal did next (consultation-roles.ts).
 * - rebooking: every actual no-show entry in P; re-booked when a booked pass follows it
 *   (whenever); `medianHours` from the no-show to that booking.
 * - contactsToFirstConsultation: first held pass − the contacts' arrival (the source lead's
 *   creation, else the deal's), deals whose first held pass is in P.
 * Every figure carries `splits` by city, manager and source (and the query's breakdown).
 */
import type { Dim } from './dims'
import type { PeriodScope, QueryScope } from './filters'
import { contactsArrivedAt, leadLinks, type LeadLinks } from './lead-links'
import {
  BOOKED,
  CONTRACT,
  HELD,
  NO_SHOW,
  OUTCOMES,
  bookingOutcome,
  firstPass,
  nextPass,
  passRole,
  passesBefore,
  roleTable,
  type Outcome,
  type RoleTable,
} from './consultation-roles'
import type { Prepared } from './prepare'
import {
  FloatList,
  HOUR_MS,
  IntList,
  durationStats,
  rate,
  ratio2,
  round2,
  quantileSelect,
  type DurationStats,
} from './stats'
import { splitDims } from './timing'
import type { WithChanges } from './changes'

type Keyed<T> = T & { key: string; name: string }
type Splits<T> = Partial<Record<Dim, Keyed<T>[]>>

export interface DurationFigure extends DurationStats, WithChanges {
  /** Durations below zero (an end recorded before its start), left out of the figure. */
  negative: number
}

export type BookingBucket = '1' | '2' | '3+'
export const BOOKING_BUCKETS: BookingBucket[] = ['1', '2', '3+']

export interface BookingsFigure extends WithChanges {
  /** Deals whose first contract pass is in the period. */
  deals: number
  /** Booked passes before the contract, averaged over `deals`. */
  mean: number | null
  distribution: Record<BookingBucket, number>
  /** Deals with no booking before the contract (in `deals` and the mean, not in the distribution). */
  noBooking: number
}

export interface AttendanceFigure extends WithChanges {
  /** Booked passes in the period. */
  bookings: number
  held: number
  noShow: number
  lost: number
  none: number
  /** held / (held + noShow). */
  attendanceRate: number | null
  /** noShow / (held + noShow). */
  noShowRate: number | null
}

export interface RebookingFigure extends WithChanges {
  /** Actual no-show entries in the period. */
  noShows: number
  rebooked: number
  /** rebooked / noShows. */
  share: number | null
  /** Median hours from the no-show to the next booking, over the re-booked. */
  medianHours: number | null
}

export interface ConsultationsSection {
  /** Which roles the settings name; a figure whose role is missing stays empty. */
  roles: { booked: boolean; noShow: boolean; held: boolean; contract: boolean }
  timeToContract: DurationFigure & { splits: Splits<DurationFigure> }
  bookingsBeforeContract: BookingsFigure & { splits: Splits<BookingsFigure> }
  attendance: AttendanceFigure & { splits: Splits<AttendanceFigure> }
  rebooking: RebookingFigure & { splits: Splits<RebookingFigure> }
  contactsToFirstConsultation: DurationFigure & { splits: Splits<DurationFigure> }
}

// ---------------------------------------------------------------- per deal

interface Window {
  start: number
  end: number
}
const inside = (w: Window, t: number) => t >= w.start && t < w.end

/** First contract pass in the window: its index and the time since creation (ms); null when not counted. */
export function contractInPeriod(
  p: Prepared,
  roles: RoleTable,
  d: number,
  w: Window,
): { i: number; ms: number } | null {
  const i = firstPass(p, roles, d, CONTRACT)
  if (i < 0 || !inside(w, p.passAt[i])) return null
  return { i, ms: p.passAt[i] - p.created[d] }
}

/** First held pass in the window and the time since the contacts arrived (ms); null when not counted. */
export function heldInPeriod(
  p: Prepared,
  roles: RoleTable,
  links: LeadLinks,
  d: number,
  w: Window,
): { i: number; ms: number } | null {
  const i = firstPass(p, roles, d, HELD)
  if (i < 0 || !inside(w, p.passAt[i])) return null
  return { i, ms: p.passAt[i] - contactsArrivedAt(p, links, d) }
}

/** Calls `visit` for every booked pass of the deal in the window, with its outcome. */
export function bookingsIn(
  p: Prepared,
  roles: RoleTable,
  d: number,
  w: Window,
  visit: (outcome: Outcome) => void,
): void {
  for (let i = p.passStart[d], e = p.passStart[d + 1]; i < e; i++) {
    if (passRole(p, roles, d, i) & BOOKED && inside(w, p.passAt[i])) visit(bookingOutcome(p, roles, d, i))
  }
}

/** Calls `visit` for every actual no-show entry in the window: ms to the next booking, NaN when none. */
export function noShowsIn(p: Prepared, roles: RoleTable, d: number, w: Window, visit: (ms: number) => void): void {
  for (let i = p.passStart[d], e = p.passStart[d + 1]; i < e; i++) {
    if (!(passRole(p, roles, d, i) & NO_SHOW) || !inside(w, p.passAt[i])) continue
    const j = nextPass(p, roles, d, i, BOOKED)
    visit(j < 0 ? NaN : p.passAt[j] - p.passAt[i])
  }
}

export function bookingBucket(n: number): BookingBucket | null {
  return n <= 0 ? null : n === 1 ? '1' : n === 2 ? '2' : '3+'
}

// ---------------------------------------------------------------- figures from records

function durationFigure(values: Float64Array, negative: number): DurationFigure {
  return { ...durationStats(values), negative }
}

function bookingsFigure(counts: ArrayLike<number>): BookingsFigure {
  const distribution: Record<BookingBucket, number> = { '1': 0, '2': 0, '3+': 0 }
  let sum = 0,
    noBooking = 0
  for (let i = 0; i < counts.length; i++) {
    sum += counts[i]
    const b = bookingBucket(counts[i])
    if (b) distribution[b]++
    else noBooking++
  }
  return { deals: counts.length, mean: ratio2(sum, counts.length), distribution, noBooking }
}

function attendanceFigure(outcomes: ArrayLike<number>): AttendanceFigure {
  const c = [0, 0, 0, 0]
  for (let i = 0; i < outcomes.length; i++) c[outcomes[i]]++
  const [held, noShow, lost, none] = c
  return {
    bookings: outcomes.length,
    held,
    noShow,
    lost,
    none,
    attendanceRate: rate(held, held + noShow),
    noShowRate: rate(noShow, held + noShow),
  }
}

/** `gaps`: ms from each no-show to its re-booking, NaN when never re-booked. */
function rebookingFigure(gaps: Float64Array): RebookingFigure {
  const done = gaps.filter((x) => x === x)
  const median = quantileSelect(done, 0.5)
  return {
    noShows: gaps.length,
    rebooked: done.length,
    share: rate(done.length, gaps.length),
    medianHours: median === null ? null : round2(median / HOUR_MS),
  }
}

/** Records (one per deal, booking or no-show) with the deal each belongs to. */
class Records {
  readonly deals = new IntList(64)
  readonly values = new FloatList(64)
  add(d: number, v: number): void {
    this.deals.push(d)
    this.values.push(v)
  }
}

/**
 * The figure overall and per key of each split dimension: records are grouped by the deal's
 * code (a counting sort), and `figure` summarises each group's values.
 */
function withSplits<T>(
  p: Prepared,
  dims: Dim[],
  rec: Records,
  figure: (values: Float64Array) => T,
  size: (f: T) => number,
): T & { splits: Splits<T> } {
  const deals = rec.deals.view()
  const values = rec.values.view()
  const splits: Splits<T> = {}
  for (const dim of dims) {
    const col = p.dims[dim]
    const K = col.dict.size
    const start = new Int32Array(K + 1)
    for (let i = 0; i < deals.length; i++) start[col.codes[deals[i]] + 1]++
    for (let k = 0; k < K; k++) start[k + 1] += start[k]
    const fill = start.slice(0, K)
    const grouped = new Float64Array(values.length)
    for (let i = 0; i < deals.length; i++) grouped[fill[col.codes[deals[i]]]++] = values[i]
    const rows: Keyed<T>[] = []
    for (let k = 0; k < K; k++) {
      if (start[k + 1] === start[k]) continue
      rows.push({ key: col.dict.keys[k], name: col.dict.names[k], ...figure(grouped.slice(start[k], start[k + 1])) })
    }
    splits[dim] = rows.sort((a, b) => size(b) - size(a) || a.key.localeCompare(b.key))
  }
  return { ...figure(values.slice()), splits }
}

/** Durations: negative records are kept as records (for the per-key `negative`) and left out of the stats. */
function durationWithNegatives(values: Float64Array): DurationFigure {
  const ok = values.filter((x) => x >= 0)
  return durationFigure(ok, values.length - ok.length)
}

export function consultationsSection(s: QueryScope, ps: PeriodScope): ConsultationsSection {
  const p = s.p
  const roles = roleTable(p)
  const links = leadLinks(p)
  const w = ps.period
  const contract = new Records()
  const bookings = new Records()
  const attendance = new Records()
  const rebooking = new Records()
  const contacts = new Records()
  for (let d = 0; d < p.n; d++) {
    if (s.dealMask[d] !== 1 || p.passStart[d + 1] === p.passStart[d]) continue
    const c = contractInPeriod(p, roles, d, w)
    if (c) {
      if (c.ms === c.ms) contract.add(d, c.ms)
      bookings.add(d, passesBefore(p, roles, d, c.i, BOOKED))
    }
    bookingsIn(p, roles, d, w, (o) => attendance.add(d, OUTCOMES.indexOf(o)))
    noShowsIn(p, roles, d, w, (ms) => rebooking.add(d, ms))
    const h = heldInPeriod(p, roles, links, d, w)
    if (h && h.ms === h.ms) contacts.add(d, h.ms)
  }
  const dims = splitDims(s)
  const count = (f: { count: number; negative: number }) => f.count + f.negative
  return {
    roles: roles.has,
    timeToContract: withSplits(p, dims, contract, durationWithNegatives, count),
    bookingsBeforeContract: withSplits(p, dims, bookings, bookingsFigure, (f) => f.deals),
    attendance: withSplits(p, dims, attendance, attendanceFigure, (f) => f.bookings),
    rebooking: withSplits(p, dims, rebooking, rebookingFigure, (f) => f.noShows),
    contactsToFirstConsultation: withSplits(p, dims, contacts, durationWithNegatives, count),
  }
}

// ---------------------------------------------------------------- drill-down

export type ConsultationMeasure =
  | 'timeToContract'
  | 'timeToContractNegative'
  | 'bookingsBeforeContract'
  | 'bookings'
  | Outcome
  | 'noShows'
  | 'rebooked'
  | 'contactsToFirstConsultation'
  | 'contactsNegative'

/** The deals behind a consultation figure: the same per-deal walks as the counting loop. */
export function consultationPredicate(
  s: QueryScope,
  ps: PeriodScope,
  measure: ConsultationMeasure,
  bucket?: BookingBucket,
): (d: number) => boolean {
  const p = s.p
  const roles = roleTable(p)
  const links = leadLinks(p)
  const w = ps.period
  const masked = (f: (d: number) => boolean) => (d: number) => s.dealMask[d] === 1 && f(d)
  const anyBooking = (want: (o: Outcome) => boolean) => (d: number) => {
    let hit = false
    bookingsIn(p, roles, d, w, (o) => (hit ||= want(o)))
    return hit
  }
  switch (measure) {
    case 'timeToContract':
    case 'timeToContractNegative':
      return masked((d) => {
        const c = contractInPeriod(p, roles, d, w)
        return !!c && c.ms === c.ms && c.ms >= 0 === (measure === 'timeToContract')
      })
    case 'bookingsBeforeContract':
      return masked((d) => {
        const c = contractInPeriod(p, roles, d, w)
        return !!c && (bucket === undefined || bookingBucket(passesBefore(p, roles, d, c.i, BOOKED)) === bucket)
      })
    case 'bookings':
      return masked(anyBooking(() => true))
    case 'held':
    case 'noShow':
    case 'lost':
    case 'none':
      return masked(anyBooking((o) => o === measure))
    case 'noShows':
    case 'rebooked':
      return masked((d) => {
        let hit = false
        noShowsIn(p, roles, d, w, (ms) => (hit ||= measure === 'noShows' || ms === ms))
        return hit
      })
    case 'contactsToFirstConsultation':
    case 'contactsNegative':
      return masked((d) => {
        const h = heldInPeriod(p, roles, links, d, w)
        return !!h && h.ms === h.ms && h.ms >= 0 === (measure === 'contactsToFirstConsultation')
      })
  }
}
