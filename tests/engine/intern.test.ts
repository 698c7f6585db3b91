import { describe, expect, it } from 'vitest'
import { internStrings } from '../../src/engine/intern'
import { buildReport } from '../../src/engine/report'
import { prepare } from '../../src/engine/prepare'
import type { CrmData } from '../../src/engine/types'
import { addLead, addTouch } from './builders'
import { MARCH, marchPortal } from './march'

/** The March portal with the optional fields both present and absent. */
function portalWithOptionals(): CrmData {
  const data = marchPortal()
  addTouch(data, {
    at: '2024-03-05T10:00:00+03:00',
    kind: 'call',
    direction: 'in',
    callFailedCode: '304',
    dealIds: [1],
  })
  addTouch(data, { at: '2024-03-06T10:00:00+03:00', kind: 'email', dealIds: [2] })
  addLead(data, { id: 50, created: '2024-03-04T10:00:00+03:00', semantic: 'F' }).lossReasonId = 'R2'
  addLead(data, { id: 51, created: '2024-03-05T10:00:00+03:00', semantic: 'P' })
  data.deals[0].expectedCloseDay = '2024-03-20'
  return data
}

const sent = portalWithOptionals()
/** As the worker receives it: a structured clone (builders number rows from a counter, so build once). */
const received = (): CrmData => structuredClone(sent)

describe('internStrings', () => {
  it('keeps every value and every absent field as it was, in the same objects', () => {
    const data = received()
    const deals = data.deals
    const touch = data.touches[0]
    const out = internStrings(data)
    expect(out).toBe(data)
    expect(out.deals).toBe(deals)
    expect(out.touches[0]).toBe(touch)
    // toStrictEqual: a field set to undefined where it was absent would fail here.
    expect(out).toStrictEqual(received())
  })

  it('leaves the report as it was', () => {
    expect(buildReport(prepare(internStrings(received())), MARCH)).toEqual(buildReport(prepare(received()), MARCH))
  })
})
