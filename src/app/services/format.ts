/**
 * Numbers, money and dates in the portal's language and time zone. Every missing or undefined
 * figure shows as "—" (metrics.md "Money": rates with a zero denominator are never 0 % or NaN).
 */
export interface FormatContext {
  /** BCP 47 locale, e.g. "ru-RU" */
  locale: string
  /** IANA zone or a fixed offset like "+03:00" (PortalInfo.timeZone) */
  timeZone: string
  /** report currency, ISO 4217 */
  currency: string
  /** duration units in the UI language */
  units?: { hours: string; days: string }
}

export const DASH = '—'

const LOCALES: Record<string, string> = { ru: 'ru-RU', uk: 'uk-UA', en: 'en-GB' }

export function localeFor(lang: string): string {
  return LOCALES[lang] ?? 'en-GB'
}

const FIXED_OFFSET = /^([+-])(\d{2}):?(\d{2})$/

/** Intl in older engines rejects "+03:00"; such zones are applied by shifting the instant. */
function zoneAndShift(timeZone: string): { zone: string; shiftMs: number } {
  const m = FIXED_OFFSET.exec(timeZone)
  if (!m) return { zone: timeZone || 'UTC', shiftMs: 0 }
  const minutes = (Number(m[2]) * 60 + Number(m[3])) * (m[1] === '-' ? -1 : 1)
  return { zone: 'UTC', shiftMs: minutes * 60_000 }
}

function isMissing(value: number | null | undefined): value is null | undefined {
  return value === null || value === undefined || !Number.isFinite(value)
}

export interface Formatter {
  number(value: number | null | undefined, digits?: number): string
  money(value: number | null | undefined): string
  /** short figures for chart axes: 150K, 1.2M ₽ */
  compact(value: number | null | undefined): string
  compactMoney(value: number | null | undefined): string
  /** a ratio (0.25) shown as a percentage (25 %) */
  percent(value: number | null | undefined): string
  /** a signed change for KPI cards: +12.5 % */
  signedPercent(value: number | null | undefined): string
  signedNumber(value: number | null | undefined): string
  date(ms: number | null | undefined): string
  dateTime(ms: number | null | undefined): string
  /**
   * A duration in milliseconds as days or hours; the unit follows `unitOf` when given (a change
   * of 45 h beside a value of 8.7 d reads "+1.9 d").
   */
  duration(ms: number | null | undefined, unitOf?: number): string
  /** "YYYY-MM-DD" calendar date (already in the portal's zone) */
  calendarDate(iso: string | null | undefined): string
  /** a chart bucket label from the engine: "2024-03-05", "2024-03", "2024-Q1", "2024" */
  bucket(label: string | null | undefined): string
}

export function createFormatter(ctx: FormatContext): Formatter {
  const { zone, shiftMs } = zoneAndShift(ctx.timeZone)
  const numberFormats = new Map<number, Intl.NumberFormat>()
  const num = (digits: number) => {
    let f = numberFormats.get(digits)
    if (!f) {
      f = new Intl.NumberFormat(ctx.locale, { maximumFractionDigits: digits, minimumFractionDigits: 0 })
      numberFormats.set(digits, f)
    }
    return f
  }
  const moneyIn = (digits: 0 | 2): Intl.NumberFormat => {
    try {
      return new Intl.NumberFormat(ctx.locale, {
        style: 'currency',
        currency: ctx.currency || 'USD',
        minimumFractionDigits: digits,
        maximumFractionDigits: digits,
      })
    } catch {
      // A portal currency Intl does not know (a custom code) still shows, with its code.
      const plain = new Intl.NumberFormat(ctx.locale, { minimumFractionDigits: digits, maximumFractionDigits: digits })
      return { format: (v: number) => `${plain.format(v)} ${ctx.currency}` } as Intl.NumberFormat
    }
  }
  const [wholeMoney, centsMoney] = [moneyIn(0), moneyIn(2)]
  /** Revenue and forecasts read in whole units (350,600 ₽, not 350,600.00 ₽); cents only where they tell (a CPL of 12.50). */
  const moneyFormat = (v: number) => (Math.abs(v) >= 1000 || Number.isInteger(v) ? wholeMoney : centsMoney).format(v)
  const compactFormat = new Intl.NumberFormat(ctx.locale, { notation: 'compact', maximumFractionDigits: 1 })
  let compactMoneyFormat: Intl.NumberFormat
  try {
    compactMoneyFormat = new Intl.NumberFormat(ctx.locale, {
      style: 'currency',
      currency: ctx.currency || 'USD',
      notation: 'compact',
      maximumFractionDigits: 1,
    })
  } catch {
    compactMoneyFormat = compactFormat
  }
  const percentFormat = new Intl.NumberFormat(ctx.locale, { style: 'percent', maximumFractionDigits: 1 })
  const dateFormat = new Intl.DateTimeFormat(ctx.locale, {
    timeZone: zone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  })
  const dateTimeFormat = new Intl.DateTimeFormat(ctx.locale, {
    timeZone: zone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  })
  const utcDate = new Intl.DateTimeFormat(ctx.locale, {
    timeZone: 'UTC',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  })
  const sign = (v: number, text: string) => (v > 0 ? `+${text}` : text)
  const dayMonth = new Intl.DateTimeFormat(ctx.locale, { timeZone: 'UTC', day: 'numeric', month: 'short' })
  const monthYear = new Intl.DateTimeFormat(ctx.locale, { timeZone: 'UTC', month: 'short', year: 'numeric' })

  return {
    number: (v, digits = 2) => (isMissing(v) ? DASH : num(digits).format(v)),
    money: (v) => (isMissing(v) ? DASH : moneyFormat(v)),
    compact: (v) => (isMissing(v) ? DASH : compactFormat.format(v)),
    compactMoney: (v) => (isMissing(v) ? DASH : compactMoneyFormat.format(v)),
    percent: (v) => (isMissing(v) ? DASH : percentFormat.format(v)),
    signedPercent: (v) => (isMissing(v) ? DASH : sign(v, percentFormat.format(v))),
    signedNumber: (v) => (isMissing(v) ? DASH : sign(v, num(2).format(v))),
    date: (ms) => (isMissing(ms) ? DASH : dateFormat.format(new Date(ms + shiftMs))),
    dateTime: (ms) => (isMissing(ms) ? DASH : dateTimeFormat.format(new Date(ms + shiftMs))),
    duration: (ms, unitOf = ms ?? 0) => {
      if (isMissing(ms)) return DASH
      const hours = ms / 3_600_000
      const units = ctx.units ?? { hours: 'h', days: 'd' }
      if (Math.abs(unitOf / 3_600_000) < 48) return `${num(1).format(hours)} ${units.hours}`
      return `${num(1).format(hours / 24)} ${units.days}`
    },
    bucket: (label) => {
      if (!label) return ''
      if (/^\d{4}-\d{2}-\d{2}$/.test(label)) return dayMonth.format(new Date(`${label}T00:00:00Z`))
      if (/^\d{4}-\d{2}$/.test(label)) return monthYear.format(new Date(`${label}-01T00:00:00Z`))
      return label
    },
    calendarDate: (iso) => {
      if (!iso) return DASH
      const at = Date.parse(`${iso}T00:00:00Z`)
      return Number.isNaN(at) ? DASH : utcDate.format(new Date(at))
    },
  }
}
