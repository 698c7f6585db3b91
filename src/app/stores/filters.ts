import { defineStore } from 'pinia'
import { computed, reactive, ref, watch } from 'vue'
import { DEFAULT_PRESET, presetIn, type DateRange } from '../services/period-presets'
import { defaultFilters, parseHash, toHash, type FilterState } from '../services/url-state'

/**
 * Bitrix24 reopens the app at its handler URL, without our hash: the last view is also kept per
 * portal in localStorage (the portal is the first part of the frame's window.name), so the
 * report opens where the user left it.
 */
function viewKey(): string {
  const portal = typeof window === 'undefined' ? '' : (window.name || '').split('|')[0]
  return `funnel-lens-view:${portal}`
}

function savedView(): string {
  try {
    return localStorage.getItem(viewKey()) ?? ''
  } catch {
    return ''
  }
}

function saveView(hash: string): void {
  try {
    localStorage.setItem(viewKey(), hash)
  } catch {
    // storage may be off in a third-party frame: the hash still carries the view
  }
}

/** The filter bar's choices; the URL hash is their mirror (reopen and share a view). */
export const useFiltersStore = defineStore('filters', () => {
  const state = reactive<FilterState>(defaultFilters())
  const timeZone = ref('UTC')

  function readUrl(): void {
    if (typeof location === 'undefined') return
    Object.assign(state, parseHash(location.hash || savedView()))
  }

  function writeUrl(): void {
    if (typeof location === 'undefined') return
    const hash = toHash(state)
    // replaceState: filter changes should not flood the back button of the portal page.
    if (location.hash !== hash) history.replaceState(history.state, '', hash)
    saveView(hash)
  }

  function set(patch: Partial<FilterState>): void {
    // A period the user picks replaces a bounded one: the notice about it goes.
    const periodChosen = 'preset' in patch || 'from' in patch || 'to' in patch
    Object.assign(state, periodChosen && !('periodAsked' in patch) ? { ...patch, periodAsked: null } : patch)
  }

  /**
   * The engine bounded the period it was asked for (report.period.requested): keep the bounded
   * one as the view, so the link and the stored last view never ask for the absurd one again.
   */
  function keepBoundedPeriod(asked: DateRange, shown: DateRange): void {
    const current = range.value
    if (current.from !== asked.from || current.to !== asked.to) return // the filters moved on meanwhile
    set({ preset: 'custom', from: shown.from, to: shown.to, periodAsked: state.periodAsked ?? asked })
  }

  function setTimeZone(zone: string): void {
    timeZone.value = zone
  }

  /** The report period as calendar dates in the portal's zone. */
  const range = computed<DateRange>(() => {
    if (state.preset === 'custom' && state.from && state.to) return { from: state.from, to: state.to }
    return presetIn(state.preset === 'custom' ? DEFAULT_PRESET : state.preset, timeZone.value)
  })

  function bindToUrl(): () => void {
    readUrl()
    const stop = watch(state, writeUrl, { deep: true })
    const onHash = () => readUrl()
    window.addEventListener('hashchange', onHash)
    writeUrl()
    return () => {
      stop()
      window.removeEventListener('hashchange', onHash)
    }
  }

  return { state, range, set, keepBoundedPeriod, setTimeZone, bindToUrl, readUrl }
})
