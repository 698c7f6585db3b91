/**
 * The data's way into the engine's worker, table by table (issue: a 100k-deal load as one
 * message needed the whole structured clone — its serialised copy plus every row deserialised at
 * once — on top of the worker's heap, over 400 MB). The page sends
 *
 *   { type: 'loadBegin', version } → { type: 'loadTable', name, rows, at } per table or slice of
 *   SLICE_ROWS rows → { type: 'loadEnd' }
 *
 * awaiting each answer before the next (engine-client.ts), so only one slice's clone is in flight;
 * the worker interns each slice as it arrives (intern.ts) and prepares at the end (worker-load.ts).
 * Used by the page and by the benches, so both send the data the same way.
 */
import type { CrmData } from './types'

/** Every table of CrmData, small ones first; `load` and `loadEnd` read exactly these. */
export const CRM_TABLES = Object.freeze([
  'portal',
  'settings',
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
  'companies',
  'contacts',
  'problems',
  'deals',
  'leads',
  'dealEvents',
  'leadEvents',
  'touches',
] as const satisfies readonly (keyof CrmData)[])

export type CrmTable = (typeof CRM_TABLES)[number]
// A table added to CrmData must be listed above: this line does not compile until it is.
const everyTableListed: [Exclude<keyof CrmData, CrmTable>] extends [never] ? true : never = true
void everyTableListed

/**
 * Rows per loadTable message. A slice of 20,000 touches is a few MB as a clone: small against the
 * 400 MB the worker may use, and 100k deals still go in ~90 messages.
 */
export const SLICE_ROWS = 20_000

export type LoadRequest =
  /** Starts a load (a half-done one is dropped); `version` as in a whole `load`. */
  | { type: 'loadBegin'; version?: number; id?: number }
  /**
   * A table, or its slice starting at row `at` (0 for the first or only one). `rows` holds the
   * rows of an array table, the object itself for `portal` and `settings`.
   */
  | { type: 'loadTable'; name: CrmTable; rows: unknown; at?: number; id?: number }
  /** Prepares the data received, as a whole `load` does; answered with `loaded`. */
  | { type: 'loadEnd'; id?: number }

/** The messages that load `data` into the worker, in order. */
export function* loadMessages(data: CrmData, version?: number, sliceRows = SLICE_ROWS): Generator<LoadRequest> {
  yield { type: 'loadBegin', version }
  for (const name of CRM_TABLES) {
    const value: unknown = data[name]
    if (value === undefined) continue
    if (!Array.isArray(value) || value.length <= sliceRows) {
      yield { type: 'loadTable', name, rows: value, at: 0 }
      continue
    }
    for (let at = 0; at < value.length; at += sliceRows)
      yield { type: 'loadTable', name, rows: value.slice(at, at + sliceRows), at }
  }
  yield { type: 'loadEnd' }
}
