/**
 * Portal-wide leaky bucket (limits.md §2.1): every HTTP request adds 1, the level drains by
 * `rate` per second, and a request that would push it above `burst` is refused with 503
 * QUERY_LIMIT_EXCEEDED. A batch is one request.
 */
export class LeakyBucket {
  private level = 0
  private last: number

  constructor(
    readonly rate: number,
    readonly burst: number,
    private readonly clock: () => number = Date.now,
  ) {
    this.last = clock()
  }

  /** True when the request may pass (and is counted). */
  take(): boolean {
    const now = this.clock()
    this.level = Math.max(0, this.level - ((now - this.last) / 1000) * this.rate)
    this.last = now
    if (this.level + 1 > this.burst) return false
    this.level += 1
    return true
  }

  reset(): void {
    this.level = 0
    this.last = this.clock()
  }
}
