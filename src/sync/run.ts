/**
 * One syncAll run and what its two ways of syncing (full load, delta) share: progress reports,
 * the portal facts, the tables the portal refused, reading the cache back as a dump.
 */
import type { B24Client } from '../b24/client'
import { emptyDump, type PortalDump } from '../b24/wire'
import type { TableName } from '../b24/tables'
import type { AcceptedBatch, Job } from '../b24/loader'
import type { SyncCache, SyncMeta, WireRow } from './cache'
import { summarize, tableProgress, type SyncPhase } from './progress'
import type { SyncOptions } from './types'

export interface Run {
  client: B24Client
  cache: SyncCache
  options: SyncOptions
  tables: readonly TableName[]
  startRequests: number
}

/** Timing marks the report bench prints (tests/bench/report-render.ts); harmless elsewhere. */
export function mark(name: string): void {
  globalThis.performance?.mark?.(name)
}

/** `>DATE_MODIFY` filter value: ISO with an explicit offset, no milliseconds (rest.md §1.6). */
export function filterDate(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00')
}

/** Reads everything the cache holds as a PortalDump (tables not synced stay empty). */
export async function cachedDump(cache: SyncCache, meta: SyncMeta): Promise<PortalDump> {
  const dump = emptyDump(meta.portal)
  for (const t of meta.tables) (dump as unknown as Record<TableName, WireRow[]>)[t] = await cache.readRows(t)
  return dump
}

export function emit(run: Run, phase: SyncPhase, jobs: readonly Job[], tableOf: (j: Job) => TableName | null): void {
  if (!run.options.onProgress) return
  const byTable = new Map<TableName, ReturnType<typeof tableProgress>>()
  for (const j of jobs) {
    const t = tableOf(j)
    if (t !== null && !byTable.has(t)) byTable.set(t, tableProgress(t, j))
  }
  run.options.onProgress(summarize(phase, run.client.requests - run.startRequests, [...byTable.values()]))
}

export function basePortal(run: Run, previous: SyncMeta | null): PortalDump['portal'] {
  return {
    domain: run.client.domain,
    memberId: run.client.memberId,
    timeZone: run.options.portal?.timeZone ?? previous?.portal.timeZone ?? '',
    language: run.options.portal?.language ?? previous?.portal.language ?? 'en',
  }
}

export function withZone(portal: PortalDump['portal'], batch: AcceptedBatch): PortalDump['portal'] {
  // PortalInfo.timeZone: an IANA zone when known, else the offset the portal renders dates in.
  return portal.timeZone || !batch.serverOffset ? portal : { ...portal, timeZone: batch.serverOffset }
}

export function skippedOf(
  jobs: readonly Job[],
  tableOf: (j: Job) => TableName | null,
): Partial<Record<TableName, string>> {
  const out: Partial<Record<TableName, string>> = {}
  for (const j of jobs) {
    const t = tableOf(j)
    if (t && j.state.skipped) out[t] = j.state.skipped
  }
  return out
}
