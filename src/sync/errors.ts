/** The sync layer's part of the error family (src/errors.ts): a cache used the wrong way. */
import { FunnelLensError } from '../errors'

export type CacheErrorCode =
  /** No portal member id or user id to key the cache with. */
  | 'CACHE_KEY'
  /** A cache opened for one portal user, used for another (never mix two users' rows). */
  | 'CACHE_OWNER'
  /** Written before it was opened. */
  | 'CACHE_NOT_OPEN'

export class CacheError extends FunnelLensError {
  constructor(code: CacheErrorCode, message: string) {
    super(code, message, 'CacheError')
  }
}
