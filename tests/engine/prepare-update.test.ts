/**
 * The incremental update's paths, one named delta each (the random deltas are in
 * tests/engine-props/incremental.test.ts): every case must end exactly where a full `prepare` of
 * the new data ends, whichever part of the previous indexes it kept.
 */
import { describe, expect, it } from 'vitest'
import { buildReport, prepare, type Prepared } from '../../src/engine/index'
import { applyPatch, diffCrmData, patchSize } from '../../src/engine/patch'
import { updatePrepared } from '../../src/engine/prepare-update'
import type { CrmData } from '../../src/engine/types'
import { addDeal, addLead, addTouch, at, portal } from './builders'

function base(): CrmData {
  const data = portal()
  addLead(data, { id: 7, created: '2024-03-01T09:00+03:00', semantic: 'S' })
  addTouch(data, { id: 70, at: '2024-03-01T10:00+03:00', kind: 'call', leadIds: [7], responsibleId: 2 })
  addDeal(data, {
    id: 1,
    stageId: 'OFFER',
    created: '2024-03-02T10:00+03:00',
    leadId: 7,
    history: [
      ['NEW', '2024-03-02T10:00+03:00'],
      ['OFFER', '2024-03-04T10:00+03:00'],
    ],
  })
  addDeal(data, {
    id: 2,
    stageId: 'CONTACT',
    created: '2024-03-03T10:00+03:00',
    history: [
      ['NEW', '2024-03-03T10:00+03:00'],
      ['CONTACT', '2024-03-05T10:00+03:00'],
    ],
  })
  addDeal(data, { id: 3, stageId: 'NEW', created: '2024-03-06T10:00+03:00', assignedById: 9 })
  addTouch(data, { id: 71, at: '2024-03-03T12:00+03:00', kind: 'email', dealIds: [2], responsibleId: 1 })
  addTouch(data, { id: 72, at: '2024-03-06T12:00+03:00', kind: 'call', dealIds: [3], responsibleId: 9 })
  return data
}

const H = 3_600_000
const event = (id: number, ownerId: number, stageId: string, iso: string) => ({
  id,
  ownerId,
  typeId: 2,
  stageId,
  categoryId: 0,
  semantic: stageId === 'WON' ? ('S' as const) : stageId === 'LOSE' ? ('F' as const) : ('P' as const),
  at: at(iso),
})

/** Each case edits a copy of `base()` the way a sync delta lands. */
const CASES: { name: string; edit: (d: CrmData) => void }[] = [
  {
    name: 'a deal moves to a won stage (row and history change together)',
    edit: (d) => {
      Object.assign(d.deals[1], { stageId: 'WON', semantic: 'S', closed: true, movedAt: at('2024-03-08T10:00+03:00') })
      d.dealEvents.push(event(900, 2, 'WON', '2024-03-08T10:00+03:00'))
    },
  },
  {
    name: 'history arrives without a change of the deal row',
    edit: (d) => d.dealEvents.push(event(901, 1, 'CONTACT', '2024-03-03T10:00+03:00')),
  },
  {
    name: "an event's time is corrected",
    edit: (d) => (d.dealEvents[0] = { ...d.dealEvents[0], at: d.dealEvents[0].at - 5 * H }),
  },
  {
    name: 'a deal is created later, so its first touch after creation changes (touch lists rebuilt)',
    edit: (d) => (d.deals[1].createdAt += 5 * H),
  },
  {
    name: "a deal's lead changes, so the lead's earlier touches join it",
    edit: (d) => (d.deals[2].leadId = 7),
  },
  {
    name: 'a deal is deleted, its history left behind as orphan events',
    edit: (d) => d.deals.splice(0, 1),
  },
  {
    name: 'a deal is added from a lead with earlier touches',
    edit: (d) => {
      addDeal(d, { id: 4, stageId: 'CONTACT', created: '2024-03-09T10:00+03:00', leadId: 7 })
    },
  },
  {
    name: 'a deal goes to a manager no deal or lead had (touch-only codes move up)',
    edit: (d) => (d.deals[0].assignedById = 9),
  },
  {
    name: "a manager's only deal goes to another, his touches stay (touch-only codes in touch order)",
    edit: (d) => (d.deals[2].assignedById = 1),
  },
  {
    name: 'only an amount changes (everything else kept)',
    edit: (d) => (d.deals[0].amount = 5000),
  },
  {
    name: 'a touch is removed',
    edit: (d) => d.touches.splice(1, 1),
  },
  {
    name: 'a stage becomes a branch stage (the frame changes: full prepare)',
    edit: (d) => (d.settings = { ...d.settings, branchStageIds: ['CONTACT'] }),
  },
]

function comparable(p: Prepared): Record<string, unknown> {
  const { data: _data, toReportCurrency: _convert, tz, dims, ...rest } = p
  const keys = Object.fromEntries(Object.entries(dims).map(([k, c]) => [k, [c.dict.keys, c.dict.names, c.codes]]))
  return { ...rest, zone: tz.name, dims: keys }
}

describe('updatePrepared: each kind of delta ends where a full prepare ends', () => {
  it.each(CASES)('$name', ({ edit }) => {
    const before = base()
    const after = structuredClone(before)
    edit(after)
    const patch = diffCrmData(before, after)
    expect(patch).not.toBeNull()
    expect(patchSize(patch!)).toBeGreaterThan(0)
    const next = applyPatch(before, patch!)
    const updated = updatePrepared(prepare(before), next, patch!)
    expect(comparable(updated)).toEqual(comparable(prepare(after)))
    const query = { from: '2024-03-01', to: '2024-03-31', compare: 'previous' as const, now: at('2024-04-02T00:00Z') }
    expect(buildReport(updated, query)).toEqual(buildReport(prepare(after), query))
  })

  it('keeps the untouched indexes by reference when only deal rows changed (the touch lists are not rebuilt)', () => {
    const before = base()
    const after = structuredClone(before)
    after.deals[0].amount = 5000
    const patch = diffCrmData(before, after)!
    const prev = prepare(before)
    const updated = updatePrepared(prev, applyPatch(before, patch), patch)
    expect(updated.userTouchAt).toBe(prev.userTouchAt)
  })
})

describe('diffCrmData', () => {
  it('answers null when rows were reordered rather than appended (the patch could not rebuild the order)', () => {
    const before = base()
    const after = { ...before, deals: [before.deals[1], before.deals[0], before.deals[2]] }
    expect(diffCrmData(before, after)).toBeNull()
  })

  it('answers null for duplicate ids (a patch by id would be ambiguous)', () => {
    const before = base()
    const after = { ...before, deals: [...before.deals, before.deals[0]] }
    expect(diffCrmData(before, after)).toBeNull()
  })

  it('is empty for the same data rebuilt as new objects', () => {
    const before = base()
    expect(patchSize(diffCrmData(before, structuredClone(before))!)).toBe(0)
  })
})
