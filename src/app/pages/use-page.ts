import { computed } from 'vue'
import { useReportStore } from '../stores/report'
import { useSessionStore } from '../stores/session'
import { useFiltersStore } from '../stores/filters'
import type { PeriodSections, Report } from '../services/engine-api'
import { t } from '../i18n'

/** What every page reads: the report on screen, formatting, theme, filters. Pages only render. */
export function usePage() {
  const reportStore = useReportStore()
  const session = useSessionStore()
  const filters = useFiltersStore()
  const report = computed(() => reportStore.report as Report)
  const current = computed<PeriodSections>(() => report.value)
  const comparison = computed<PeriodSections | null>(() => report.value.comparison)
  const fmt = computed(() => session.formatter)
  const dark = computed(() => session.theme === 'dark')
  const names = computed(() => ({ current: t('chart.current'), comparison: t('chart.comparison') }))
  return { report, current, comparison, fmt, dark, names, filters, session }
}

/** Index rows of a list by a key, to pair current and comparison rows. */
export function byKey<T>(rows: readonly T[] | undefined, key: (row: T) => string | number): Map<string | number, T> {
  return new Map((rows ?? []).map((r) => [key(r), r]))
}
