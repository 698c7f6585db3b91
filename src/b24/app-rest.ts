/**
 * The small REST surface the install wizard, app storage and the deal-card widget need:
 * one call, one batch (named commands, each with its own success or error). `B24Client`
 * (client.ts) implements it for every connection mode (frame, webhook, token), so the same
 * code runs in the Bitrix24 iframe, in the demo host page and in Node tests.
 */
import { FunnelLensError } from '../errors'

export type RestParams = Record<string, unknown>

/** A REST error as the portal sent it: `code` is the wire `error` ("ACCESS_DENIED", …). */
export class RestError extends FunnelLensError {
  constructor(
    readonly method: string,
    code: string,
    readonly description: string,
    readonly status: number,
  ) {
    super(code, `${method}: ${code || 'error'}${description ? ` — ${description}` : ''}`, 'RestError')
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

/** Throws the command's error, else returns its result. */
export function replyOf<T>(replies: Record<string, BatchReply>, name: string): T {
  const r = replies[name]
  if (!r) throw new RestError(name, 'NO_REPLY', 'missing command', 0)
  if (!r.ok) throw r.error!
  return r.result as T
}
