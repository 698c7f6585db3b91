/**
 * Response envelopes of Bitrix24 REST v2 (rest.md §1.3, §1.5): `{result, total?, next?, time}`
 * on success, `{error, error_description}` with a real HTTP status on failure.
 */
import { FunnelLensError } from '../errors'
import { formatInZone } from './tz'

/**
 * A REST failure the demo portal's dispatcher turns into `{error, error_description}` + status
 * (the app's side of the same wire error is `RestError` in src/b24/app-rest.ts).
 */
export class PortalRestError extends FunnelLensError {
  constructor(
    readonly status: number,
    code: string,
    readonly description: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(code, `${status} ${code}: ${description}`, 'PortalRestError')
  }

  toBody(): Record<string, unknown> {
    return { error: this.code, error_description: this.description, ...this.extra }
  }
}

/** Bitrix `AccessException`: 403 ACCESS_DENIED "Access denied! <msg>" (rest/lib/accessexception.php). */
export function accessDenied(message = ''): PortalRestError {
  return new PortalRestError(403, 'ACCESS_DENIED', `Access denied!${message ? ` ${message}` : ''}`)
}

/** Bitrix `AuthTypeException`: 403 WRONG_AUTH_TYPE (placement.* from a webhook). */
export function wrongAuthType(): PortalRestError {
  return new PortalRestError(
    403,
    'WRONG_AUTH_TYPE',
    'Current authorization type is denied for this method Application context required',
  )
}

/** Legacy CRM method errors: HTTP 400 with an empty code (crm-deal-list.md). */
export function crmError(description: string): PortalRestError {
  return new PortalRestError(400, '', description)
}

export interface TimeInfo {
  start: number
  finish: number
  duration: number
  processing: number
  date_start: string
  date_finish: string
  operating_reset_at: number
  operating: number
}

export interface MethodResult {
  result: unknown
  total?: number
  next?: number
}

/** The full 8-field `time` object (data-types.md#time). */
export function makeTime(
  startMs: number,
  finishMs: number,
  timeZone: string,
  operating: { resetAt: number; seconds: number },
): TimeInfo {
  const start = startMs / 1000
  const finish = finishMs / 1000
  return {
    start,
    finish,
    duration: finish - start,
    processing: finish - start,
    date_start: formatInZone(startMs, timeZone),
    date_finish: formatInZone(finishMs, timeZone),
    operating_reset_at: operating.resetAt,
    operating: operating.seconds,
  }
}

/**
 * Per-method "operating" seconds over a sliding 10 minutes (limits.md). The demo never blocks
 * on it; it reports the real (tiny) execution time so the SDK's operating limiter stays idle.
 */
export class OperatingMeter {
  private readonly calls = new Map<string, { at: number; seconds: number }[]>()

  record(method: string, atMs: number, seconds: number): { resetAt: number; seconds: number } {
    const list = this.calls.get(method) ?? []
    const cutoff = atMs - 600_000
    while (list.length > 0 && list[0].at < cutoff) list.shift()
    list.push({ at: atMs, seconds })
    this.calls.set(method, list)
    const total = list.reduce((s, c) => s + c.seconds, 0)
    return { resetAt: Math.floor(list[0].at / 1000) + 600, seconds: total }
  }
}

/**
 * PHP's json_encode turns an array into a JSON list only when its keys are exactly 0..n-1 in
 * order; empty arrays are `[]`. Batch sub-maps follow that rule (batch.md examples).
 */
export function phpArray(entries: Map<string, unknown>): unknown {
  if (entries.size === 0) return []
  let i = 0
  let isList = true
  for (const k of entries.keys()) {
    if (k !== String(i++)) {
      isList = false
      break
    }
  }
  if (isList) return [...entries.values()]
  const out: Record<string, unknown> = {}
  for (const [k, v] of entries) out[k] = v
  return out
}
