/**
 * What a running demo portal counts, for tests and benches: REST requests, the ones the rate
 * limiter refused, calls per method and injected faults. `reset()` starts a fresh count.
 */

export interface PortalStats {
  requests: number
  rejected: number
  byMethod: Record<string, number>
  faults: Record<string, number>
  reset(): void
}

export function createStats(): PortalStats {
  return {
    requests: 0,
    rejected: 0,
    byMethod: {},
    faults: {},
    reset() {
      this.requests = 0
      this.rejected = 0
      this.byMethod = {}
      this.faults = {}
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
