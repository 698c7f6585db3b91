/**
 * A delta of the CRM in domain terms: rows added or changed (`upsert`) and ids removed, per table.
 * A sync's delta is a few rows; sending it to the engine's worker instead of the whole data set
 * spares the copy, and `updatePrepared` (prepare-update.ts) redoes only what those rows touch.
 *
 * The tables that grow with the business are patched row by row: deals, leads, their stage
 * events and touches. Any other table that changed (dictionaries, users, budgets, settings…) comes
 * whole in `replaced`; `updatePrepared` rebuilds everything when one of those is a table the
 * prepared frame stands on (pipelines, stages, settings, currencies, the portal).
 *
 * @example
 *   const patch = diffCrmData(before, after)      // null: load `after` whole
 *   if (patch) applyPatch(before, patch)          // equals `after`, row order included
 */
import type { CrmData, Deal, Lead, StageEvent, Touch } from './types'
import { CRM_TABLES, type CrmTable } from './load-slices'

export interface TablePatch<T> {
  /** Rows changed: each replaces the row with its id where it stands. */
  changed: T[]
  /**
   * Rows added, each placed right after the row with id `after` (null: first). Anchors name the
   * previous row of the new table, which may itself be an added row listed earlier.
   */
  added: { after: number | null; row: T }[]
  /** Ids of rows removed. */
  removed: number[]
}

/** The changed and the added rows of a table's patch. */
export function upserted<T>(table: TablePatch<T>): T[] {
  return [...table.changed, ...table.added.map((a) => a.row)]
}

export interface CrmPatch {
  /** The other tables that changed, whole. */
  replaced: Partial<Omit<CrmData, PatchedTable>>
  deals: TablePatch<Deal>
  leads: TablePatch<Lead>
  dealEvents: TablePatch<StageEvent>
  leadEvents: TablePatch<StageEvent>
  touches: TablePatch<Touch>
}

export const PATCHED_TABLES = ['deals', 'leads', 'dealEvents', 'leadEvents', 'touches'] as const
export type PatchedTable = (typeof PATCHED_TABLES)[number]
type Row = { id: number }

/** Rows of the patch, counted over every table. */
export function patchSize(patch: CrmPatch): number {
  const rows = PATCHED_TABLES.reduce((sum, t) => {
    const table = patch[t]
    return sum + table.changed.length + table.added.length + table.removed.length
  }, 0)
  return rows + Object.keys(patch.replaced).length
}

/** The same value: ===, both NaN, or arrays of the same values (touch bindings). */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (typeof a === 'number' && typeof b === 'number') return a !== a && b !== b
  if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (!sameValue(a[i], b[i])) return false
  return true
}

/** Field by field, as the sync builds rows: new objects each time, equal when nothing changed. */
export function sameRow(a: object, b: object): boolean {
  if (a === b) return true
  const ra = a as Record<string, unknown>
  const rb = b as Record<string, unknown>
  let keys = 0
  for (const k in ra) {
    keys++
    if (!sameValue(ra[k], rb[k]) || (rb[k] === undefined && !(k in rb))) return false
  }
  for (const _ in rb) keys--
  return keys === 0
}

/**
 * The table's delta, or null when ids repeat. One walk over both tables in step; the id sets (a
 * million ids cost tens of ms) are built only when the walk meets a row removed, inserted or
 * moved before the end (sorted tables: a late history row, a call rescheduled).
 */
function diffTable<T extends Row>(before: readonly T[], after: readonly T[]): TablePatch<T> | null {
  const changed: T[] = []
  const added: { after: number | null; row: T }[] = []
  const removed: number[] = []
  /** Kept rows met at a new place (re-sorted by a changed time): removed there, added here. */
  const moved = new Set<number>()
  let sets = null as { before: Set<number>; after: Set<number> } | null
  const idSets = () => (sets ??= { before: idSet(before), after: idSet(after) })
  const add = (j: number) => added.push({ after: j > 0 ? after[j - 1].id : null, row: after[j] })
  let i = 0
  let j = 0
  while (i < before.length && j < after.length) {
    if (before[i].id === after[j].id) {
      if (!sameRow(before[i], after[j])) changed.push(after[j])
      i++
      j++
    } else if (moved.has(before[i].id)) i++
    else if (!idSets().after.has(before[i].id)) removed.push(before[i++].id)
    else {
      if (idSets().before.has(after[j].id)) {
        moved.add(after[j].id)
        removed.push(after[j].id)
      }
      add(j++)
    }
  }
  for (; i < before.length; i++) if (!moved.has(before[i].id)) removed.push(before[i].id)
  while (j < after.length) add(j++)
  if (sets !== null && (sets.before.size !== before.length || sets.after.size !== after.length)) return null
  return uniqueIds(before, after, changed, added, removed) ? { changed, added, removed } : null
}

function idSet(rows: readonly Row[]): Set<number> {
  const ids = new Set<number>()
  for (let k = 0; k < rows.length; k++) ids.add(rows[k].id)
  return ids
}

/**
 * Whether the ids the delta names occur once each — the changed and removed ones in `before`, the
 * changed and added ones in `after` — so that "the row with this id" always means one row. An id
 * both removed and added is a row that moved.
 */
function uniqueIds<T extends Row>(
  before: readonly T[],
  after: readonly T[],
  changed: T[],
  added: { row: T }[],
  removed: number[],
): boolean {
  if (changed.length + added.length + removed.length === 0) return true
  const old = new Set<number>()
  for (const row of changed) old.add(row.id)
  for (const id of removed) old.add(id)
  const fresh = new Set<number>()
  for (const { row } of added) fresh.add(row.id)
  if (old.size !== changed.length + removed.length || fresh.size !== added.length) return false
  for (const row of changed) if (fresh.has(row.id)) return false
  const inAfter = new Set([...changed.map((r) => r.id), ...fresh])
  return countIn(before, old) === old.size && countIn(after, inAfter) === inAfter.size
}

/** Rows whose id is in `ids` (a row repeated counts twice). */
function countIn(rows: readonly Row[], ids: ReadonlySet<number>): number {
  let count = 0
  for (let k = 0; k < rows.length; k++) if (ids.has(rows[k].id)) count++
  return count
}

/**
 * Every table besides the patched ones: small, compared as JSON and sent whole when changed.
 * Derived from CRM_TABLES, whose type check fails when CrmData gains a table it does not list.
 */
const WHOLE_TABLES = CRM_TABLES.filter(
  (t): t is Exclude<CrmTable, PatchedTable> => !(PATCHED_TABLES as readonly string[]).includes(t),
)

/** What turns `before` into `after`, or null when a patched table cannot be expressed as a patch. */
export function diffCrmData(before: CrmData, after: CrmData): CrmPatch | null {
  const replaced: Record<string, unknown> = {}
  for (const t of WHOLE_TABLES) {
    if (before[t] !== after[t] && JSON.stringify(before[t]) !== JSON.stringify(after[t])) replaced[t] = after[t]
  }
  const patch: Partial<CrmPatch> = { replaced: replaced as CrmPatch['replaced'] }
  for (const t of PATCHED_TABLES) {
    const delta = diffTable<Row>(before[t], after[t])
    if (delta === null) return null
    ;(patch as Record<string, TablePatch<Row>>)[t] = delta
  }
  return patch as CrmPatch
}

/** The table after the delta: removed rows dropped, changed ones replaced in place, added ones at their anchors. */
function applyTable<T extends Row>(rows: readonly T[], delta: TablePatch<T>): T[] {
  if (delta.changed.length === 0 && delta.added.length === 0 && delta.removed.length === 0) return rows as T[]
  const removed = new Set(delta.removed)
  const changed = new Map(delta.changed.map((r) => [r.id, r]))
  const following = new Map<number | null, T[]>()
  for (const { after, row } of delta.added) {
    const list = following.get(after)
    if (list) list.push(row)
    else following.set(after, [row])
  }
  const out: T[] = []
  // Emits a row, then the rows anchored to it (and theirs, an added row being an anchor too).
  const emit = (row: T) => {
    out.push(row)
    const next = following.get(row.id)
    if (next === undefined) return
    following.delete(row.id)
    for (const r of next) emit(r)
  }
  for (const r of following.get(null) ?? []) emit(r)
  following.delete(null)
  for (const row of rows) if (!removed.has(row.id)) emit(changed.get(row.id) ?? row)
  return out
}

const noted = new WeakMap<CrmData, { before: CrmData; patch: CrmPatch }>()

/**
 * Remembers that `patch` turns `before` into `after`, as whoever built `after` from `before` knows
 * (a warm reopen's delta spliced into the cached data, b24/normalize-delta.ts): the report store
 * then sends it without diffing a million rows (issue 11.2).
 */
export function notePatch(before: CrmData, after: CrmData, patch: CrmPatch): void {
  noted.set(after, { before, patch })
}

/** The patch noted from `before` to `after`, or null. */
export function notedPatch(before: CrmData, after: CrmData): CrmPatch | null {
  const note = noted.get(after)
  return note !== undefined && note.before === before ? note.patch : null
}

/** `data` with the patch applied; untouched tables keep their identity (so does `data` itself). */
export function applyPatch(data: CrmData, patch: CrmPatch): CrmData {
  const next: CrmData = { ...data, ...patch.replaced }
  for (const t of PATCHED_TABLES) (next as unknown as Record<string, Row[]>)[t] = applyTable<Row>(data[t], patch[t])
  return next
}
