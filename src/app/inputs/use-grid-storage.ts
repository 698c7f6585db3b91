/**
 * Reading the stored figures into the grid and saving the edits (b24/storage.ts): the save's
 * outcome in the status line, cells the portal refused marked, and the cells another admin
 * changed meanwhile handed back as conflicts (ConflictList.vue) until the admin picks a side.
 */
import { ref, shallowRef } from 'vue'
import type { AppRest } from '../../b24/app-rest'
import type { FieldConflict, VersionedRecord } from '../../b24/input-merge'
import { readStorage, saveEdits, type SaveResult, type StorageSpec } from '../../b24/storage'
import { rivalConflicts } from '../../b24/storage-items'
import { applySaved, newGridState, resolveConflict } from './grid-model'
import type { GridSession, Words } from './use-grid-session'

export interface GridStorageOptions {
  rest: () => AppRest
  spec: () => StorageSpec
  currencies: () => string[]
  t: Words
  /** A validation or portal reason in the portal language. */
  reason: (text: string) => string
}

export function useGridStorage(session: GridSession, opts: GridStorageOptions) {
  const { t } = opts
  const busy = ref(false)
  const error = ref<string | null>(null)
  const last = shallowRef<SaveResult | null>(null)
  const conflicts = ref<FieldConflict[]>([])

  async function reload(): Promise<void> {
    busy.value = true
    error.value = null
    try {
      const spec = opts.spec()
      const stored = await readStorage(opts.rest(), spec)
      session.state.value = newGridState(spec.fields, stored)
      // Two saves of one cell that nobody resolved (e.g. from before this check existed): ask now.
      conflicts.value = rivalConflicts(stored, spec.fields)
      session.changed()
    } catch (err) {
      error.value = t('readError', { error: (err as Error).message })
    } finally {
      busy.value = false
    }
  }

  async function save(): Promise<void> {
    const s = session.state.value
    if (!s) return
    busy.value = true
    error.value = null
    session.message.value = null
    try {
      const out = await saveEdits(opts.rest(), opts.spec(), s.base, s.edits, new Set(opts.currencies()))
      last.value = out
      applySaved(s, out.fresh, out.saved)
      conflicts.value = out.conflicts
      session.message.value = saveSummary(out)
    } catch (err) {
      error.value = t('saveError', { error: (err as Error).message })
    } finally {
      busy.value = false
      session.changed()
    }
  }

  function saveSummary(out: SaveResult): string {
    const parts = [t('saved', { n: out.saved.length })]
    if (out.invalid.length) parts.push(t('notSaved', { n: out.invalid.length }))
    if (out.failed.length) parts.push(t('refused', { n: out.failed.length, reason: opts.reason(out.failed[0].reason) }))
    if (out.conflicts.length) parts.push(t('conflictsLeft', { n: out.conflicts.length }))
    return parts.join(' ')
  }

  function pick(c: FieldConflict, side: 'mine' | 'theirs'): void {
    const s = session.state.value
    if (!s) return
    const stored: VersionedRecord | null = last.value?.fresh.get(c.key) ?? s.base.get(c.key) ?? null
    resolveConflict(s, c, side, stored)
    conflicts.value = conflicts.value.filter((x) => !(x.key === c.key && x.field === c.field))
    session.changed()
  }

  return { busy, error, last, conflicts, reload, save, pick }
}
