import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import type { CrmData, DataProblem, NamedItem, Pipeline, PortalInfo, Stage, User } from '../../engine/types'
import { currentLanguage, pickLanguage, setLanguage, translate, type Language } from '../i18n'
import { createFormatter, localeFor, type Formatter } from '../services/format'
import type { SyncProgressInfo } from '../services/host'
import { periodDataPending } from '../services/period-pending'

export type SyncStatus = 'idle' | 'syncing' | 'ready' | 'error'
export type Theme = 'light' | 'dark'

/** Names the filter bar and tables need; the deals themselves live in the engine's worker. */
export interface Dictionaries {
  pipelines: Pipeline[]
  stages: Stage[]
  cities: NamedItem[]
  sources: NamedItem[]
  users: User[]
  lossReasons: NamedItem[]
}

const EMPTY: Dictionaries = { pipelines: [], stages: [], cities: [], sources: [], users: [], lossReasons: [] }

/** What the app knows about the portal and the state of the data: sync status, language, theme. */
export const useSessionStore = defineStore('session', () => {
  const portal = ref<PortalInfo | null>(null)
  const portalLanguage = ref('en')
  const status = ref<SyncStatus>('idle')
  const progress = ref<SyncProgressInfo | null>(null)
  const dealsCount = ref<number | null>(null)
  const syncedAt = ref<number | null>(null)
  const error = ref<string | null>(null)
  const dictionaries = shallowRef<Dictionaries>(EMPTY)
  /** rows the sync had to repair or drop (shown on the data-quality page) */
  const problems = shallowRef<DataProblem[]>([])
  const theme = ref<Theme>('light')
  /** a passing message that does not replace the report (e.g. the slider refused to open) */
  const notice = ref<string | null>(null)
  /** cold open, period first: the report shows the recent rows while older history still loads */
  const partial = ref(false)
  /** cold open, period first: the period's tables still loading ('activities', 'calls'…) */
  const periodPending = shallowRef<readonly string[]>([])
  /** what the figures on screen read that is still loading for the period (services/period-pending.ts) */
  const pendingData = computed(() => periodDataPending(periodPending.value))

  const language = computed<Language>(() => currentLanguage.value)

  function applyLanguage(override: string | null): void {
    setLanguage(pickLanguage(override ?? portalLanguage.value))
  }

  const formatter = computed<Formatter>(() =>
    createFormatter({
      locale: localeFor(language.value),
      timeZone: portal.value?.timeZone ?? 'UTC',
      currency: portal.value?.currency ?? 'USD',
      units: { hours: translate(language.value, 'unit.hours'), days: translate(language.value, 'unit.days') },
    }),
  )

  function startSync(): void {
    status.value = 'syncing'
    progress.value = { done: 0, total: null, label: '' }
    error.value = null
  }

  function reportProgress(p: SyncProgressInfo): void {
    progress.value = p
  }

  function finishSync(data: CrmData, at: number = Date.now()): void {
    portal.value = data.portal
    dealsCount.value = data.deals.length
    syncedAt.value = at
    dictionaries.value = {
      pipelines: [...data.pipelines].sort((a, b) => a.sort - b.sort),
      stages: data.stages,
      cities: data.cities,
      sources: data.sources,
      users: data.users,
      lossReasons: data.lossReasons,
    }
    problems.value = data.problems ?? []
    status.value = 'ready'
    progress.value = null
    partial.value = false
    periodPending.value = []
  }

  /** The report on screen is built from the period's data with only `pending` tables still loading. */
  function setPeriodPending(pending: readonly string[]): void {
    periodPending.value = [...pending]
  }

  /** A warm reopen: the cached data is on screen while the delta sync still runs. */
  function showCached(data: CrmData): void {
    portal.value = data.portal
    dictionaries.value = {
      pipelines: [...data.pipelines].sort((a, b) => a.sort - b.sort),
      stages: data.stages,
      cities: data.cities,
      sources: data.sources,
      users: data.users,
      lossReasons: data.lossReasons,
    }
  }

  /**
   * Cold open: the selected period's rows are on screen while the rest loads — first the
   * period's `pending` tables, then the older history (the backfill).
   */
  function showPartial(data: CrmData, pending: readonly string[] = []): void {
    showCached(data)
    partial.value = true
    periodPending.value = [...pending]
  }

  /** A saved report is on screen before any data: its portal and names, for the filter bar and formats. */
  function showSnapshot(
    snapshotPortal: PortalInfo,
    names: Omit<Dictionaries, 'lossReasons'> & Partial<Dictionaries>,
  ): void {
    if (portal.value) return
    portal.value = snapshotPortal
    // A snapshot saved before loss reasons were kept has none: the filter shows no choices until the data.
    dictionaries.value = { ...names, lossReasons: names.lossReasons ?? [] }
  }

  function failSync(message: string): void {
    status.value = 'error'
    error.value = message
    progress.value = null
  }

  function setTheme(next: Theme): void {
    theme.value = next
    if (typeof document !== 'undefined') document.documentElement.dataset.theme = next
    try {
      localStorage.setItem('funnel-lens-theme', next)
    } catch {
      // storage can be off in a third-party frame; the theme still applies for this visit
    }
  }

  function initTheme(): void {
    let saved: string | null = null
    try {
      saved = localStorage.getItem('funnel-lens-theme')
    } catch {
      saved = null
    }
    const prefersDark = typeof matchMedia === 'function' && matchMedia('(prefers-color-scheme: dark)').matches
    setTheme(saved === 'dark' || saved === 'light' ? saved : prefersDark ? 'dark' : 'light')
  }

  return {
    portal,
    portalLanguage,
    status,
    progress,
    dealsCount,
    syncedAt,
    error,
    dictionaries,
    problems,
    theme,
    language,
    formatter,
    notice,
    partial,
    periodPending,
    pendingData,
    applyLanguage,
    showPartial,
    setPeriodPending,
    startSync,
    reportProgress,
    finishSync,
    showCached,
    showSnapshot,
    failSync,
    setTheme,
    initTheme,
  }
})
