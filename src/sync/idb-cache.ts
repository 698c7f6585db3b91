/**
 * Browser cache: one IndexedDB database per portal and user ("funnel-lens-sync:<member>:<user>"),
 * so two people who open the app in the same browser never read each other's rows. One object
 * store per table plus "meta". A commit is one readwrite transaction over every store it
 * touches, so rows and the resume cursor are saved together or not at all.
 *
 * Rows are stored in buckets, not one record per row: a record is a Map (row key → row) of the
 * rows whose numeric id falls in the same block of BUCKET ids (other keys share one bucket).
 * IndexedDB's cost is per record: reading 400k one-row records took ~9 s in Chromium, a few
 * hundred buckets a fraction of that. A change rewrites only the buckets it touches.
 *
 * The database also keeps the last report shown ("reports" store, see ReportSnapshot), so a
 * reopen can show it before any row is read — per portal and user like the rows themselves.
 */
import { ALL_TABLES, type TableName } from '../b24/tables'
import { cacheKey, keyOf, sortedRows, type CacheChange, type SyncCache, type SyncMeta, type WireRow } from './cache'

/** 2: rows in buckets, and the reports store (a version-1 database is dropped and synced again). */
const DB_VERSION = 2
const META = 'meta'
const REPORTS = 'reports'
export const BUCKET = 1000

type Bucket = Map<string, WireRow>

function request<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result)
    r.onerror = () => reject(r.error)
  })
}

function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve()
    tx.onerror = () => reject(tx.error)
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'))
  })
}

export function idbName(key: string): string {
  return `funnel-lens-sync:${key}`
}

/** The bucket a row key lives in: numeric ids by block, anything else in one shared bucket. */
export function bucketOf(key: string): number | string {
  return /^\d+$/.test(key) ? Math.floor(Number(key) / BUCKET) : '~'
}

/** Groups keyed rows by bucket. */
function grouped(table: TableName, rows: WireRow[]): Map<number | string, [string, WireRow][]> {
  const out = new Map<number | string, [string, WireRow][]>()
  for (const r of rows) {
    const k = keyOf(table, r)
    if (k === null) continue
    const b = bucketOf(k)
    const list = out.get(b) ?? out.set(b, []).get(b)!
    list.push([k, r])
  }
  return out
}

export class IdbCache implements SyncCache {
  private constructor(
    readonly key: string,
    private readonly db: IDBDatabase,
  ) {}

  static async open(memberId: string, userId: number, factory: IDBFactory = indexedDB): Promise<IdbCache> {
    const key = cacheKey(memberId, userId)
    const req = factory.open(idbName(key), DB_VERSION)
    req.onupgradeneeded = (e) => {
      const db = req.result
      // Version 1 kept one record per row: drop it, the next open syncs in full once.
      if (e.oldVersion < 2) for (const name of [...db.objectStoreNames]) db.deleteObjectStore(name)
      for (const t of [...ALL_TABLES, META, REPORTS]) if (!db.objectStoreNames.contains(t)) db.createObjectStore(t)
    }
    return new IdbCache(key, await request(req))
  }

  async readMeta(): Promise<SyncMeta | null> {
    const tx = this.db.transaction(META, 'readonly')
    const meta = await request(tx.objectStore(META).get(META))
    return (meta as SyncMeta | undefined) ?? null
  }

  async readRows(table: TableName): Promise<WireRow[]> {
    const tx = this.db.transaction(table, 'readonly')
    const buckets = (await request(tx.objectStore(table).getAll())) as Bucket[]
    const all = new Map<string, WireRow>()
    for (const b of buckets) for (const [k, r] of b) all.set(k, r)
    return sortedRows(all)
  }

  async commit(change: CacheChange): Promise<void> {
    const touched = new Set<TableName>()
    for (const part of [change.upserts, change.deletes, change.replace])
      for (const t of Object.keys(part ?? {}) as TableName[]) touched.add(t)
    const tx = this.db.transaction([...touched, META], 'readwrite')
    const finished = done(tx)
    for (const t of touched) {
      const store = tx.objectStore(t)
      const upserts = grouped(t, change.upserts?.[t] ?? [])
      const deletes = new Map<number | string, string[]>()
      for (const k of change.deletes?.[t] ?? []) {
        const b = bucketOf(k)
        ;(deletes.get(b) ?? deletes.set(b, []).get(b)!).push(k)
      }
      const edit = (bucket: Bucket, b: number | string) => {
        for (const [k, r] of upserts.get(b) ?? []) bucket.set(k, r)
        for (const k of deletes.get(b) ?? []) bucket.delete(k)
      }
      const replace = change.replace?.[t]
      if (replace) {
        // Same order as applyChange: the new content, then upserts, then deletes.
        store.clear()
        const buckets = new Map<number | string, Bucket>()
        for (const [b, rows] of grouped(t, replace)) buckets.set(b, new Map(rows))
        for (const b of [...upserts.keys(), ...deletes.keys()]) if (!buckets.has(b)) buckets.set(b, new Map())
        for (const [b, bucket] of buckets) {
          edit(bucket, b)
          if (bucket.size > 0) store.put(bucket, b)
        }
        continue
      }
      // Read-modify-write inside the transaction (callbacks, no await: the transaction stays open).
      for (const b of new Set([...upserts.keys(), ...deletes.keys()])) {
        const get = store.get(b)
        get.onsuccess = () => {
          const bucket: Bucket = (get.result as Bucket | undefined) ?? new Map()
          edit(bucket, b)
          if (bucket.size > 0) store.put(bucket, b)
          else store.delete(b)
        }
      }
    }
    tx.objectStore(META).put(change.meta, META)
    await finished
  }

  /** The last report kept for this portal user under `slot`, or null. */
  async readSnapshot<T>(slot: string): Promise<T | null> {
    const tx = this.db.transaction(REPORTS, 'readonly')
    return ((await request(tx.objectStore(REPORTS).get(slot))) as T | undefined) ?? null
  }

  async writeSnapshot<T>(slot: string, value: T): Promise<void> {
    const tx = this.db.transaction(REPORTS, 'readwrite')
    const finished = done(tx)
    tx.objectStore(REPORTS).put(value, slot)
    await finished
  }

  async clear(): Promise<void> {
    const names = [...ALL_TABLES, META, REPORTS]
    const tx = this.db.transaction(names, 'readwrite')
    const finished = done(tx)
    for (const n of names) tx.objectStore(n).clear()
    await finished
  }

  async close(): Promise<void> {
    this.db.close()
  }
}
