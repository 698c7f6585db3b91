/**
 * Every message catalog (the report's, the install/settings pages', the deal widget's) is a file
 * per language; English holds the keys. The types already refuse a missing or extra key in a
 * literal; this also catches a translation that dropped a {placeholder}.
 */
import { describe, expect, it } from 'vitest'
import { en as reportEn } from '../../src/app/i18n/en'
import { ru as reportRu } from '../../src/app/i18n/ru'
import { uk as reportUk } from '../../src/app/i18n/uk'
import { en as installEn } from '../../src/app/install/i18n/en'
import { ru as installRu } from '../../src/app/install/i18n/ru'
import { uk as installUk } from '../../src/app/install/i18n/uk'
import { en as widgetEn } from '../../src/app/widgets/i18n/en'
import { ru as widgetRu } from '../../src/app/widgets/i18n/ru'
import { uk as widgetUk } from '../../src/app/widgets/i18n/uk'

type Catalog = Record<string, string>

const areas: Array<[string, Catalog, Record<'ru' | 'uk', Catalog>]> = [
  ['report', reportEn, { ru: reportRu, uk: reportUk }],
  ['install', installEn, { ru: installRu, uk: installUk }],
  ['widget', widgetEn, { ru: widgetRu, uk: widgetUk }],
]

const placeholders = (text: string): string[] => (text.match(/\{\w+\}/g) ?? []).sort()

describe.each(areas)('the %s catalog', (_, en, translations) => {
  it.each(['ru', 'uk'] as const)('%s has every English key and no other', (lang) => {
    expect(Object.keys(translations[lang]).sort()).toEqual(Object.keys(en).sort())
  })

  it.each(['ru', 'uk'] as const)('%s keeps every placeholder of each English text', (lang) => {
    for (const [key, text] of Object.entries(en)) {
      const translated = translations[lang][key] ?? ''
      for (const p of placeholders(text)) expect(translated, `${lang} ${key}`).toContain(p)
    }
  })

  it('no text is empty', () => {
    for (const catalog of [en, translations.ru, translations.uk])
      for (const [key, text] of Object.entries(catalog)) expect(text.trim(), key).not.toBe('')
  })
})
