/**
 * IndexedDB cache internals the common cache tests do not reach: rows kept in id buckets
 * (edits that cross buckets, empty buckets removed), a version-1 database (one record per
 * row) dropped on upgrade, and the saved last report kept per portal user.
 */
import 'fake-indexeddb/auto'
import { describe, expect, it } from 'vitest'
import { BUCKET, IdbCache, bucketOf, idbName } from '../../src/sync/idb-cache'
import type { SyncMeta } from '../../src/sync/cache'

function meta(): SyncMeta {
  return {
    schema: 1,
    portal: { domain: 'd', memberId: 'm', timeZone: 'UTC', language: 'en' },
    load: null,
    syncedAt: 1,
    tables: ['deals', 'statuses'],
    skipped: {},
  }
}

const deal = (id: number, title = `deal ${id}`) => ({ ID: String(id), TITLE: title })

describe('IndexedDB buckets', () => {
  it('keeps rows across buckets in id order through upserts, deletes and replaces', async () => {
    const cache = await IdbCache.open('bucket-portal', 1)
    const ids = [1, 2, BUCKET - 1, BUCKET, BUCKET + 5, 3 * BUCKET + 7]
    await cache.commit({ upserts: { deals: ids.reverse().map((i) => deal(i)) }, meta: meta() })
    expect((await cache.readRows('deals')).map((r) => Number(r.ID))).toEqual([
      1,
      2,
      BUCKET - 1,
      BUCKET,
      BUCKET + 5,
      3 * BUCKET + 7,
    ])
    // Deleting the only row of a bucket and renaming one in another.
    await cache.commit({
      upserts: { deals: [deal(BUCKET, 'renamed')] },
      deletes: { deals: [String(3 * BUCKET + 7), '2'] },
      meta: meta(),
    })
    const rows = await cache.readRows('deals')
    expect(rows.map((r) => Number(r.ID))).toEqual([1, BUCKET - 1, BUCKET, BUCKET + 5])
    expect(rows.find((r) => r.ID === String(BUCKET))?.TITLE).toBe('renamed')
    // A smaller id added later to a bucket still reads in id order.
    await cache.commit({ upserts: { deals: [deal(3), deal(BUCKET + 2)] }, meta: meta() })
    expect((await cache.readRows('deals')).map((r) => Number(r.ID))).toEqual([
      1,
      3,
      BUCKET - 1,
      BUCKET,
      BUCKET + 2,
      BUCKET + 5,
    ])
    // String keys share one bucket; a replace drops what was there before.
    await cache.commit({ upserts: { statuses: [{ ID: 'b', ENTITY_ID: 'X', STATUS_ID: 'b' }] }, meta: meta() })
    await cache.commit({ replace: { statuses: [{ ID: 'a', ENTITY_ID: 'X', STATUS_ID: 'a' }] }, meta: meta() })
    expect((await cache.readRows('statuses')).map((r) => r.ID)).toEqual(['a'])
    expect(bucketOf('12')).toBe(0)
    expect(bucketOf(String(BUCKET * 2 + 1))).toBe(2)
    expect(bucketOf('DEAL_STAGE:NEW')).toBe('~')
    await cache.close()
  })

  it('drops a version-1 database (one record per row) so the next open syncs in full', async () => {
    const name = idbName('old-portal:1')
    await new Promise<void>((resolve, reject) => {
      const req = indexedDB.open(name, 1)
      req.onupgradeneeded = () => {
        req.result.createObjectStore('deals').put({ ID: '1' }, '1')
        req.result.createObjectStore('meta').put(meta(), 'meta')
      }
      req.onsuccess = () => {
        req.result.close()
        resolve()
      }
      req.onerror = () => reject(req.error)
    })
    const cache = await IdbCache.open('old-portal', 1)
    expect(await cache.readMeta()).toBeNull()
    expect(await cache.readRows('deals')).toEqual([])
    await cache.close()
  })
})

describe('saved last report', () => {
  it('belongs to one portal user: another user of the portal, or another portal, reads nothing', async () => {
    const one = await IdbCache.open('snap-portal', 1)
    const two = await IdbCache.open('snap-portal', 2)
    const other = await IdbCache.open('snap-other', 1)
    await one.writeSnapshot('last-report', { figures: [1, 2, 3] })
    expect(await one.readSnapshot('last-report')).toEqual({ figures: [1, 2, 3] })
    expect(await two.readSnapshot('last-report')).toBeNull()
    expect(await other.readSnapshot('last-report')).toBeNull()
    // A cleared cache (a full reload) forgets the report too.
    await one.clear()
    expect(await one.readSnapshot('last-report')).toBeNull()
    await Promise.all([one.close(), two.close(), other.close()])
  })
})
