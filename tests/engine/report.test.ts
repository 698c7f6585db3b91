import { describe, expect, it } from 'vitest'
import { buildReport, kpi, prepare } from '../../src/engine/index'
import { addDeal, at, portal } from './builders'
import { MARCH, marchPortal } from './march'

/** Every number in the report is finite; no undefined, Map or NaN sneaks into the JSON. */
function assertPlainJson(v: unknown, path = 'report'): void {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error(`${path} is ${v}`)
    return
  }
  if (Array.isArray(v)) return v.forEach((x, i) => assertPlainJson(x, `${path}[${i}]`))
  if (typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    for (const [k, x] of Object.entries(v as object)) {
      if (x === undefined) throw new Error(`${path}.${k} is undefined`)
      assertPlainJson(x, `${path}.${k}`)
    }
    return
  }
  throw new Error(`${path} is not plain JSON (${Object.prototype.toString.call(v)})`)
}

describe('report', () => {
  const p = prepare(marchPortal())
  const r = buildReport(p, { ...MARCH, compare: 'previous' })

  it('has every section and is plain JSON', () => {
    expect(Object.keys(r).sort()).toEqual(
      [
        'churn',
        'cities',
        'clients',
        'comparison',
        'consultations',
        'dataDays',
        'forecast',
        'funnel',
        'kpis',
        'leadToDeal',
        'leads',
        'lossReasons',
        'managers',
        'overdue',
        'period',
        'plan',
        'quality',
        'roi',
        'series',
        'sources',
        'stagesOnDate',
        'stuck',
        'timing',
        'touches',
      ].sort(),
    )
    assertPlainJson(r)
    expect(JSON.parse(JSON.stringify(r))).toEqual(r)
  })

  it('the period and the comparison period (previous calendar month)', () => {
    expect(r.period).toMatchObject({
      from: '2024-03-01',
      to: '2024-03-31',
      days: 31,
      timeZone: '+03:00',
      currency: 'RUB',
      bucket: 'day',
    })
    expect(r.period.start).toBe(at('2024-03-01T00:00:00+03:00'))
    expect(r.comparison!.period).toMatchObject({ from: '2024-02-01', to: '2024-02-29', days: 29 })
    // February's cohort is deal 5 alone (deal 8 is March 1 in +03:00).
    expect(r.comparison!.funnel.cohort[0].size).toBe(1)
  })

  const noTest = { test: null, p: null, significant: null, smallSample: false }

  it('KPIs carry value, previous, absolute and relative change and its significance', () => {
    // 7 deals in March's 31 days against 1 in February's 29: given 8, March's share under equal
    // daily rates is Binomial(8, 31/60); P(7 or 8, or as unlikely) = 0.07153 — not significant.
    expect(r.kpis.dealsCreated).toEqual({
      value: 7,
      previous: 1,
      abs: 6,
      rel: 6,
      test: 'poisson',
      p: 0.07153,
      significant: false,
      smallSample: false,
    })
    // Won in March: 1 and 9; none in February → relative change undefined;
    // p = (31/60)² + (29/60)² = 0.5006 (both deals in one month, either one).
    expect(r.kpis.won).toMatchObject({ value: 2, previous: 0, abs: 2, rel: null, test: 'poisson', p: 0.5006 })
    // money has no test
    expect(r.kpis.wonSum).toEqual({ value: 3000, previous: 0, abs: 3000, rel: null, ...noTest })
    expect(r.kpis.lost.value).toBe(3) // 2, 4, 5
    // nothing closed in February: no rate to compare
    expect(r.kpis.conversion).toEqual({ value: 0.4, previous: null, abs: null, rel: null, ...noTest })
    expect(r.kpis.meanTimeToWin.value).toBe(96) // 120 h and 72 h
    expect(r.kpis.forecast.previous).toBeNull()
  })

  it('the win-rate KPI is tested as a rate of the closed deals', () => {
    // March 11–31 against the 21 days before: won 1 of 2 closed, and 1 of 3.
    // Pooled 2/5, se = √(0.4 · 0.6 · (1/2 + 1/3)) = √0.2, z = (1/2 − 1/3)/√0.2 = 0.3727 → p = 0.7094.
    const rep = buildReport(p, { ...MARCH, from: '2024-03-11', to: '2024-03-31', compare: 'previous' })
    expect(rep.kpis.conversion).toEqual({
      value: 0.5,
      previous: 0.3333,
      abs: 0.1667,
      rel: 0.5002,
      test: 'twoProportion',
      p: 0.7094,
      significant: false,
      smallSample: true,
    })
  })

  it('kpi(): rel is null when the previous value is 0 or null', () => {
    expect(kpi(5, 4)).toEqual({ value: 5, previous: 4, abs: 1, rel: 0.25, ...noTest })
    expect(kpi(5, 0)).toEqual({ value: 5, previous: 0, abs: 5, rel: null, ...noTest })
    expect(kpi(null, 3)).toEqual({ value: null, previous: 3, abs: null, rel: null, ...noTest })
  })

  it('series are bucketed in the portal zone and aligned bucket by bucket with the comparison', () => {
    const s = r.series
    expect(s.labels).toHaveLength(31)
    expect(s.comparisonLabels![0]).toBe('2024-02-01')
    expect(s.comparisonLabels![29]).toBeNull() // February has 29 days
    expect(s.comparison!.created[29]).toBeNull()
    expect(s.current.created[0]).toBe(2) // deals 7 (00:00) and 8 (23:30 UTC the day before)
    expect(s.current.created[4]).toBe(2) // deals 1 and 2 on March 5
    expect(s.current.won[9]).toBe(1) // deal 1 won March 10
    expect(s.current.revenue[14]).toBe(2000) // deal 9 won March 15
    expect(s.comparison!.created[27]).toBe(1) // deal 5 on February 28
  })

  it('compares with the same period one year earlier', () => {
    const y = buildReport(p, { ...MARCH, compare: 'year' })
    expect(y.comparison!.period).toMatchObject({ from: '2023-03-01', to: '2023-03-31' })
  })

  it('converts amounts to the report currency', () => {
    const data = marchPortal()
    data.currencies.push({ code: 'EUR', rate: 100, base: false })
    addDeal(data, {
      id: 50,
      stageId: 'WON',
      created: '2024-03-20T10:00:00+03:00',
      amount: 12.345,
      currency: 'EUR',
      history: [
        ['NEW', '2024-03-20T10:00:00+03:00'],
        ['WON', '2024-03-21T10:00:00+03:00'],
      ],
    })
    const rep = buildReport(prepare(data), { ...MARCH })
    expect(rep.kpis.wonSum.value).toBe(4234.5) // 3000 + 12.345 × 100
  })

  it('reports into a non-base currency', () => {
    const data = marchPortal()
    data.portal.currency = 'USD'
    data.currencies.push({ code: 'USD', rate: 80, base: false })
    const rep = buildReport(prepare(data), { ...MARCH })
    expect(rep.kpis.wonSum.value).toBe(37.5) // 3000 RUB / 80
  })

  it('cuts periods and day buckets in a DST zone (Europe/Berlin, last Sunday of March and October)', () => {
    const data = portal({ timeZone: 'Europe/Berlin' })
    const deal = (id: number, iso: string) =>
      addDeal(data, { id, stageId: 'NEW', created: iso, history: [['NEW', iso]] })
    deal(1, '2024-03-31T00:30:00+01:00') // before the jump: March 31
    deal(2, '2024-03-31T23:30:00+02:00') // after the jump, still March 31 (21:30 UTC)
    deal(3, '2024-04-01T00:00:00+02:00') // April 1 00:00 local = 22:00 UTC March 31: outside March
    deal(4, '2024-10-27T02:30:00+01:00') // the repeated hour, second pass: October 27
    deal(5, '2024-10-27T23:30:00+01:00') // 22:30 UTC: still October 27
    deal(6, '2024-10-28T00:00:00+01:00') // October 28
    const pm = prepare(data)
    const march = buildReport(pm, { from: '2024-03-30', to: '2024-03-31', compare: 'none', bucket: 'day' })
    expect(march.kpis.dealsCreated.value).toBe(2)
    expect(march.series.current.created).toEqual([0, 2])
    expect(march.period.end - march.period.start).toBe(47 * 3_600_000)
    const oct = buildReport(pm, { from: '2024-10-27', to: '2024-10-28', compare: 'none', bucket: 'day' })
    expect(oct.series.labels).toEqual(['2024-10-27', '2024-10-28'])
    expect(oct.series.current.created).toEqual([2, 1])
  })

  it('an empty portal gives an empty, valid report', () => {
    const empty = portal({ pipelines: [] })
    empty.currencies = []
    const rep = buildReport(prepare(empty), { ...MARCH, compare: 'previous' })
    assertPlainJson(rep)
    expect(rep.funnel.cohort).toEqual([])
    // 0 against 0: tested, and nothing happened
    expect(rep.kpis.dealsCreated).toMatchObject({ value: 0, previous: 0, abs: 0, rel: null, p: 1, significant: false })
    expect(rep.kpis.conversion.value).toBeNull()
    expect(rep.series.current.created.every((v) => v === 0)).toBe(true)
  })

  it('refuses a bad query with a message', () => {
    expect(() => buildReport(p, { ...MARCH, from: '2024-04-01' })).toThrow(/before it starts/)
    expect(() => buildReport(p, { ...MARCH, to: '31.03.2024' })).toThrow(/YYYY-MM-DD/)
    expect(() => buildReport(p, { ...MARCH, compare: 'last' as never })).toThrow(
      /compare must be one of previous, year, none/,
    )
    expect(() => buildReport(p, { ...MARCH, breakdown: 'color' as never })).toThrow(/breakdown must be one of/)
  })
})
