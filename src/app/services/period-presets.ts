/**
 * Period presets as calendar dates in the portal's time zone. A period a person names by
 * dates includes its last day (metrics.md "Periods"): `to` is the last day, inclusive.
 * Calendar arithmetic is dayjs's (src/app/services/dayjs.ts) on UTC dates, where no DST shift
 * can move a day; the zone only decides which date "today" is.
 */
import { dayjs, ISO_DAY, type Dayjs } from './dayjs'

export const PERIOD_PRESETS = [
  'last-30-days',
  'this-week',
  'last-week',
  'this-month',
  'last-month',
  'this-quarter',
  'last-quarter',
  'this-half',
  'last-half',
  'this-year',
  'last-year',
  'custom',
] as const
export type PeriodPreset = (typeof PERIOD_PRESETS)[number]

/**
 * The period the report opens on: the last 30 whole days (yesterday included, today's partial
 * day not), compared with the 30 days before. Unlike "this month" it is never nearly empty on
 * the first days of a month.
 */
export const DEFAULT_PRESET = 'last-30-days' satisfies PeriodPreset

export interface DateRange {
  /** first day, "YYYY-MM-DD" */
  from: string
  /** last day included, "YYYY-MM-DD" */
  to: string
}

const FIXED_OFFSET = /^[+-]\d{2}:?\d{2}$/

/** Today's calendar date in a zone (IANA or "+03:00"); UTC's when the zone is unknown. */
export function todayIn(timeZone: string, now: number = Date.now()): string {
  if (FIXED_OFFSET.test(timeZone)) return dayjs(now).utcOffset(timeZone).format(ISO_DAY)
  try {
    return dayjs(now).tz(timeZone).format(ISO_DAY)
  } catch {
    return dayjs.utc(now).format(ISO_DAY)
  }
}

function span(from: Dayjs, to: Dayjs): DateRange {
  return { from: from.format(ISO_DAY), to: to.format(ISO_DAY) }
}

/** The whole calendar month, quarter or year that holds `day`. */
function whole(day: Dayjs, unit: 'month' | 'quarter' | 'year'): DateRange {
  return span(day.startOf(unit), day.endOf(unit))
}

/** The ISO week (Monday to Sunday) that holds `day`. */
function isoWeek(day: Dayjs): DateRange {
  return span(day.startOf('isoWeek'), day.endOf('isoWeek'))
}

/** January–June or July–December. */
function half(day: Dayjs): DateRange {
  const first = day.month(day.month() < 6 ? 0 : 6).startOf('month')
  return span(first, first.add(5, 'month').endOf('month'))
}

export function presetRange(preset: Exclude<PeriodPreset, 'custom'>, today: string): DateRange {
  const day = dayjs.utc(today)
  switch (preset) {
    case 'last-30-days':
      return span(day.subtract(30, 'day'), day.subtract(1, 'day'))
    case 'this-week':
      return isoWeek(day)
    case 'last-week':
      return isoWeek(day.subtract(1, 'week'))
    case 'this-month':
      return whole(day, 'month')
    case 'last-month':
      return whole(day.subtract(1, 'month'), 'month')
    case 'this-quarter':
      return whole(day, 'quarter')
    case 'last-quarter':
      return whole(day.subtract(1, 'quarter'), 'quarter')
    case 'this-half':
      return half(day)
    case 'last-half':
      return half(day.subtract(6, 'month'))
    case 'this-year':
      return whole(day, 'year')
    case 'last-year':
      return whole(day.subtract(1, 'year'), 'year')
  }
}

/** A preset's dates as they are now in the portal's zone. */
export function presetIn(preset: Exclude<PeriodPreset, 'custom'>, timeZone: string, now: number = Date.now()) {
  return presetRange(preset, todayIn(timeZone, now))
}

/** A real calendar date written "YYYY-MM-DD" (2024-02-30 is not). */
export function isIsoDate(value: unknown): value is string {
  return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) && dayjs.utc(value).format(ISO_DAY) === value
}
