/**
 * How an injected fault (faults.ts) reaches the wire: the answer a real portal gives in that
 * failure, or a dropped connection. Each applied fault is counted in the stats.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { HOSTILE_DESCRIPTION, type FaultKind } from './faults'
import { sendError } from './http'
import type { RestRoute } from './rest-path'
import { countFault, type PortalStats } from './stats'

/** What each answering fault sends: status, error code, description. */
const FAULT_ANSWERS: Record<Exclude<FaultKind, 'drop'>, [number, string, string]> = {
  '503': [503, 'QUERY_LIMIT_EXCEEDED', 'Too many requests'],
  '500': [500, 'INTERNAL_SERVER_ERROR', 'Internal server error'],
  hostile: [400, 'ACCESS_DENIED', HOSTILE_DESCRIPTION],
  '429': [429, 'OPERATION_TIME_LIMIT', 'Method is blocked due to operation time limit.'],
  expired: [401, 'expired_token', 'The access token provided has expired.'],
}

/** Applies an injected fault; true when the request is finished. */
export function replyWithFault(
  kind: FaultKind | null,
  route: RestRoute,
  req: IncomingMessage,
  res: ServerResponse,
  stats: PortalStats,
): boolean {
  if (!kind) return false
  // A webhook has no token to expire: the request goes on, and the skip is counted.
  if (kind === 'expired' && route.webhook) {
    countFault(stats, 'expired-skipped')
    return false
  }
  countFault(stats, kind)
  if (kind === 'drop') req.socket.destroy()
  else sendError(res, ...FAULT_ANSWERS[kind])
  return true
}
