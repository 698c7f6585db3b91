/**
 * Budgets and plans in Bitrix24 app storage (`entity.*`, rest.md §8.2).
 *
 * Two storages, one item per cell: NAME is the cell key (input-cells.ts), PROPERTY_VALUES
 * hold the amount, deal count, currency and VER — a counter every writer increments. REST
 * v2 has no compare-and-set, so saving is: validate → re-read → three-way merge against
 * what the editor loaded (input-merge.ts) → write what merged cleanly, hand conflicts back.
 * Access: every app user reads (`AU: R`), administrators write (`G1: W`; the installing
 * admin gets X automatically), so a non-admin's write is refused by the portal itself.
 */
import { replyOf, RestError, type AppRest, type BatchReply, type RestParams } from './app-rest'
import {
  BUDGET_FIELDS,
  PLAN_FIELDS,
  isEmptyRecord,
  recordsToInputs,
  validateRecord,
  type CellError,
  type InputKind,
  type RecordValues,
} from './input-cells'
import { mergeEdits, type FieldConflict, type VersionedRecord } from './input-merge'
import type { Budget, Plan } from '../engine/types'

export interface StorageSpec {
  kind: InputKind
  /** ≤ 13 characters (rest.md §8.2: 50 − len("APP_<clientId>_")). */
  entity: string
  name: string
  fields: readonly string[]
}

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

const VERSION_PROP = 'VER'
const propOf = (field: string) => field.toUpperCase()

/** Property definitions of a storage (all strings: amounts stay exact decimals). */
export function storageProperties(spec: StorageSpec): { PROPERTY: string; NAME: string; TYPE: 'S' }[] {
  return [
    ...spec.fields.map((f) => ({ PROPERTY: propOf(f), NAME: f, TYPE: 'S' as const })),
    { PROPERTY: VERSION_PROP, NAME: 'version', TYPE: 'S' },
  ]
}

interface ItemRow {
  ID: string | number
  NAME: string
  PROPERTY_VALUES?: Record<string, unknown> | []
}

function toRecord(spec: StorageSpec, row: ItemRow): VersionedRecord {
  const props = (Array.isArray(row.PROPERTY_VALUES) ? {} : (row.PROPERTY_VALUES ?? {})) as Record<string, unknown>
  const values: RecordValues = {}
  for (const f of spec.fields) {
    const v = props[propOf(f)]
    values[f] = v === null || v === undefined || v === '' ? null : String(v)
  }
  const ver = Number(props[VERSION_PROP])
  return { key: row.NAME, id: Number(row.ID), version: Number.isFinite(ver) ? ver : 0, values }
}

const PAGE = 50

/**
 * Reads every item of a storage: the first page tells the total, the rest come in one
 * batch (≤ 50 pages = 2,500 cells per extra request). A missing storage reads as empty.
 */
export async function readStorage(rest: AppRest, spec: StorageSpec): Promise<Map<string, VersionedRecord>> {
  const first = await rest.batch({ page0: ['entity.item.get', { ENTITY: spec.entity, SORT: { ID: 'ASC' }, start: 0 }] })
  const rows: ItemRow[] = []
  const p0 = first.page0
  if (!p0.ok) {
    if (p0.error?.code === 'ERROR_ENTITY_NOT_FOUND') return new Map()
    throw p0.error!
  }
  rows.push(...(p0.result as ItemRow[]))
  for (let start = PAGE; start < p0.total; start += PAGE * 50) {
    const cmds: Record<string, [string, RestParams]> = {}
    for (let s = start; s < Math.min(p0.total, start + PAGE * 50); s += PAGE) {
      cmds[`p${s}`] = ['entity.item.get', { ENTITY: spec.entity, SORT: { ID: 'ASC' }, start: s }]
    }
    const replies = await rest.batch(cmds)
    for (const n of Object.keys(cmds)) rows.push(...replyOf<ItemRow[]>(replies, n))
  }
  return latestPerKey(spec, rows)
}

/** Two admins adding the same new cell at once leave two items; the newest version wins. */
function latestPerKey(spec: StorageSpec, rows: ItemRow[]): Map<string, VersionedRecord> {
  const out = new Map<string, VersionedRecord>()
  for (const row of rows) {
    const rec = toRecord(spec, row)
    const prev = out.get(rec.key)
    if (!prev || rec.version > prev.version || (rec.version === prev.version && rec.id! > prev.id!))
      out.set(rec.key, rec)
  }
  return out
}

function propertyValues(spec: StorageSpec, values: RecordValues, version: number): Record<string, string> {
  const pv: Record<string, string> = { [VERSION_PROP]: String(version) }
  for (const f of spec.fields) pv[propOf(f)] = values[f] ?? ''
  return pv
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

/**
 * Saves the admin's edits (key → values; null clears the cell) made on top of `base`.
 * Valid, non-conflicting edits are written even when others fail; nothing is lost silently.
 */
export async function saveEdits(
  rest: AppRest,
  spec: StorageSpec,
  base: ReadonlyMap<string, VersionedRecord>,
  edits: ReadonlyMap<string, RecordValues | null>,
  currencies: ReadonlySet<string>,
): Promise<SaveResult> {
  const invalid: CellError[] = []
  const valid = new Map<string, RecordValues | null>()
  for (const [key, values] of edits) {
    const normalized = isEmptyRecord(values) ? null : values
    const errs = validateRecord(
      { key, values: normalized ?? Object.fromEntries(spec.fields.map((f) => [f, null])) },
      currencies,
    )
    if (errs.length) invalid.push(...errs)
    else valid.set(key, normalized)
  }

  const theirs = await readStorage(rest, spec)
  const outcomes = mergeEdits(base, valid, theirs)
  const conflicts = outcomes.flatMap((o) => (o.kind === 'conflict' ? o.conflicts : []))
  const writes = outcomes.flatMap((o) => (o.kind === 'write' ? [o] : []))

  const cmds: Record<string, [string, RestParams]> = {}
  const keyOfCmd: Record<string, string> = {}
  writes.forEach((w, i) => {
    const cur = theirs.get(w.key)
    const name = `w${i}`
    keyOfCmd[name] = w.key
    if (w.values === null || isEmptyRecord(w.values)) {
      if (cur?.id) cmds[name] = ['entity.item.delete', { ENTITY: spec.entity, ID: cur.id }]
    } else if (cur?.id) {
      cmds[name] = [
        'entity.item.update',
        { ENTITY: spec.entity, ID: cur.id, PROPERTY_VALUES: propertyValues(spec, w.values, cur.version + 1) },
      ]
    } else {
      cmds[name] = [
        'entity.item.add',
        { ENTITY: spec.entity, NAME: w.key, PROPERTY_VALUES: propertyValues(spec, w.values, 1) },
      ]
    }
  })

  const saved: string[] = []
  const failed: SaveResult['failed'] = []
  const names = Object.keys(cmds)
  for (let i = 0; i < names.length; i += 50) {
    const chunk = Object.fromEntries(names.slice(i, i + 50).map((n) => [n, cmds[n]]))
    const replies: Record<string, BatchReply> = await rest.batch(chunk)
    for (const n of Object.keys(chunk)) {
      const r = replies[n]
      if (r.ok) saved.push(keyOfCmd[n])
      else {
        const code = r.error?.code ?? ''
        const reason = code === 'ACCESS_DENIED' ? WRITE_REFUSED_HINT : (r.error?.message ?? 'the portal refused')
        failed.push({ key: keyOfCmd[n], code, reason })
      }
    }
  }
  // Clearing a cell that has no item needs no request: it is already saved.
  for (const [n, key] of Object.entries(keyOfCmd)) if (!(n in cmds)) saved.push(key)

  const fresh = saved.length > 0 ? await readStorage(rest, spec) : theirs
  return { saved, conflicts, invalid, failed, fresh }
}

/** Budgets and plans for the report (ROI, plan vs fact): two storages, one or two requests each. */
export async function loadInputs(rest: AppRest): Promise<{ budgets: Budget[]; plans: Plan[] }> {
  const [budgets, plans] = await Promise.all([readStorage(rest, BUDGET_STORAGE), readStorage(rest, PLAN_STORAGE)])
  const records = [...budgets.values(), ...plans.values()].map((r) => ({ key: r.key, values: r.values ?? {} }))
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
