/**
 * B24Client: the small typed face of the SDK that the sync layer and the rest of the app use.
 * It is a superset of `AppRest` (app-rest.ts), so storage/install code accepts it as is.
 *
 * Every request still goes through the SDK's HttpV2 (its limiter, operating limits, token
 * refresh on 401); on top we add a bounded retry with backoff (retry.ts) and count HTTP
 * requests with an axios interceptor, so the figures include the SDK's own retries.
 * No SDK type leaves this file's public surface.
 */
import { ApiVersion, AjaxError, type AjaxResult, type TypeB24, type TypeHttp } from '@bitrix24/b24jssdk'
import { RestError, type AppRest, type BatchReply, type RestParams } from './app-rest'
import { DEFAULT_RETRY, withRetry, type RetryHooks, type RetryPolicy } from './retry'

export { RestError, type BatchReply, type RestParams } from './app-rest'

/** The portal's request-intensity limit (rest.md §2.1) and the SDK's own retry settings. */
export interface Restriction {
  /** Requests that may go at once before pacing starts (leaky bucket size). Bitrix24: 50 (Enterprise 250). */
  burstLimit: number
  /** Requests per second the bucket drains. Bitrix24: 2 (Enterprise 5). */
  drainRate: number
  /** Let the SDK lower its pace after repeated 503s. */
  adaptive: boolean
  /** Attempts the SDK makes itself before our retry takes over. */
  sdkMaxRetries: number
  sdkRetryDelayMs: number
}

export const DEFAULT_RESTRICTION: Restriction = {
  burstLimit: 50,
  drainRate: 2,
  adaptive: true,
  sdkMaxRetries: 2,
  sdkRetryDelayMs: 1_000,
}

export interface ClientOptions {
  restriction?: Partial<Restriction>
  retry?: Partial<RetryPolicy>
  /** Per-request timeout (axios), ms. The SDK's default is 30 s. */
  timeoutMs?: number
}

export interface Identity {
  readonly domain: string
  readonly memberId: string
  readonly userId: number
  readonly isAdmin: boolean
}

export interface CallReply<T> {
  result: T
  total: number
  next: number | null
  /** Server clock at the request's start (epoch ms), from the reply's `time.start`. */
  serverTime: number | null
}

export interface BatchOutcome {
  replies: Record<string, BatchReply>
  serverTime: number | null
  /** The portal's UTC offset as it renders dates ("+03:00"), from the reply's `time.date_start`. */
  serverOffset: string | null
}

export interface RequestOptions extends RetryHooks {
  /** Skip our retry (the SDK still retries on its own). */
  noRetry?: boolean
}

export interface B24Client extends AppRest, Identity {
  /** HTTP requests sent so far, SDK retries and token-refresh retries included. */
  readonly requests: number
  readonly restriction: Restriction
  readonly retry: RetryPolicy
  callFull<T = unknown>(method: string, params?: RestParams, opts?: RequestOptions): Promise<CallReply<T>>
  /** ≤ 50 named commands in one request; a failing command does not fail the others. */
  batchFull(commands: Record<string, [string, RestParams?]>, opts?: RequestOptions): Promise<BatchOutcome>
  /** The SDK's own `actions.v2.callList` walker, for the benchmark that compares with ours. */
  sdkCallList(method: string, params: RestParams, idKey?: string, customKeyForResult?: string): Promise<unknown[]>
}

export function toRestriction(partial?: Partial<Restriction>): Restriction {
  return { ...DEFAULT_RESTRICTION, ...(partial ?? {}) }
}

/** Full SDK params (its merge is shallow: a partial rateLimit would drop keys). */
export function sdkRestrictionParams(r: Restriction) {
  return {
    rateLimit: { burstLimit: r.burstLimit, drainRate: r.drainRate, adaptiveEnabled: r.adaptive },
    operatingLimit: { windowMs: 600_000, limitMs: 480_000, heavyPercent: 80 },
    adaptiveConfig: { enabled: true, thresholdPercent: 80, coefficient: 0.01, maxDelay: 7_000 },
    maxRetries: Math.max(1, r.sdkMaxRetries),
    retryDelay: r.sdkRetryDelayMs,
    retryOnNetworkError: true,
  }
}

function toRestError(method: string, err: unknown): RestError {
  if (err instanceof RestError) return err
  if (err instanceof AjaxError) return new RestError(method, String(err.code), err.message, err.status)
  const e = err as { code?: unknown; message?: string; status?: number } | null
  return new RestError(method, String(e?.code ?? 'JSSDK_UNKNOWN_ERROR'), e?.message ?? String(err), e?.status ?? 0)
}

function errorOf(method: string, r: AjaxResult<unknown>): RestError {
  const [first] = r.getErrors()
  const e = first as (Error & { code?: string; status?: number }) | undefined
  return new RestError(method, String(e?.code ?? ''), e?.message ?? '', e?.status ?? r.getStatus())
}

function serverOffsetOf(time: unknown): string | null {
  const d = (time as { date_start?: unknown } | undefined)?.date_start
  const m = typeof d === 'string' ? /([+-]\d{2}:\d{2}|Z)$/.exec(d) : null
  return m ? (m[1] === 'Z' ? '+00:00' : m[1]) : null
}

function serverTimeOf(time: unknown): number | null {
  const start = (time as { start?: unknown } | undefined)?.start
  return typeof start === 'number' && Number.isFinite(start) ? Math.round(start * 1000) : null
}

export const REDIRECT_REFUSED = 'REDIRECT_REFUSED'

function originOf(location: unknown, base: unknown): string {
  try {
    return new URL(String(location), String(base ?? '')).origin
  } catch {
    return 'another address'
  }
}

/**
 * Every request carries a credential — the webhook secret in the URL or the access token in the
 * body — so no redirect is ever followed: a portal (or anything in between) answering 30x with an
 * http:// or foreign URL would otherwise receive it there. In Node axios follows redirects unless
 * `maxRedirects` is 0; in the browser the frame talks to the origin Bitrix24 named and mixed content
 * is blocked. The refused redirect becomes a clear, non-retried error naming only the target's origin.
 */
function refuseRedirects(http: TypeHttp): void {
  const ax = http.ajaxClient
  ax.defaults.maxRedirects = 0
  ax.interceptors.response.use(undefined, (err: unknown) => {
    const e = err as {
      code?: string
      message?: string
      response?: { status?: number; headers?: Record<string, unknown> }
      config?: { url?: string }
    }
    const status = e?.response?.status ?? 0
    if (status >= 300 && status < 400) {
      e.code = REDIRECT_REFUSED
      e.message =
        `The portal answered ${status} with a redirect to ${originOf(e.response?.headers?.location, e.config?.url)}. ` +
        'Funnel Lens never follows redirects, because every request carries the webhook secret or access token: ' +
        "use the portal's own https:// address."
    }
    return Promise.reject(err)
  })
}

class SdkClient implements B24Client {
  requests = 0
  readonly retry: RetryPolicy
  private readonly http: TypeHttp

  constructor(
    private readonly b24: TypeB24,
    private readonly identity: Identity,
    readonly restriction: Restriction,
    options: ClientOptions,
  ) {
    this.retry = { ...DEFAULT_RETRY, ...(options.retry ?? {}) }
    this.http = b24.getHttpClient(ApiVersion.v2)
    refuseRedirects(this.http)
    try {
      refuseRedirects(b24.getHttpClient(ApiVersion.v3))
    } catch {
      // No v3 transport on this SDK object: nothing else to guard.
    }
    if (options.timeoutMs) this.http.ajaxClient.defaults.timeout = options.timeoutMs
    this.http.ajaxClient.interceptors.request.use((config) => {
      this.requests++
      return config
    })
  }

  get domain() {
    return this.identity.domain
  }
  get memberId() {
    return this.identity.memberId
  }
  get userId() {
    return this.identity.userId
  }
  get isAdmin() {
    return this.identity.isAdmin
  }

  private run<T>(what: string, op: () => Promise<T>, opts: RequestOptions): Promise<T> {
    if (opts.noRetry) return op()
    return withRetry(what, op, this.retry, opts)
  }

  async callFull<T>(method: string, params: RestParams = {}, opts: RequestOptions = {}): Promise<CallReply<T>> {
    return this.run(
      method,
      async () => {
        let r: AjaxResult<T>
        try {
          r = await this.http.call<T>(method, params)
        } catch (err) {
          throw toRestError(method, err)
        }
        if (!r.isSuccess) throw errorOf(method, r as AjaxResult<unknown>)
        const data = r.getData()!
        const next = r.isMore() ? Number((data as { next?: unknown }).next) : null
        return {
          result: data.result as T,
          total: r.getTotal(),
          next: Number.isFinite(next) ? next : null,
          serverTime: serverTimeOf(data.time),
        }
      },
      opts,
    )
  }

  async call<T = unknown>(method: string, params: RestParams = {}): Promise<T> {
    return (await this.callFull<T>(method, params)).result
  }

  async batchFull(commands: Record<string, [string, RestParams?]>, opts: RequestOptions = {}): Promise<BatchOutcome> {
    const names = Object.keys(commands)
    if (names.length === 0) return { replies: {}, serverTime: null, serverOffset: null }
    const calls = Object.fromEntries(names.map((n) => [n, { method: commands[n][0], params: commands[n][1] ?? {} }]))
    return this.run(
      'batch',
      async () => {
        let res
        try {
          res = await this.http.batch(calls, { isHaltOnError: false })
        } catch (err) {
          throw toRestError('batch', err)
        }
        const data = res.getData()
        const results = data?.result ?? new Map<string | number, AjaxResult<unknown>>()
        if (results.size === 0 && !res.isSuccess) {
          // The batch call itself failed softly: no per-command results at all.
          const [first] = res.getErrors()
          throw toRestError('batch', first)
        }
        const replies: Record<string, BatchReply> = {}
        for (const n of names) {
          const r = results.get(n) as AjaxResult<unknown> | undefined
          const method = commands[n][0]
          if (!r)
            replies[n] = {
              ok: false,
              result: null,
              total: 0,
              error: new RestError(method, 'NO_REPLY', 'the portal sent no result for this command', 0),
            }
          else if (r.isSuccess) replies[n] = { ok: true, result: r.getData()!.result, total: r.getTotal(), error: null }
          else replies[n] = { ok: false, result: null, total: 0, error: errorOf(method, r) }
        }
        return { replies, serverTime: serverTimeOf(data?.time), serverOffset: serverOffsetOf(data?.time) }
      },
      opts,
    )
  }

  async batch(commands: Record<string, [string, RestParams?]>): Promise<Record<string, BatchReply>> {
    return (await this.batchFull(commands)).replies
  }

  async sdkCallList(method: string, params: RestParams, idKey = 'ID', customKeyForResult?: string): Promise<unknown[]> {
    const res = await this.b24.actions.v2.callList.make<unknown>({
      method,
      params,
      idKey,
      ...(customKeyForResult ? { customKeyForResult } : {}),
    } as Parameters<TypeB24['actions']['v2']['callList']['make']>[0])
    if (!res.isSuccess) throw new RestError(method, 'CALL_LIST_FAILED', res.getErrorMessages().join('; '), 0)
    return (res.getData() ?? []) as unknown[]
  }
}

/** Wraps a ready SDK object. Only connect.ts calls this. */
export function clientFromSdk(
  b24: TypeB24,
  identity: Identity,
  restriction: Restriction,
  options: ClientOptions = {},
): B24Client {
  return new SdkClient(b24, identity, restriction, options)
}
