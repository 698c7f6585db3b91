/**
 * Whether a change between the period and its comparison period is news or noise
 * (metrics.md "Changes between periods").
 *
 * - A **rate** (successes out of trials, e.g. won of closed) is compared with the pooled
 *   two-proportion z-test (no continuity correction; the same as a 2×2 chi-square test).
 *   A rate whose denominator is under 30 in either period is a **small sample**: the normal
 *   approximation behind the z-test does not hold there, so it is never called significant.
 * - A **count** of events in a period (deals created, won, leads, …) is compared as two Poisson
 *   counts with the exact conditional test: given the total c₁ + c₂, c₁ is Binomial(c₁ + c₂,
 *   t₁/(t₁ + t₂)) under "same rate per day", where t are the periods' lengths in days — so a
 *   31-day month against a 30-day one is compared per day, not per period. The two-sided p-value
 *   adds every outcome no more likely than the one observed (R's `poisson.test`/`binom.test`).
 * - Anything else (money sums, means, quantiles, ratios that can exceed 1) has no test: its
 *   `significant` is null and the UI shows it neutral.
 *
 * A change is significant when p < 0.05. Pure functions: no rounding of inputs, no I/O.
 */

export const ALPHA = 0.05
/** Below this denominator (in either period) a rate is a small sample. */
export const SMALL_SAMPLE = 30

/** What a figure is made of, as far as the tests are concerned. */
export type Figure = { kind: 'count'; count: number } | { kind: 'rate'; num: number; den: number }

export const countOf = (count: number): Figure => ({ kind: 'count', count })
export const rateOf = (num: number, den: number): Figure => ({ kind: 'rate', num, den })

export type TestName = 'twoProportion' | 'poisson'

export interface Significance {
  /** Which test applied; null when none does (sums, means, quantiles, a missing period). */
  test: TestName | null
  /** Two-sided p-value, four significant digits; null without a test. */
  p: number | null
  /** p < 0.05 and not a small sample; null without a test. */
  significant: boolean | null
  /** A rate whose denominator is under 30 in either period. */
  smallSample: boolean
}

/** value − previous and its relative size, with the significance of the difference. */
export interface Change extends Significance {
  abs: number | null
  /** (value − previous)/previous; null when previous is 0 or null. */
  rel: number | null
}

export const NO_TEST: Significance = Object.freeze({ test: null, p: null, significant: null, smallSample: false })

// ---------------------------------------------------------------- distributions

/**
 * Complementary error function, Numerical Recipes' `erfcc` (Chebyshev fit): relative error
 * below 1.2e-7 everywhere, plenty for a p < 0.05 decision.
 */
export function erfc(x: number): number {
  const z = Math.abs(x)
  const t = 1 / (1 + 0.5 * z)
  const poly =
    -z * z -
    1.26551223 +
    t *
      (1.00002368 +
        t *
          (0.37409196 +
            t *
              (0.09678418 +
                t *
                  (-0.18628806 +
                    t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))))
  const r = t * Math.exp(poly)
  return x >= 0 ? r : 2 - r
}

/** P(|Z| ≥ |z|) for a standard normal Z. */
export function twoSidedNormalP(z: number): number {
  return Math.min(1, erfc(Math.abs(z) / Math.SQRT2))
}

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
]

/** ln Γ(x) for x > 0 (Lanczos, g = 7: about 15 correct digits). */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x)
  const y = x - 1
  let a = LANCZOS[0]
  const t = y + 7.5
  for (let i = 1; i < 9; i++) a += LANCZOS[i] / (y + i)
  return 0.5 * Math.log(2 * Math.PI) + (y + 0.5) * Math.log(t) - t + Math.log(a)
}

function logBinomPmf(k: number, n: number, logP: number, logQ: number, logNFact: number): number {
  return logNFact - logGamma(k + 1) - logGamma(n - k + 1) + k * logP + (n - k) * logQ
}

/** Largest k in [lo, hi] with ok(k), for ok true on a prefix (lo itself assumed ok); binary search. */
function lastOk(lo: number, hi: number, ok: (k: number) => boolean): number {
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1
    if (ok(mid)) lo = mid
    else hi = mid - 1
  }
  return lo
}

/**
 * Σ pmf(k) from `from` outward (step ±1) until the terms stop mattering (they only shrink
 * outward). After the first term each one follows from the last by the pmf ratio
 * P(k+1)/P(k) = (n−k)/(k+1) · p/q, so a tail costs one log-gamma evaluation.
 */
function tailSum(from: number, step: 1 | -1, n: number, p: number, logPmf: (k: number) => number): number {
  const odds = p / (1 - p)
  let term = Math.exp(logPmf(from))
  let sum = 0
  for (let k = from; k >= 0 && k <= n; k += step) {
    sum += term
    if (term < sum * 1e-17) break
    term *= step === 1 ? ((n - k) / (k + 1)) * odds : k / ((n - k + 1) * odds)
  }
  return sum
}

/**
 * Exact two-sided binomial test of x successes in n trials against probability p: the sum of
 * P(k) over every k with P(k) ≤ P(x)·(1 + 1e-7) (the tolerance treats float ties as ties, as R does).
 * The pmf rises to its mode and falls after it, so those k are two tails [0, a] and [b, n]: a and b
 * are found by binary search and each tail is summed outward until its terms vanish, which keeps
 * a test on tens of thousands of deals to a few hundred terms.
 */
export function binomialTwoSidedP(x: number, n: number, p: number): number {
  if (n === 0 || p <= 0 || p >= 1) return 1
  const logP = Math.log(p)
  const logQ = Math.log1p(-p)
  const logNFact = logGamma(n + 1)
  const logPmf = (k: number) => logBinomPmf(k, n, logP, logQ, logNFact)
  const limit = logPmf(x) + Math.log1p(1e-7)
  const mode = Math.min(n, Math.floor((n + 1) * p))
  if (logPmf(mode) <= limit) return 1
  let sum = 0
  // lower tail: pmf rises on [0, mode], so {k ≤ mode: pmf(k) ≤ limit} is a prefix [0, a]
  if (logPmf(0) <= limit)
    sum += tailSum(
      lastOk(0, mode, (k) => logPmf(k) <= limit),
      -1,
      n,
      p,
      logPmf,
    )
  // upper tail: pmf falls on [mode, n], so {k ≥ mode: pmf(k) ≤ limit} is a suffix [b, n]
  if (logPmf(n) <= limit) sum += tailSum(n - lastOk(0, n - mode, (j) => logPmf(n - j) <= limit), 1, n, p, logPmf)
  return Math.min(1, sum)
}

// ---------------------------------------------------------------- the two tests

const isCount = (v: number) => Number.isInteger(v) && v >= 0

/**
 * Pooled two-proportion z-test of x₁/n₁ against x₂/n₂, two-sided p. Null when a proportion is
 * undefined (n = 0) or not a proportion (x > n, fractions).
 */
export function twoProportionP(x1: number, n1: number, x2: number, n2: number): number | null {
  if (!isCount(x1) || !isCount(x2) || !isCount(n1) || !isCount(n2)) return null
  if (n1 === 0 || n2 === 0 || x1 > n1 || x2 > n2) return null
  const pooled = (x1 + x2) / (n1 + n2)
  // Both periods all-success or all-failure: no difference to test.
  if (pooled === 0 || pooled === 1) return 1
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
  return twoSidedNormalP((x1 / n1 - x2 / n2) / se)
}

/**
 * Two Poisson counts c₁ over exposure t₁ and c₂ over t₂ (period lengths in days): exact
 * conditional binomial test of equal rates per unit of exposure, two-sided p.
 */
export function poissonRatesP(c1: number, t1: number, c2: number, t2: number): number | null {
  if (!isCount(c1) || !isCount(c2) || !(t1 > 0) || !(t2 > 0)) return null
  return binomialTwoSidedP(c1, c1 + c2, t1 / (t1 + t2))
}

/** Lengths of the two periods, in days: the exposure of a count. */
export interface Exposure {
  current: number
  previous: number
}

const round4sig = (p: number) => Number(p.toPrecision(4))

/** The significance of a figure's change from `previous` to `current`. */
export function significanceOf(current: Figure | null, previous: Figure | null, days: Exposure): Significance {
  if (!current || !previous || current.kind !== previous.kind) return NO_TEST
  if (current.kind === 'count' && previous.kind === 'count') {
    const p = poissonRatesP(current.count, days.current, previous.count, days.previous)
    if (p === null) return NO_TEST
    return { test: 'poisson', p: round4sig(p), significant: p < ALPHA, smallSample: false }
  }
  if (current.kind === 'rate' && previous.kind === 'rate') {
    const p = twoProportionP(current.num, current.den, previous.num, previous.den)
    if (p === null) return NO_TEST
    const smallSample = Math.min(current.den, previous.den) < SMALL_SAMPLE
    return { test: 'twoProportion', p: round4sig(p), significant: !smallSample && p < ALPHA, smallSample }
  }
  return NO_TEST
}

/**
 * The change record for one figure: value − previous, the relative change and its
 * significance. `round` is the figure's own rounding (rates 4 decimals, money 2).
 */
export function changeOf(
  value: number | null,
  previous: number | null,
  sig: Significance,
  round: (v: number) => number,
): Change {
  if (value === null || previous === null) return { abs: null, rel: null, ...NO_TEST }
  const rel = previous === 0 ? null : Math.round(((value - previous) / previous) * 10_000) / 10_000
  return { abs: round(value - previous), rel, ...sig }
}
