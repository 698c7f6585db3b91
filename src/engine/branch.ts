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

/** A stage the settings form suggests as a branch: most deals reaching the next stage never entered it. */
export interface BranchCandidate {
  stageId: string
  /** The next stage of the pipeline; null when it is the last process stage (next = any success stage). */
  nextStageId: string | null
  /** Sampled deals with an actual entry into the next stage… */
  reachedNext: number
  /** …of which never entered this one. */
  skipped: number
  /** skipped / reachedNext. */
  share: number
}

/** Fewer deals reaching the next stage than this and the share says nothing. */
export const MIN_CANDIDATE_DEALS = 10

interface StageLike {
  id: string
  categoryId: number
  sort: number
  semantic: 'P' | 'S' | 'F'
}

interface EventLike {
  id: number
  ownerId: number
  typeId: number
  stageId: string
  at: number
}

/**
 * Branch-stage candidates from a sample of stage history: for every process stage but the
 * first, the share of deals with an actual entry into the next stage (after the last process
 * stage: any success stage) that never entered it. Stages where that share is above one half,
 * over at least `minDeals` such deals, come back, largest share first. Only histories that
 * start in the sample (a creation event, TYPE_ID 1) count, so a cut history fakes no skip.
 */
export function branchCandidates(
  events: readonly EventLike[],
  stages: readonly StageLike[],
  minDeals = MIN_CANDIDATE_DEALS,
): BranchCandidate[] {
  const entered = new Map<number, Set<string>>()
  const created = new Set<number>()
  for (const e of events) {
    let set = entered.get(e.ownerId)
    if (!set) entered.set(e.ownerId, (set = new Set()))
    set.add(e.stageId)
    if (e.typeId === 1) created.add(e.ownerId)
  }
  const histories = [...entered].filter(([owner]) => created.has(owner)).map(([, set]) => set)
  const out: BranchCandidate[] = []
  for (const categoryId of new Set(stages.map((s) => s.categoryId))) {
    const own = stages.filter((s) => s.categoryId === categoryId)
    const process = own.filter((s) => s.semantic === 'P').sort((a, b) => a.sort - b.sort)
    const success = own.filter((s) => s.semantic === 'S').map((s) => s.id)
    for (let i = 1; i < process.length; i++) {
      const next = i + 1 < process.length ? [process[i + 1].id] : success
      let reachedNext = 0
      let skipped = 0
      for (const set of histories) {
        if (!next.some((id) => set.has(id))) continue
        reachedNext++
        if (!set.has(process[i].id)) skipped++
      }
      if (reachedNext < minDeals || skipped * 2 <= reachedNext) continue
      const nextStageId = i + 1 < process.length ? process[i + 1].id : null
      out.push({ stageId: process[i].id, nextStageId, reachedNext, skipped, share: skipped / reachedNext })
    }
  }
  return out.sort((a, b) => b.share - a.share || a.stageId.localeCompare(b.stageId))
}
