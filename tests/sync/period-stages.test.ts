/**
 * Period first in two stages (issue 11.1): the first chart waits only for the dictionaries and
 * the period's FIRST_CHART_TABLES (deals, their history, leads); `onRecent` is called with the period's other tables named as
 * pending, they load next, `onRecent` again with nothing pending, then the backfill. A load cut
 * off inside the second stage resumes there: nothing lost, nothing fetched twice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cachedDump, FIRST_CHART_TABLES, periodStages, planLoad, syncAll } from '../../src/sync/sync'
import { MemoryCache } from '../../src/sync/cache'
import { ALL_TABLES } from '../../src/b24/tables'
import type { B24Client } from '../../src/b24/client'
import type { RunningPortal } from '../../src/demo-portal/server'
import { dumpToCrmData, type NormalizedCrmData } from '../../src/b24/normalize'
import { demoDump, portalWith, webhookClient } from './portal'

const SINCE = Date.parse('2026-09-20T00:00:00Z')
const TOUCH_TABLES = ['activities', 'tasks', 'calls']
/** The period's tables after its first chart, in load order. */
const STAGE_B = ['leadHistory', ...TOUCH_TABLES]
const TOUCH_METHODS = ['crm.activity.list', 'tasks.task.list', 'voximplant.statistic.get']

function tables(data: NormalizedCrmData) {
  const { portal: _portal, ...rest } = data
  return rest
}

async function rowsOf(cache: MemoryCache): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {}
  for (const t of ALL_TABLES) out[t] = await cache.readRows(t)
  return out
}

const count = (rows: Record<string, unknown[]>) => Object.values(rows).reduce((n, r) => n + r.length, 0)

/** The client, recording the REST methods of every batch it sends. */
function recording(client: B24Client): { client: B24Client; methods: string[] } {
  const methods: string[] = []
  const watched = new Proxy(client, {
    get(target, key, receiver) {
      if (key !== 'batchFull') return Reflect.get(target, key, receiver)
      return (...args: Parameters<B24Client['batchFull']>) => {
        for (const [method] of Object.values(args[0])) methods.push(method)
        return target.batchFull(...args)
      }
    },
  })
  return { client: watched, methods }
}

interface Shown {
  data: NormalizedCrmData
  pending: readonly string[]
  /** the same rows read back from the cache at that moment */
  cached: NormalizedCrmData
  methodsBefore: string[]
}

describe('period first in two stages', () => {
  let portal: RunningPortal
  let full: { data: NormalizedCrmData; rows: Record<string, unknown[]> }

  beforeAll(async () => {
    portal = await portalWith(demoDump(11, 400))
    const cache = new MemoryCache('demo:1')
    const r = await syncAll(await webhookClient(portal), cache)
    full = { data: r.data, rows: await rowsOf(cache) }
  })
  afterAll(() => portal?.close())

  async function stagedLoad(batchSize = 8) {
    const cache = new MemoryCache('demo:1')
    const { client, methods } = recording(await webhookClient(portal))
    const shown: Shown[] = []
    const phases: string[] = []
    const result = await syncAll(client, cache, {
      batchSize,
      recentSince: SINCE,
      onProgress: (p) => {
        if (phases.at(-1) !== p.phase) phases.push(p.phase)
      },
      onRecent: async (data, pending) => {
        const cached = dumpToCrmData(await cachedDump(cache, (await cache.readMeta())!))
        shown.push({ data, pending, cached, methodsBefore: [...methods] })
      },
    })
    return { cache, shown, phases, result }
  }

  it('draws the first chart from the deals and leads, then the period with its touches, then backfills', async () => {
    const { cache, shown, phases, result } = await stagedLoad()
    expect(FIRST_CHART_TABLES).toEqual(['deals', 'dealHistory', 'leads'])
    expect(phases.filter((p) => p !== 'done')).toEqual(['recent', 'periodRest', 'backfill'])
    expect(shown.map((s) => s.pending)).toEqual([STAGE_B, []])
    const [first, period] = shown
    // Stage A asked for no touch at all and shows none: its figures are marked as loading.
    expect(first.methodsBefore.filter((m) => TOUCH_METHODS.includes(m))).toEqual([])
    expect(first.data.touches).toEqual([])
    expect(first.data.leadEvents).toEqual([])
    expect(first.data.deals.length).toBeGreaterThan(0)
    expect(first.data.dealEvents.length).toBeGreaterThan(0)
    expect(first.data.leads.length).toBeGreaterThan(0)
    expect(first.data.stages).toEqual(full.data.stages)
    // Stage B: the period's touches and lead history added, nothing else changed, nothing older yet.
    expect(period.data.touches.length).toBeGreaterThan(0)
    expect(period.data.touches.length).toBeLessThan(full.data.touches.length)
    expect(period.data.leadEvents.length).toBeGreaterThan(0)
    expect(period.data.deals).toEqual(first.data.deals)
    expect(period.data.leads).toEqual(first.data.leads)
    // Each time: exactly the rows the cache holds.
    for (const s of shown) expect(tables(s.data)).toEqual(tables(s.cached))
    // Then the backfill: every row, each fetched once.
    expect(await rowsOf(cache)).toEqual(full.rows)
    expect(tables(result.data)).toEqual(tables(full.data))
    expect(result.upserted).toBe(count(full.rows))
  })

  it('resumes a load cut off inside the second stage there: the deals shown at once, then the rest', async () => {
    const cache = new MemoryCache('demo:1')
    const stop = new AbortController()
    let stageB = 0
    await expect(
      syncAll(await webhookClient(portal), cache, {
        batchSize: 6,
        recentSince: SINCE,
        signal: stop.signal,
        onProgress: (p) => {
          if (p.phase === 'periodRest' && ++stageB === 2) stop.abort() // after stage B's first batch
        },
      }),
    ).rejects.toThrow(/stopped/)
    const saved = await cache.readMeta()
    expect(saved?.load?.split).toBeDefined()
    const jobs = saved!.load!.jobs
    // Cut inside stage B: stage A's jobs done, some touch rows in, some touch job still open.
    expect(jobs['deals#recent']?.done && jobs['leads#recent']?.done).toBe(true)
    expect(STAGE_B.some((t) => !jobs[`${t}#recent`]?.done)).toBe(true)
    expect((await cache.readRows('activities')).length + (await cache.readRows('calls')).length).toBeGreaterThan(0)
    const before = count(await rowsOf(cache))

    const { client, methods } = recording(await webhookClient(portal))
    const shown: Array<{ pending: readonly string[]; methods: number; touches: number }> = []
    const resumed = await syncAll(client, cache, {
      batchSize: 6,
      recentSince: SINCE,
      onRecent: (data, pending) => void shown.push({ pending, methods: methods.length, touches: data.touches.length }),
    })
    expect(resumed.mode).toBe('resume')
    // Stage A was done: the report is drawn before any request, touches still marked as loading.
    expect(shown[0].methods).toBe(0)
    expect(shown[0].pending.length).toBeGreaterThan(0)
    expect(shown[0].pending.every((t) => STAGE_B.includes(t))).toBe(true)
    expect(shown[1].pending).toEqual([])
    expect(shown[1].touches).toBeGreaterThan(shown[0].touches)
    expect(shown).toHaveLength(2)
    expect(resumed.upserted).toBe(count(full.rows) - before)
    expect(await rowsOf(cache)).toEqual(full.rows)
    expect(tables(resumed.data)).toEqual(tables(full.data))
  })

  it('stays within the request budget', async () => {
    const { result } = await stagedLoad(50)
    const rows = count(full.rows)
    expect(result.requests).toBeLessThanOrEqual(1.1 * Math.ceil(rows / 2500) + 10)
  })
})

describe('periodStages', () => {
  it('puts the dictionaries and the first chart tables first, the period’s other tables second', () => {
    const { recent } = planLoad(ALL_TABLES, {}, '2026-09-20T00:00:00+00:00')
    const { first, second } = periodStages(recent)
    expect(first.map((j) => j.key)).toEqual([
      'statuses',
      'dealCategories',
      'dealUserFields',
      'leadUserFields',
      'users',
      'departments',
      'currencies',
      'deals#recent',
      'leads#recent',
      'dealHistory#recent',
    ])
    expect(second.map((j) => j.key)).toEqual([
      'leadHistory#recent',
      'activities#recent',
      'tasks#recent',
      'calls#recent',
    ])
    const dealsOnly = periodStages(recent, ['deals', 'dealHistory'])
    expect(dealsOnly.second.map((j) => j.key)).toEqual([
      'leads#recent',
      'leadHistory#recent',
      'activities#recent',
      'tasks#recent',
      'calls#recent',
    ])
  })
})
