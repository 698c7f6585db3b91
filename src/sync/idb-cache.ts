/**
 * Browser cache: one IndexedDB database per portal and user ("funnel-lens-sync:<member>:<user>"),
 * so two people who open the app in the same browser never read each other's rows. One object
 * store per table (rows keyed by their id) plus "meta". A commit is one readwrite transaction
 * over every store it touches, so rows and the resume cursor are saved together or not at all.
 */
import { ALL_TABLES, type TableName } from '../b24/tables'
import { cacheKey, keyOf, sortedRows, type CacheChange, type SyncCache, type SyncMeta, type WireRow } from './cache'

const DB_VERSION = 1
const META = 'meta'

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

export class IdbCache implements SyncCache {
  private constructor(
    readonly key: string,
    private readonly db: IDBDatabase,
  ) {}

  static async open(memberId: string, userId: number, factory: IDBFactory = indexedDB): Promise<IdbCache> {
    const key = cacheKey(memberId, userId)
    const req = factory.open(idbName(key), DB_VERSION)
    req.onupgradeneeded = () => {
      const db = req.result
      for (const t of [...ALL_TABLES, META]) if (!db.objectStoreNames.contains(t)) db.createObjectStore(t)
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
    const store = tx.objectStore(table)
    const [keys, rows] = await Promise.all([request(store.getAllKeys()), request(store.getAll())])
    return sortedRows(new Map(keys.map((k, i) => [String(k), rows[i] as WireRow])))
  }

  async commit(change: CacheChange): Promise<void> {
    const touched = new Set<string>([META])
    for (const part of [change.upserts, change.deletes, change.replace]) for (const t of Object.keys(part ?? {})) touched.add(t)
    const tx = this.db.transaction([...touched], 'readwrite')
    const finished = done(tx)
    for (const [t, rows] of Object.entries(change.replace ?? {}) as [TableName, WireRow[]][]) {
      const store = tx.objectStore(t)
      store.clear()
      for (const r of rows) {
        const k = keyOf(t, r)
        if (k !== null) store.put(r, k)
      }
    }
    for (const [t, rows] of Object.entries(change.upserts ?? {}) as [TableName, WireRow[]][]) {
      const store = tx.objectStore(t)
      for (const r of rows) {
        const k = keyOf(t, r)
        if (k !== null) store.put(r, k)
      }
    }
    for (const [t, keys] of Object.entries(change.deletes ?? {}) as [TableName, string[]][]) {
      const store = tx.objectStore(t)
      for (const k of keys) store.delete(k)
    }
    tx.objectStore(META).put(change.meta, META)
    await finished
  }

  async clear(): Promise<void> {
    const names = [...ALL_TABLES, META]
    const tx = this.db.transaction(names, 'readwrite')
    const finished = done(tx)
    for (const n of names) tx.objectStore(n).clear()
    await finished
  }

  async close(): Promise<void> {
    this.db.close()
  }
}
