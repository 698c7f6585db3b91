/**
 * The worker's side of a table-by-table load (load-slices.ts): the tables received so far, each
 * slice interned as it arrives, then the whole as CrmData for `prepare`. A misordered message is
 * an EngineStateError (BAD_LOAD) naming what was expected.
 */
import { EngineStateError } from './errors'
import { interner, internRows, type Interner } from './intern'
import { CRM_TABLES, type CrmTable } from './load-slices'
import type { CrmData } from './types'

/** A load between its loadBegin and its loadEnd. */
export interface PendingLoad {
  version: number | null
  tables: Partial<Record<CrmTable, unknown>>
  intern: Interner
}

/** Tables a load may leave out (CrmData's optional ones). */
const OPTIONAL: ReadonlySet<CrmTable> = new Set(['companies', 'contacts', 'problems'])
const KNOWN: ReadonlySet<string> = new Set(CRM_TABLES)

const badLoad = (message: string) => new EngineStateError('BAD_LOAD', message)

export function beginLoad(version: number | null | undefined): PendingLoad {
  return { version: version ?? null, tables: {}, intern: interner() }
}

/**
 * Adds a table, or its slice starting at row `at`; returns the rows of that table held now.
 * The first slice's array is kept as the table (no copy); later slices are appended to it.
 */
export function addTable(load: PendingLoad, name: string, rows: unknown, at = 0): number {
  if (!KNOWN.has(name)) throw badLoad(`Unknown table "${name}": a load carries ${CRM_TABLES.join(', ')}`)
  const table = name as CrmTable
  const held = load.tables[table]
  if (held !== undefined && at === 0) throw badLoad(`Table "${table}" sent twice in one load`)
  if (!Array.isArray(rows)) {
    if (at !== 0) throw badLoad(`Table "${table}" is not a list of rows: it cannot come in slices`)
    load.tables[table] = rows
    return 1
  }
  internRows(table, rows, load.intern)
  if (held === undefined) {
    if (at !== 0) throw badLoad(`The first slice of "${table}" starts at row ${at}, not 0`)
    load.tables[table] = rows
    return rows.length
  }
  if (!Array.isArray(held) || at !== held.length)
    throw badLoad(
      `A slice of "${table}" starts at row ${at}, but ${Array.isArray(held) ? held.length : 0} were received`,
    )
  for (let i = 0; i < rows.length; i++) held.push(rows[i])
  return held.length
}

/** The tables received as CrmData, once every required one is there. */
export function loadedData(load: PendingLoad): CrmData {
  const missing = CRM_TABLES.filter((t) => load.tables[t] === undefined && !OPTIONAL.has(t))
  if (missing.length) throw badLoad(`The load ended without the tables ${missing.join(', ')}`)
  return load.tables as CrmData
}
