/** The demo portal's counters (src/demo-portal/stats.ts): what they count and what reset clears. */
import { describe, expect, it } from 'vitest'
import { countFault, countMethod, createStats } from '../../src/demo-portal/stats'

describe('portal stats', () => {
  it('counts per method and per fault kind', () => {
    const stats = createStats()
    countMethod(stats, 'crm.deal.list')
    countMethod(stats, 'crm.deal.list')
    countMethod(stats, 'batch')
    countFault(stats, '503')
    expect(stats.byMethod).toEqual({ 'crm.deal.list': 2, batch: 1 })
    expect(stats.faults).toEqual({ 503: 1 })
  })

  it('reset clears every counter, and counting starts again from zero', () => {
    const stats = createStats()
    stats.requests = 7
    stats.rejected = 2
    countMethod(stats, 'profile')
    countFault(stats, 'drop')
    const before = stats.byMethod
    stats.reset()
    expect(stats).toMatchObject({ requests: 0, rejected: 0, byMethod: {}, faults: {} })
    countMethod(stats, 'user.current')
    expect(stats.byMethod).toEqual({ 'user.current': 1 })
    // A test holding the old map keeps its snapshot: reset hands out new maps, not cleared ones.
    expect(before).toEqual({ profile: 1 })
  })
})
