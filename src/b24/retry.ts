/**
 * Our own retry around each request, on top of the SDK's: the SDK retries a few times and then
 * throws; a sync of 100k rows must ride out a portal that is briefly overloaded (503), restarts
 * (500, dropped connections) or is slow (timeouts), without giving up after three tries — but
 * also without looping forever. Exponential backoff with full jitter, bounded attempts, and a
 * clear error at the end.
 */
import { FunnelLensError } from '../errors'
import { RestError } from './app-rest'

export interface RetryPolicy {
  /** Attempts in total (first try included). */
  maxAttempts: number
  baseDelayMs: number
  maxDelayMs: number
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 8, baseDelayMs: 500, maxDelayMs: 20_000 }

/** Codes that mean "try again later": overload, server hiccups, network trouble. */
const TRANSIENT_CODES = new Set([
  'QUERY_LIMIT_EXCEEDED',
  'OPERATION_TIME_LIMIT',
  'INTERNAL_SERVER_ERROR',
  'ERROR_UNEXPECTED_ANSWER',
  'NETWORK_ERROR',
  'REQUEST_TIMEOUT',
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'ERR_BAD_RESPONSE',
  'ERR_NETWORK',
])

export function isTransient(err: unknown): boolean {
  if (!(err instanceof RestError)) return false
  if (TRANSIENT_CODES.has(err.code)) return true
  // OVERLOAD_LIMIT is a manual block by Bitrix24 staff: waiting minutes will not help.
  if (err.code === 'OVERLOAD_LIMIT') return false
  return err.status === 0 || err.status === 408 || err.status === 429 || err.status >= 500
}

export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt)
  // "Equal jitter": at least half the ceiling, so retries never bunch up at ~0 ms.
  return Math.round(ceiling / 2 + random() * (ceiling / 2))
}

/** The user stopped the sync. Named 'AbortError' like the DOM's, which callers already recognise. */
export class AbortedError extends FunnelLensError {
  constructor() {
    super('ABORTED', 'The sync was stopped.', 'AbortError')
  }
}

export function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw new AbortedError()
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new AbortedError())
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    const onAbort = () => {
      clearTimeout(timer)
      reject(new AbortedError())
    }
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}

export interface RetryHooks {
  signal?: AbortSignal
  /** Called before each wait, for progress and logs. */
  onRetry?: (info: { attempt: number; delayMs: number; error: RestError }) => void
}

/** Runs `op` until it succeeds, fails with a non-transient error, or the attempts run out. */
export async function withRetry<T>(
  what: string,
  op: () => Promise<T>,
  policy: RetryPolicy,
  hooks: RetryHooks = {},
): Promise<T> {
  let last: unknown
  for (let attempt = 0; attempt < Math.max(1, policy.maxAttempts); attempt++) {
    throwIfAborted(hooks.signal)
    try {
      return await op()
    } catch (err) {
      last = err
      if (!isTransient(err)) throw err
      if (attempt + 1 >= policy.maxAttempts) break
      const delayMs = backoffDelay(attempt, policy)
      hooks.onRetry?.({ attempt: attempt + 1, delayMs, error: err as RestError })
      await sleep(delayMs, hooks.signal)
    }
  }
  const e = last as RestError
  throw new RestError(
    e.method,
    e.code,
    `${what}: the portal kept failing after ${policy.maxAttempts} attempts (last: ${e.code || 'error'} ${e.description}). ` +
      'Check that the portal is reachable and try again; everything loaded so far is kept.',
    e.status,
  )
}
