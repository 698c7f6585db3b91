import 'fake-indexeddb/auto'
import { mkdtemp, readFile, appendFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { IdbCache, idbName } from '../../src/sync/idb-cache'
import { FileCache } from '../../src/sync/file-cache'
import type { SyncCache, SyncMeta } from '../../src/sync/cache'
import { syncAll } from '../../src/sync/sync'
import type { RunningPortal } from '../../src/demo-portal/server'
import { demoDump, portalWith, webhookClient } from './portal'

function meta(over: Partial<SyncMeta> = {}): SyncMeta {
  return {
    schema: 1,
    portal: { domain: 'd', memberId: 'm', timeZone: '+03:00', language: 'en' },
    load: null,
    syncedAt: 1,
    tables: ['deals', 'users'],
    skipped: {},
    ...over,
  }
}

async function exercise(cache: SyncCache): Promise<void> {
  expect(await cache.readMeta()).toBeNull()
  await cache.commit({
    upserts: {
      deals: [
        { ID: '10', T: 'a' },
        { ID: '9', T: 'b' },
        { ID: '10', T: 'c' },
      ],
      users: [{ ID: '1' }],
    },
    meta: meta({ syncedAt: 5 }),
  })
  expect(await cache.readRows('deals')).toEqual([
    { ID: '9', T: 'b' },
    { ID: '10', T: 'c' },
  ]) // by id, numerically; one row per id
  await cache.commit({
    upserts: { deals: [{ ID: '11' }] },
    deletes: { deals: ['9'] },
    replace: { users: [{ ID: '2' }, { ID: '3' }] },
    meta: meta({ syncedAt: 6 }),
  })
  expect((await cache.readRows('deals')).map((r) => r.ID)).toEqual(['10', '11'])
  expect(await cache.readRows('users')).toEqual([{ ID: '2' }, { ID: '3' }])
  expect((await cache.readMeta())?.syncedAt).toBe(6)
  await cache.clear()
  expect(await cache.readMeta()).toBeNull()
  expect(await cache.readRows('deals')).toEqual([])
}

describe('IndexedDB cache (fake-indexeddb)', () => {
  it('upserts by id, deletes, replaces and clears', async () => {
    const cache = await IdbCache.open('portal-a', 1)
    await exercise(cache)
    await cache.close()
  })

  it('keeps each portal user in a database of their own', async () => {
    expect(idbName('portal-a:1')).not.toBe(idbName('portal-a:2'))
    const one = await IdbCache.open('portal-b', 1)
    const two = await IdbCache.open('portal-b', 2)
    await one.commit({ upserts: { deals: [{ ID: '1' }] }, meta: meta() })
    expect(await two.readRows('deals')).toEqual([])
    expect(await two.readMeta()).toBeNull()
    const again = await IdbCache.open('portal-b', 1)
    expect(await again.readRows('deals')).toEqual([{ ID: '1' }])
    await Promise.all([one.close(), two.close(), again.close()])
  })

  it('refuses a cache without a user', async () => {
    await expect(IdbCache.open('portal', 0)).rejects.toThrow(/member id and the user id/)
  })
})

describe('file cache', () => {
  let dir: string
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fl-cache-'))
  })
  afterAll(() => rm(dir, { recursive: true, force: true }))

  it('behaves like the others', async () => {
    await exercise(await FileCache.open(dir, 'm', 1))
  })

  it('replays its log after a restart and survives a torn last line', async () => {
    const c = await FileCache.open(dir, 'm', 2)
    await c.commit({ upserts: { deals: [{ ID: '1' }] }, meta: meta({ syncedAt: 1 }) })
    await c.commit({ upserts: { deals: [{ ID: '2' }] }, meta: meta({ syncedAt: 2 }) })
    const file = join(dir, `${encodeURIComponent('m:2')}.jsonl`)
    await appendFile(file, '{"upserts":{"deals":[{"ID":"3"}')
    const reopened = await FileCache.open(dir, 'm', 2)
    expect((await reopened.readRows('deals')).map((r) => r.ID)).toEqual(['1', '2'])
    expect((await reopened.readMeta())?.syncedAt).toBe(2)
    expect((await readFile(file, 'utf8')).trim().split('\n')).toHaveLength(1) // compacted
  })
})

describe('warm reopen from IndexedDB over HTTP', () => {
  let portal: RunningPortal
  beforeAll(async () => {
    portal = await portalWith(demoDump(6, 80))
  })
  afterAll(() => portal?.close())

  it('a second page load shows the stored data and asks the portal once', async () => {
    const first = await syncAll(await webhookClient(portal), await IdbCache.open('demo', 1))
    const client = await webhookClient(portal)
    let shown = 0
    const second = await syncAll(client, await IdbCache.open('demo', 1), { onCached: (d) => (shown = d.deals.length) })
    expect(shown).toBe(first.data.deals.length)
    expect(second.mode).toBe('delta')
    expect(client.requests).toBe(1)
    expect(second.data.deals).toEqual(first.data.deals)
    // Another user of the same portal starts from nothing.
    expect((await syncAll(await webhookClient(portal, 2), await IdbCache.open('demo', 2))).mode).toBe('full')
  })
})
