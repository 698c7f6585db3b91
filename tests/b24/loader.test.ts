import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  acceptChain,
  newCursorState,
  newOffsetState,
  planBatch,
  runJobs,
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
