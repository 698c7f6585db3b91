import { computed, ref } from 'vue'
import { en, type MessageKey, type Messages } from './en'
import { ru } from './ru'
import { uk } from './uk'
import { interpolate } from './interpolate'

export type { MessageKey } from './en'
import type { Language } from '../../b24/placements'

export type { Language }

const catalogs: Record<Language, Messages> = { en, ru, uk }

/** Portal languages we do not translate fall back: Belarusian/Kazakh readers get Russian, others English. */
export function pickLanguage(portalLang: string | null | undefined): Language {
  const code = (portalLang ?? '').toLowerCase().slice(0, 2)
  if (code === 'ru' || code === 'by' || code === 'be' || code === 'kz') return 'ru'
  if (code === 'ua' || code === 'uk') return 'uk'
  return 'en'
}

/** One language for the whole frame: the portal's, switchable for tests and screenshots. */
export const currentLanguage = ref<Language>('en')

export function setLanguage(lang: Language): void {
  currentLanguage.value = lang
  if (typeof document !== 'undefined') document.documentElement.lang = lang
}

export function translate(lang: Language, key: MessageKey, params?: Record<string, string | number>): string {
  return interpolate(catalogs[lang][key] ?? en[key] ?? key, params)
}

export function t(key: MessageKey, params?: Record<string, string | number>): string {
  return translate(currentLanguage.value, key, params)
}

export function useI18n() {
  const lang = computed(() => currentLanguage.value)
  return { t, lang }
}
