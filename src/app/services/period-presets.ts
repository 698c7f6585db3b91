/**
 * Period presets as calendar dates in the portal's time zone. A period a person names by
 * dates includes its last day (metrics.md "Periods"): `to` is the last day, inclusive.
 */
export const PERIOD_PRESETS = [
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

export interface DateRange {
  /** first day, "YYYY-MM-DD" */
  from: string
  /** last day included, "YYYY-MM-DD" */
  to: string
}

const DAY = 86_400_000
const FIXED_OFFSET = /^([+-])(\d{2}):?(\d{2})$/

/** Today's calendar date in a zone (IANA or "+03:00"). */
export function todayIn(timeZone: string, now: number = Date.now()): string {
  const m = FIXED_OFFSET.exec(timeZone)
  if (m) {
    const minutes = (Number(m[2]) * 60 + Number(m[3])) * (m[1] === '-' ? -1 : 1)
    return new Date(now + minutes * 60_000).toISOString().slice(0, 10)
  }
  try {
    // en-CA prints ISO-like YYYY-MM-DD.
    return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now)
  } catch {
    return new Date(now).toISOString().slice(0, 10)
  }
}

function parts(iso: string): [number, number, number] {
  const [y, m, d] = iso.split('-').map(Number)
  return [y, m, d]
}

function iso(y: number, m: number, d: number): string {
  // Date.UTC normalises month/day overflow (month 13 → next January, day 0 → last day before).
  return new Date(Date.UTC(y, m - 1, d)).toISOString().slice(0, 10)
}

function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10)
}

/** A span of `months` calendar months starting with month index `start` (0-based) of year y. */
function monthSpan(y: number, startMonth0: number, months: number): DateRange {
  return { from: iso(y, startMonth0 + 1, 1), to: iso(y, startMonth0 + months + 1, 0) }
}

export function presetRange(preset: Exclude<PeriodPreset, 'custom'>, today: string): DateRange {
  const [y, m] = parts(today)
  const m0 = m - 1
  switch (preset) {
    case 'this-week':
    case 'last-week': {
      // ISO week: Monday first.
      const weekday = (new Date(`${today}T00:00:00Z`).getUTCDay() + 6) % 7
      const monday = addDays(today, -weekday - (preset === 'last-week' ? 7 : 0))
      return { from: monday, to: addDays(monday, 6) }
    }
    case 'this-month':
      return monthSpan(y, m0, 1)
    case 'last-month':
      return monthSpan(y, m0 - 1, 1)
    case 'this-quarter':
      return monthSpan(y, m0 - (m0 % 3), 3)
    case 'last-quarter':
      return monthSpan(y, m0 - (m0 % 3) - 3, 3)
    case 'this-half':
      return monthSpan(y, m0 < 6 ? 0 : 6, 6)
    case 'last-half':
      return monthSpan(y, m0 < 6 ? -6 : 0, 6)
    case 'this-year':
      return monthSpan(y, 0, 12)
    case 'last-year':
      return monthSpan(y - 1, 0, 12)
  }
}

export function isIsoDate(value: unknown): value is string {
  return (
    typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`))
  )
}
