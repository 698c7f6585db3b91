/** The demo portal's counters (src/demo-portal/stats.ts): what they count and what reset clears. */
import { describe, expect, it } from 'vitest'
import { countFault, countMethod, createStats, logBatch } from '../../src/demo-portal/stats'

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

  it('keeps the latest 2,000 batches, oldest first, and reset empties them', () => {
    const stats = createStats()
    for (let i = 0; i < 2_005; i++) logBatch(stats, { at: i, ms: 1, commands: 50 })
    expect(stats.batches).toHaveLength(2_000)
    expect(stats.batches[0].at).toBe(5)
    expect(stats.batches.at(-1)!.at).toBe(2_004)
    stats.reset()
    expect(stats.batches).toEqual([])
  })
})
