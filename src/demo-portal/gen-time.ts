/**
 * Time helpers for the generated portal. The portal lives in Europe/Moscow, which has been
 * UTC+03:00 all year round since 2014-10-26 (no DST), so a fixed offset renders every date of
 * the two generated years exactly as Bitrix24 would.
 */
import { DAY_MS } from '../engine/periods'

export const PORTAL_TIME_ZONE = 'Europe/Moscow'
export const PORTAL_OFFSET = '+03:00'
const OFFSET_MS = 3 * 3600_000

export const MINUTE = 60_000
export const HOUR = 3600_000
/** The generator's unit beside HOUR and MINUTE; the value is the engine's DAY_MS. */
export const DAY = DAY_MS

const TWO_DIGITS = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'))
const dayPrefixes = new Map<number, string>()
const timeSuffixes: string[] = new Array<string>(86_400)

/**
 * "2026-03-10T14:05:09+03:00" — seconds precision, like every Bitrix24 datetime. Built from a
 * cached "YYYY-MM-DDT" and a cached "hh:mm:ss+03:00": a 100k-deal portal formats ~3M dates, and
 * this is both faster than toISOString and leaves each date as one small two-part string.
 */
export function wireDate(ms: number): string {
  const local = Math.floor(ms / 1000) + OFFSET_MS / 1000
  const day = Math.floor(local / 86_400)
  let prefix = dayPrefixes.get(day)
  if (prefix === undefined) {
    prefix = new Date(day * DAY).toISOString().slice(0, 11)
    dayPrefixes.set(day, prefix)
  }
  const second = local - day * 86_400
  let suffix = timeSuffixes[second]
  if (suffix === undefined) {
    // join() builds a flat string; `+` would leave a rope of five pieces in every cached entry.
    const parts = [
      TWO_DIGITS[Math.floor(second / 3600)],
      TWO_DIGITS[Math.floor((second % 3600) / 60)],
      TWO_DIGITS[second % 60],
    ]
    suffix = timeSuffixes[second] = parts.join(':') + PORTAL_OFFSET
  }
  return prefix + suffix
}

/** A date-typed field (BEGINDATE, CLOSEDATE): local midnight as a full datetime. */
export function wireDay(ms: number): string {
  return wireDate(startOfLocalDay(ms))
}

export function startOfLocalDay(ms: number): number {
  return Math.floor((ms + OFFSET_MS) / DAY) * DAY - OFFSET_MS
}

/** Local calendar parts in the portal zone. */
export function localParts(ms: number): { month: number; weekday: number; hour: number } {
  const d = new Date(ms + OFFSET_MS)
  return { month: d.getUTCMonth(), weekday: d.getUTCDay(), hour: d.getUTCHours() }
}

/** Parses an ISO datetime with an offset; throws a message naming the option on bad input. */
export function parseIsoOption(value: string, name: string): number {
  const ms = Date.parse(value)
  if (!/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(ms)) {
    throw new Error(`${name} must be an ISO 8601 datetime like 2026-11-20T12:00:00+03:00, got "${value}"`)
  }
  return ms
}
