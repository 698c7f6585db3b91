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

export async function loadFromWebhook(url: string, opts: WebhookLoadOptions): Promise<CrmData> {
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
    return result.data
  } finally {
    await cache.close?.()
  }
}
