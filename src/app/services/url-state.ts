/**
 * What the user chose lives in the URL hash, so a view can be reopened and shared:
 *   #/funnels?period=last-month&cmp=year&pipeline=0&city=msk&city=spb&source=WEB&manager=7&mode=flow
 *   (and reason=<loss reason>, stage=<current stage id>, cby=<consultations split>, asof=<funnel date>)
 * Repeated keys (not commas) carry lists, so ids with any characters survive. Anything unknown
 * or malformed falls back to the default for that field and loses nothing else.
 */
import { EARLIEST_DAY, LATEST_DAY } from '../../engine/period-bounds'
import { DEFAULT_PRESET, PERIOD_PRESETS, isIsoDate, type DateRange, type PeriodPreset } from './period-presets'

export const PAGES = [
  'overview',
  'funnels',
  'consultations',
  'churn',
  'sources',
  'managers',
  'time',
  'touches',
  'loss',
  'forecast',
  'quality',
] as const
export type PageId = (typeof PAGES)[number]
export const COMPARISONS = ['previous', 'year', 'none'] as const
export type Comparison = (typeof COMPARISONS)[number]
export type FunnelMode = 'cohort' | 'flow'
export type ChurnDimension = 'source' | 'city' | 'manager'
/** The split the consultations page shows. */
export type ConsultationDimension = 'city' | 'manager' | 'source'

export interface FilterState {
  page: PageId
  preset: PeriodPreset
  /** custom period only: first and last day, "YYYY-MM-DD" */
  from: string | null
  to: string | null
  compare: Comparison
  /** pipeline (category) id; null = every pipeline, each apart */
  pipeline: number | null
  cities: string[]
  sources: string[]
  managers: number[]
  /** loss-reason keys: only deals lost for one of these reasons */
  lossReasons: string[]
  /** current stage ids: only deals now in one of these stages */
  stages: string[]
  mode: FunnelMode
  churnBy: ChurnDimension
  consultBy: ConsultationDimension
  /** UI language chosen by hand; null = the portal's */
  lang: string | null
  /**
   * The custom period a link or the engine asked for, when it had to be bounded (issue 8.4): the
   * report says so. Never written to the URL: the bounded period is what gets shared and kept.
   */
  periodAsked: DateRange | null
  /** day of the funnel on a date, "YYYY-MM-DD"; null = the period's last day */
  asOf: string | null
}

export function defaultFilters(): FilterState {
  return {
    page: 'overview',
    preset: DEFAULT_PRESET,
    from: null,
    to: null,
    compare: 'previous',
    pipeline: null,
    cities: [],
    sources: [],
    managers: [],
    lossReasons: [],
    stages: [],
    mode: 'cohort',
    churnBy: 'source',
    consultBy: 'city',
    lang: null,
    periodAsked: null,
    asOf: null,
  }
}

/**
 * A custom period cut to the days any CRM date can fall on (the engine's window); one wholly
 * outside becomes the window's nearest day. The engine then cuts it to the data's years.
 */
export function withinCalendar(range: DateRange): DateRange {
  const from = range.from < EARLIEST_DAY ? EARLIEST_DAY : range.from > LATEST_DAY ? LATEST_DAY : range.from
  const to = range.to > LATEST_DAY ? LATEST_DAY : range.to < EARLIEST_DAY ? EARLIEST_DAY : range.to
  return { from, to }
}

function oneOf<T extends string>(allowed: readonly T[], value: string | null, fallback: T): T {
  return value !== null && (allowed as readonly string[]).includes(value) ? (value as T) : fallback
}

function intOrNull(value: string | null): number | null {
  if (value === null || !/^-?\d+$/.test(value)) return null
  return Number(value)
}

/**
 * A day from the link: a calendar date, or any YYYY-MM-DD outside the window (0001-01-01 is
 * read as what it says and bounded below, not as 1901 the way Date and dayjs read it).
 */
function linkDay(value: string | null): string | null {
  if (!value || !/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/.test(value)) return null
  if (value < EARLIEST_DAY || value > LATEST_DAY) return value
  return isIsoDate(value) ? value : null
}

export function parseHash(hash: string): FilterState {
  const state = defaultFilters()
  const text = hash.replace(/^#/, '')
  const [path, query = ''] = text.split('?', 2)
  state.page = oneOf(PAGES, path.replace(/^\//, '') || null, state.page)
  const q = new URLSearchParams(query)
  state.preset = oneOf(PERIOD_PRESETS, q.get('period'), state.preset)
  const from = linkDay(q.get('from'))
  const to = linkDay(q.get('to'))
  if (state.preset === 'custom') {
    if (from && to && from <= to) {
      const bounded = withinCalendar({ from, to })
      state.from = bounded.from
      state.to = bounded.to
      if (bounded.from !== from || bounded.to !== to) state.periodAsked = { from, to }
    } else {
      state.preset = DEFAULT_PRESET
    }
  }
  state.compare = oneOf(COMPARISONS, q.get('cmp'), state.compare)
  state.pipeline = intOrNull(q.get('pipeline'))
  state.cities = q.getAll('city').filter(Boolean)
  state.sources = q.getAll('source').filter(Boolean)
  state.managers = q
    .getAll('manager')
    .map(intOrNull)
    .filter((v): v is number => v !== null)
  state.lossReasons = q.getAll('reason').filter(Boolean)
  state.stages = q.getAll('stage').filter(Boolean)
  state.mode = oneOf(['cohort', 'flow'] as const, q.get('mode'), state.mode)
  state.churnBy = oneOf(['source', 'city', 'manager'] as const, q.get('by'), state.churnBy)
  state.consultBy = oneOf(['city', 'manager', 'source'] as const, q.get('cby'), state.consultBy)
  const lang = q.get('lang')
  state.lang = lang && /^[a-z]{2}$/.test(lang) ? lang : null
  const asOf = q.get('asof')
  state.asOf = isIsoDate(asOf) ? asOf : null
  return state
}

/** Only fields that differ from the default go to the URL, so shared links stay short. */
export function toHash(state: FilterState): string {
  const d = defaultFilters()
  const q = new URLSearchParams()
  if (state.preset !== d.preset) q.set('period', state.preset)
  if (state.preset === 'custom' && state.from && state.to) {
    q.set('from', state.from)
    q.set('to', state.to)
  }
  if (state.compare !== d.compare) q.set('cmp', state.compare)
  if (state.pipeline !== null) q.set('pipeline', String(state.pipeline))
  for (const c of state.cities) q.append('city', c)
  for (const s of state.sources) q.append('source', s)
  for (const m of state.managers) q.append('manager', String(m))
  for (const r of state.lossReasons) q.append('reason', r)
  for (const s of state.stages) q.append('stage', s)
  if (state.mode !== d.mode) q.set('mode', state.mode)
  if (state.churnBy !== d.churnBy) q.set('by', state.churnBy)
  if (state.consultBy !== d.consultBy) q.set('cby', state.consultBy)
  if (state.lang) q.set('lang', state.lang)
  if (state.asOf) q.set('asof', state.asOf)
  const query = q.toString()
  return `#/${state.page}${query ? `?${query}` : ''}`
}
