/**
 * The engine bench's data: the demo portal's own generated dump (generatePortal, history pinned at
 * DEFAULT_NOW) through the sync's normalisation (dumpToCrmData) with the settings the generated
 * portal stores (`appOptions.flSettings`: stage roles incl. no-show branch stages), exactly what
 * the app would prepare. The wire dump is dropped before returning, so the heap measured afterwards
 * holds the CrmData alone. (Not a bench module: no run() export.)
 */
import { dumpToCrmData, type NormalizedCrmData } from '../../src/b24/normalize'
import { parseSettings, SETTINGS_OPTION, type SyncSettings } from '../../src/b24/settings'
import { DEFAULT_NOW, generatePortal } from '../../src/demo-portal/generator'

export const PORTAL_SEED = 7
/** The generator's pinned end of history (2026-11-20 12:00 Moscow) as epoch ms: the bench's `now`. */
export const PORTAL_NOW = Date.parse(DEFAULT_NOW)

export interface PortalBenchData {
  data: NormalizedCrmData
  settings: SyncSettings
  generateMs: number
  normalizeMs: number
}

export function portalBenchData(deals: number, seed = PORTAL_SEED): PortalBenchData {
  let t0 = performance.now()
  let dump: ReturnType<typeof generatePortal> | null = generatePortal({ seed, deals, now: DEFAULT_NOW })
  const generateMs = performance.now() - t0
  const settings = parseSettings(dump.appOptions?.[SETTINGS_OPTION])
  t0 = performance.now()
  const data = dumpToCrmData(dump, settings)
  const normalizeMs = performance.now() - t0
  dump = null
  return { data, settings, generateMs, normalizeMs }
}
