/**
 * Rows normalised by an earlier `dumpToCrmData` of this session, by wire row object: a warm reopen
 * normalises the cached dump, the delta changes a few rows, and the dump after it keeps every
 * other row object (sync/delta-rows.ts `applyToDump`). Normalising it again then costs a lookup
 * per unchanged row instead of seconds at 100,000 deals (issue 11.2).
 *
 * An entry holds for the same normalising context only (dictionaries, settings: `context`) and
 * the same value of what the row read from elsewhere (`dep`: the lead's source for a deal without
 * one, the call row of a call activity …); it replays the problems the row logged the first time.
 * Entries die with their wire rows (a WeakMap).
 *
 * @example
 *   const memo = new RowMemo()
 *   const token = memo.context(JSON.stringify(dictionaries))
 *   const deal = memo.row(wireRow, token, leadSource, log, () => normalizeDeal(wireRow, …))
 */
import type { DataProblem, ProblemLog } from './normalize-problems'

interface Entry {
  value: unknown
  problems: DataProblem[]
  dep: unknown
  context: object
}

export class RowMemo {
  private readonly rows = new WeakMap<object, Entry>()
  private current: { key: string; token: object } | null = null
  hits = 0

  /** The token of a normalising context: the same key gives the same token, another key a new one. */
  context(key: string): object {
    if (this.current?.key !== key) this.current = { key, token: {} }
    return this.current.token
  }

  /**
   * The row's normalised value: the remembered one when context and dependency are the same
   * (its problems logged again, and `replay` run for the side effects normalising it had), else
   * `normalise()`'s, remembered with the problems it logged.
   */
  row<T>(
    wire: object,
    context: object,
    dep: unknown,
    log: ProblemLog,
    normalise: () => T,
    replay?: (value: T) => void,
  ): T {
    const entry = this.rows.get(wire)
    if (entry !== undefined && entry.context === context && Object.is(entry.dep, dep)) {
      this.hits++
      for (const p of entry.problems) log.items.push(p)
      replay?.(entry.value as T)
      return entry.value as T
    }
    const before = log.items.length
    const value = normalise()
    const problems = log.items.length > before ? log.items.slice(before) : NO_PROBLEMS
    this.rows.set(wire, { value, problems, dep, context })
    return value
  }
}

const NO_PROBLEMS: DataProblem[] = []

/** No memo: every row normalised afresh (tests, the CLI, a first load). */
export const NO_MEMO: Memo = {
  context: () => NO_CONTEXT,
  row: (_wire, _context, _dep, _log, normalise) => normalise(),
}
const NO_CONTEXT = {}

export type Memo = Pick<RowMemo, 'row' | 'context'>
