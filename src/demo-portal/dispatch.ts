/**
 * Runs one REST method (also each batch command) and times it.
 */
import { makeTime, OperatingMeter, PortalRestError, type MethodResult, type TimeInfo } from './envelope'
import { Params, type JsonObject } from './params'
import { methods } from './registry'
import type { AuthContext, PortalState } from './state'
import './methods/crm'
import './methods/clients'
import './methods/history'
import './methods/activity'
import './methods/people'
import './methods/tasks-calls'
import './methods/app'
import './methods/entity'

export interface Invocation {
  body: MethodResult
  time: TimeInfo
}

export function methodNotFound(): PortalRestError {
  return new PortalRestError(404, 'ERROR_METHOD_NOT_FOUND', 'Method not found!')
}

export function invoke(
  portal: PortalState,
  meter: OperatingMeter,
  auth: AuthContext,
  method: string,
  raw: JsonObject,
): Invocation {
  const def = methods.get(method)
  if (!def) throw methodNotFound()
  const started = portal.clock()
  const t0 = performance.now()
  const body = def.handler({ portal, auth, params: new Params(raw), now: started })
  const seconds = (performance.now() - t0) / 1000
  const finished = started + seconds * 1000
  return { body, time: makeTime(started, finished, portal.timeZone, meter.record(method, started, seconds)) }
}
