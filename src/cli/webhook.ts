/**
 * The CLI's live path: an inbound webhook through the app's own connection and sync layer
 * (connectWebhook → syncAll), cached in memory or, with --cache-dir, in a file cache so the
 * next run only fetches what changed.
 */
import { connectWebhook } from '../b24/connect'
import type { B24Client } from '../b24/client'
import { cacheKey, MemoryCache, type SyncCache } from '../sync/cache'
import { FileCache } from '../sync/file-cache'
import { syncAll } from '../sync/sync'
import type { CrmData } from '../engine/types'
import type { SyncSettings } from '../b24/settings'
import { loadClientNames, type ClientIds, type ClientNames } from '../b24/client-names'

export interface WebhookLoadOptions {
  cacheDir: string | null
  /** IANA zone (a webhook reveals only the UTC offset of the portal's dates). */
  timeZone: string | null
  /** `--settings FILE` (fields, currency, stage roles); null/undefined → defaults. */
  settings?: SyncSettings
}

/**
 * A command line should fail fast on an unreachable portal instead of backing off for minutes:
 * a few attempts, short delays, a request timeout.
 */
const CLI_RETRY = { maxAttempts: 3, baseDelayMs: 300, maxDelayMs: 2_000 }
const CLI_TIMEOUT_MS = 30_000

async function openCache(client: B24Client, dir: string | null): Promise<SyncCache> {
  if (dir) return FileCache.open(dir, client.memberId, client.userId)
  return new MemoryCache(cacheKey(client.memberId, client.userId))
}

export interface WebhookData {
  data: CrmData
  /** Names of the few clients a report shows, asked for after the report (not synced). */
  clientNames(ids: ClientIds): Promise<ClientNames>
}

/**
 * The sync layer's messages end with "everything loaded so far is kept": true for the app and
 * with --cache-dir, false for a memory-only run, which keeps nothing. Say what is true instead.
 */
const KEPT_PROMISES: [RegExp, string][] = [
  [/;\s*everything loaded so far is kept\./i, '.'],
  [/everything loaded so far is kept;\s*try again later\./i, 'Try again later.'],
  [/\s*everything loaded so far is kept[.;]?/i, ''],
]
const NOTHING_KEPT = ' Nothing loaded was kept: with --cache-dir DIR the next run resumes where this one stopped.'

function withoutKeptPromise(err: unknown): unknown {
  if (!(err instanceof Error) || !/everything loaded so far is kept/i.test(err.message)) return err
  const [pattern, replacement] = KEPT_PROMISES.find(([p]) => p.test(err.message))!
  err.message = err.message.replace(pattern, replacement) + NOTHING_KEPT
  return err
}

export async function loadFromWebhook(url: string, opts: WebhookLoadOptions): Promise<WebhookData> {
  try {
    return await syncOnce(url, opts)
  } catch (err) {
    throw opts.cacheDir ? err : withoutKeptPromise(err)
  }
}

async function syncOnce(url: string, opts: WebhookLoadOptions): Promise<WebhookData> {
  const client = await connectWebhook(url, {
    retry: CLI_RETRY,
    timeoutMs: CLI_TIMEOUT_MS,
    restriction: { sdkMaxRetries: 1 },
  })
  const cache = await openCache(client, opts.cacheDir)
  try {
    const result = await syncAll(client, cache, {
      ...(opts.timeZone ? { portal: { timeZone: opts.timeZone } } : {}),
      ...(opts.settings ? { settings: opts.settings } : {}),
    })
    return { data: result.data, clientNames: (ids) => loadClientNames(client, ids) }
  } finally {
    await cache.close?.()
  }
}
