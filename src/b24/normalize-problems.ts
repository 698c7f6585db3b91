/**
 * Data problems found while normalising: a malformed row never crashes the sync; what can be
 * kept is kept and the rest is counted here so the report can say "12 deals had no creation
 * date and were left out".
 */

import type { DataProblem as EngineDataProblem } from '../engine/types'
import type { DUMP_ROW_TABLES } from './wire'

/** Every dump row table can have problems. */
export type ProblemTable = (typeof DUMP_ROW_TABLES)[number]

/** engine/types.ts DataProblem, with the table narrowed to the dump tables that can have problems. */
export interface DataProblem extends EngineDataProblem {
  table: ProblemTable
}

export class ProblemLog {
  readonly items: DataProblem[] = []

  add(table: ProblemTable, rowId: unknown, kind: string, detail: string, dropped: boolean): void {
    const id = typeof rowId === 'string' || typeof rowId === 'number' ? String(rowId) : null
    this.items.push({ table, rowId: id, kind, detail, dropped })
  }
}

/** Problems grouped for display: one line per (table, kind) with a count and an example. */
export function summarizeProblems(
  problems: readonly DataProblem[],
): { table: ProblemTable; kind: string; count: number; dropped: number; example: string }[] {
  const groups = new Map<
    string,
    { table: ProblemTable; kind: string; count: number; dropped: number; example: string }
  >()
  for (const p of problems) {
    const key = `${p.table}\u0000${p.kind}`
    const g = groups.get(key) ?? { table: p.table, kind: p.kind, count: 0, dropped: 0, example: p.detail }
    g.count++
    if (p.dropped) g.dropped++
    groups.set(key, g)
  }
  return [...groups.values()]
}
