/**
 * Branch stages (metrics.md "Funnels" → "Branch stages"): stages that deals leave the main path
 * for and usually skip ("no-show"). A branch stage is reached only by an actual entry; entering
 * it still implies the main-path stages before it; no later stage implies it.
 *
 * This file is the one place that says which stages are branches and what the main path around
 * them is; `prepare` uses it for every implied pass, and funnels, churn, sources, timing,
 * forecast and the deal card read what `prepare` built (or call `pathShape` themselves).
 */
import type { AnalyticsSettings } from './types'

/** Every no-show-role stage plus the stages an admin marked as branches. */
export function branchStageIds(settings: Partial<AnalyticsSettings> | undefined | null): Set<string> {
  return new Set([...(settings?.noShowStageIds ?? []), ...(settings?.branchStageIds ?? [])])
}

/** The main path of one pipeline around its branch stages, by local stage index (funnel order). */
export interface PathShape {
  /** 1 for a process stage that is a branch stage (success and failure stages never are). */
  branch: Uint8Array
  /**
   * Per process stage: the next main-path process stage after it, -1 when none follows (its
   * "next" is then any success stage). For a branch stage too: where its deals rejoin the path.
   */
  nextMain: Int16Array
  /** Per process stage: the last main-path process stage before it, -1 when none. */
  prevMain: Int16Array
  /** First and last main-path process stages, -1 when the pipeline has none. */
  firstMain: number
  lastMain: number
}

/**
 * @param ids stage ids in funnel order
 * @param processCount how many of them (the first ones) are process stages
 */
export function pathShape(ids: readonly string[], processCount: number, branches: ReadonlySet<string>): PathShape {
  const n = ids.length
  const branch = new Uint8Array(n)
  for (let st = 0; st < processCount; st++) if (branches.has(ids[st])) branch[st] = 1
  const nextMain = new Int16Array(n).fill(-1)
  const prevMain = new Int16Array(n).fill(-1)
  let next = -1
  for (let st = processCount - 1; st >= 0; st--) {
    nextMain[st] = next
    if (!branch[st]) next = st
  }
  let prev = -1
  for (let st = 0; st < processCount; st++) {
    prevMain[st] = prev
    if (!branch[st]) prev = st
  }
  return { branch, nextMain, prevMain, firstMain: next, lastMain: prev }
}
