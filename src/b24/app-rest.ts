/**
 * The small REST surface the install wizard, app storage and the deal-card widget need:
 * one call, one batch (named commands, each with its own success or error). It wraps any
 * SDK `TypeB24` (frame, hook, OAuth), so the same code runs in the Bitrix24 iframe, in the
 * demo host page and in Node tests against the demo portal.
 */
import { AjaxError, type AjaxResult, type TypeB24 } from '@bitrix24/b24jssdk'

export type RestParams = Record<string, unknown>

/** A REST error as the portal sent it: `code` is the wire `error` ("ACCESS_DENIED", …). */
export class RestError extends Error {
  constructor(
    readonly method: string,
    readonly code: string,
    readonly description: string,
    readonly status: number,
  ) {
    super(`${method}: ${code || 'error'}${description ? ` — ${description}` : ''}`)
    this.name = 'RestError'
  }
}

export interface BatchReply {
  ok: boolean
  result: unknown
  /** `total` of a list command (0 when the portal sent none). */
  total: number
  error: RestError | null
}

export interface AppRest {
  call<T = unknown>(method: string, params?: RestParams): Promise<T>
  /** ≤ 50 named commands in one HTTP request; one failing command does not fail the others. */
  batch(commands: Record<string, [string, RestParams?]>): Promise<Record<string, BatchReply>>
  /** The user's admin flag as the frame or token told it (rest.md §7.2 "user.admin"). */
  readonly isAdmin: boolean
}

function errorOf(method: string, r: AjaxResult<unknown>): RestError {
  const [first] = r.getErrors()
  const e = first as (Error & { code?: string; status?: number; description?: string }) | undefined
  return new RestError(method, String(e?.code ?? ''), e?.description ?? e?.message ?? '', r.getStatus())
}

function toRestError(method: string, err: unknown): RestError {
  if (err instanceof RestError) return err
  if (err instanceof AjaxError) return new RestError(method, String(err.code), err.message, err.status)
  const e = err as { code?: unknown; message?: string; status?: number }
  return new RestError(method, String(e?.code ?? 'JSSDK_UNKNOWN_ERROR'), e?.message ?? String(err), e?.status ?? 0)
}

export function appRestFromB24(b24: TypeB24): AppRest {
  return {
    get isAdmin() {
      try {
        return b24.auth.isAdmin
      } catch {
        return false
      }
    },
    async call<T>(method: string, params: RestParams = {}): Promise<T> {
      let r: AjaxResult<T>
      try {
        r = (await b24.actions.v2.call.make<T>({ method, params })) as AjaxResult<T>
      } catch (err) {
        throw toRestError(method, err)
      }
      if (!r.isSuccess) throw errorOf(method, r as AjaxResult<unknown>)
      return r.getData()!.result as T
    },
    async batch(commands) {
      const names = Object.keys(commands)
      if (names.length === 0) return {}
      const calls = Object.fromEntries(names.map((n) => [n, { method: commands[n][0], params: commands[n][1] ?? {} }]))
      let res
      try {
        res = await b24.actions.v2.batch.make({ calls, options: { isHaltOnError: false, returnAjaxResult: true } })
      } catch (err) {
        throw toRestError('batch', err)
      }
      const data = (res.getData() ?? {}) as Record<string, AjaxResult<unknown>>
      const out: Record<string, BatchReply> = {}
      for (const n of names) {
        const r = data[n]
        const method = commands[n][0]
        if (!r) out[n] = { ok: false, result: null, total: 0, error: new RestError(method, 'NO_REPLY', 'the portal sent no result for this command', 0) }
        else if (r.isSuccess) out[n] = { ok: true, result: r.getData()!.result, total: r.getTotal(), error: null }
        else out[n] = { ok: false, result: null, total: 0, error: errorOf(method, r) }
      }
      return out
    },
  }
}

/** Throws the command's error, else returns its result. */
export function replyOf<T>(replies: Record<string, BatchReply>, name: string): T {
  const r = replies[name]
  if (!r) throw new RestError(name, 'NO_REPLY', 'missing command', 0)
  if (!r.ok) throw r.error!
  return r.result as T
}

/** Counts HTTP requests made through an AppRest (a batch is one request). For benchmarks. */
export function countingRest(inner: AppRest): AppRest & { requests: number } {
  const wrapped = {
    requests: 0,
    get isAdmin() {
      return inner.isAdmin
    },
    call<T>(method: string, params?: RestParams) {
      wrapped.requests++
      return inner.call<T>(method, params)
    },
    batch(commands: Record<string, [string, RestParams?]>) {
      wrapped.requests++
      return inner.batch(commands)
    },
  }
  return wrapped
}
