/**
 * Admin settings of Funnel Lens, stored with `app.option.set` as one JSON string
 * (rest.md §8.1: option values are documented as strings only, so we never rely on
 * nested objects round-tripping).
 *
 * `version` is the settings *schema* version: an upgrade that adds a field reads an older
 * blob, fills the new field with its default and keeps everything the admin chose.
 */
import { DEFAULT_SOURCE_ALIASES, foldChannel } from '../engine/channels'
import type { AnalyticsSettings } from '../engine/types'

/** Sync-layer settings: which portal-specific fields mean what. */
export interface SyncSettings {
  /** Deal user field holding the city (e.g. "UF_CRM_CITY"); null → the manager's department. */
  cityField: string | null
  /** Lead user field holding the city; null → the manager's department. */
  leadCityField: string | null
  /** Deal user field holding the loss reason (enumeration, string or list); null → the default name. */
  lossReasonField: string | null
  /** Lead user field holding the junk reason; null → the deal field's name. */
  leadLossReasonField: string | null
  /** Report currency code (crm.currency.list); "" → the portal's base currency. */
  currency: string
  analytics: AnalyticsSettings
  version: number
}

/** Current schema version; bump when SyncSettings gains a field and teach `parseSettings` the default. */
export const SETTINGS_VERSION = 1

/** The app.option key the settings live under. */
export const SETTINGS_OPTION = 'flSettings'

export function defaultSettings(): SyncSettings {
  return {
    cityField: null,
    leadCityField: null,
    lossReasonField: null,
    leadLossReasonField: null,
    currency: '',
    analytics: {
      consultationStageIds: [],
      noShowStageIds: [],
      heldStageIds: [],
      contractStageIds: [],
      branchStageIds: [],
      workingHours: { start: 9, end: 18, days: [1, 2, 3, 4, 5] },
      sourceAliases: defaultSourceAliases(),
    },
    version: SETTINGS_VERSION,
  }
}

export function defaultSourceAliases(): Record<string, string[]> {
  return Object.fromEntries(Object.entries(DEFAULT_SOURCE_ALIASES).map(([k, v]) => [k, [...v]]))
}

/** A stored alias map, cleaned; anything not a map (an older blob has none) → the defaults. */
function sourceAliases(v: unknown): Record<string, string[]> {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return defaultSourceAliases()
  const out: Record<string, string[]> = {}
  for (const [channel, spellings] of Object.entries(v as Record<string, unknown>)) {
    const key = foldChannel(channel)
    if (key)
      out[key] = stringList(spellings)
        .map(foldChannel)
        .filter((s) => s !== '' && s !== key)
  }
  return out
}

/** The alias map as the settings form edits it: one channel a line, "yandex: ya, yandex.direct". */
export function formatSourceAliases(aliases: Record<string, string[]>): string {
  return Object.entries(aliases)
    .map(([channel, spellings]) => (spellings.length ? `${channel}: ${spellings.join(', ')}` : channel))
    .join('\n')
}

/**
 * Reads the form's text back. Returns the map, or the lines it could not read (a line needs a
 * channel name before the colon), so that a typo is shown instead of silently dropping a channel.
 */
export function parseSourceAliases(text: string): { aliases: Record<string, string[]>; badLines: number[] } {
  const aliases: Record<string, string[]> = {}
  const badLines: number[] = []
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '') return
    const colon = line.indexOf(':')
    const channel = foldChannel(colon < 0 ? line : line.slice(0, colon))
    if (!channel) return badLines.push(i + 1)
    const spellings =
      colon < 0
        ? []
        : line
            .slice(colon + 1)
            .split(',')
            .map(foldChannel)
    const merged = new Set([...(aliases[channel] ?? []), ...spellings.filter((s) => s !== '' && s !== channel)])
    aliases[channel] = [...merged]
  })
  return { aliases, badLines }
}

function stringOrNull(v: unknown): string | null {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : null
}

function stringList(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x !== '') : []
}

function hour(v: unknown, fallback: number): number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 24 ? v : fallback
}

function workingHours(v: unknown): AnalyticsSettings['workingHours'] {
  const d = defaultSettings().analytics.workingHours
  if (!v || typeof v !== 'object') return d
  const o = v as Record<string, unknown>
  const start = hour(o.start, d.start)
  const end = hour(o.end, d.end)
  const days = Array.isArray(o.days)
    ? [...new Set(o.days.filter((x): x is number => Number.isInteger(x) && x >= 1 && x <= 7))].sort()
    : d.days
  return end > start ? { start, end, days } : d
}

/**
 * Reads a stored settings value (a JSON string, an already-parsed object, or nothing).
 * Unknown or broken parts fall back to defaults field by field, so one bad field never
 * throws away the admin's other choices.
 */
export function parseSettings(raw: unknown): SyncSettings {
  let data: unknown = raw
  if (typeof raw === 'string') {
    try {
      data = JSON.parse(raw)
    } catch {
      data = null
    }
  }
  const base = defaultSettings()
  if (!data || typeof data !== 'object') return base
  const o = data as Record<string, unknown>
  const a = (o.analytics && typeof o.analytics === 'object' ? o.analytics : {}) as Record<string, unknown>
  return {
    cityField: stringOrNull(o.cityField),
    leadCityField: stringOrNull(o.leadCityField),
    lossReasonField: stringOrNull(o.lossReasonField),
    leadLossReasonField: stringOrNull(o.leadLossReasonField),
    currency: typeof o.currency === 'string' ? o.currency.trim().toUpperCase() : '',
    analytics: {
      consultationStageIds: stringList(a.consultationStageIds),
      noShowStageIds: stringList(a.noShowStageIds),
      heldStageIds: stringList(a.heldStageIds),
      contractStageIds: stringList(a.contractStageIds),
      branchStageIds: stringList(a.branchStageIds),
      workingHours: workingHours(a.workingHours),
      sourceAliases: sourceAliases(a.sourceAliases),
    },
    // Whatever version was stored, what we return now has the current shape.
    version: SETTINGS_VERSION,
  }
}

/** The version a stored blob was written with (0 when absent or unreadable). */
export function storedSettingsVersion(raw: unknown): number {
  try {
    const o = typeof raw === 'string' ? JSON.parse(raw) : raw
    return o && typeof o === 'object' && typeof (o as { version?: unknown }).version === 'number'
      ? (o as { version: number }).version
      : 0
  } catch {
    return 0
  }
}

export function serializeSettings(s: SyncSettings): string {
  return JSON.stringify({ ...s, version: SETTINGS_VERSION })
}
