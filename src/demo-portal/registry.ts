/**
 * Method table of the demo portal. Each method says which auth it needs (rest.md §1.1, §8, §9):
 * `app` — OAuth application context only; webhook calls get the method's documented refusal.
 */
import type { MethodResult } from './envelope'
import type { Params } from './params'
import type { AuthContext, PortalState } from './state'

export interface CallContext {
  portal: PortalState
  auth: AuthContext
  params: Params
  /** Request start, ms. */
  now: number
}

export interface MethodDef {
  handler: (ctx: CallContext) => MethodResult
  /** Scope the method belongs to (scope / method.get). */
  scope: string
}

export const methods = new Map<string, MethodDef>()

export function define(name: string, scope: string, handler: (ctx: CallContext) => MethodResult): void {
  methods.set(name.toLowerCase(), { handler, scope })
}
