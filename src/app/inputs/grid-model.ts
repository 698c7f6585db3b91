/**
 * The editable grid behind budgets and plans, without Vue: rows × (month, field) cells over
 * a loaded snapshot (base) plus the admin's edits. Typing and pasting go through the same
 * parser; a cell that does not parse keeps its text and its reason, and everything else
 * still saves.
 */
import { parseAmount, parseCount, type CellError, type InputRecord, type RecordValues } from '../../b24/input-cells'
import type { FieldConflict, VersionedRecord } from '../../b24/input-merge'

export interface GridRow {
  id: string
  label: string
  /** The storage key of this row's cell for a month. */
  keyFor(month: string): string
}

export interface GridColumn {
  month: string
  field: 'amount' | 'deals'
}

export interface GridState {
  fields: readonly string[]
  base: Map<string, VersionedRecord>
  edits: Map<string, RecordValues | null>
  /** Text that did not parse, by cell id; kept so nothing typed is lost. */
  drafts: Map<string, { text: string; reason: string }>
}

export function cellId(key: string, field: string): string {
  return `${key}#${field}`
}

export function newGridState(fields: readonly string[], base: Map<string, VersionedRecord>): GridState {
  return { fields, base, edits: new Map(), drafts: new Map() }
}

/** What a key holds now: the admin's edit, else the loaded value. */
export function currentValues(s: GridState, key: string): RecordValues | null {
  return s.edits.has(key) ? s.edits.get(key)! : (s.base.get(key)?.values ?? null)
}

export function cellText(s: GridState, key: string, field: string): string {
  const draft = s.drafts.get(cellId(key, field))
  if (draft) return draft.text
  return currentValues(s, key)?.[field] ?? ''
}

/** Why a cell is refused (its draft's reason, else the last save's for that field or the currency), in English. */
export function cellReason(
  s: GridState,
  key: string,
  field: string,
  lastInvalid: readonly CellError[] = [],
): string | null {
  return (
    s.drafts.get(cellId(key, field))?.reason ??
    lastInvalid.find((e) => e.key === key && (e.field === field || e.field === 'currency'))?.reason ??
    null
  )
}

/** The admin changed this field of the key from what was loaded. */
export function isEdited(s: GridState, key: string, field: string): boolean {
  return s.edits.has(key) && (s.edits.get(key)?.[field] ?? null) !== (s.base.get(key)?.values?.[field] ?? null)
}

function sameAsBase(s: GridState, key: string, values: RecordValues | null): boolean {
  const b = s.base.get(key)?.values ?? null
  const isEmpty = (v: RecordValues | null) => !v || s.fields.every((f) => f === 'currency' || (v[f] ?? null) === null)
  if (isEmpty(values) && isEmpty(b)) return true
  return s.fields.every((f) => (values?.[f] ?? null) === (b?.[f] ?? null))
}

/**
 * Sets one cell from text. Returns the reason when the text is refused (the text is kept
 * as a draft), else null. A new value takes `currency` unless the record already has one.
 */
export function setCell(
  s: GridState,
  key: string,
  field: 'amount' | 'deals',
  text: string,
  currency: string,
): string | null {
  const parsed = field === 'deals' ? parseCount(text) : parseAmount(text)
  const id = cellId(key, field)
  if (!parsed.ok) {
    s.drafts.set(id, { text, reason: parsed.reason })
    return parsed.reason
  }
  s.drafts.delete(id)
  const cur = currentValues(s, key)
  const next: RecordValues = Object.fromEntries(s.fields.map((f) => [f, cur?.[f] ?? null]))
  next[field] = parsed.value
  if (parsed.value !== null && !next.currency) next.currency = currency
  const empty = s.fields.every((f) => f === 'currency' || next[f] === null)
  const values = empty ? null : next
  if (sameAsBase(s, key, values)) s.edits.delete(key)
  else s.edits.set(key, values)
  return null
}

/**
 * Pastes a block of text cells (TSV from a spreadsheet) with its top-left at
 * (rowIndex, colIndex); cells beyond the grid are counted, not lost silently.
 */
export function pasteBlock(
  s: GridState,
  rows: readonly GridRow[],
  cols: readonly GridColumn[],
  rowIndex: number,
  colIndex: number,
  block: string[][],
  currency: string,
): { applied: number; refused: number; outside: number } {
  let applied = 0
  let refused = 0
  let outside = 0
  block.forEach((line, i) => {
    line.forEach((text, j) => {
      const row = rows[rowIndex + i]
      const col = cols[colIndex + j]
      if (!row || !col) {
        if (text.trim() !== '') outside++
        return
      }
      if (setCell(s, row.keyFor(col.month), col.field, text, currency) === null) applied++
      else refused++
    })
  })
  return { applied, refused, outside }
}

/**
 * Imported records (CSV) become edits: each replaces the whole record of its key (a field the
 * file does not give is cleared); one equal to what is stored is no edit.
 */
export function applyRecords(s: GridState, records: readonly InputRecord[]): void {
  for (const r of records) {
    const base = s.base.get(r.key)?.values ?? null
    const full: RecordValues = Object.fromEntries(s.fields.map((f) => [f, r.values[f] ?? null]))
    if (s.fields.every((f) => (base?.[f] ?? null) === full[f])) s.edits.delete(r.key)
    else s.edits.set(r.key, full)
  }
}

/** After a save: the fresh snapshot becomes the base; saved keys leave the edit list. */
export function applySaved(s: GridState, fresh: Map<string, VersionedRecord>, saved: readonly string[]): void {
  s.base = fresh
  for (const key of saved) s.edits.delete(key)
  for (const [key, values] of [...s.edits]) if (sameAsBase(s, key, values)) s.edits.delete(key)
}

/**
 * Resolves one conflicting field. "theirs" adopts the stored value; "mine" keeps the admin's.
 * Either way the stored record becomes the new base for that key, so the next save writes
 * the choice instead of reporting the same conflict again.
 */
export function resolveConflict(
  s: GridState,
  c: FieldConflict,
  pick: 'mine' | 'theirs',
  stored: VersionedRecord | null,
): void {
  const oldBase = s.base.get(c.key)?.values ?? null
  const cur = s.edits.has(c.key) ? s.edits.get(c.key)! : oldBase
  const nextBase = new Map(s.base)
  if (stored) nextBase.set(c.key, stored)
  else nextBase.delete(c.key)
  s.base = nextBase
  // Fields the admin did not touch follow storage; fields the admin changed stay the admin's.
  const merged: RecordValues = Object.fromEntries(
    s.fields.map((f) => {
      const mine = cur?.[f] ?? null
      return [f, mine === (oldBase?.[f] ?? null) ? (stored?.values?.[f] ?? null) : mine]
    }),
  )
  merged[c.field] = pick === 'mine' ? c.mine : c.theirs
  const empty = s.fields.every((f) => f === 'currency' || merged[f] === null)
  const values = empty ? null : merged
  // With rivals stored beside it, even "keep what is stored" must be saved to settle them.
  if (sameAsBase(s, c.key, values) && !stored?.rivals?.length) s.edits.delete(c.key)
  else s.edits.set(c.key, values)
}
