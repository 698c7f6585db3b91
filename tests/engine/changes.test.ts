import { describe, expect, it } from 'vitest'
import { recordWithChanges, storedRate, withChanges, type ChangeSpec } from '../../src/engine/changes'
import { buildReport, prepare } from '../../src/engine/index'
import { MARCH, marchPortal } from './march'
import { school } from './school'
import { addDeal } from './builders'
import { twoProportionP } from '../../src/engine/significance'

interface Row {
  id: string
  won: number
  lost: number
  conversion: number | null
  sum: number
  calls: { count: number }
}
const row = (id: string, won: number, lost: number, sum = 0, calls = 0): Row => ({
  id,
  won,
  lost,
  conversion: won + lost ? won / (won + lost) : null,
  sum,
  calls: { count: calls },
})
const SPEC: ChangeSpec<Row> = {
  won: 'count',
  'calls.count': 'count',
  conversion: (r) => ({ num: r.won, den: r.won + r.lost }),
}
const MONTH = { current: 31, previous: 30 }

describe('withChanges: the helper every section uses', () => {
  const cur = [row('a', 15, 35, 100, 40), row('b', 3, 2), row('new', 4, 4)]
  const prev = [row('a', 25, 25, 90, 20), row('b', 2, 3)]
  const out = withChanges(cur, prev, (r) => r.id, SPEC, MONTH)

  it('pairs rows by key and tests every field in the spec', () => {
    // R: prop.test(c(15, 25), c(50, 50), correct = FALSE) → p-value = 0.04123
    expect(out[0].changes!.conversion).toEqual({
      abs: -0.2,
      rel: -0.4,
      test: 'twoProportion',
      p: 0.04123,
      significant: true,
      smallSample: false,
    })
    expect(out[0].changes!.won).toMatchObject({ abs: -10, rel: -0.4, test: 'poisson' })
    // a nested field by its path
    expect(out[0].changes!['calls.count']).toMatchObject({ abs: 20, rel: 1, test: 'poisson', significant: true })
  })

  it('leaves fields outside the spec alone and keeps the row', () => {
    expect(Object.keys(out[0].changes!).sort()).toEqual(['calls.count', 'conversion', 'won'])
    expect(out[0]).toMatchObject(cur[0])
    expect(cur[0]).not.toHaveProperty('changes') // inputs are not mutated
  })

  it('marks a rate on fewer than 30 deals as a small sample, not significant', () => {
    expect(out[1].changes!.conversion).toMatchObject({ smallSample: true, significant: false })
  })

  it('a row without a comparison-period twin has no change', () => {
    expect(out[2].changes!.won).toEqual({
      abs: null,
      rel: null,
      test: null,
      p: null,
      significant: null,
      smallSample: false,
    })
  })

  it('a rate denominator from each period’s own context', () => {
    const spec: ChangeSpec<Row, number> = { won: (r, total) => ({ num: r.won, den: total }) }
    const sized = recordWithChanges({ s: row('s', 15, 0) }, { s: row('s', 25, 0) }, spec, MONTH, {
      current: 50,
      previous: 50,
    })
    expect(sized.s.changes!.won.p).toBe(0.04123)
    const other = recordWithChanges({ s: row('s', 15, 0) }, { s: row('s', 25, 0) }, spec, MONTH, {
      current: 50,
      previous: 100,
    })
    expect(other.s.changes!.won.p).toBeGreaterThan(0.05) // 30 % against 25 %
  })

  it('storedRate recovers a numerator from a four-decimal rate', () => {
    expect(storedRate(0.7143, 7)).toEqual({ num: 5, den: 7 })
    expect(storedRate(1 / 3, 9999)).toEqual({ num: 3333, den: 9999 })
    expect(storedRate(1.2, 10)).toBeNull() // not a proportion
    expect(storedRate(null, 10)).toBeNull()
    expect(storedRate(0.5, 0)).toBeNull()
  })
})

describe('the report attaches changes once, for every section', () => {
  const r = buildReport(prepare(marchPortal()), { ...MARCH, compare: 'previous' })

  it('current-period rows carry changes; the comparison period’s rows do not', () => {
    const city = r.cities[0]
    expect(city.changes!.created).toMatchObject({ abs: 6, test: 'poisson', p: 0.07153, significant: false })
    expect(r.comparison!.cities[0]).not.toHaveProperty('changes')
    const stages = r.funnel.cohort[0].stages
    const first = r.funnel.cohort[0].order[0]
    expect(stages[first].changes!.reached.test).toBe('poisson')
    expect(Object.keys(r.churn[0].cohort[first].changes!).sort()).toEqual(['churn', 'lostAt', 'reached'])
    expect(r.managers.every((m) => m.changes && 'conversion' in m.changes)).toBe(true)
    expect(r.leads.changes!.total.test).toBe('poisson')
    expect(r.touches.changes!.withTouches.test).toBe('poisson')
    expect(r.timing.toFirstTouch.changes!.noTouch.test).toBe('poisson')
  })

  it('the funnel’s “of the start” rate uses each period’s own cohort size', () => {
    const pl = r.funnel.cohort[0]
    const prev = r.comparison!.funnel.cohort[0]
    const id = pl.order[1]
    // reached/size in each period: 5/7 now, 1/1 in February (by hand: pooled 6/8, z = −0.6172)
    expect(pl.stages[id].overall).toBe(0.7143)
    expect(prev.stages[id].overall).toBe(1)
    expect(pl.stages[id].changes!.overall).toMatchObject({ test: 'twoProportion', p: 0.5371, smallSample: true })
  })

  it('no comparison period, no changes', () => {
    const none = buildReport(prepare(marchPortal()), { ...MARCH, compare: 'none' })
    expect(none.cities[0]).not.toHaveProperty('changes')
    expect(none.kpis.won).toMatchObject({ previous: null, significant: null })
  })
})

describe('consultations and the lead-to-deal funnel carry changes too', () => {
  // the school's consultation pipeline (tests/engine/school.ts), second half of March against the
  // first: bookings on the 2nd–4th (held, no-show, no-show) and the 17th–19th (held, held, no-show)
  const data = school()
  const outcomes: [number, string][] = [
    [2, 'HELD'],
    [3, 'NOSHOW'],
    [4, 'NOSHOW'],
    [17, 'HELD'],
    [18, 'HELD'],
    [19, 'NOSHOW'],
    [20, 'BOOKED'], // still booked: counts as a booking, not in the attendance rate
  ]
  for (const [day, outcome] of outcomes) {
    const d = `2024-03-${String(day).padStart(2, '0')}`
    addDeal(data, {
      id: day,
      stageId: outcome,
      created: `${d}T09:00:00+03:00`,
      history: [
        ['NEW', `${d}T09:00:00+03:00`],
        ['BOOKED', `${d}T10:00:00+03:00`],
        ...(outcome === 'BOOKED' ? [] : [[outcome, `${d}T11:00:00+03:00`] as [string, string]]),
      ],
    })
  }
  const r = buildReport(prepare(data), {
    from: '2024-03-16',
    to: '2024-03-31',
    compare: 'previous',
    now: Date.parse('2024-04-15T12:00:00+03:00'),
  })
  const cur = r.consultations
  const prev = r.comparison!.consultations

  it('attendance and no-show rates are tested over held + no-show of each period', () => {
    const a = cur.attendance
    const b = prev.attendance
    expect([a.bookings, a.held, a.noShow, b.bookings, b.held, b.noShow]).toEqual([4, 2, 1, 3, 1, 2])
    // 2 of 3 against 1 of 3: pooled ½, se = √(¼ · ⅔), z = ⅓/0.4082 = 0.8165 → p = 0.4142, on 3 bookings
    expect(a.changes!.attendanceRate).toMatchObject({ test: 'twoProportion', p: 0.4142, smallSample: true })
    expect(a.changes!.noShowRate).toMatchObject({ abs: -0.3334, p: 0.4142, significant: false })
    expect(a.changes!.held).toMatchObject({ abs: a.held - b.held, test: 'poisson' })
  })

  it('re-booking share over the no-shows; counts behind the time figures', () => {
    expect(Object.keys(cur.rebooking.changes!).sort()).toEqual(['noShows', 'rebooked', 'share'])
    expect(cur.timeToContract.changes!.count.abs).toBe(cur.timeToContract.count - prev.timeToContract.count)
    expect(cur.contactsToFirstConsultation.changes!.count.test).toBe('poisson')
  })

  it('each lead-to-deal step over the one before it', () => {
    const l = r.leadToDeal
    const q = r.comparison!.leadToDeal
    const p = twoProportionP(l.converted, l.leads, q.converted, q.leads)
    expect(l.changes!['conversion.converted'].p).toBe(p === null ? null : Number(p.toPrecision(4)))
    expect(l.changes!.won.test).toBe('poisson')
  })
})
