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

export interface TablePatch<T> {
  /** Rows added (appended, in this order) or changed (replaced where they stand). */
  upsert: T[]
  /** Ids of rows removed. */
  remove: number[]
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
  const rows = PATCHED_TABLES.reduce((sum, t) => sum + patch[t].upsert.length + patch[t].remove.length, 0)
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
 * The table's delta, or null when `applyTable(before, delta)` would not give `after`: rows must be
 * the kept ones in their old order, then the added ones, and no id of the delta may repeat.
 * One walk over both tables in step (no map of a million ids): a row of `before` that does not
 * match the next row of `after` was removed.
 */
function diffTable<T extends Row>(before: readonly T[], after: readonly T[]): TablePatch<T> | null {
  const upsert: T[] = []
  const remove: number[] = []
  let i = 0
  let j = 0
  while (i < before.length && j < after.length) {
    if (before[i].id === after[j].id) {
      if (!sameRow(before[i], after[j])) upsert.push(after[j])
      i++
      j++
    } else remove.push(before[i++].id)
  }
  while (i < before.length) remove.push(before[i++].id)
  const added = after.slice(j)
  upsert.push(...added)
  // Ids of the delta must be unique in both tables, or replacing "the row with this id" is ambiguous.
  const touched = new Set<number>()
  for (const row of upsert) touched.add(row.id)
  for (const id of remove) if (touched.has(id)) return null
  for (const id of remove) touched.add(id)
  if (touched.size !== upsert.length + remove.length) return null
  if (touched.size === 0) return { upsert, remove }
  if (countIn(before, touched) !== touched.size - added.length || countIn(after, touched) !== upsert.length) return null
  return { upsert, remove }
}

/** Rows whose id is in `ids` (a row repeated counts twice). */
function countIn(rows: readonly Row[], ids: ReadonlySet<number>): number {
  let count = 0
  for (let k = 0; k < rows.length; k++) if (ids.has(rows[k].id)) count++
  return count
}

/** Every table besides the patched ones: small, compared as JSON and sent whole when changed. */
const WHOLE_TABLES = Object.freeze([
  'portal',
  'pipelines',
  'stages',
  'leadStatuses',
  'sources',
  'cities',
  'lossReasons',
  'users',
  'departments',
  'currencies',
  'budgets',
  'plans',
  'settings',
  'companies',
  'contacts',
  'problems',
] as const satisfies readonly Exclude<keyof CrmData, PatchedTable>[])

type Unlisted = Exclude<keyof CrmData, PatchedTable | (typeof WHOLE_TABLES)[number]>
// A table added to CrmData must be listed above: this line does not compile until it is.
const everyTableListed: [Unlisted] extends [never] ? true : never = true
void everyTableListed

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

/** The table after the delta: removed rows dropped, changed ones replaced in place, new ones appended. */
function applyTable<T extends Row>(rows: readonly T[], delta: TablePatch<T>): T[] {
  if (delta.upsert.length === 0 && delta.remove.length === 0) return rows as T[]
  const removed = new Set(delta.remove)
  const changed = new Map(delta.upsert.map((r) => [r.id, r]))
  const out: T[] = []
  for (const row of rows) {
    if (removed.has(row.id)) continue
    const next = changed.get(row.id)
    if (next !== undefined) changed.delete(row.id)
    out.push(next ?? row)
  }
  for (const row of changed.values()) if (!removed.has(row.id)) out.push(row)
  return out
}

/** `data` with the patch applied; untouched tables keep their identity (so does `data` itself). */
export function applyPatch(data: CrmData, patch: CrmPatch): CrmData {
  const next: CrmData = { ...data, ...patch.replaced }
  for (const t of PATCHED_TABLES) (next as unknown as Record<string, Row[]>)[t] = applyTable<Row>(data[t], patch[t])
  return next
}
