import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { syncAll, loadCached } from '../../src/sync/sync'
import { MemoryCache, MemoryCacheStore, cacheKey } from '../../src/sync/cache'
import { dumpToCrmData } from '../../src/b24/normalize'
import type { RunningPortal } from '../../src/demo-portal/server'
import type { PortalDump } from '../../src/b24/wire'
import type { SyncProgress } from '../../src/sync/progress'
import { demoDump, portalWith, tokenClient, webhookClient } from './portal'
import { applyPatch, notedPatch } from '../../src/engine/patch'
import type { CrmData } from '../../src/engine/types'

/** What the engine sees, without the portal identity (a webhook names the portal by its host). */
/** Client names are not synced (the report looks up the few it shows): they are left out here. */
function tables(data: ReturnType<typeof dumpToCrmData>) {
  const { portal: _portal, companies: _companies, contacts: _contacts, ...rest } = data
  return rest
}

function rowCount(d: PortalDump): number {
  const { companies: _companies, contacts: _contacts, ...synced } = d
  return Object.values(synced).reduce((n, v) => n + (Array.isArray(v) ? v.length : 0), 0)
}

describe('syncAll against the demo portal', () => {
  let dump: PortalDump
  let portal: RunningPortal

  beforeAll(async () => {
    dump = demoDump(3, 400)
    portal = await portalWith(structuredClone(dump))
  })
  afterAll(() => portal?.close())

  it('loads every table into the same CrmData as the dump itself, in about rows/2500 requests', async () => {
    const client = await webhookClient(portal)
    const progress: SyncProgress[] = []
    const result = await syncAll(client, new MemoryCache('demo:1'), { onProgress: (p) => progress.push(p) })
    expect(result.mode).toBe('full')
    expect(tables(result.data)).toEqual(tables(dumpToCrmData(dump)))
    const rows = rowCount(dump)
    expect(result.upserted).toBe(rows)
    expect(result.requests).toBeLessThanOrEqual(Math.ceil(rows / 2500) + 2)
    expect(result.requests).toBe(client.requests)
    // Progress: requests grow, an estimate appears after the first batch, the last event is done.
    expect(progress.at(-1)).toMatchObject({ phase: 'done', fraction: 1, loaded: rows })
    expect(progress.some((p) => p.estimatedTotal !== null && p.fraction > 0 && p.fraction < 1)).toBe(true)
    expect(progress.map((p) => p.requests)).toEqual([...progress.map((p) => p.requests)].sort((a, b) => a - b))
  })

  it('reopens warm in one request, showing the cached data first', async () => {
    const cache = new MemoryCache('demo:1')
    await syncAll(await webhookClient(portal), cache)
    const client = await webhookClient(portal)
    let shown: unknown = null
    const result = await syncAll(client, cache, { onCached: (d) => (shown = d) })
    expect(result.mode).toBe('delta')
    expect(shown).not.toBeNull()
    expect(tables(shown as never)).toEqual(tables(result.data))
    expect(client.requests).toBeLessThanOrEqual(3)
    expect(result.requests).toBe(1)
    expect(result).toMatchObject({ deleted: 0, swept: [] })
    // Token mode (like the frame): connecting costs one `profile` call; still ≤ 3 in all.
    const framed = await tokenClient(portal)
    await syncAll(framed, cache)
    expect(framed.requests).toBeLessThanOrEqual(3)
  })

  it('picks up new, modified and deleted rows with the delta', async () => {
    const cache = new MemoryCache('demo:1')
    await syncAll(await webhookClient(portal), cache)
    const added = portal.mutate.addDeal({
      TITLE: 'Fresh deal',
      CATEGORY_ID: '0',
      STAGE_ID: 'NEW',
      STAGE_SEMANTIC_ID: 'P',
      ASSIGNED_BY_ID: '1',
      OPPORTUNITY: '10.00',
      CURRENCY_ID: 'RUB',
      CLOSED: 'N',
    })
    portal.mutate.updateDeal(5, { TITLE: 'Renamed' })
    const cat = dump.deals.find((d) => d.ID === '6')!.CATEGORY_ID
    const won = dump.statuses.find(
      (s) => s.ENTITY_ID === (cat === '0' ? 'DEAL_STAGE' : `DEAL_STAGE_${cat}`) && s.SEMANTICS === 'S',
    )!.STATUS_ID
    const moved = portal.mutate.moveDeal(6, won)
    portal.mutate.deleteDeal(9)
    portal.mutate.updateLead(3, { TITLE: 'Lead renamed' })
    const act = portal.mutate.addActivity({
      TYPE_ID: '2',
      PROVIDER_ID: 'VOXIMPLANT_CALL',
      OWNER_TYPE_ID: '2',
      OWNER_ID: '5',
      START_TIME: '2026-11-23T10:00:00+03:00',
      RESPONSIBLE_ID: '1',
      COMPLETED: 'Y',
      DIRECTION: '1',
    })
    const client = await webhookClient(portal)
    const result = await syncAll(client, cache)
    expect(result.mode).toBe('delta')
    const byId = new Map(result.data.deals.map((d) => [d.id, d]))
    expect(byId.get(Number(added.ID))?.title).toBe('Fresh deal')
    expect(byId.get(5)?.title).toBe('Renamed')
    expect(byId.get(6)?.semantic).toBe('S')
    expect(byId.has(9)).toBe(false)
    expect(result.data.leads.find((l) => l.id === 3)?.title).toBe('Lead renamed')
    expect(result.data.dealEvents.some((e) => e.id === moved.history.ID)).toBe(true)
    expect(result.data.touches.some((t) => t.id === Number(act.ID) && t.dealIds.includes(5))).toBe(true)
    expect(result.swept).toEqual(['deals'])
    expect(result.deleted).toBeGreaterThanOrEqual(1)
    // After all that, the cache agrees with a clean sync of the changed portal.
    const clean = await syncAll(await webhookClient(portal), new MemoryCache('demo:1'))
    expect(tables(result.data)).toEqual(tables(clean.data))
    expect(result.requests).toBeLessThanOrEqual(3)
  })

  it('with the cached data shown first, splices the delta into it: the same data, and the patch noted', async () => {
    const cache = new MemoryCache('demo:1')
    await syncAll(await webhookClient(portal), cache)
    portal.mutate.updateDeal(7, { TITLE: 'Spliced', OPPORTUNITY: '77.00' })
    const cat = dump.deals.find((d) => d.ID === '8')!.CATEGORY_ID
    const won = dump.statuses.find(
      (s) => s.ENTITY_ID === (cat === '0' ? 'DEAL_STAGE' : `DEAL_STAGE_${cat}`) && s.SEMANTICS === 'S',
    )!.STATUS_ID
    portal.mutate.moveDeal(8, won)
    portal.mutate.deleteDeal(11)
    portal.mutate.addActivity({
      TYPE_ID: '1',
      OWNER_TYPE_ID: '2',
      OWNER_ID: '7',
      START_TIME: '2026-11-23T11:00:00+03:00',
      RESPONSIBLE_ID: '1',
      COMPLETED: 'N',
    })
    let shown: CrmData | null = null
    const result = await syncAll(await webhookClient(portal), cache, { onCached: (d) => (shown = d) })
    expect(result.mode).toBe('delta')
    const patch = notedPatch(shown!, result.data)
    expect(patch).not.toBeNull()
    expect(applyPatch(shown!, patch!)).toEqual(result.data)
    const clean = await syncAll(await webhookClient(portal), new MemoryCache('demo:1'))
    expect(tables(result.data)).toEqual(tables(clean.data))
    expect(result.data.deals.find((d) => d.id === 7)?.title).toBe('Spliced')
  })

  it('resumes an aborted sync from the saved cursors: nothing lost, nothing doubled', async () => {
    const clean = await syncAll(await webhookClient(portal), new MemoryCache('demo:1'))
    const cache = new MemoryCache('demo:1')
    const stop = new AbortController()
    const first = await webhookClient(portal, 1, {
      restriction: { burstLimit: 1000, drainRate: 1000 },
      retry: { baseDelayMs: 5 },
    })
    let batches = 0
    // Small batches so that the abort lands in the middle of the big tables.
    await expect(
      syncAll(first, cache, {
        batchSize: 6,
        onProgress: (p) => {
          if (p.phase === 'full' && ++batches === 12) stop.abort()
        },
        signal: stop.signal,
      }),
    ).rejects.toThrow(/stopped/)
    const saved = await cache.readMeta()
    expect(saved?.load).not.toBeNull()
    const partial = Object.values(saved!.load!.jobs).reduce((n, s) => n + (s?.loaded ?? 0), 0)
    expect(partial).toBeGreaterThan(0)
    expect(await loadCached(cache)).toBeNull() // an unfinished load is never shown as data
    expect(Object.values(saved!.load!.jobs).some((s) => s && !s.done && s.loaded > 0)).toBe(true) // stopped inside a table
    const resumed = await syncAll(await webhookClient(portal), cache, { batchSize: 6 })
    expect(resumed.mode).toBe('resume')
    expect(resumed.upserted).toBe(clean.upserted - partial)
    expect(tables(resumed.data)).toEqual(tables(clean.data))
  })
})

describe('cache scope', () => {
  it('keys caches by portal and user, and two users never share one', async () => {
    const dump = demoDump(5, 60)
    const portal = await portalWith(dump, { ownDealsOnly: [2] })
    try {
      const store = new MemoryCacheStore()
      const admin = await webhookClient(portal, 1)
      const manager = await webhookClient(portal, 2)
      const a = store.open(admin.memberId, admin.userId)
      const m = store.open(manager.memberId, manager.userId)
      expect(a).not.toBe(m)
      expect(store.open('demo', 1)).toBe(a)
      expect(a.key).toBe(cacheKey('demo', 1))
      const ra = await syncAll(admin, a, { tables: ['deals'] })
      const rm = await syncAll(manager, m, { tables: ['deals'] })
      expect(rm.data.deals.length).toBeLessThan(ra.data.deals.length)
      expect(rm.data.deals.every((d) => d.assignedById === 2)).toBe(true)
      expect((await loadCached(a))!.deals).toHaveLength(ra.data.deals.length)
      // A cache opened for one user cannot be filled by another's client.
      await expect(syncAll(manager, a)).rejects.toThrow(/belongs to demo:1, not to demo:2/)
      await expect(syncAll(manager, a)).rejects.toMatchObject({ name: 'CacheError', code: 'CACHE_OWNER' })
    } finally {
      await portal.close()
    }
  })
})

describe('what a warm reopen hands back', () => {
  let portal: RunningPortal

  beforeAll(async () => {
    portal = await portalWith(demoDump(3, 400))
  })
  afterAll(() => portal?.close())

  it('nothing new: the very data onCached got, no row written; one edit: one row written, fresh data', async () => {
    const cache = new MemoryCache('demo:1')
    await syncAll(await webhookClient(portal), cache)
    let shown: unknown = null
    const same = await syncAll(await webhookClient(portal), cache, { onCached: (d) => (shown = d) })
    expect(same).toMatchObject({ mode: 'delta', upserted: 0, deleted: 0 })
    expect(same.data).toBe(shown)
    portal.mutate.updateDeal(5, { TITLE: 'Renamed' })
    const edited = await syncAll(await webhookClient(portal), cache, { onCached: (d) => (shown = d) })
    expect(edited).toMatchObject({ mode: 'delta', upserted: 1, deleted: 0 })
    expect(edited.data).not.toBe(shown)
    expect(edited.data.deals.find((d) => d.id === 5)?.title).toBe('Renamed')
  })
})
