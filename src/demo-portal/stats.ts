/**
 * What a running demo portal counts, for tests and benches: REST requests, the ones the rate
 * limiter refused, calls per method, injected faults and the latest batches' work.
 * `reset()` starts a fresh count.
 */

/** Batches kept in `PortalStats.batches` (the oldest go first). */
const BATCH_LOG = 2_000

/** One batch request's work: when it was answered (epoch ms), the ms it took, its commands. */
export interface BatchWork {
  at: number
  ms: number
  commands: number
}

export interface PortalStats {
  requests: number
  rejected: number
  byMethod: Record<string, number>
  faults: Record<string, number>
  /** The latest batches' work, oldest first (the report bench lines them up with the app's marks). */
  batches: BatchWork[]
  reset(): void
}

export function createStats(): PortalStats {
  return {
    requests: 0,
    rejected: 0,
    byMethod: {},
    faults: {},
    batches: [],
    reset() {
      this.requests = 0
      this.rejected = 0
      this.byMethod = {}
      this.faults = {}
      this.batches = []
    },
  }
}

function bump(counts: Record<string, number>, key: string): void {
  counts[key] = (counts[key] ?? 0) + 1
}

/** One authenticated call of `method` (a batch counts once, as `batch`). */
export function countMethod(stats: PortalStats, method: string): void {
  bump(stats.byMethod, method)
}

export function countFault(stats: PortalStats, kind: string): void {
  bump(stats.faults, kind)
}

export function logBatch(stats: PortalStats, work: BatchWork): void {
  if (stats.batches.length >= BATCH_LOG) stats.batches.shift()
  stats.batches.push(work)
}
