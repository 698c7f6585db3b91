/**
 * Drill references for the numbers pages show, typed by the engine's DrillRef: each addresses
 * one figure, and the engine returns exactly the deals it counted.
 */
import type { DrillRef } from '../services/engine-api'
import type { DrillTarget } from '../services/table-model'

export function drillTarget(ref: DrillRef, caption: string): DrillTarget<DrillRef> {
  return { ref, caption }
}
