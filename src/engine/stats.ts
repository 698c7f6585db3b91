/** Small numeric helpers shared by the families: rounding, safe rates, distribution summaries. */

/** Money and durations keep two decimals (metrics.md "Money"). */
export function round2(v: number): number {
  return Math.round((v + Number.EPSILON) * 100) / 100
}

/** Rates are fractions kept to four decimals (a percentage with two). */
export function round4(v: number): number {
  return Math.round((v + Number.EPSILON) * 10_000) / 10_000
}

/** A ratio whose zero (or missing) denominator is null, never 0 or NaN. */
export function rate(num: number, den: number): number | null {
  if (!den || !Number.isFinite(num) || !Number.isFinite(den)) return null
  return round4(num / den)
}

/** Same as `rate` but for money-like ratios (CPL, CPA, means): two decimals. */
export function ratio2(num: number, den: number): number | null {
  if (!den || !Number.isFinite(num) || !Number.isFinite(den)) return null
  return round2(num / den)
}

/** percentile_cont semantics (linear interpolation), on an ascending-sorted array. */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number | null {
  const n = sorted.length
  if (n === 0) return null
  const pos = (n - 1) * q
  const lo = Math.floor(pos)
  const hi = Math.ceil(pos)
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo)
}

export interface DurationStats {
  count: number
  /** Hours, two decimals; null when count is 0. */
  mean: number | null
  median: number | null
  p90: number | null
}

const HOUR_MS = 3_600_000

/** Moves the k-th smallest value to a[k] (smaller before, larger after); Hoare quickselect, O(n). */
function selectK(a: Float64Array, k: number): void {
  let lo = 0
  let hi = a.length - 1
  while (hi > lo) {
    const pivot = a[(lo + hi) >> 1]
    let i = lo
    let j = hi
    while (i <= j) {
      while (a[i] < pivot) i++
      while (a[j] > pivot) j--
      if (i <= j) {
        const t = a[i]
        a[i] = a[j]
        a[j] = t
        i++
        j--
      }
    }
    if (k <= j) hi = j
    else if (k >= i) lo = i
    else return
  }
}

/** percentile_cont without a full sort (reorders the array). */
export function quantileSelect(a: Float64Array, q: number): number | null {
  const n = a.length
  if (n === 0) return null
  const pos = (n - 1) * q
  const lo = Math.floor(pos)
  selectK(a, lo)
  const v = a[lo]
  if (pos === lo) return v
  let next = Infinity
  for (let i = lo + 1; i < n; i++) if (a[i] < next) next = a[i]
  return v + (next - v) * (pos - lo)
}

/** Summary of durations given in ms; reorders the array in place. */
export function durationStats(values: Float64Array): DurationStats {
  const n = values.length
  if (n === 0) return { count: 0, mean: null, median: null, p90: null }
  let sum = 0
  for (let i = 0; i < n; i++) sum += values[i]
  const p90 = quantileSelect(values, 0.9) as number
  const median = quantileSelect(values, 0.5) as number
  return { count: n, mean: round2(sum / n / HOUR_MS), median: round2(median / HOUR_MS), p90: round2(p90 / HOUR_MS) }
}

/** A growable Float64 list (hot loops push numbers without boxing). */
export class FloatList {
  private buf: Float64Array
  length = 0
  constructor(capacity = 16) {
    this.buf = new Float64Array(Math.max(4, capacity))
  }
  push(v: number): void {
    if (this.length === this.buf.length) {
      const next = new Float64Array(this.buf.length * 2)
      next.set(this.buf)
      this.buf = next
    }
    this.buf[this.length++] = v
  }
  view(): Float64Array {
    return this.buf.subarray(0, this.length)
  }
}

/** A growable Int32 list. */
export class IntList {
  private buf: Int32Array
  length = 0
  constructor(capacity = 16) {
    this.buf = new Int32Array(Math.max(4, capacity))
  }
  push(v: number): void {
    if (this.length === this.buf.length) {
      const next = new Int32Array(this.buf.length * 2)
      next.set(this.buf)
      this.buf = next
    }
    this.buf[this.length++] = v
  }
  view(): Int32Array {
    return this.buf.subarray(0, this.length)
  }
}

/** Values (durations, outcomes) each with the deal it belongs to, in two parallel growable lists. */
export class DealValues {
  readonly deals = new IntList(64)
  readonly values = new FloatList(64)
  add(deal: number, value: number): void {
    this.deals.push(deal)
    this.values.push(value)
  }
}

/**
 * Durations grouped by a small-int key (e.g. a city code), summarised per group with one
 * counting sort instead of one list per group.
 */
export function groupedDurationStats(
  keys: Int32Array,
  values: Float64Array,
  keyCount: number,
  scratch?: Float64Array,
): DurationStats[] {
  const counts = new Int32Array(keyCount + 1)
  for (let i = 0; i < keys.length; i++) counts[keys[i] + 1]++
  for (let k = 0; k < keyCount; k++) counts[k + 1] += counts[k]
  const sorted = scratch && scratch.length >= values.length ? scratch : new Float64Array(values.length)
  const fill = counts.slice(0, keyCount)
  for (let i = 0; i < keys.length; i++) sorted[fill[keys[i]]++] = values[i]
  const out: DurationStats[] = []
  for (let k = 0; k < keyCount; k++) out.push(durationStats(sorted.subarray(counts[k], counts[k + 1])))
  return out
}

export { HOUR_MS }
