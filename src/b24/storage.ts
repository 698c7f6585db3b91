/**
 * Budgets and plans in Bitrix24 app storage (`entity.*`, rest.md §8.2).
 *
 * Two storages; NAME is the cell key (input-cells.ts), PROPERTY_VALUES hold the amount, deal
 * count, currency and VER — one above the item a save was based on. REST v2 has no
 * compare-and-set, so a save never overwrites: validate → re-read → three-way merge against
 * what the editor loaded (input-merge.ts) → add new items → read back and keep only the writes
 * nobody outranked (storage-items.ts) → remove what they superseded; conflicts go back.
 * Access: every app user reads (`AU: R`), administrators write (`G1: W`; the installing
 * admin gets X automatically), so a non-admin's write is refused by the portal itself.
 */
import { RestError, type AppRest, type BatchReply, type RestParams } from './app-rest'
import {
  BUDGET_FIELDS,
  PLAN_FIELDS,
  isEmptyRecord,
  recordsToInputs,
  validateRecord,
  type CellError,
  type RecordValues,
} from './input-cells'
import { mergeEdits, type FieldConflict, type VersionedRecord } from './input-merge'
import {
  VERSION_PROP,
  currentRecords,
  propOf,
  propertyValues,
  rank,
  readItems,
  type StorageSpec,
  type StoredItem,
} from './storage-items'
import type { Budget, Plan } from '../engine/types'

export type { StorageSpec }

export const BUDGET_STORAGE: StorageSpec = {
  kind: 'budget',
  entity: 'flbudget',
  name: 'Funnel Lens: ad budgets',
  fields: BUDGET_FIELDS,
}
export const PLAN_STORAGE: StorageSpec = {
  kind: 'plan',
  entity: 'flplan',
  name: 'Funnel Lens: manager plans',
  fields: PLAN_FIELDS,
}
export const STORAGES = [BUDGET_STORAGE, PLAN_STORAGE] as const

/** Everyone reads; the portal's administrators group (G1 on Bitrix24) writes. */
export const STORAGE_ACCESS = { AU: 'R', G1: 'W' } as const

/** Property definitions of a storage (all strings: amounts stay exact decimals). */
export function storageProperties(spec: StorageSpec): { PROPERTY: string; NAME: string; TYPE: 'S' }[] {
  return [
    ...spec.fields.map((f) => ({ PROPERTY: propOf(f), NAME: f, TYPE: 'S' as const })),
    { PROPERTY: VERSION_PROP, NAME: 'version', TYPE: 'S' },
  ]
}

/**
 * The cells of a storage (storage-items.ts): per key the value in force, its item ids and any
 * rivals. A cleared cell reads as `values: null`. A missing storage reads as empty.
 */
export async function readStorage(rest: AppRest, spec: StorageSpec): Promise<Map<string, VersionedRecord>> {
  return currentRecords(await readItems(rest, spec))
}

export interface SaveResult {
  /** Keys written (added, updated or deleted). */
  saved: string[]
  /** Keys both the admin and someone else changed: nothing written for them. */
  conflicts: FieldConflict[]
  /** Cells refused by validation: nothing written for them. */
  invalid: CellError[]
  /** Keys the portal refused to write, with its reason. */
  failed: { key: string; code: string; reason: string }[]
  /** Storage as it is after the save: the editor's next base. */
  fresh: Map<string, VersionedRecord>
}

export const WRITE_REFUSED_HINT = 'Only portal administrators can change budgets and plans; ask an administrator.'

export const BUSY_REASON = 'Another administrator kept changing this cell at the same moment; save it again.'

/** Rounds of write → check → merge again before a cell that keeps racing is reported. */
const MAX_ROUNDS = 4

interface Added {
  key: string
  item: StoredItem
  /** The items this write was based on and supersedes. */
  supersedes: number[]
}

/** Adds one new item per write (a cleared cell gets an empty one), ranked one above its base. */
async function addItems(
  rest: AppRest,
  spec: StorageSpec,
  writes: { key: string; values: RecordValues | null }[],
  current: ReadonlyMap<string, VersionedRecord>,
  failed: SaveResult['failed'],
): Promise<Added[]> {
  const added: Added[] = []
  for (let i = 0; i < writes.length; i += 50) {
    const chunk = writes.slice(i, i + 50)
    const cmds: Record<string, [string, RestParams]> = {}
    chunk.forEach((w, j) => {
      const version = (current.get(w.key)?.version ?? 0) + 1
      cmds[`a${j}`] = [
        'entity.item.add',
        { ENTITY: spec.entity, NAME: w.key, PROPERTY_VALUES: propertyValues(spec, w.values, version) },
      ]
    })
    const replies: Record<string, BatchReply> = await rest.batch(cmds)
    chunk.forEach((w, j) => {
      const r = replies[`a${j}`]
      const cur = current.get(w.key)
      if (r.ok) {
        const item: StoredItem = {
          key: w.key,
          id: Number(r.result),
          version: (cur?.version ?? 0) + 1,
          values: w.values,
        }
        added.push({ key: w.key, item, supersedes: cur?.itemIds ?? [] })
      } else {
        const code = r.error?.code ?? ''
        const reason = code === 'ACCESS_DENIED' ? WRITE_REFUSED_HINT : (r.error?.message ?? 'the portal refused')
        failed.push({ key: w.key, code, reason })
      }
    })
  }
  return added
}

/** Removes items; one already gone (another admin's cleanup got there first) is fine. */
async function deleteItems(rest: AppRest, spec: StorageSpec, ids: number[]): Promise<void> {
  for (let i = 0; i < ids.length; i += 50) {
    const cmds = Object.fromEntries(
      ids
        .slice(i, i + 50)
        .map((id): [string, [string, RestParams]] => [
          `d${id}`,
          ['entity.item.delete', { ENTITY: spec.entity, ID: id }],
        ]),
    )
    const replies = await rest.batch(cmds)
    for (const r of Object.values(replies)) {
      const code = r.error?.code ?? ''
      if (
        !r.ok &&
        code !== 'ERROR_ITEM_NOT_FOUND' &&
        code !== 'NOT_FOUND' &&
        !/not found/i.test(r.error?.message ?? '')
      )
        throw r.error!
    }
  }
}

function withoutIds(items: Map<string, StoredItem[]>, gone: ReadonlySet<number>): Map<string, StoredItem[]> {
  const out = new Map<string, StoredItem[]>()
  for (const [key, list] of items) {
    const kept = list.filter((i) => !gone.has(i.id))
    if (kept.length) out.set(key, kept)
  }
  return out
}

/**
 * Saves the admin's edits (key → values; null clears the cell) made on top of `base`.
 *
 * Each round: re-read, three-way merge (input-merge.ts), then for every write add a NEW item one
 * version above the one it was based on, read the storage back, and keep the write only if no
 * item the round did not already know outranks it (storage-items.ts `rank`). Two admins saving
 * the same cell at the same moment both add; both then see the same ranking, so exactly one
 * keeps its item and removes what it superseded, and the other takes its own item back and merges
 * again on top of the winner: a clean field merge is written in the next round, a real conflict
 * is handed back. Nothing is overwritten in place, so no save is lost silently.
 */
export async function saveEdits(
  rest: AppRest,
  spec: StorageSpec,
  base: ReadonlyMap<string, VersionedRecord>,
  edits: ReadonlyMap<string, RecordValues | null>,
  currencies: ReadonlySet<string>,
): Promise<SaveResult> {
  const invalid: CellError[] = []
  let pending = new Map<string, RecordValues | null>()
  for (const [key, values] of edits) {
    const normalized = isEmptyRecord(values) ? null : values
    const errs = validateRecord(
      { key, values: normalized ?? Object.fromEntries(spec.fields.map((f) => [f, null])) },
      currencies,
    )
    if (errs.length) invalid.push(...errs)
    else pending.set(key, normalized)
  }

  const saved: string[] = []
  const conflicts: FieldConflict[] = []
  const failed: SaveResult['failed'] = []
  let items = await readItems(rest, spec)
  for (let round = 0; pending.size > 0 && round < MAX_ROUNDS; round++) {
    const current = currentRecords(items)
    const writes: { key: string; values: RecordValues | null }[] = []
    for (const o of mergeEdits(base, pending, current)) {
      if (o.kind === 'conflict') conflicts.push(...o.conflicts)
      // Storage already holds it — unless unresolved rivals sit beside it: then writing settles them.
      else if (o.kind === 'same' && !current.get(o.key)?.rivals?.length) saved.push(o.key)
      else writes.push({ key: o.key, values: o.kind === 'write' ? o.values : (pending.get(o.key) ?? null) })
    }
    if (writes.length === 0) {
      pending = new Map()
      break
    }
    const added = await addItems(rest, spec, writes, current, failed)
    items = await readItems(rest, spec)
    const remove = new Set<number>()
    const lost = new Map<string, RecordValues | null>()
    for (const a of added) {
      const known = new Set(a.supersedes)
      const [winner] = (items.get(a.key) ?? []).filter((i) => !known.has(i.id)).sort(rank)
      if (winner?.id === a.item.id) {
        saved.push(a.key)
        for (const id of known) remove.add(id)
      } else {
        remove.add(a.item.id)
        lost.set(a.key, pending.get(a.key) ?? null)
      }
    }
    if (remove.size) await deleteItems(rest, spec, [...remove])
    items = withoutIds(items, remove)
    pending = lost
  }
  for (const key of pending.keys()) failed.push({ key, code: 'BUSY', reason: BUSY_REASON })
  return { saved, conflicts, invalid, failed, fresh: currentRecords(items) }
}

/** Budgets and plans for the report (ROI, plan vs fact): two storages, one or two requests each. */
export async function loadInputs(rest: AppRest): Promise<{ budgets: Budget[]; plans: Plan[] }> {
  const [budgets, plans] = await Promise.all([readStorage(rest, BUDGET_STORAGE), readStorage(rest, PLAN_STORAGE)])
  // Cleared cells (values null) are left out; unresolved rivals count the value in force.
  const records = [...budgets.values(), ...plans.values()].flatMap((r) =>
    r.values ? [{ key: r.key, values: r.values }] : [],
  )
  return recordsToInputs(records)
}

export interface StorageCheck {
  created: string[]
  existing: string[]
  propertiesAdded: string[]
}

/**
 * Creates the storages and their properties when missing; leaves existing ones (and their
 * items and rights) alone, so re-install and upgrade keep the data. Two batch requests.
 */
export async function ensureStorages(rest: AppRest): Promise<StorageCheck> {
  const probe: Record<string, [string, RestParams]> = {}
  for (const s of STORAGES) {
    probe[`e_${s.entity}`] = ['entity.get', { ENTITY: s.entity }]
    probe[`p_${s.entity}`] = ['entity.item.property.get', { ENTITY: s.entity }]
  }
  const seen = await rest.batch(probe)
  const out: StorageCheck = { created: [], existing: [], propertiesAdded: [] }
  const cmds: Record<string, [string, RestParams]> = {}
  for (const s of STORAGES) {
    const e = seen[`e_${s.entity}`]
    if (!e.ok && e.error?.code !== 'ERROR_ENTITY_NOT_FOUND') throw e.error!
    const exists = e.ok && e.result !== null && !(Array.isArray(e.result) && e.result.length === 0)
    if (exists) out.existing.push(s.entity)
    else {
      out.created.push(s.entity)
      cmds[`add_${s.entity}`] = ['entity.add', { ENTITY: s.entity, NAME: s.name, ACCESS: STORAGE_ACCESS }]
    }
    const p = seen[`p_${s.entity}`]
    const have = new Set(
      (exists && p.ok ? ([] as { PROPERTY: string }[]).concat((p.result ?? []) as { PROPERTY: string }[]) : []).map(
        (x) => x.PROPERTY,
      ),
    )
    for (const prop of storageProperties(s)) {
      if (have.has(prop.PROPERTY)) continue
      out.propertiesAdded.push(`${s.entity}.${prop.PROPERTY}`)
      cmds[`prop_${s.entity}_${prop.PROPERTY}`] = ['entity.item.property.add', { ENTITY: s.entity, ...prop }]
    }
  }
  if (Object.keys(cmds).length === 0) return out
  const replies = await rest.batch(cmds)
  for (const [n, r] of Object.entries(replies)) {
    if (r.ok) continue
    const code = r.error?.code ?? ''
    // A concurrent install got there first: the storage or property exists, which is what we want.
    if (code === 'ERROR_ENTITY_ALREADY_EXISTS' || code === 'ERROR_PROPERTY_ALREADY_EXISTS') continue
    throw r.error ?? new RestError(n, 'ERROR', 'storage setup failed', 0)
  }
  return out
}
