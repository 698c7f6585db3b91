/** What syncAll is asked (SyncOptions) and what it answers (SyncResult); sync.ts re-exports them. */
import type { PortalDump } from '../b24/wire'
import type { NormalizeSettings, NormalizedCrmData } from '../b24/normalize'
import type { TableName } from '../b24/tables'
import type { ProgressListener } from './progress'

export type SyncMode = 'full' | 'resume' | 'delta'

export interface SyncOptions {
  settings?: NormalizeSettings
  onProgress?: ProgressListener
  /** Warm reopen: called with the cached data before any request is made. */
  onCached?: (data: NormalizedCrmData) => void
  signal?: AbortSignal
  /** Tables to sync (default: all). A cache synced with another set is rebuilt. */
  tables?: readonly TableName[]
  /** Overlap subtracted from the last sync time when asking for modified rows (clock skew). */
  overlapMs?: number
  /** Commands per batch request (default 50, the Bitrix24 maximum); tests use fewer. */
  batchSize?: number
  /** Portal facts known from elsewhere (frame LANG, settings' time zone). */
  portal?: Partial<PortalDump['portal']>
  /**
   * Cold open, period first: load the rows created or changed since this instant (epoch ms;
   * the start of the period on screen and its comparison) and hand them to `onRecent`, then
   * backfill the older rows. Ignored by a warm reopen; a resumed load keeps its own split.
   */
  recentSince?: number
  /**
   * Called with the data of the recent part, in two stages: first with the dictionaries and the
   * period's FIRST_CHART_TABLES (sync.ts) loaded, `pending` naming the period's tables still loading (the
   * app marks the figures that read them as loading); then again with the whole period and
   * `pending` empty. A stage left done by an interrupted load is not announced again: a
   * resumed load whose period is complete calls it once, with `pending` empty. What it returns
   * is awaited before the next stage starts (the app draws the report first, then lets the
   * rest load).
   */
  onRecent?: (data: NormalizedCrmData, pending: readonly TableName[]) => void | Promise<void>
  /** Clock for the backfill's time-left estimate (tests inject one). */
  now?: () => number
}

export interface SyncResult {
  data: NormalizedCrmData
  mode: SyncMode
  /** HTTP requests this sync made. */
  requests: number
  /** Rows written (inserted or updated) and deleted in the cache. */
  upserted: number
  deleted: number
  /** Tables that needed an ID sweep to find deletions. */
  swept: TableName[]
  /** Tables the portal refused, with the reason (the rest still loaded). */
  skipped: Partial<Record<TableName, string>>
}

/** A SyncResult before the data is normalised: what each way of syncing reports. */
export type SyncSummary = Omit<SyncResult, 'data'>
