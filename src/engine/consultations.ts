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
  roleTable,
  type Outcome,
  type RoleTable,
} from './consultation-roles'
import { SEM_F, SEM_S, type Prepared } from './prepare'
import { DealValues, HOUR_MS, durationStats, rate, ratio2, round2, quantileSelect, type DurationStats } from './stats'
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

const HELD_AT = 0
const NO_SHOW_AT = 1
const LOST_AT = 2
const NONE_AT = 3

/**
 * One deal's consultation facts for a period, from a single walk over its passes: the walk is
 * the definition of every figure, shared by the counting loop and the drill-down.
 */
export class DealWalk {
  /** First contract / held pass index, -1 when none. */
  contract = -1
  held = -1
  /** Booked passes before the first contract pass. */
  bookingsBeforeContract = 0
  /** Outcomes of the bookings in the period: held, noShow, lost, none (OUTCOMES order). */
  readonly outcomes = new Int32Array(4)
  /** Actual no-show entries in the period: ms to the next booking, NaN when never re-booked. */
  gaps = new Float64Array(8)
  noShows = 0
  private pendingNoShow = new Float64Array(8)

  constructor(
    private readonly p: Prepared,
    private readonly roles: RoleTable,
  ) {}

  run(d: number, w: Window): this {
    const { p, roles } = this
    const base = p.pipe[d] * p.stride
    const { passStage, passAt } = p
    this.contract = this.held = -1
    this.bookingsBeforeContract = this.noShows = 0
    this.outcomes.fill(0)
    let booking = false // a booking of the period waits for its outcome
    let waiting = 0 // no-shows of the period waiting for a booking: pendingNoShow[0..waiting)
    for (let i = p.passStart[d], e = p.passStart[d + 1]; i < e; i++) {
      const k = base + passStage[i]
      // No-show stages are branch stages: every pass into one is an actual entry (prepare never implies them).
      const bits = roles.bits[k]
      const sem = roles.sem[k]
      const t = passAt[i]
      if (booking) {
        const o =
          bits & HELD
            ? HELD_AT
            : bits & NO_SHOW
              ? NO_SHOW_AT
              : sem === SEM_F
                ? LOST_AT
                : bits & (BOOKED | CONTRACT) || sem === SEM_S
                  ? NONE_AT
                  : -1
        if (o >= 0) {
          this.outcomes[o]++
          booking = false
        }
      }
      if (bits & CONTRACT && this.contract < 0) this.contract = i
      if (bits & HELD && this.held < 0) this.held = i
      if (bits & BOOKED) {
        if (this.contract < 0) this.bookingsBeforeContract++
        for (let j = 0; j < waiting; j++) this.gaps[this.noShows - waiting + j] = t - this.pendingNoShow[j]
        waiting = 0
        booking = t >= w.start && t < w.end
      }
      if (bits & NO_SHOW && t >= w.start && t < w.end) {
        if (this.noShows === this.gaps.length) this.grow()
        this.gaps[this.noShows++] = NaN
        this.pendingNoShow[waiting++] = t
      }
    }
    if (booking) this.outcomes[NONE_AT]++
    return this
  }

  private grow(): void {
    const g = new Float64Array(this.gaps.length * 2)
    g.set(this.gaps)
    this.gaps = g
    const w = new Float64Array(this.gaps.length)
    w.set(this.pendingNoShow)
    this.pendingNoShow = w
  }

  /** Time from creation to the first contract when that contract is in the window, else null. */
  contractMs(d: number, w: Window): number | null {
    const t = this.contract >= 0 ? this.p.passAt[this.contract] : NaN
    return t >= w.start && t < w.end ? t - this.p.created[d] : null
  }

  /** Time from the contacts' arrival to the first consultation held when it is in the window, else null. */
  heldMs(d: number, w: Window, links: LeadLinks): number | null {
    const t = this.held >= 0 ? this.p.passAt[this.held] : NaN
    return t >= w.start && t < w.end ? t - contactsArrivedAt(this.p, links, d) : null
  }
}

/**
 * Does the deal have a pass inside the window? Every figure counts a pass in the period (a
 * booking, a no-show, the first contract or held pass), so a deal without one adds nothing.
 */
function passesIn(p: Prepared, d: number, w: Window): boolean {
  const a = p.passStart[d]
  const b = p.passStart[d + 1]
  return b > a && p.passAt[b - 1] >= w.start && p.passAt[a] < w.end
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

/**
 * The figure overall and per key of each split dimension: records are grouped by the deal's
 * code (a counting sort), and `figure` summarises each group's values.
 */
function withSplits<T>(
  p: Prepared,
  dims: Dim[],
  rec: DealValues,
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
  const contract = new DealValues()
  const bookings = new DealValues()
  const attendance = new DealValues()
  const rebooking = new DealValues()
  const contacts = new DealValues()
  const walk = new DealWalk(p, roles)
  for (let d = 0; d < p.n; d++) {
    if (s.dealMask[d] !== 1 || !passesIn(p, d, w)) continue
    walk.run(d, w)
    const c = walk.contractMs(d, w)
    if (c !== null) {
      if (c === c) contract.add(d, c)
      bookings.add(d, walk.bookingsBeforeContract)
    }
    for (let o = 0; o < 4; o++) for (let k = walk.outcomes[o]; k > 0; k--) attendance.add(d, o)
    for (let k = 0; k < walk.noShows; k++) rebooking.add(d, walk.gaps[k])
    const h = walk.heldMs(d, w, links)
    if (h !== null && h === h) contacts.add(d, h)
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
  const walk = new DealWalk(p, roles)
  const masked = (f: (d: number) => boolean) => (d: number) => {
    if (s.dealMask[d] !== 1) return false
    walk.run(d, w)
    return f(d)
  }
  const nonNegative = (ms: number | null, want: boolean) => ms !== null && ms === ms && ms >= 0 === want
  switch (measure) {
    case 'timeToContract':
    case 'timeToContractNegative':
      return masked((d) => nonNegative(walk.contractMs(d, w), measure === 'timeToContract'))
    case 'bookingsBeforeContract':
      return masked(
        (d) =>
          walk.contractMs(d, w) !== null &&
          (bucket === undefined || bookingBucket(walk.bookingsBeforeContract) === bucket),
      )
    case 'bookings':
      return masked(() => walk.outcomes.some((n) => n > 0))
    case 'held':
    case 'noShow':
    case 'lost':
    case 'none':
      return masked(() => walk.outcomes[OUTCOMES.indexOf(measure)] > 0)
    case 'noShows':
      return masked(() => walk.noShows > 0)
    case 'rebooked':
      return masked(() => walk.gaps.subarray(0, walk.noShows).some((ms) => ms === ms))
    case 'contactsToFirstConsultation':
    case 'contactsNegative':
      return masked((d) => nonNegative(walk.heldMs(d, w, links), measure === 'contactsToFirstConsultation'))
  }
}
