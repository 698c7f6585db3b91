import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import {
  binomialTwoSidedP,
  countOf,
  erfc,
  logGamma,
  poissonRatesP,
  rateOf,
  significanceOf,
  twoProportionP,
} from '../../src/engine/significance'

/*
 * Reference values: textbook examples (R's documented outputs) and, for the rest, exact sums
 * done apart from this code — Python's math.erfc / math.lgamma and fractions.Fraction over the
 * binomial terms (see the comment on each case).
 */

describe('distributions', () => {
  it.each([
    [0, 1],
    [0.5, 0.4795001221869535],
    [1, 0.15729920705028513],
    [-1, 1.842700792949715],
    [3, 2.2090496998585438e-5],
  ])('erfc(%s) = %s (math.erfc)', (x, want) => {
    expect(Math.abs(erfc(x) - want) / want).toBeLessThan(2e-7)
  })

  it('ln Γ: 9! and √π', () => {
    expect(logGamma(10)).toBeCloseTo(Math.log(362_880), 12)
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 12)
  })

  it('binomial two-sided by hand: 0 of 5 at p = ½ is 2 × (½)⁵', () => {
    expect(binomialTwoSidedP(0, 5, 0.5)).toBeCloseTo(0.0625, 12)
    expect(binomialTwoSidedP(5, 5, 0.5)).toBeCloseTo(0.0625, 12)
    // the most likely outcome: every outcome is at most as likely
    expect(binomialTwoSidedP(2, 4, 0.5)).toBeCloseTo(1, 12)
  })
})

describe('two-proportion z-test (rates)', () => {
  it.each([
    // R: prop.test(c(15, 25), c(50, 50), correct = FALSE) → X² = 4.1667, p-value = 0.04123
    [15, 50, 25, 50, 0.04122683333716371],
    // p̂ = 0.135, se = √(0.135·0.865·0.002) → z = −1.9630 (by hand), p = erfc(1.9630/√2)
    [120, 1000, 150, 1000, 0.04964038686536881],
    [45, 60, 30, 60, 0.004677734981047271],
    [30, 100, 50, 100, 0.003892417122778627],
  ])('%s/%s vs %s/%s: p = %s', (x1, n1, x2, n2, want) => {
    expect(twoProportionP(x1, n1, x2, n2)).toBeCloseTo(want, 6)
  })

  it('no difference, nothing to compare, or not a proportion', () => {
    expect(twoProportionP(30, 100, 30, 100)).toBe(1)
    expect(twoProportionP(0, 40, 0, 70)).toBe(1) // both 0 %
    expect(twoProportionP(40, 40, 70, 70)).toBe(1) // both 100 %
    expect(twoProportionP(3, 0, 2, 10)).toBeNull() // an empty period: no rate
    expect(twoProportionP(12, 10, 2, 10)).toBeNull() // flow ratio above 1
    expect(twoProportionP(1.5, 10, 2, 10)).toBeNull()
  })
})

describe('Poisson counts (exact conditional test)', () => {
  it.each([
    // R: poisson.test(c(11, 6+8+7), c(800, 1083+1050+878)) → p-value = 0.07967
    [11, 800, 21, 3011, 0.07966863303332947],
    // equal periods: binom.test(10, 30) → p-value = 0.09874
    [10, 30, 20, 30, 0.09873714670538902],
    // 0 vs 5 in equal periods: 2 × (½)⁵
    [0, 30, 5, 30, 0.0625],
    // a 31-day month against a 30-day one (exact Fraction sum in Python)
    [30, 31, 45, 30, 0.06498641436819617],
    [100, 92, 130, 92, 0.055613577781392386],
    // thousands of deals (Python, lgamma in log space)
    [5000, 31, 5400, 30, 2.25376434337635e-8],
  ])('%s in %s days vs %s in %s days: p = %s', (c1, t1, c2, t2, want) => {
    const p = poissonRatesP(c1, t1, c2, t2) as number
    expect(Math.abs(p - want) / want).toBeLessThan(1e-6)
  })

  it('periods of different length compare per day', () => {
    // 60 leads in 60 days against 45 in 30: the count rose but the daily rate fell by a third.
    expect(poissonRatesP(60, 60, 45, 30)).toBeCloseTo(0.04855987870161585, 8)
    // ignoring the lengths would call it noise (and a rise)
    expect(poissonRatesP(60, 30, 45, 30)).toBeCloseTo(0.17156469715424114, 8)
    // the same count per day is no change at all
    expect(poissonRatesP(62, 31, 60, 30)).toBeGreaterThan(0.99)
  })

  it('nothing to compare', () => {
    expect(poissonRatesP(0, 31, 0, 30)).toBe(1)
    expect(poissonRatesP(4, 0, 2, 30)).toBeNull()
    expect(poissonRatesP(-1, 30, 2, 30)).toBeNull()
  })
})

describe('significanceOf', () => {
  const month = { current: 31, previous: 30 }

  it('a rate: p < 0.05 is significant', () => {
    expect(significanceOf(rateOf(15, 50), rateOf(25, 50), month)).toEqual({
      test: 'twoProportion',
      p: 0.04123,
      significant: true,
      smallSample: false,
    })
    expect(significanceOf(rateOf(16, 50), rateOf(24, 50), month).significant).toBe(false)
  })

  it('a rate with a denominator under 30 in either period is a small sample, never significant', () => {
    // p = 0.0044 by the z-test, but 20 deals are too few for its normal approximation
    const s = significanceOf(rateOf(5, 20), rateOf(14, 20), month)
    expect(s).toEqual({ test: 'twoProportion', p: 0.004377, significant: false, smallSample: true })
    expect(significanceOf(rateOf(10, 100), rateOf(9, 29), month).smallSample).toBe(true)
    expect(significanceOf(rateOf(10, 30), rateOf(9, 30), month).smallSample).toBe(false)
  })

  it('a count uses the periods’ lengths', () => {
    expect(significanceOf(countOf(60), countOf(45), { current: 60, previous: 30 })).toEqual({
      test: 'poisson',
      p: 0.04856,
      significant: true,
      smallSample: false,
    })
  })

  it('no test without both periods or with mixed kinds', () => {
    const none = { test: null, p: null, significant: null, smallSample: false }
    expect(significanceOf(countOf(3), null, month)).toEqual(none)
    expect(significanceOf(countOf(3), rateOf(1, 3), month)).toEqual(none)
    expect(significanceOf(rateOf(3, 0), rateOf(1, 3), month)).toEqual(none)
  })
})

/** The definition, term by term: every k no more likely than x (reference for the fast tails). */
function bruteBinomialP(x: number, n: number, p: number): number {
  const logPmf = (k: number) =>
    logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1) + k * Math.log(p) + (n - k) * Math.log1p(-p)
  const limit = logPmf(x) + Math.log1p(1e-7)
  let sum = 0
  for (let k = 0; k <= n; k++) if (logPmf(k) <= limit) sum += Math.exp(logPmf(k))
  return Math.min(1, sum)
}

describe('properties', () => {
  it('the binomial tails equal the term-by-term sum', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3000 }).chain((n) => fc.tuple(fc.integer({ min: 0, max: n }), fc.constant(n))),
        fc.double({ min: 0.01, max: 0.99, noNaN: true }),
        ([x, n], p) => {
          const want = bruteBinomialP(x, n, p)
          expect(Math.abs(binomialTwoSidedP(x, n, p) - want)).toBeLessThan(1e-12 + want * 1e-9)
        },
      ),
      { numRuns: 300 },
    )
  })

  const trials = fc.integer({ min: 1, max: 400 })
  const proportion = trials.chain((n) => fc.tuple(fc.integer({ min: 0, max: n }), fc.constant(n)))
  const count = fc.integer({ min: 0, max: 600 })
  const days = fc.integer({ min: 1, max: 400 })

  it('p is in [0, 1] and symmetric in the two periods (rates)', () => {
    fc.assert(
      fc.property(proportion, proportion, ([x1, n1], [x2, n2]) => {
        const p = twoProportionP(x1, n1, x2, n2) as number
        expect(p).toBeGreaterThanOrEqual(0)
        expect(p).toBeLessThanOrEqual(1)
        expect(twoProportionP(x2, n2, x1, n1)).toBeCloseTo(p, 12)
      }),
    )
  })

  it('p is in [0, 1] and symmetric in the two periods (counts)', () => {
    fc.assert(
      fc.property(count, days, count, days, (c1, t1, c2, t2) => {
        const p = poissonRatesP(c1, t1, c2, t2) as number
        expect(p).toBeGreaterThanOrEqual(0)
        expect(p).toBeLessThanOrEqual(1 + 1e-12)
        expect(poissonRatesP(c2, t2, c1, t1)).toBeCloseTo(p, 9)
      }),
    )
  })

  it('the same figure in both periods is never significant', () => {
    fc.assert(
      fc.property(proportion, count, days, ([x, n], c, t) => {
        expect(significanceOf(rateOf(x, n), rateOf(x, n), { current: t, previous: t })).toMatchObject({
          p: 1,
          significant: false,
        })
        expect(significanceOf(countOf(c), countOf(c), { current: t, previous: t })).toMatchObject({
          p: 1,
          significant: false,
        })
        // the same daily rate over periods of different length
        expect(significanceOf(countOf(2 * c), countOf(c), { current: 2 * t, previous: t }).significant).toBe(false)
      }),
    )
  })

  it('a count further from the other period’s never has a larger p', () => {
    fc.assert(
      fc.property(count, count, days, (c1, c2, t) => {
        fc.pre(c1 >= c2)
        const near = poissonRatesP(c1, t, c2, t) as number
        const far = poissonRatesP(c1 + 5, t, c2, t) as number
        expect(far).toBeLessThanOrEqual(near + 1e-9)
      }),
    )
  })
})
