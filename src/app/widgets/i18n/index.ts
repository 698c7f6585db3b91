/**
 * The deal-card widget's words in the portal's language: one file per language beside this one
 * (en.ts holds the keys), as the report's src/app/i18n/. Kept beside the widget: it is mounted on
 * its own (deal tab), without the report's i18n store.
 */
import type { TouchKind } from '../../../engine/types'
import { interpolate } from '../../i18n/interpolate'
import { en, type WidgetKey, type WidgetMessages } from './en'
import { ru } from './ru'
import { uk } from './uk'

export type { WidgetKey } from './en'
export type WidgetLang = 'en' | 'ru' | 'uk'

const CATALOGS: Record<WidgetLang, WidgetMessages> = { en, ru, uk }

export function wt(lang: WidgetLang, key: WidgetKey, params?: Record<string, string | number>): string {
  return interpolate(CATALOGS[lang][key] ?? en[key], params)
}

const DAY_FORMS: Record<WidgetLang, Record<string, string>> = {
  en: { one: 'day', other: 'days' },
  ru: { one: 'день', few: 'дня', many: 'дней', other: 'дня' },
  uk: { one: 'день', few: 'дні', many: 'днів', other: 'дня' },
}

/** "1 day", "3 дня", "5 днів". */
export function days(lang: WidgetLang, n: number): string {
  const form = new Intl.PluralRules(lang).select(n)
  return `${n} ${DAY_FORMS[lang][form] ?? DAY_FORMS[lang].other}`
}

export function touchLabel(lang: WidgetLang, kind: TouchKind): string {
  return wt(lang, `touch.${kind}` as WidgetKey)
}
