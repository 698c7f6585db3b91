/**
 * Three-way merge for concurrent edits of manual inputs.
 *
 * Bitrix24 REST v2 has no compare-and-set (rest.md §8.2), so the editor remembers what it
 * loaded (base), re-reads storage just before writing (theirs) and compares field by field
 * with what the admin typed (mine). A field only one side changed merges silently; a field
 * both changed to different values is a conflict the admin resolves.
 */
import type { RecordValues } from './input-cells'

/** A stored record as read: its version increments on every write by anyone. */
export interface VersionedRecord {
  key: string
  /** Storage item id (null when the key has no item yet). */
  id: number | null
  version: number
  values: RecordValues | null
  /** Every storage item carrying this key (a write supersedes them all, a clear removes them). */
  itemIds?: number[]
  /** Items at the same version with other values: concurrent saves nobody resolved yet. */
  rivals?: VersionedRecord[]
}

export interface FieldConflict {
  key: string
  field: string
  base: string | null
  mine: string | null
  theirs: string | null
}

export type MergeOutcome =
  /** Write these values (null = delete the item). */
  | { kind: 'write'; key: string; values: RecordValues | null }
  /** Storage already holds what the admin wants; nothing to write. */
  | { kind: 'same'; key: string }
  | { kind: 'conflict'; key: string; conflicts: FieldConflict[] }

function field(v: RecordValues | null, f: string): string | null {
  return v?.[f] ?? null
}

function fieldsOf(...vals: (RecordValues | null)[]): string[] {
  const set = new Set<string>()
  for (const v of vals) if (v) for (const k of Object.keys(v)) set.add(k)
  return [...set].sort()
}

function sameValues(a: RecordValues | null, b: RecordValues | null): boolean {
  return fieldsOf(a, b).every((f) => field(a, f) === field(b, f))
}

/**
 * Merges one key. `base` is what the editor loaded (null: no item then), `mine` what the
 * admin wants now, `theirs` what storage holds now (null: no item now).
 */
export function mergeRecord(
  key: string,
  base: VersionedRecord | null,
  mine: RecordValues | null,
  theirs: VersionedRecord | null,
): MergeOutcome {
  const theirValues = theirs?.values ?? null
  const untouchedByOthers =
    (base === null && theirs === null) ||
    (base !== null && theirs !== null && base.id === theirs.id && base.version === theirs.version)
  if (sameValues(mine, theirValues)) return { kind: 'same', key }
  if (untouchedByOthers) return { kind: 'write', key, values: mine }

  const baseValues = base?.values ?? null
  const merged: RecordValues = {}
  const conflicts: FieldConflict[] = []
  for (const f of fieldsOf(baseValues, mine, theirValues)) {
    const b = field(baseValues, f)
    const m = field(mine, f)
    const t = field(theirValues, f)
    if (m === b) merged[f] = t
    else if (t === b || t === m) merged[f] = m
    else conflicts.push({ key, field: f, base: b, mine: m, theirs: t })
  }
  if (conflicts.length > 0) return { kind: 'conflict', key, conflicts }
  const values = Object.values(merged).every((v) => v === null) ? null : merged
  return sameValues(values, theirValues) ? { kind: 'same', key } : { kind: 'write', key, values }
}

/**
 * Merges every key the admin edited. Keys changed only by others need nothing here: the
 * editor simply reloads them after the save.
 */
export function mergeEdits(
  base: ReadonlyMap<string, VersionedRecord>,
  edits: ReadonlyMap<string, RecordValues | null>,
  theirs: ReadonlyMap<string, VersionedRecord>,
): MergeOutcome[] {
  return [...edits].map(([key, mine]) => mergeRecord(key, base.get(key) ?? null, mine, theirs.get(key) ?? null))
}
