/**
 * Node-only cache for the CLI and the benchmark: the same SyncCache, kept as an append-only
 * JSON-lines log per scope (one line per commit, so a commit is one write and an interrupted
 * process loses at most the line it was writing — replay skips a torn last line). The log is
 * compacted into one snapshot line when it is reopened.
 */
import { appendFile, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { TableName } from '../b24/tables'
import {
  applyChange,
  cacheKey,
  sortedRows,
  type CacheChange,
  type SyncCache,
  type SyncMeta,
  type WireRow,
} from './cache'

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
    await mkdir(dir, { recursive: true })
    const cache = new FileCache(key, join(dir, `${encodeURIComponent(key)}.jsonl`))
    await cache.load()
    return cache
  }

  private async load(): Promise<void> {
    let text = ''
    try {
      text = await readFile(this.file, 'utf8')
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
    await writeFile(tmp, JSON.stringify({ replace, meta: this.meta }) + '\n')
    await rename(tmp, this.file)
  }

  async readMeta(): Promise<SyncMeta | null> {
    return this.meta ? structuredClone(this.meta) : null
  }

  async readRows(table: TableName): Promise<WireRow[]> {
    return sortedRows(this.tables.get(table))
  }

  async commit(change: CacheChange): Promise<void> {
    if (!this.loaded) throw new Error('FileCache used before open()')
    await appendFile(this.file, JSON.stringify(change) + '\n')
    applyChange(this.tables, change)
    this.meta = structuredClone(change.meta)
  }

  async clear(): Promise<void> {
    this.tables.clear()
    this.meta = null
    await rm(this.file, { force: true })
  }
}
