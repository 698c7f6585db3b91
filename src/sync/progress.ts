/** Progress events of a sync, for the progress bar and the CLI. */
import type { TableName } from '../b24/tables'
import type { Job } from '../b24/loader'

/**
 * recent / periodRest / backfill: a cold load split at the period on screen (sync.ts) — the
 * period's tables the first chart needs, the period's other tables, then the older rows.
 */
export type SyncPhase = 'cached' | 'full' | 'resume' | 'recent' | 'periodRest' | 'backfill' | 'delta' | 'sweep' | 'done'

export interface TableProgress {
  table: TableName
  loaded: number
  /** Best estimate of the rows this table will have (count probes); null while unknown. */
  total: number | null
  done: boolean
  skipped?: string
}

export interface SyncProgress {
  phase: SyncPhase
  /** HTTP requests made by this sync so far. */
  requests: number
  tables: TableProgress[]
  loaded: number
  /** Sum of the per-table estimates once every table has one, else null. */
  estimatedTotal: number | null
  /** 0..1 for a progress bar (loaded / estimatedTotal; 1 when done). */
  fraction: number
  /** Backfill only: estimated ms left at the pace so far; null while unknown. */
  etaMs?: number | null
}

export type ProgressListener = (p: SyncProgress) => void

export function tableProgress(table: TableName, job: Job): TableProgress {
  const s = job.state
  let total: number | null = null
  if (job.kind === 'cursor') {
    const st = job.state
    total = st.done ? st.loaded : st.remaining === null ? null : st.loaded + st.remaining
  } else if (job.kind === 'offset') {
    const st = job.state
    total = st.done ? st.loaded : st.total
  } else total = job.state.total
  return { table, loaded: s.loaded, total, done: s.done, ...(s.skipped ? { skipped: s.skipped } : {}) }
}

export function summarize(phase: SyncPhase, requests: number, tables: TableProgress[]): SyncProgress {
  const loaded = tables.reduce((n, t) => n + t.loaded, 0)
  const known = tables.every((t) => t.total !== null)
  const estimatedTotal = known ? tables.reduce((n, t) => n + Math.max(t.total!, t.loaded), 0) : null
  const allDone = tables.every((t) => t.done)
  const fraction = allDone ? 1 : estimatedTotal ? Math.min(0.99, loaded / estimatedTotal) : 0
  return { phase, requests, tables, loaded, estimatedTotal, fraction }
}
