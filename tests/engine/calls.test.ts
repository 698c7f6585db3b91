import { describe, expect, it } from 'vitest'
import { prepare } from '../../src/engine/prepare'
import { buildReport } from '../../src/engine/report'
import { isMissedCall } from '../../src/engine/calls'
import { addTouch, portal } from './builders'

describe('missed call (metrics.md "Calls per manager")', () => {
  const call = (direction: 'in' | 'out' | null, durationSec: number | null, callFailedCode?: string | null) => ({
    kind: 'call' as const,
    direction,
    durationSec,
    callFailedCode,
  })
  it.each([
    ['incoming, telephony says 304', call('in', 0, '304'), true],
    ['incoming, telephony says 603-S with a duration', call('in', 12, '603-S'), true],
    ['incoming, telephony says 200', call('in', 95, '200'), false],
    ['incoming activity, no telephony row, no duration', call('in', null), true],
    ['incoming activity, no telephony row, zero duration', call('in', 0, null), true],
    ['incoming activity, no telephony row, with duration', call('in', 40), false],
    ['outgoing, failed', call('out', 0, '486'), false],
    ['undirected, no duration', call(null, null), false],
  ])('%s', (_name, touch, missed) => {
    expect(isMissedCall(touch)).toBe(missed)
  })
  it('only calls can be missed', () => {
    expect(isMissedCall({ kind: 'email', direction: 'in', durationSec: null })).toBe(false)
  })
})

describe('calls per manager', () => {
  function report(q: object = {}) {
    const d = portal()
    const inMarch = (day: number) => `2024-03-${String(day).padStart(2, '0')}T10:00:00+03:00`
    // Anna: two answered incoming (60 s, 30 s), one missed incoming, one outgoing of 120 s.
    addTouch(d, { kind: 'call', direction: 'in', at: inMarch(1), durationSec: 60, callFailedCode: '200' })
    addTouch(d, { kind: 'call', direction: 'in', at: inMarch(2), durationSec: 30 })
    addTouch(d, { kind: 'call', direction: 'in', at: inMarch(3), durationSec: 0, callFailedCode: '304' })
    addTouch(d, { kind: 'call', direction: 'out', at: inMarch(4), durationSec: 120, callFailedCode: '200' })
    // Boris: two missed incoming; an e-mail and a February call do not count.
    addTouch(d, { kind: 'call', direction: 'in', at: inMarch(5), responsibleId: 2 })
    addTouch(d, { kind: 'call', direction: 'in', at: inMarch(6), responsibleId: 2, callFailedCode: '486' })
    addTouch(d, { kind: 'email', direction: 'in', at: inMarch(6), responsibleId: 2 })
    addTouch(d, { kind: 'call', direction: 'in', at: '2024-02-29T23:59:00+03:00', responsibleId: 2 })
    return buildReport(prepare(d), { from: '2024-03-01', to: '2024-03-31', compare: 'previous', ...q })
  }

  it('incoming, outgoing and missed counts and durations, share missed', () => {
    const r = report()
    const calls = (id: string) => r.managers.find((m) => m.managerId === id)?.calls
    expect(calls('1')).toEqual({
      count: 4,
      durationSec: 210,
      incoming: { count: 3, durationSec: 90 },
      outgoing: { count: 1, durationSec: 120 },
      missed: { count: 1, durationSec: 0 },
      missedShare: 0.3333,
    })
    expect(calls('2')).toMatchObject({ count: 2, incoming: { count: 2 }, missed: { count: 2 }, missedShare: 1 })
    expect(r.comparison?.managers.find((m) => m.managerId === '2')?.calls).toMatchObject({
      count: 1,
      missed: { count: 1 },
    })
  })

  it('the manager filter keeps only that manager’s calls', () => {
    expect(report({ managerIds: [2] }).managers.map((m) => m.managerId)).toEqual(['2'])
  })
})
