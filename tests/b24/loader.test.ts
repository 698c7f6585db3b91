import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  acceptChain,
  newCursorState,
  newOffsetState,
  planBatch,
  runJobs,
  runJobsInLanes,
  splitLanes,
  type BatchClient,
  type Job,
  type Planned,
} from '../../src/b24/loader'
import { TABLE_SPECS, type CursorSpec, type OffsetSpec } from '../../src/b24/tables'
import type { RunningPortal } from '../../src/demo-portal/server'
import type { B24Client } from '../../src/b24/client'
import type { DealRow } from '../../src/b24/wire'
import { demoDump, portalWith, webhookClient } from '../sync/portal'

const deals = TABLE_SPECS.deals as CursorSpec
const history = TABLE_SPECS.dealHistory as CursorSpec
const tasks = TABLE_SPECS.tasks as CursorSpec
const users = TABLE_SPECS.users as OffsetSpec

function cursorJob(spec: CursorSpec, cursor = 0, key: string = spec.table): Extract<Job, { kind: 'cursor' }> {
  return { kind: 'cursor', key, spec, state: newCursorState(cursor) }
}

describe('planBatch (what one request asks for)', () => {
  it('chains pages with back-references in the shape each method returns', () => {
    const jobs: Job[] = [cursorJob(deals), cursorJob(history), cursorJob(tasks)]
    jobs[0].state = { ...newCursorState(0), remaining: 120 }
    jobs[1].state = { ...newCursorState(7), remaining: 60 }
    jobs[2].state = { ...newCursorState(0), remaining: 49 }
    const { commands } = planBatch(jobs, false, true, 50)
    expect(Object.keys(commands)).toEqual(['j0p0', 'j0p1', 'j0p2', 'j1p0', 'j1p1', 'j2p0'])
    expect(commands.j0p0[1]).toMatchObject({ start: -1, order: { ID: 'ASC' }, filter: { '>ID': 0 } })
    expect(commands.j0p1[1]).toMatchObject({ filter: { '>ID': '$result[j0p0][49][ID]' } })
    expect(commands.j1p0[1]).toMatchObject({ entityTypeId: 2, filter: { '>ID': 7 } })
    expect(commands.j1p1[1]).toMatchObject({ filter: { '>ID': '$result[j1p0][items][49][ID]' } })
    expect(commands.j2p0[1]).toMatchObject({ order: { ID: 'asc' }, filter: { '>ID': 0 } })
  })

  it('puts count probes and first offset pages in the first batch and fills the rest with the first chain', () => {
    const jobs: Job[] = [
      { kind: 'offset', key: 'users', spec: users, state: newOffsetState() },
      cursorJob(deals),
      cursorJob(tasks),
    ]
    const { commands } = planBatch(jobs, true, true, 50)
    const names = Object.keys(commands)
    expect(names.slice(0, 3)).toEqual(['j1c', 'j2c', 'j0o0'])
    expect(commands.j1c[1]).toMatchObject({ start: 0, select: ['ID'], filter: { '>ID': 0 } })
    expect(names.filter((n) => n.startsWith('j1p'))).toHaveLength(47)
    expect(commands.j2p0).toBeUndefined()
  })

  it('never exceeds 50 commands', () => {
    const jobs: Job[] = ['deals', 'leads', 'activities'].map((t) => ({
      ...cursorJob(TABLE_SPECS[t as 'deals'] as CursorSpec),
      state: { ...newCursorState(), remaining: 100_000 },
    }))
    expect(Object.keys(planBatch(jobs, false, true, 50).commands)).toHaveLength(50)
  })
})

describe('acceptChain (reading one chain after the batch)', () => {
  const rows = (from: number, n: number) => Array.from({ length: n }, (_, i) => ({ ID: String(from + i) }))
  const reply = (result: unknown) => ({ ok: true, result, total: 0, error: null })

  it('stops at the first short page and marks the table done', () => {
    const job = cursorJob(deals)
    const plan: Planned = { kind: 'chain', job, names: ['a', 'b', 'c'] }
    const got = acceptChain(plan, { a: reply(rows(1, 50)), b: reply(rows(51, 10)), c: reply(rows(1, 50)) })
    expect(got).toHaveLength(60)
    expect(job.state).toMatchObject({ cursor: 60, done: true, loaded: 60 })
  })

  it('drops a page whose ids are not above the previous page (an unresolved reference) and keeps the cursor', () => {
    const job = cursorJob(deals)
    const plan: Planned = { kind: 'chain', job, names: ['a', 'b', 'c'] }
    // Page b restarted from the beginning, as a reference that resolved to nothing would.
    const got = acceptChain(plan, { a: reply(rows(1, 50)), b: reply(rows(1, 50)), c: reply(rows(51, 50)) })
    expect(got.map((r) => r.ID)).toEqual(rows(1, 50).map((r) => r.ID))
    expect(job.state).toMatchObject({ cursor: 50, done: false, loaded: 50 })
  })

  it('stops at a failed page, and gives up a table the portal refuses for good', () => {
    const job = cursorJob(deals)
    acceptChain(
      { kind: 'chain', job, names: ['a', 'b'] },
      { a: reply(rows(1, 50)), b: { ok: false, result: null, total: 0, error: null } },
    )
    expect(job.state).toMatchObject({ cursor: 50, done: false })
    const refused = cursorJob(tasks)
    const denied = {
      ok: false,
      result: null,
      total: 0,
      error: Object.assign(new Error('x'), {
        method: 'tasks.task.list',
        code: 'ACCESS_DENIED',
        description: 'Access denied!',
        status: 403,
      }),
    }
    acceptChain({ kind: 'chain', job: refused, names: ['a'] }, { a: denied as never })
    expect(refused.state).toMatchObject({ done: true, skipped: 'ACCESS_DENIED: Access denied!' })
  })

  it('refuses to page a table whose first page ignores the cursor', () => {
    const job = cursorJob(deals, 100)
    expect(() => acceptChain({ kind: 'chain', job, names: ['a'] }, { a: reply(rows(1, 50)) })).toThrow(/not above 100/)
  })
})

describe('loading over HTTP (demo portal)', () => {
  let portal: RunningPortal
  let client: B24Client
  let all: DealRow[]

  beforeAll(async () => {
    const dump = demoDump(11, 2501)
    all = dump.deals
    portal = await portalWith(dump)
    client = await webhookClient(portal)
  })
  afterAll(() => portal?.close())

  async function loadDeals(n: number) {
    const keep = new Set(all.slice(0, n).map((d) => Number(d.ID)))
    for (const d of all) if (!keep.has(Number(d.ID))) portal.mutate.deleteDeal(Number(d.ID))
    const job = cursorJob(deals)
    const ids: string[] = []
    const before = client.requests
    await runJobs(client, [job], {
      onBatch: (b) => void ids.push(...(b.rows.get('deals') ?? []).map((r) => String(r.ID))),
    })
    return { ids, requests: client.requests - before, job }
  }

  // Sizes walked from large to small: each case deletes down to its size.
  it.each([2501, 2500, 51, 50, 49, 1, 0])(
    'loads exactly %i deals, each once, in ⌈n/2500⌉+1 requests at most',
    async (n) => {
      const { ids, requests, job } = await loadDeals(n)
      expect(ids).toHaveLength(n)
      expect(new Set(ids).size).toBe(n)
      expect(ids).toEqual(all.slice(0, n).map((d) => d.ID))
      expect(job.state.done).toBe(true)
      expect(requests).toBeLessThanOrEqual(Math.ceil(n / 2500) + 1)
    },
  )
})

describe('splitLanes', () => {
  const sized = (key: string, remaining: number | null, done = false): Job => ({
    ...cursorJob(deals, 0, key),
    state: { ...newCursorState(), remaining, done },
  })

  it('deals the open jobs into lanes of about equal rows, a job of unknown size alone', () => {
    const jobs = [sized('a', 100), sized('b', 900), sized('c', 500), sized('d', 400), sized('e', 0, true)]
    const keys = (lanes: Job[][]) => lanes.map((l) => l.map((j) => j.key))
    expect(keys(splitLanes(jobs, 2))).toEqual([
      ['b', 'a'],
      ['c', 'd'],
    ])
    expect(keys(splitLanes([...jobs, sized('x', null)], 2))).toEqual([['x'], ['b', 'c', 'd', 'a']])
    expect(keys(splitLanes(jobs, 9))).toEqual([['b'], ['c'], ['d'], ['a']])
    expect(splitLanes([sized('e', 0, true)], 3)).toEqual([])
  })
})

describe('runJobsInLanes over HTTP (demo portal)', () => {
  let portal: RunningPortal

  beforeAll(async () => {
    portal = await portalWith(demoDump(12, 3000))
  })
  afterAll(() => portal?.close())

  const tables = ['deals', 'dealHistory', 'activities', 'users', 'statuses'] as const
  const jobsOf = (): Job[] =>
    tables.map((t) => {
      const spec = TABLE_SPECS[t]
      return spec.kind === 'cursor' ? cursorJob(spec) : { kind: 'offset', key: t, spec, state: newOffsetState() }
    })

  /** The client, counting requests in flight at once; `fail` rejects the batches that ask for a table. */
  function watched(inner: B24Client, fail?: { method: string; after: number }) {
    const seen = { inFlight: 0, most: 0, calls: 0 }
    const client: BatchClient = {
      get requests() {
        return inner.requests
      },
      async batchFull(commands, opts) {
        seen.calls++
        const asks = Object.values(commands).some(([m]) => m === fail?.method)
        if (fail && asks && seen.calls > fail.after) throw new Error('the portal broke')
        seen.inFlight++
        seen.most = Math.max(seen.most, seen.inFlight)
        try {
          return await inner.batchFull(commands, opts)
        } finally {
          seen.inFlight--
        }
      },
    }
    return { client, seen }
  }

  async function load(lanes: number) {
    const { client, seen } = watched(await webhookClient(portal))
    const rows = new Map<string, string[]>()
    const opts = {
      maxCommands: 10,
      onBatch: (b: { rows: Map<string, Record<string, unknown>[]> }) => {
        for (const [k, r] of b.rows) rows.set(k, [...(rows.get(k) ?? []), ...r.map((x) => String(x.ID ?? x.id))])
      },
    }
    if (lanes === 1) await runJobs(client, jobsOf(), opts)
    else await runJobsInLanes(client, jobsOf(), lanes, opts)
    return { rows, seen }
  }

  it('loads the same rows as one lane, with several requests in flight and at most one more per extra lane', async () => {
    const serial = await load(1)
    const laned = await load(3)
    for (const t of tables) expect(new Set(laned.rows.get(t)).size, t).toBe(laned.rows.get(t)!.length)
    const sorted = (m: Map<string, string[]>) => Object.fromEntries(tables.map((t) => [t, [...m.get(t)!].sort()]))
    expect(sorted(laned.rows)).toEqual(sorted(serial.rows))
    expect(serial.seen.most).toBe(1)
    expect(laned.seen.most).toBeGreaterThanOrEqual(2)
    expect(laned.seen.calls).toBeLessThanOrEqual(serial.seen.calls + 2)
  })

  it('stops every lane when the caller stops the load', async () => {
    const { client, seen } = watched(await webhookClient(portal))
    const stop = new AbortController()
    let batches = 0
    const loading = runJobsInLanes(client, jobsOf(), 3, {
      maxCommands: 10,
      signal: stop.signal,
      onBatch: () => void (++batches === 2 && stop.abort()),
    })
    await expect(loading).rejects.toThrow(/stopped/)
    expect(seen.inFlight).toBe(0)
    expect(seen.calls).toBeLessThanOrEqual(1 + 2 * 3)
  })

  it('stops every lane when one fails and throws its error once all have stopped', async () => {
    const whole = (await load(1)).seen.calls
    const { client, seen } = watched(await webhookClient(portal), { method: 'crm.activity.list', after: 1 })
    await expect(runJobsInLanes(client, jobsOf(), 3, { maxCommands: 10 })).rejects.toThrow('the portal broke')
    const calls = seen.calls
    // The other lanes stopped too: the first batch and at most two per lane, of the whole load's many.
    expect(calls).toBeLessThanOrEqual(1 + 2 * 3)
    expect(whole).toBeGreaterThan(20)
    expect(seen.inFlight).toBe(0)
    for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 0))
    expect(seen.calls).toBe(calls)
  })
})
