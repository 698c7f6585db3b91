/**
 * Words of the install wizard, settings page and budget/plan editors in the portal language:
 * one file per language beside this one (en.ts holds the keys), as the report's src/app/i18n/.
 * These pages mount on their own (install.html, settings view), without the report's i18n
 * store, so they carry their own small catalog.
 */
import type { Language } from '../../../b24/placements'
import { interpolate } from '../../i18n/interpolate'
import { en, type InstallKey, type InstallMessages } from './en'
import { ru } from './ru'
import { uk } from './uk'

export type { InstallKey } from './en'

const CATALOGS: Record<Language, InstallMessages> = { en, ru, uk }

export function tr(lang: Language, key: InstallKey, params?: Record<string, string | number>): string {
  return interpolate(CATALOGS[lang][key] ?? en[key], params)
}

/** Validation reasons come from src/b24/input-cells.ts in English; shown in the portal language. */
const REASONS: [RegExp, InstallKey][] = [
  [/^must be 0 or more$/, 'reason.negative'],
  [/^at most two decimals$/, 'reason.decimals'],
  [/^too large$/, 'reason.large'],
  [/^"(.*)" is not a number$/, 'reason.nan'],
  [/^"(.*)" is not a whole number$/, 'reason.notWhole'],
  [/^unknown currency "(.*)"$/, 'reason.currency'],
  [/^currency is missing$/, 'reason.noCurrency'],
  [/^Only portal administrators can change budgets and plans/, 'reason.adminOnly'],
  [/^Another administrator kept changing this cell/, 'reason.busy'],
]

export function reasonText(lang: Language, reason: string): string {
  for (const [re, key] of REASONS) {
    const m = re.exec(reason)
    if (m) return tr(lang, key, { v: m[1] ?? '' })
  }
  return reason
}
