/**
 * Portal-time-zone helpers. Bitrix24 renders every datetime in the portal's zone with an
 * explicit offset ("2024-09-02T18:37:18+02:00", rest.md §1.6), and reads filter dates given as
 * ISO, Y-m-d or the portal's d.m.Y format as instants in that zone.
 */

const formatters = new Map<string, Intl.DateTimeFormat>()

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone)
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
    formatters.set(timeZone, f)
  }
  return f
}

/** Offset of `timeZone` from UTC at instant `ms`, in minutes (east positive). */
export function zoneOffsetMinutes(timeZone: string, ms: number): number {
  const parts = formatterFor(timeZone).formatToParts(new Date(ms))
  const get = (type: string): number => Number(parts.find((p) => p.type === type)?.value ?? 0)
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'))
  return Math.round((asUtc - Math.floor(ms / 1000) * 1000) / 60_000)
}

/** `YYYY-MM-DDThh:mm:ss±hh:mm` of instant `ms` in `timeZone`. */
export function formatInZone(ms: number, timeZone: string): string {
  const off = zoneOffsetMinutes(timeZone, ms)
  const local = new Date(Math.floor(ms / 1000) * 1000 + off * 60_000).toISOString().slice(0, 19)
  const sign = off < 0 ? '-' : '+'
  const abs = Math.abs(off)
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`
}

/** Instant of a wall-clock time in `timeZone` (two passes settle DST edges). */
export function zonedToInstant(
  y: number,
  mo: number,
  d: number,
  h: number,
  mi: number,
  s: number,
  timeZone: string,
): number {
  const guess = Date.UTC(y, mo - 1, d, h, mi, s)
  let ms = guess - zoneOffsetMinutes(timeZone, guess) * 60_000
  ms = guess - zoneOffsetMinutes(timeZone, ms) * 60_000
  return ms
}

const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i
const LOCAL_YMD = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?$/
const LOCAL_DMY = /^(\d{2})\.(\d{2})\.(\d{4})(?: (\d{2}):(\d{2})(?::(\d{2}))?)?$/

/** Parses a filter date value as an instant; NaN when it is not a date. */
export function parseDateValue(value: unknown, timeZone: string): number {
  if (typeof value !== 'string') return NaN
  const v = value.trim()
  if (ISO_WITH_ZONE.test(v)) return Date.parse(v.replace(' ', 'T'))
  let m = LOCAL_YMD.exec(v)
  if (m) return zonedToInstant(+m[1], +m[2], +m[3], +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0), timeZone)
  m = LOCAL_DMY.exec(v)
  if (m) return zonedToInstant(+m[3], +m[2], +m[1], +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0), timeZone)
  return NaN
}

/** True for strings that look like a wire datetime (ISO with offset). */
export function looksLikeWireDate(value: unknown): value is string {
  return typeof value === 'string' && value.length >= 19 && value.charCodeAt(4) === 45 && value.charCodeAt(10) === 84
}
