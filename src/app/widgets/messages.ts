/**
 * The deal-card widget's words in the portal's language (en, ru, uk). Kept beside the widget:
 * it is mounted on its own (deal tab), without the report's i18n store.
 */
import type { TouchKind } from '../../engine/types'
import { interpolate } from '../i18n/interpolate'

export type WidgetLang = 'en' | 'ru' | 'uk'

const en = {
  loading: 'Loading the deal…',
  loadError: 'Could not load this deal: {error}',
  noSource: 'no source',
  pathTitle: 'Stage path against the pipeline',
  pathNote: "Norms from the pipeline's latest {n} stage moves; marks: black = median, red = 90th percentile.",
  touchesTitle: 'Touches',
  conversionTitle: 'Conversion (won / closed)',
  conversionNote: "Over the pipeline's latest {n} closed deals.",
  now: 'now',
  noNorm: 'no norm yet',
  normLine: 'median {median} · p90 {p90} · n = {n}',
  'verdict.normal': 'within norm',
  'verdict.slow': 'slower than 90 % of deals',
  'verdict.stuck': 'stuck: over the 90th percentile',
  'verdict.unknown': 'too few deals for a norm',
  'risk.none': 'No risk signals',
  'risk.stuck': 'Stuck in {stage}: {duration}, 90 % of deals leave within {p90}',
  'risk.often-lost': 'Deals from {source} are often lost at {stage}: {churn} (pipeline {base}, n = {n})',
  'risk.idle': 'No touch for {days}',
  noTouches: 'No touches yet.',
  lastToday: 'Last touch today.',
  lastAgo: 'Last touch {days} ago.',
  incoming: 'incoming',
  outgoing: 'outgoing',
  planned: 'planned',
  won: 'Won',
  lost: 'Lost',
  conversion: 'Conversion',
  manager: 'Manager',
  team: 'Pipeline team',
  'touch.call': 'Call',
  'touch.email': 'E-mail',
  'touch.sms': 'Message',
  'touch.meeting': 'Meeting',
  'touch.task': 'Task',
  'touch.other': 'Activity',
  'unit.min': 'min',
  'unit.h': 'h',
  'unit.d': 'd',
}

export type WidgetKey = keyof typeof en

const ru: Record<WidgetKey, string> = {
  loading: 'Загружаем сделку…',
  loadError: 'Не удалось загрузить сделку: {error}',
  noSource: 'без источника',
  pathTitle: 'Путь по этапам против нормы воронки',
  pathNote: 'Нормы по последним {n} переходам воронки; метки: чёрная — медиана, красная — 90-й перцентиль.',
  touchesTitle: 'Касания',
  conversionTitle: 'Конверсия (выиграно / закрыто)',
  conversionNote: 'По последним {n} закрытым сделкам воронки.',
  now: 'сейчас',
  noNorm: 'нормы пока нет',
  normLine: 'медиана {median} · p90 {p90} · n = {n}',
  'verdict.normal': 'в пределах нормы',
  'verdict.slow': 'дольше, чем 90 % сделок',
  'verdict.stuck': 'зависла: дольше 90-го перцентиля',
  'verdict.unknown': 'мало сделок для нормы',
  'risk.none': 'Признаков риска нет',
  'risk.stuck': 'Зависла на этапе «{stage}»: {duration}, 90 % сделок уходят за {p90}',
  'risk.often-lost': 'Сделки из «{source}» часто теряются на этапе «{stage}»: {churn} (по воронке {base}, n = {n})',
  'risk.idle': 'Нет касаний {days}',
  noTouches: 'Касаний пока нет.',
  lastToday: 'Последнее касание сегодня.',
  lastAgo: 'Последнее касание {days} назад.',
  incoming: 'входящий',
  outgoing: 'исходящий',
  planned: 'запланировано',
  won: 'Выиграно',
  lost: 'Проиграно',
  conversion: 'Конверсия',
  manager: 'Менеджер',
  team: 'Команда воронки',
  'touch.call': 'Звонок',
  'touch.email': 'Письмо',
  'touch.sms': 'Сообщение',
  'touch.meeting': 'Встреча',
  'touch.task': 'Задача',
  'touch.other': 'Дело',
  'unit.min': 'мин',
  'unit.h': 'ч',
  'unit.d': 'д',
}

const uk: Record<WidgetKey, string> = {
  loading: 'Завантажуємо угоду…',
  loadError: 'Не вдалося завантажити угоду: {error}',
  noSource: 'без джерела',
  pathTitle: 'Шлях етапами проти норми воронки',
  pathNote: 'Норми за останніми {n} переходами воронки; мітки: чорна — медіана, червона — 90-й перцентиль.',
  touchesTitle: 'Дотики',
  conversionTitle: 'Конверсія (виграно / закрито)',
  conversionNote: 'За останніми {n} закритими угодами воронки.',
  now: 'зараз',
  noNorm: 'норми поки немає',
  normLine: 'медіана {median} · p90 {p90} · n = {n}',
  'verdict.normal': 'у межах норми',
  'verdict.slow': 'довше, ніж 90 % угод',
  'verdict.stuck': 'зависла: довше 90-го перцентиля',
  'verdict.unknown': 'замало угод для норми',
  'risk.none': 'Ознак ризику немає',
  'risk.stuck': 'Зависла на етапі «{stage}»: {duration}, 90 % угод виходять за {p90}',
  'risk.often-lost': 'Угоди з «{source}» часто втрачаються на етапі «{stage}»: {churn} (по воронці {base}, n = {n})',
  'risk.idle': 'Немає дотиків {days}',
  noTouches: 'Дотиків поки немає.',
  lastToday: 'Останній дотик сьогодні.',
  lastAgo: 'Останній дотик {days} тому.',
  incoming: 'вхідний',
  outgoing: 'вихідний',
  planned: 'заплановано',
  won: 'Виграно',
  lost: 'Програно',
  conversion: 'Конверсія',
  manager: 'Менеджер',
  team: 'Команда воронки',
  'touch.call': 'Дзвінок',
  'touch.email': 'Лист',
  'touch.sms': 'Повідомлення',
  'touch.meeting': 'Зустріч',
  'touch.task': 'Завдання',
  'touch.other': 'Справа',
  'unit.min': 'хв',
  'unit.h': 'год',
  'unit.d': 'д',
}

const CATALOGS: Record<WidgetLang, Record<WidgetKey, string>> = { en, ru, uk }

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
