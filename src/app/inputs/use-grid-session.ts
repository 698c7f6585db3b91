/**
 * What the budget/plan editor's parts share: the grid being edited (grid-model.ts, changed in
 * place, not reactive) with a counter bumped after every change so views re-read it, and the one
 * status line that pasting, importing and saving each write.
 */
import { ref, shallowRef, type Ref, type ShallowRef } from 'vue'
import type { InstallKey } from '../install/i18n'
import type { GridState } from './grid-model'

/** The editor's words in the portal language (install/i18n). */
export type Words = (key: InstallKey, params?: Record<string, string | number>) => string

export interface GridSession {
  state: ShallowRef<GridState | null>
  /** Bumped by `changed()`; read it wherever the state is read, so Vue re-renders. */
  version: Ref<number>
  /** Call after changing `state` in place. */
  changed(): void
  message: Ref<string | null>
}

export function useGridSession(): GridSession {
  const version = ref(0)
  return {
    state: shallowRef<GridState | null>(null),
    version,
    changed: () => {
      version.value++
    },
    message: ref<string | null>(null),
  }
}
