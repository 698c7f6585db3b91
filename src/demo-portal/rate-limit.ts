/**
 * The leaky bucket (limiter.ts) wired to the wire: a request it refuses is answered 503
 * QUERY_LIMIT_EXCEEDED and counted as rejected.
 */
import type { ServerResponse } from 'node:http'
import { sendError } from './http'
import type { LeakyBucket } from './limiter'
import type { PortalStats } from './stats'

/** True when the request may go on; otherwise it has been answered. */
export function admitRate(bucket: LeakyBucket, stats: PortalStats, res: ServerResponse): boolean {
  if (bucket.take()) return true
  stats.rejected++
  sendError(res, 503, 'QUERY_LIMIT_EXCEEDED', 'Too many requests')
  return false
}
