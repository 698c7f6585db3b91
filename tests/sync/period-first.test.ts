/**
 * Period first (issue 11.1): a cold load split at the period on screen — the recent rows first,
 * handed to `onRecent`, then the older ones — ends with exactly the cache a one-shot full sync
 * builds, fetches no row twice, survives faults and resumes with its split.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cachedDump, planLoad, syncAll, timeLeft } from '../../src/sync/sync'
import { MemoryCache, type CacheChange } from '../../src/sync/cache'
import { ALL_TABLES, type TableName } from '../../src/b24/tables'
import type { RunningPortal } from '../../src/demo-portal/server'
import type { PortalDump } from '../../src/b24/wire'
import { dumpToCrmData, type NormalizedCrmData } from '../../src/b24/normalize'
import type { SyncProgress } from '../../src/sync/progress'
import { demoDump, portalWith, webhookClient } from './portal'

// The demo data ends 2026-11-20: two months before it are "the period and its comparison".
const SINCE = Date.parse('2026-09-20T00:00:00Z')

function tables(data: NormalizedCrmData) {
  const { portal: _portal, ...rest } = data
  return rest
}

async function rowsOf(cache: MemoryCache): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {}
  for (const t of ALL_TABLES) out[t] = await cache.readRows(t)
  return out
}

describe('period first: recent rows, then the backfill', () => {
  let dump: PortalDump
  let portal: RunningPortal
  let full: { data: NormalizedCrmData; rows: Record<string, unknown[]>; requests: number }

  beforeAll(async () => {
    dump = demoDump(11, 400)
    portal = await portalWith(dump)
    const cache = new MemoryCache('demo:1')
    const r = await syncAll(await webhookClient(portal), cache)
    full = { data: r.data, rows: await rowsOf(cache), requests: r.requests }
  })
  afterAll(() => portal?.close())

  it('shows the recent deals first and ends with the same cache as a full sync, no row fetched twice', async () => {
    const cache = new MemoryCache('demo:1')
    let recent: NormalizedCrmData | null = null
    const phases: string[] = []
    const result = await syncAll(await webhookClient(portal), cache, {
      recentSince: SINCE,
      onRecent: (d) => void (recent = d),
      onProgress: (p) => phases.push(p.phase),
    })
    const got = recent as NormalizedCrmData | null
    expect(got).not.toBeNull()
    // The recent part holds exactly the deals created or changed since SINCE.
    const wanted = dump.deals.filter((d) => Date.parse(d.DATE_MODIFY) >= SINCE).map((d) => Number(d.ID))
    expect(wanted.length).toBeGreaterThan(0)
    expect(wanted.length).toBeLessThan(dump.deals.length)
    expect(got!.deals.map((d) => d.id).sort((a, b) => a - b)).toEqual(wanted.sort((a, b) => a - b))
    // Dictionaries are whole already: the filter bar has every name.
    expect(got!.stages).toEqual(full.data.stages)
    expect(got!.users).toEqual(full.data.users)
    expect(phases.indexOf('recent')).toBeLessThan(phases.indexOf('backfill'))
    // Then the backfill: every row, each fetched once.
    expect(await rowsOf(cache)).toEqual(full.rows)
    expect(tables(result.data)).toEqual(tables(full.data))
    const rows = Object.values(full.rows).reduce((n, r) => n + r.length, 0)
    expect(result.upserted).toBe(rows)
    expect(result.requests).toBeLessThanOrEqual(1.1 * Math.ceil(rows / 2500) + 10)
    // A warm reopen afterwards finds nothing to do.
    const again = await syncAll(await webhookClient(portal), cache)
    expect(again.mode).toBe('delta')
    expect(again.upserted + again.deleted).toBe(0)
  })

  it.each(['500', '503', 'drop'] as const)(
    'rides out %s faults in both parts and still equals a full sync',
    async (kind) => {
      const cache = new MemoryCache('demo:1')
      portal.stats.reset()
      // Small batches: request 2 is in the recent part, the later ones in the backfill.
      portal.setFaults(`at=2:${kind},9:${kind},14:${kind}`)
      try {
        let recent = 0
        const result = await syncAll(await webhookClient(portal), cache, {
          batchSize: 8,
          recentSince: SINCE,
          onRecent: () => void recent++,
        })
        expect(portal.stats.faults[kind]).toBe(3)
        expect(recent).toBe(2) // the first chart's stage, then the whole period
        expect(await rowsOf(cache)).toEqual(full.rows)
        expect(tables(result.data)).toEqual(tables(full.data))
      } finally {
        portal.setFaults(null)
      }
    },
  )

  it('resumes an interrupted backfill with its split: nothing lost, nothing doubled', async () => {
    const cache = new MemoryCache('demo:1')
    const stop = new AbortController()
    let backfillBatches = 0
    await expect(
      syncAll(await webhookClient(portal), cache, {
        batchSize: 6,
        recentSince: SINCE,
        signal: stop.signal,
        onProgress: (p) => {
          if (p.phase === 'backfill' && ++backfillBatches === 4) stop.abort()
        },
      }),
    ).rejects.toThrow(/stopped/)
    const saved = await cache.readMeta()
    expect(saved?.load?.split).toBeDefined()
    const before = Object.values(await rowsOf(cache)).reduce((n, r) => n + r.length, 0)
    let recentAgain: NormalizedCrmData | null = null
    const pendingAgain: Array<readonly string[]> = []
    // A different period now: the resumed load keeps the split it started with.
    const resumed = await syncAll(await webhookClient(portal), cache, {
      batchSize: 6,
      recentSince: Date.parse('2025-01-01T00:00:00Z'),
      onRecent: (d, pending) => {
        recentAgain = d
        pendingAgain.push(pending)
      },
    })
    expect(resumed.mode).toBe('resume')
    expect(recentAgain).not.toBeNull() // the recent part is in the cache: shown before the rest loads
    expect(pendingAgain).toEqual([[]]) // the period was complete: announced once, nothing pending
    const rows = Object.values(full.rows).reduce((n, r) => n + r.length, 0)
    expect(resumed.upserted).toBe(rows - before)
    expect(await rowsOf(cache)).toEqual(full.rows)
    expect(tables(resumed.data)).toEqual(tables(full.data))
  })

  it('estimates the backfill time left from its pace on an injected clock', async () => {
    let now = 0
    const etas: Array<number | null | undefined> = []
    // 12 commands: the backfill's first batch counts all its tables, so the total is known after it.
    await syncAll(await webhookClient(portal), new MemoryCache('demo:1'), {
      batchSize: 12,
      recentSince: SINCE,
      now: () => (now += 1000), // every reading is one second later
      onProgress: (p: SyncProgress) => {
        if (p.phase === 'backfill') etas.push(p.etaMs)
      },
    })
    expect(etas[0]).toBeNull() // nothing loaded yet: no pace
    const known = etas.filter((e): e is number => typeof e === 'number')
    expect(known.length).toBeGreaterThan(2)
    // An even pace: each estimate is below the one before.
    for (let i = 1; i < known.length; i++) expect(known[i]).toBeLessThan(known[i - 1])
    expect(known.at(-1)).toBe(0)
  })
})

const macrotask = () => new Promise((r) => setTimeout(r, 0))

/** A slow cache: its writes wait at a gate, then a turn of the event loop; `held` counts those at the gate. */
class GatedCache extends MemoryCache {
  held = 0
  private gates: Array<() => void> = []
  closed = true

  override async commit(change: CacheChange): Promise<void> {
    if (this.closed) {
      this.held++
      await new Promise<void>((r) => this.gates.push(r))
      this.held--
    }
    await macrotask()
    return super.commit(change)
  }

  open(): void {
    this.closed = false
    for (const r of this.gates.splice(0)) r()
  }
}

/** A cache that holds its writes, then "closes the tab": one held write lands, nothing after it. */
class DyingCache extends MemoryCache {
  held: Array<{ change: CacheChange; release: () => void }> = []
  dead = false
  gated = true

  override async commit(change: CacheChange): Promise<void> {
    if (this.dead) return
    if (!this.gated) return super.commit(change)
    await new Promise<void>((release) => this.held.push({ change, release }))
  }

  die(): void {
    void super.commit(this.held[0].change)
    this.dead = true
    for (const h of this.held) h.release()
  }

  revive(): void {
    this.dead = false
    this.gated = false
  }
}

describe('period first: the first screen waits for nothing it does not need', () => {
  let portal: RunningPortal

  beforeAll(async () => {
    portal = await portalWith(demoDump(11, 400))
  })
  afterAll(() => portal?.close())

  it('fetches the next recent batch while the cache still writes the last one, and all are written before onRecent', async () => {
    const cache = new GatedCache('demo:1')
    const pendingAtBatch: number[] = []
    const atRecent: Array<{ cached: unknown; shown: unknown; deals: number; rows: number }> = []
    const loaded = { recent: 0, periodRest: 0 }
    await syncAll(await webhookClient(portal), cache, {
      batchSize: 8,
      recentSince: SINCE,
      onProgress: (p) => {
        if (p.phase === 'periodRest') loaded.periodRest = p.loaded
        if (p.phase !== 'recent') return
        loaded.recent = p.loaded
        pendingAtBatch.push(cache.held)
        // Let the writes through only once two batches arrived with their writes still held.
        if (cache.held >= 2) cache.open()
      },
      onRecent: async (data) => {
        const cached = dumpToCrmData(await cachedDump(cache, (await cache.readMeta())!))
        const rows = Object.values(await rowsOf(cache)).reduce((n, r) => n + r.length, 0)
        atRecent.push({ cached: tables(cached), shown: tables(data), deals: data.deals.length, rows })
      },
    })
    expect(Math.max(...pendingAtBatch)).toBeGreaterThanOrEqual(2)
    // Every recent row was in the cache before the report of them was asked for, in both stages.
    expect(atRecent).toHaveLength(2)
    for (const shown of atRecent) {
      expect(shown.cached).toEqual(shown.shown)
      expect(shown.deals).toBeGreaterThan(0)
    }
    expect(atRecent[0].rows).toBe(loaded.recent)
    expect(loaded.periodRest).toBeGreaterThan(0)
    expect(atRecent[1].rows).toBe(loaded.recent + loaded.periodRest)
  })

  it('a load cut off while recent writes were still queued resumes from the last write that landed', async () => {
    const whole = new MemoryCache('demo:1')
    await syncAll(await webhookClient(portal), whole)
    const cache = new DyingCache('demo:1')
    const stop = new AbortController()
    await expect(
      syncAll(await webhookClient(portal), cache, {
        batchSize: 8,
        recentSince: SINCE,
        signal: stop.signal,
        onProgress: (p) => {
          // Two batches fetched, neither written: the first write lands, then the tab is gone.
          if (p.phase === 'recent' && cache.held.length >= 2 && !cache.dead) {
            cache.die()
            stop.abort()
          }
        },
      }),
    ).rejects.toThrow(/stopped/)
    expect((await cache.readMeta())?.load).toBeTruthy()
    cache.revive()
    const resumed = await syncAll(await webhookClient(portal), cache, { batchSize: 8, recentSince: SINCE })
    expect(resumed.mode).toBe('resume')
    expect(await rowsOf(cache)).toEqual(await rowsOf(whole))
  })

  it('keeps several recent requests in flight at once, the backfill one', async () => {
    const client = await webhookClient(portal)
    let phase = ''
    const most: Record<string, number> = {}
    let inFlight = 0
    const watched = new Proxy(client, {
      get(target, key, receiver) {
        if (key !== 'batchFull') return Reflect.get(target, key, receiver)
        return async (...args: Parameters<typeof client.batchFull>) => {
          most[phase] = Math.max(most[phase] ?? 0, ++inFlight)
          try {
            return await target.batchFull(...args)
          } finally {
            inFlight--
          }
        }
      },
    })
    await syncAll(watched, new MemoryCache('demo:1'), {
      batchSize: 8,
      recentSince: SINCE,
      onProgress: (p) => void (phase = p.phase),
    })
    expect(most.recent).toBeGreaterThanOrEqual(2)
    expect(most.backfill).toBe(1)
  })

  it('hands onRecent the rows the cache holds, without reading them back', async () => {
    const cache = new MemoryCache('demo:1')
    let fromMemory: NormalizedCrmData | null = null
    let fromCache: NormalizedCrmData | null = null
    await syncAll(await webhookClient(portal), cache, {
      batchSize: 8,
      recentSince: SINCE,
      onRecent: async (data) => {
        fromMemory = data
        fromCache = dumpToCrmData(await cachedDump(cache, (await cache.readMeta())!))
      },
    })
    expect(fromMemory).not.toBeNull()
    expect(tables(fromMemory!)).toEqual(tables(fromCache!))
  })

  it('starts the backfill only when what onRecent returned has settled', async () => {
    const events: string[] = []
    await syncAll(await webhookClient(portal), new MemoryCache('demo:1'), {
      batchSize: 8,
      recentSince: SINCE,
      onProgress: (p) => {
        if (p.phase === 'periodRest' && !events.includes('periodRest')) events.push('periodRest')
        if (p.phase === 'backfill' && !events.includes('backfill')) events.push('backfill')
      },
      onRecent: async (_, pending) => {
        events.push(pending.length ? 'recent' : 'period')
        // The report is being drawn: a few turns of the event loop, nothing else may start.
        for (let i = 0; i < 5; i++) await macrotask()
        events.push('shown')
      },
    })
    expect(events).toEqual(['recent', 'shown', 'periodRest', 'period', 'shown', 'backfill'])
  })
})

describe('planLoad and timeLeft', () => {
  it('splits the large tables on their date and keeps dictionaries whole in the first part', () => {
    const { recent, rest } = planLoad(ALL_TABLES, {}, '2026-09-20T00:00:00+00:00')
    const keys = (jobs: typeof recent) => jobs.map((j) => j.key)
    expect(keys(recent)).toContain('statuses')
    expect(keys(rest)).not.toContain('statuses')
    const deal = recent.find((j) => j.key === 'deals#recent')!
    expect(deal.kind === 'cursor' && deal.filter).toEqual({ '>=DATE_MODIFY': '2026-09-20T00:00:00+00:00' })
    const older = rest.find((j) => j.key === 'deals')!
    expect(older.kind === 'cursor' && older.filter).toEqual({ '<DATE_MODIFY': '2026-09-20T00:00:00+00:00' })
    const history = rest.find((j) => j.key === 'dealHistory')!
    expect(history.kind === 'cursor' && history.filter).toEqual({ '<CREATED_TIME': '2026-09-20T00:00:00+00:00' })
    const calls = recent.find((j) => j.key === 'calls#recent')!
    expect(calls.kind === 'offset' && calls.filter).toEqual({ '>=CALL_START_DATE': '2026-09-20T00:00:00+00:00' })
    // Without a split: one job per table, as before.
    const plain = planLoad(ALL_TABLES, {}, null)
    expect(plain.recent).toEqual([])
    expect(plain.rest.map((j) => j.key)).toEqual([...ALL_TABLES] as TableName[])
  })

  it('time left = rows left at the pace so far', () => {
    expect(timeLeft(0, 100, 1000)).toBeNull()
    expect(timeLeft(10, null, 1000)).toBeNull()
    expect(timeLeft(25, 100, 1000)).toBe(3000)
    expect(timeLeft(100, 100, 5000)).toBe(0)
  })
})
