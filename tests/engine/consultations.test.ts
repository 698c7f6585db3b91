/**
 * Consultation figures (metrics.md "Consultations"), one hand-made deal per rule: implied
 * booking/held on a jump, no-show counted from actual entries only, re-booking, no-show then
 * lost, a booking followed by another booking, negative durations, contacts from the lead.
 */
import { describe, expect, it } from 'vitest'
import { buildReport, drillDown, prepare, type DrillRef } from '../../src/engine/index'
import type { CrmData } from '../../src/engine/types'
import { addDeal, addLead, ids } from './builders'
import { school } from './school'

const t = (s: string) => `2024-${s}:00+03:00`
const MARCH = { from: '2024-03-01', to: '2024-03-31', compare: 'previous' as const, now: Date.parse(t('04-15T12:00')) }
const H = 3_600_000

/**
 * Adds a deal that walked `steps` (stage, 'MM-DDTHH:mm' in 2024, Moscow time): created at the first
 * step unless `deal.created` says otherwise, and now in the last step's stage.
 */
function walk(
  data: CrmData,
  deal: { id: number; created?: string; cityId?: string; leadId?: number },
  steps: [string, string][],
) {
  const history = steps.map(([stage, at]): [string, string] => [stage, t(at)])
  addDeal(data, { created: history[0][1], ...deal, stageId: steps[steps.length - 1][0], history })
}

function report(data: CrmData, q: Record<string, unknown> = {}) {
  const p = prepare(data)
  const query = { ...MARCH, ...q }
  return {
    r: buildReport(p, query),
    drill: (ref: DrillRef) => ids(drillDown(p, query, ref)),
  }
}

describe('jump new → contract', () => {
  const data = school()
  walk(data, { id: 1 }, [
    ['NEW', '03-01T10:00'],
    ['CONTRACT', '03-03T10:00'],
  ])
  const { r, drill } = report(data)
  const c = r.consultations

  it('has one implied booking and one implied held at the jump, and no no-show', () => {
    expect(c.attendance).toMatchObject({ bookings: 1, held: 1, noShow: 0, lost: 0, none: 0, attendanceRate: 1 })
    expect(c.rebooking).toMatchObject({ noShows: 0, rebooked: 0, share: null, medianHours: null })
    expect(c.bookingsBeforeContract).toMatchObject({ deals: 1, mean: 1, distribution: { '1': 1, '2': 0, '3+': 0 } })
  })

  it('times contract and first consultation from creation to the jump', () => {
    expect(c.timeToContract).toMatchObject({ count: 1, mean: 48, median: 48, p90: 48, negative: 0 })
    expect(c.contactsToFirstConsultation).toMatchObject({ count: 1, median: 48, negative: 0 })
    expect(drill({ section: 'consultations', measure: 'held' })).toEqual([1])
    expect(drill({ section: 'consultations', measure: 'noShow' })).toEqual([])
  })
})

describe('no-show, re-booking and outcomes', () => {
  const data = school()
  // Booked → no-show → booked again → held (the move to HELD jumps over NOSHOW: implied, not a no-show).
  walk(data, { id: 1, cityId: 'MSK' }, [
    ['NEW', '03-01T10:00'],
    ['BOOKED', '03-02T10:00'],
    ['NOSHOW', '03-03T10:00'],
    ['BOOKED', '03-04T16:00'],
    ['HELD', '03-05T10:00'],
    ['CONTRACT', '03-06T10:00'],
  ])
  // No-show, then lost: the booking's outcome is the no-show; never re-booked.
  walk(data, { id: 2, cityId: 'MSK' }, [
    ['NEW', '03-01T10:00'],
    ['BOOKED', '03-02T10:00'],
    ['NOSHOW', '03-03T10:00'],
    ['LOSE', '03-04T10:00'],
  ])
  // Booked, back to QUAL, booked again, held: the first booking is "none".
  walk(data, { id: 3, cityId: 'SPB' }, [
    ['NEW', '03-01T10:00'],
    ['BOOKED', '03-02T10:00'],
    ['QUAL', '03-03T10:00'],
    ['BOOKED', '03-04T10:00'],
    ['HELD', '03-05T10:00'],
  ])
  // Booked, then lost.
  walk(data, { id: 4, cityId: 'SPB' }, [
    ['NEW', '03-01T10:00'],
    ['BOOKED', '03-02T10:00'],
    ['LOSE', '03-03T10:00'],
  ])
  // Booked, nothing yet.
  walk(data, { id: 5 }, [
    ['NEW', '03-01T10:00'],
    ['BOOKED', '03-20T10:00'],
  ])
  // Booked in February: not a booking of March (its no-show in March still is a March no-show).
  walk(data, { id: 6 }, [
    ['NEW', '02-01T10:00'],
    ['BOOKED', '02-27T10:00'],
    ['NOSHOW', '03-02T10:00'],
    ['BOOKED', '03-02T22:00'],
  ])
  const { r, drill } = report(data)
  const c = r.consultations

  it('gives every booking of the period one outcome', () => {
    // Deal 1: noShow, held; 2: noShow; 3: none, held; 4: lost; 5: none; 6: (February's booking not counted), none.
    expect(c.attendance).toMatchObject({ bookings: 8, held: 2, noShow: 2, lost: 1, none: 3 })
    expect(c.attendance).toMatchObject({ attendanceRate: 0.5, noShowRate: 0.5 })
  })

  it('counts no-shows from actual entries and times the re-booking', () => {
    // Deal 1 re-booked after 30 h, deal 6 after 12 h; deal 2 never.
    expect(c.rebooking).toMatchObject({ noShows: 3, rebooked: 2, share: 0.6667, medianHours: 21 })
    expect(drill({ section: 'consultations', measure: 'noShows' })).toEqual([1, 2, 6])
    expect(drill({ section: 'consultations', measure: 'rebooked' })).toEqual([1, 6])
  })

  it('counts the bookings before the first contract', () => {
    expect(c.bookingsBeforeContract).toMatchObject({ deals: 1, mean: 2, distribution: { '1': 0, '2': 1, '3+': 0 } })
    expect(drill({ section: 'consultations', measure: 'bookingsBeforeContract', bucket: '2' })).toEqual([1])
    expect(drill({ section: 'consultations', measure: 'bookingsBeforeContract', bucket: '1' })).toEqual([])
  })

  it('drills into each outcome', () => {
    expect(drill({ section: 'consultations', measure: 'bookings' })).toEqual([1, 2, 3, 4, 5, 6])
    expect(drill({ section: 'consultations', measure: 'held' })).toEqual([1, 3])
    expect(drill({ section: 'consultations', measure: 'noShow' })).toEqual([1, 2])
    expect(drill({ section: 'consultations', measure: 'lost' })).toEqual([4])
    expect(drill({ section: 'consultations', measure: 'none' })).toEqual([3, 5, 6])
  })

  it('splits by city, and a split drills to its deals', () => {
    const msk = c.attendance.splits.city!.find((x) => x.key === 'MSK')!
    expect(msk).toMatchObject({ name: 'Moscow', bookings: 3, held: 1, noShow: 2, lost: 0, none: 0 })
    const spb = c.attendance.splits.city!.find((x) => x.key === 'SPB')!
    expect(spb).toMatchObject({ bookings: 3, held: 1, noShow: 0, lost: 1, none: 1 })
    expect(c.rebooking.splits.city!.find((x) => x.key === 'MSK')).toMatchObject({ noShows: 2, rebooked: 1 })
    expect(drill({ section: 'consultations', measure: 'noShow', split: { dim: 'city', key: 'MSK' } })).toEqual([1, 2])
  })
})

describe('three bookings, period edges and negative durations', () => {
  const data = school()
  walk(data, { id: 1 }, [
    ['NEW', '03-01T10:00'],
    ['BOOKED', '03-02T10:00'],
    ['NOSHOW', '03-03T10:00'],
    ['BOOKED', '03-04T10:00'],
    ['NOSHOW', '03-05T10:00'],
    ['BOOKED', '03-06T10:00'],
    ['CONTRACT', '03-07T10:00'],
  ])
  // First contract in February, back and contract again in March: not counted in March.
  walk(data, { id: 2 }, [
    ['NEW', '02-01T10:00'],
    ['CONTRACT', '02-10T10:00'],
    ['HELD', '03-02T10:00'],
    ['CONTRACT', '03-03T10:00'],
  ])
  // Contract recorded before the deal's DATE_CREATE (bad data): left out and counted apart.
  walk(data, { id: 3, created: t('03-10T10:00') }, [
    ['NEW', '03-05T10:00'],
    ['CONTRACT', '03-08T10:00'],
  ])
  const { r, drill } = report(data)
  const c = r.consultations

  it('puts three bookings in 3+', () => {
    expect(c.bookingsBeforeContract).toMatchObject({ deals: 2, distribution: { '1': 1, '2': 0, '3+': 1 }, mean: 2 })
    expect(drill({ section: 'consultations', measure: 'bookingsBeforeContract', bucket: '3+' })).toEqual([1])
  })

  it('leaves negative durations out of the stats and counts them', () => {
    expect(c.timeToContract).toMatchObject({ count: 1, median: 144, negative: 1 })
    expect(drill({ section: 'consultations', measure: 'timeToContract' })).toEqual([1])
    expect(drill({ section: 'consultations', measure: 'timeToContractNegative' })).toEqual([3])
    // Deal 3's implied held (at the jump, 03-08) is also before its creation.
    expect(c.contactsToFirstConsultation).toMatchObject({ negative: 1 })
  })

  it('re-booked twice: both no-shows count', () => {
    expect(c.rebooking).toMatchObject({ noShows: 2, rebooked: 2, share: 1, medianHours: 24 })
  })

  it('the comparison period has the same section', () => {
    const prev = r.comparison!.consultations
    expect(Object.keys(prev)).toEqual(Object.keys(c))
    // February: deal 2's first contract (9 days after creation).
    expect(prev.timeToContract).toMatchObject({ count: 1, median: 216 })
  })
})

describe('contacts to first consultation', () => {
  it('starts at the source lead when the deal came from one, else at the deal', () => {
    const data = school()
    addLead(data, { id: 50, created: t('02-25T10:00'), semantic: 'S' })
    walk(data, { id: 1, leadId: 50 }, [
      ['NEW', '03-01T10:00'],
      ['BOOKED', '03-02T10:00'],
      ['HELD', '03-04T10:00'],
    ])
    // A lead id not in the data: the deal's own creation.
    walk(data, { id: 2, leadId: 999 }, [
      ['NEW', '03-01T10:00'],
      ['HELD', '03-02T10:00'],
    ])
    const { r } = report(data)
    const f = r.consultations.contactsToFirstConsultation
    // 8 days = 192 h (deal 1, from the lead), 24 h (deal 2).
    expect(f).toMatchObject({ count: 2, mean: 108, median: 108, negative: 0 })
    expect(f.p90).toBeCloseTo(24 + 0.9 * 168, 2)
  })
})

describe('roles not set', () => {
  it('reports empty figures and says which roles are missing', () => {
    const data = school()
    data.settings.consultationStageIds = []
    data.settings.noShowStageIds = []
    walk(data, { id: 1 }, [
      ['NEW', '03-01T10:00'],
      ['CONTRACT', '03-03T10:00'],
    ])
    const c = report(data).r.consultations
    expect(c.roles).toEqual({ booked: false, noShow: false, held: true, contract: true })
    expect(c.attendance.bookings).toBe(0)
    expect(c.attendance.attendanceRate).toBeNull()
    expect(c.bookingsBeforeContract).toMatchObject({ deals: 1, mean: 0, noBooking: 1 })
  })
})

describe('durations in hours', () => {
  it('interpolates the p90 linearly', () => {
    const data = school()
    for (let i = 1; i <= 5; i++)
      addDeal(data, {
        id: i,
        stageId: 'CONTRACT',
        created: t('03-01T00:00'),
        history: [
          ['NEW', t('03-01T00:00')],
          ['CONTRACT', new Date(Date.parse(t('03-01T00:00')) + i * 10 * H).toISOString()],
        ],
      })
    const f = report(data).r.consultations.timeToContract
    // 10, 20, 30, 40, 50 h: p90 at position 3.6 → 46 h.
    expect(f).toMatchObject({ count: 5, mean: 30, median: 30, p90: 46 })
  })
})
