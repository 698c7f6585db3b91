/**
 * The pure half of a delta (src/sync/delta-rows.ts), on hand-made rows: which jobs it asks for,
 * which answered rows change the cache, when a table is swept, what counts as written, and the
 * dump after the change.
 */
import { describe, expect, it } from 'vitest'
import { emptyDump } from '../../src/b24/wire'
import type { TableName } from '../../src/b24/tables'
import type { WireRow } from '../../src/sync/cache'
import {
  applyToDump,
  changedRows,
  changesData,
  deltaJobs,
  dumpTables,
  planChange,
  rowsWritten,
  sameTable,
  type DeltaChange,
} from '../../src/sync/delta-rows'

const deal = (id: number, stage = 'NEW'): WireRow => ({ ID: String(id), STAGE_ID: stage })
const status = (id: number, name: string): WireRow => ({ ID: String(id), NAME: name })
const SINCE = '2024-05-01T10:00:00+00:00'
const PORTAL = { domain: 'x.bitrix24.de', memberId: 'm', timeZone: 'Europe/Berlin', language: 'de' }
const noChange = (): DeltaChange => ({ upserts: {}, deletes: {}, replace: {} })

describe('deltaJobs', () => {
  it('asks a cursor table for new rows above the cached max id, modified rows since, and a count', () => {
    const jobs = deltaJobs(['deals'], new Map([['deals', [deal(7), deal(12), deal(3)]]]), SINCE)
    expect(jobs.map((j) => [j.key, j.kind, j.filter ?? null])).toEqual([
      ['deals#count', 'count', null],
      ['deals', 'cursor', null],
      ['deals#modified', 'cursor', { '>DATE_MODIFY': SINCE }],
    ])
    expect(jobs[1].state).toMatchObject({ cursor: 12 })
  })

  it('has no modified job where the table has no modified field (stage history only grows)', () => {
    expect(deltaJobs(['dealHistory'], new Map(), SINCE).map((j) => j.key)).toEqual(['dealHistory#count', 'dealHistory'])
  })

  it('asks an append-only table above its max id, and reloads a dictionary whole, sized from the cache', () => {
    const cached = new Map<TableName, WireRow[]>([
      ['calls', [{ ID: '40' }, { ID: '41' }]],
      ['statuses', [status(1, 'a'), status(2, 'b')]],
    ])
    const [calls, statuses, currencies] = deltaJobs(['calls', 'statuses', 'currencies'], cached, SINCE)
    expect(calls).toMatchObject({ key: 'calls', filter: { '>ID': 41 } })
    expect(statuses.filter).toBeUndefined()
    expect(statuses.state).toMatchObject({ total: 3 })
    expect(currencies.state).toMatchObject({ total: null })
  })
})

describe('changedRows and sameTable', () => {
  it('keeps new and changed rows, drops the overlap’s unchanged ones, keeps keyless rows', () => {
    const cached = [deal(1), deal(2)]
    const fresh = [deal(1), deal(2, 'WON'), deal(3), { STAGE_ID: 'NEW' }]
    expect(changedRows('deals', cached, fresh)).toEqual([deal(2, 'WON'), deal(3), { STAGE_ID: 'NEW' }])
  })

  it('a reloaded dictionary is the same only with the same keyed rows', () => {
    const cached = [status(1, 'a'), status(2, 'b')]
    expect(sameTable('statuses', cached, [status(1, 'a'), status(2, 'b'), { NAME: 'no id' }])).toBe(true)
    expect(sameTable('statuses', cached, [status(1, 'a')])).toBe(false)
    expect(sameTable('statuses', cached, [status(1, 'a'), status(2, 'B')])).toBe(false)
    expect(sameTable('statuses', cached, [status(1, 'a'), status(2, 'b'), status(3, 'c')])).toBe(false)
  })
})

describe('planChange', () => {
  const tables: TableName[] = ['statuses', 'deals', 'leads']
  const cached = new Map<TableName, WireRow[]>([
    ['statuses', [status(1, 'a')]],
    ['deals', [deal(1), deal(2)]],
    ['leads', [deal(5)]],
  ])

  function answered(counts: Partial<Record<string, number>>, skipped: string[] = []) {
    const jobs = deltaJobs(tables, cached, SINCE)
    for (const j of jobs) {
      if (j.kind === 'count' && j.key in counts) j.state.total = counts[j.key]!
      if (skipped.includes(j.key)) j.state.skipped = 'ACCESS_DENIED'
    }
    return jobs
  }

  it('upserts changed rows, replaces a changed dictionary, and sweeps a table whose count disagrees', () => {
    const jobs = answered({ 'deals#count': 2, 'leads#count': 1 })
    const fetched = new Map<string, WireRow[]>([
      ['statuses', [status(1, 'A')]],
      ['deals', [deal(3)]],
      ['deals#modified', [deal(2), deal(1, 'WON')]],
    ])
    const plan = planChange(tables, jobs, cached, fetched)
    expect(plan.change).toEqual({
      upserts: { deals: [deal(3), deal(1, 'WON')] },
      deletes: {},
      replace: { statuses: [status(1, 'A')] },
    })
    // deals: 3 keys after the upserts, the portal counts 2 → one was deleted; leads agree.
    expect([...plan.toSweep]).toEqual([['deals', new Set(['1', '2', '3'])]])
  })

  it('leaves a refused table and an equal dictionary alone; sweeps when the portal counts more rows too', () => {
    // leads: the portal counts more rows than the cache will hold, which is a disagreement too.
    const jobs = answered({ 'deals#count': 99, 'leads#count': 2 }, ['deals'])
    const plan = planChange(tables, jobs, cached, new Map([['statuses', [status(1, 'a')]]]))
    expect(plan.change).toEqual(noChange())
    expect([...plan.toSweep.keys()]).toEqual(['leads'])
  })
})

describe('what a change counts as', () => {
  it('rows written are upserted rows plus every row of a replaced dictionary', () => {
    const change = { ...noChange(), upserts: { deals: [deal(1), deal(2)] }, replace: { statuses: [status(1, 'a')] } }
    expect(rowsWritten(change)).toBe(3)
  })

  it('a dictionary replaced by an empty one writes no row but changes the data', () => {
    const change = { ...noChange(), replace: { statuses: [] } }
    expect(rowsWritten(change)).toBe(0)
    expect(changesData(change, PORTAL, PORTAL)).toBe(true)
  })

  it('changes the data with any deletion or a new portal fact, and not when nothing moved', () => {
    expect(changesData(noChange(), PORTAL, PORTAL)).toBe(false)
    expect(changesData({ ...noChange(), deletes: { deals: ['1'] } }, PORTAL, PORTAL)).toBe(true)
    expect(changesData(noChange(), { ...PORTAL, timeZone: '+03:00' }, PORTAL)).toBe(true)
  })
})

describe('applyToDump', () => {
  it('applies upserts, deletes and replacements in id order, and leaves untouched tables as they were', () => {
    const dump = emptyDump(PORTAL)
    dumpTables(dump).deals = [deal(1), deal(2), deal(10)]
    dumpTables(dump).statuses = [status(1, 'a')]
    const leads = dumpTables(dump).leads
    const change: DeltaChange = {
      upserts: { deals: [deal(9), deal(2, 'WON')] },
      deletes: { deals: ['1'] },
      replace: { statuses: [status(2, 'b')] },
    }
    const portal = { ...PORTAL, timeZone: '+03:00' }
    const out = applyToDump(dump, ['deals', 'statuses', 'leads'], change, portal)
    expect(dumpTables(out).deals).toEqual([deal(2, 'WON'), deal(9), deal(10)])
    expect(dumpTables(out).statuses).toEqual([status(2, 'b')])
    expect(dumpTables(out).leads).toBe(leads)
    expect(out.portal).toBe(portal)
    expect(dumpTables(dump).deals).toEqual([deal(1), deal(2), deal(10)]) // the cached dump is not changed
  })
})
