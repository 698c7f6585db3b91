/**
 * Node-only cache for the CLI and the benchmark: the same SyncCache, kept as an append-only
 * JSON-lines log per scope (one line per commit, so a commit is one write and an interrupted
 * process loses at most the line it was writing — replay skips a torn last line). The log is
 * compacted into one snapshot line when it is reopened.
 *
 * The cache holds the whole CRM (names, phones in titles, amounts): it is private to the user who
 * runs the CLI. A directory it creates is 0700, its files are created 0600, and a cache file left
 * readable by an older version is narrowed to 0600 when opened.
 */
import { appendFile, chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { TableName } from '../b24/tables'
import { CacheError } from './errors'
import {
  applyChange,
  cacheKey,
  sortedRows,
  type CacheChange,
  type SyncCache,
  type SyncMeta,
  type WireRow,
} from './cache'

const PRIVATE_DIR = 0o700
const PRIVATE_FILE = 0o600

export class FileCache implements SyncCache {
  private tables = new Map<TableName, Map<string, WireRow>>()
  private meta: SyncMeta | null = null
  private loaded = false

  private constructor(
    readonly key: string,
    private readonly file: string,
  ) {}

  static async open(dir: string, memberId: string, userId: number): Promise<FileCache> {
    const key = cacheKey(memberId, userId)
    await mkdir(dir, { recursive: true, mode: PRIVATE_DIR })
    const cache = new FileCache(key, join(dir, `${encodeURIComponent(key)}.jsonl`))
    await cache.load()
    return cache
  }

  private async load(): Promise<void> {
    let text = ''
    try {
      text = await readFile(this.file, 'utf8')
      await chmod(this.file, PRIVATE_FILE)
    } catch {
      text = ''
    }
    const lines = text.split('\n').filter((l) => l.trim() !== '')
    for (const line of lines) {
      let change: CacheChange
      try {
        change = JSON.parse(line) as CacheChange
      } catch {
        break // a torn last line from an interrupted write: everything before it is intact
      }
      applyChange(this.tables, change)
      this.meta = change.meta
    }
    this.loaded = true
    if (lines.length > 1 && this.meta) await this.compact()
  }

  private async compact(): Promise<void> {
    const replace: Partial<Record<TableName, WireRow[]>> = {}
    for (const [t, m] of this.tables) replace[t] = sortedRows(m)
    const tmp = `${this.file}.tmp`
    // A leftover of an interrupted run would keep its old mode through writeFile.
    await rm(tmp, { force: true })
    await writeFile(tmp, JSON.stringify({ replace, meta: this.meta }) + '\n', { mode: PRIVATE_FILE })
    await rename(tmp, this.file)
  }

  async readMeta(): Promise<SyncMeta | null> {
    return this.meta ? structuredClone(this.meta) : null
  }

  async readRows(table: TableName): Promise<WireRow[]> {
    return sortedRows(this.tables.get(table))
  }

  async commit(change: CacheChange): Promise<void> {
    if (!this.loaded) throw new CacheError('CACHE_NOT_OPEN', 'FileCache used before open()')
    await appendFile(this.file, JSON.stringify(change) + '\n', { mode: PRIVATE_FILE })
    applyChange(this.tables, change)
    this.meta = structuredClone(change.meta)
  }

  async clear(): Promise<void> {
    this.tables.clear()
    this.meta = null
    await rm(this.file, { force: true })
  }
}
