/**
 * What the generated branch network is made of: cities, ad channels, pipelines and their
 * stages, loss reasons. Pure data plus the behaviour knobs that make analytics show structure
 * (channels convert differently and drop out at different stages, branches differ).
 */

export interface City {
  name: string
  /** Share of the network's demand. */
  weight: number
  /** Managers in the branch. */
  managers: number
  /** Price level relative to the network (Moscow is dearer). */
  price: number
  /** Branch quality: multiplies every stage conversion. */
  conversion: number
}

// 32 branches. Weights follow population; conversion is deliberately uneven so that
// the city report has something to say.
export const CITIES: readonly City[] = [
  { name: 'Москва', weight: 16, managers: 9, price: 1.45, conversion: 1.0 },
  { name: 'Санкт-Петербург', weight: 9, managers: 6, price: 1.25, conversion: 1.06 },
  { name: 'Новосибирск', weight: 4, managers: 4, price: 1.0, conversion: 0.97 },
  { name: 'Екатеринбург', weight: 4, managers: 4, price: 1.02, conversion: 1.1 },
  { name: 'Казань', weight: 3.5, managers: 4, price: 0.98, conversion: 1.12 },
  { name: 'Нижний Новгород', weight: 3, managers: 3, price: 0.95, conversion: 0.92 },
  { name: 'Челябинск', weight: 3, managers: 3, price: 0.9, conversion: 0.85 },
  { name: 'Самара', weight: 3, managers: 3, price: 0.92, conversion: 1.0 },
  { name: 'Омск', weight: 2.5, managers: 3, price: 0.85, conversion: 0.9 },
  { name: 'Ростов-на-Дону', weight: 3, managers: 3, price: 0.95, conversion: 1.04 },
  { name: 'Уфа', weight: 2.8, managers: 3, price: 0.9, conversion: 0.95 },
  { name: 'Красноярск', weight: 2.8, managers: 3, price: 0.97, conversion: 1.02 },
  { name: 'Воронеж', weight: 2.5, managers: 3, price: 0.88, conversion: 1.08 },
  { name: 'Пермь', weight: 2.5, managers: 3, price: 0.9, conversion: 0.8 },
  { name: 'Волгоград', weight: 2.4, managers: 3, price: 0.86, conversion: 0.94 },
  { name: 'Краснодар', weight: 2.8, managers: 3, price: 1.0, conversion: 1.15 },
  { name: 'Саратов', weight: 2, managers: 3, price: 0.84, conversion: 0.9 },
  { name: 'Тюмень', weight: 2, managers: 3, price: 1.0, conversion: 1.05 },
  { name: 'Тольятти', weight: 1.6, managers: 2, price: 0.82, conversion: 0.88 },
  { name: 'Ижевск', weight: 1.5, managers: 2, price: 0.82, conversion: 0.99 },
  { name: 'Барнаул', weight: 1.5, managers: 2, price: 0.8, conversion: 0.93 },
  { name: 'Ульяновск', weight: 1.4, managers: 2, price: 0.8, conversion: 0.86 },
  { name: 'Иркутск', weight: 1.5, managers: 2, price: 0.92, conversion: 1.0 },
  { name: 'Хабаровск', weight: 1.4, managers: 2, price: 0.95, conversion: 0.96 },
  { name: 'Ярославль', weight: 1.4, managers: 2, price: 0.88, conversion: 1.07 },
  { name: 'Владивосток', weight: 1.4, managers: 2, price: 1.0, conversion: 0.9 },
  { name: 'Махачкала', weight: 1.3, managers: 2, price: 0.78, conversion: 0.75 },
  { name: 'Томск', weight: 1.2, managers: 2, price: 0.9, conversion: 1.13 },
  { name: 'Оренбург', weight: 1.2, managers: 2, price: 0.8, conversion: 0.92 },
  { name: 'Кемерово', weight: 1.1, managers: 2, price: 0.8, conversion: 0.89 },
  { name: 'Новокузнецк', weight: 1, managers: 2, price: 0.78, conversion: 0.84 },
  { name: 'Рязань', weight: 1, managers: 2, price: 0.85, conversion: 1.03 },
]

/** Stage roles the deal walker understands; each pipeline maps its stages onto them. */
export type StageRole = 'new' | 'qualify' | 'booked' | 'noshow' | 'held' | 'contract'
const ROLE_ORDER: readonly StageRole[] = ['new', 'qualify', 'booked', 'noshow', 'held', 'contract']

export interface ChannelProfile {
  /** SOURCE_ID in crm.status.list ENTITY_ID=SOURCE. */
  id: string
  name: string
  /** Share of new deals / leads in the sales pipeline and in the contact center. */
  salesWeight: number
  centerWeight: number
  /** Share of this channel's leads that end as junk. */
  junk: number
  /** Multipliers of each stage's forward conversion: where the channel drops out. */
  stage: Partial<Record<StageRole, number>>
  /** Probability that a booked consultation is a no-show. */
  noShow: number
  /** UTM_SOURCE values seen for the channel (with the usual spelling mess), null = none. */
  utm: readonly (string | null)[]
  utmMedium: string | null
}

export const CHANNELS: readonly ChannelProfile[] = [
  {
    id: 'YANDEX_DIRECT',
    name: 'Yandex Direct',
    salesWeight: 26,
    centerWeight: 22,
    junk: 0.42,
    stage: { qualify: 0.82, booked: 1.0, held: 0.98, contract: 1.0 },
    noShow: 0.27,
    utm: ['yandex', 'yandex', 'yandex', 'Yandex', 'yandex.direct'],
    utmMedium: 'cpc',
  },
  {
    id: 'GOOGLE_ADS',
    name: 'Google Ads',
    salesWeight: 9,
    centerWeight: 7,
    junk: 0.5,
    stage: { qualify: 0.9, booked: 0.92, held: 0.88, contract: 0.95 },
    noShow: 0.38,
    utm: ['google', 'google', 'google_ads'],
    utmMedium: 'cpc',
  },
  {
    id: 'WORD_OF_MOUTH',
    name: 'Word of mouth',
    salesWeight: 14,
    centerWeight: 6,
    junk: 0.12,
    stage: { qualify: 1.15, booked: 1.18, held: 1.22, contract: 1.08 },
    noShow: 0.12,
    utm: [null],
    utmMedium: null,
  },
  {
    id: 'STREET_ADS',
    name: 'Street ads & flyers',
    salesWeight: 8,
    centerWeight: 10,
    junk: 0.58,
    stage: { new: 0.78, qualify: 0.72, booked: 0.95, held: 0.9, contract: 0.97 },
    noShow: 0.3,
    utm: [null, null, 'qr_flyer', 'billboard'],
    utmMedium: 'offline',
  },
  {
    id: 'SEO',
    name: 'SEO',
    salesWeight: 15,
    centerWeight: 8,
    junk: 0.3,
    stage: { qualify: 1.05, booked: 1.06, held: 1.08, contract: 0.8 },
    noShow: 0.2,
    utm: [null, null, null, 'google', 'yandex'],
    utmMedium: 'organic',
  },
  {
    id: 'SOCIAL',
    name: 'Social networks',
    salesWeight: 16,
    centerWeight: 12,
    junk: 0.48,
    stage: { qualify: 0.95, booked: 0.8, held: 0.93, contract: 0.9 },
    noShow: 0.42,
    utm: ['vk', 'vk', 'telegram', 'VK', 'ok'],
    utmMedium: 'social',
  },
  {
    id: 'CALL',
    name: 'Call',
    salesWeight: 4,
    centerWeight: 28,
    junk: 0.35,
    stage: { booked: 1.02 },
    noShow: 0.25,
    utm: [null],
    utmMedium: null,
  },
  {
    id: 'WEB',
    name: 'Website',
    salesWeight: 5,
    centerWeight: 4,
    junk: 0.36,
    stage: {},
    noShow: 0.26,
    utm: [null, 'site'],
    utmMedium: null,
  },
  {
    id: 'RECOMMENDATION',
    name: 'By recommendation',
    salesWeight: 2,
    centerWeight: 1,
    junk: 0.1,
    stage: { qualify: 1.12, booked: 1.1, held: 1.15 },
    noShow: 0.12,
    utm: [null],
    utmMedium: null,
  },
  {
    id: 'OTHER',
    name: 'Other',
    salesWeight: 1,
    centerWeight: 2,
    junk: 0.45,
    stage: { qualify: 0.9 },
    noShow: 0.3,
    utm: [null],
    utmMedium: null,
  },
]

/** Default Bitrix24 sources that exist on every portal but the network does not use. */
export const UNUSED_DEFAULT_SOURCES: readonly [string, string][] = [
  ['EMAIL', 'E-Mail'],
  ['ADVERTISING', 'Advertising'],
  ['PARTNER', 'Existing client'],
  ['TRADE_SHOW', 'Show/Exhibition'],
  ['WEBFORM', 'CRM form'],
  ['CALLBACK', 'Callback'],
  ['RC_GENERATOR', 'Sales boost'],
  ['STORE', 'Online Store'],
]

export interface PipelineStage {
  id: string
  name: string
  role: StageRole
  color: string
}

export interface PipelineSpec {
  id: number
  name: string
  sort: number
  /** Stage-id prefix: "" for the default pipeline, "C1:" for pipeline 1. */
  prefix: string
  process: readonly PipelineStage[]
  won: { id: string; name: string }
  lose: { id: string; name: string }
  apology: { id: string; name: string }
}

// Ids keep Bitrix24's defaults where a portal owner would have renamed a default stage, and
// UC_xxxxxx where a stage was added by hand — as on a real portal.
export const SALES_PIPELINE: PipelineSpec = {
  id: 0,
  name: 'Sales',
  sort: 100,
  prefix: '',
  process: [
    { id: 'NEW', name: 'New request', role: 'new', color: '#39A8EF' },
    { id: 'PREPARATION', name: 'Needs assessment', role: 'qualify', color: '#2FC6F6' },
    { id: 'PREPAYMENT_INVOICE', name: 'Consultation booked', role: 'booked', color: '#55D0E0' },
    { id: 'UC_7NQ2ZB', name: 'No-show', role: 'noshow', color: '#FFA900' },
    { id: 'EXECUTING', name: 'Consultation held', role: 'held', color: '#47E4C2' },
    { id: 'FINAL_INVOICE', name: 'Contract signed', role: 'contract', color: '#8ED34C' },
  ],
  won: { id: 'WON', name: 'Paid' },
  lose: { id: 'LOSE', name: 'Deal lost' },
  apology: { id: 'APOLOGY', name: 'Failure reason analysis' },
}

export const CONTACT_CENTER_PIPELINE: PipelineSpec = {
  id: 1,
  name: 'Contact center',
  sort: 200,
  prefix: 'C1:',
  process: [
    { id: 'C1:NEW', name: 'Incoming request', role: 'new', color: '#39A8EF' },
    { id: 'C1:PREPARATION', name: 'Contact made', role: 'qualify', color: '#2FC6F6' },
    { id: 'C1:UC_K4W8PM', name: 'Consultation booked', role: 'booked', color: '#55D0E0' },
    { id: 'C1:EXECUTING', name: 'No-show', role: 'noshow', color: '#FFA900' },
    { id: 'C1:FINAL_INVOICE', name: 'Contract signed', role: 'contract', color: '#8ED34C' },
  ],
  won: { id: 'C1:WON', name: 'Sale' },
  lose: { id: 'C1:LOSE', name: 'Lost' },
  apology: { id: 'C1:APOLOGY', name: 'Refused' },
}

export const PIPELINES: readonly PipelineSpec[] = [SALES_PIPELINE, CONTACT_CENTER_PIPELINE]

/** A stage that was deleted from the sales pipeline in the first year; old history keeps it. */
export const DELETED_SALES_STAGE = 'UC_TRIAL1'
/** A stage id a few open contact-center deals still sit in, unknown to crm.status.list. */
export const UNKNOWN_CENTER_STAGE = 'C1:UC_LEGACY'

/** Base forward conversion per role (before channel, branch, manager and season). */
export const BASE_ADVANCE: Record<StageRole, number> = {
  new: 0.8,
  qualify: 0.62,
  booked: 1,
  noshow: 0,
  held: 0.6,
  contract: 0.8,
}

/** Median days spent in a role before the next move. */
export const ROLE_MEDIAN_DAYS: Record<StageRole, number> = {
  new: 0.15,
  qualify: 1.8,
  booked: 4,
  noshow: 2.5,
  held: 3.5,
  contract: 2,
}

export function roleIndex(role: StageRole): number {
  return ROLE_ORDER.indexOf(role)
}

export interface LossReason {
  value: string
  /** Weight of the reason when the deal is lost at a given role. */
  at: Partial<Record<StageRole, number>>
}

export const LOSS_REASONS: readonly LossReason[] = [
  { value: 'Too expensive', at: { qualify: 2, held: 5, contract: 6, booked: 1 } },
  { value: 'Went to a competitor', at: { qualify: 1, booked: 2, noshow: 2, held: 4, contract: 3 } },
  { value: 'No answer', at: { new: 8, qualify: 3, noshow: 5, booked: 1 } },
  { value: 'Not the target audience', at: { new: 3, qualify: 6, booked: 1 } },
  { value: 'Postponed', at: { booked: 2, noshow: 3, held: 3, contract: 2 } },
  { value: 'Chose online courses', at: { qualify: 1, held: 2, contract: 1 } },
  { value: 'Other', at: { new: 1, qualify: 1, booked: 1, noshow: 1, held: 1, contract: 1 } },
]

/** Demand by calendar month (Jan = 0): school-year peaks in September and January. */
export const MONTH_DEMAND = [1.05, 1.1, 1.05, 0.95, 0.8, 0.62, 0.58, 0.85, 1.45, 1.3, 1.12, 0.78]
/** Summer customers are less decided: conversion by month. */
export const MONTH_CONVERSION = [1.0, 1.03, 1.02, 1.0, 0.97, 0.9, 0.88, 0.95, 1.07, 1.05, 1.02, 0.94]

export const USD_RATE = '92.4500'
