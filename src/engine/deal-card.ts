/**
 * The deal-card widget's figures: one deal's stage path against its pipeline's norms, its
 * touches, its risks and its manager's conversion beside the team's.
 *
 * Norms come from a *sample* of the pipeline's recent stage history (the widget makes ≤ 5
 * REST requests, no full sync), so every norm carries its sample size `n`.
 *
 * Definitions follow metrics.md: "Stuck" (an open deal whose time in its current stage
 * exceeds the pipeline's p90 for that stage), "Reached", "loss stage", "Touch",
 * manager conversion = won / (won + lost). Pure: imports only engine modules.
 */
import type { Semantic, Stage, StageEvent, Touch, TouchKind } from './types'
import { DAY_MS } from './periods'
import { quantileSorted, rate } from './stats'

/** Fewer observations than this and a norm or a churn rate is shown but never flags a risk. */
export const MIN_SAMPLE = 5
/** A stage is "often lost" for a source when its churn there is at least this… */
export const OFTEN_LOST_CHURN = 0.3
/** …or at least this and 1.5× the pipeline's churn at that stage. */
export const ELEVATED_CHURN = 0.15
/** An open deal with no touch for longer than this many days is "idle". */
export const IDLE_DAYS = 7

export interface StageNorm {
  stageId: string
  /** Observations: completed stays in the stage. */
  n: number
  medianMs: number
  p90Ms: number
}

function byOwner(events: readonly StageEvent[]): Map<number, StageEvent[]> {
  const m = new Map<number, StageEvent[]>()
  for (const e of events) {
    const list = m.get(e.ownerId)
    if (list) list.push(e)
    else m.set(e.ownerId, [e])
  }
  for (const list of m.values()) list.sort((a, b) => a.at - b.at || a.id - b.id)
  return m
}

/**
 * Time spent in each process stage: for every owner, an entry into stage s followed by the
 * owner's next event gives one completed stay in s. Open stays (no next event) are left
 * out — they have not ended, and counting them would bias the norm down.
 */
export function stageNorms(events: readonly StageEvent[]): Map<string, StageNorm> {
  const stays = new Map<string, number[]>()
  for (const list of byOwner(events).values()) {
    for (let i = 0; i + 1 < list.length; i++) {
      const e = list[i]
      if (e.semantic !== 'P') continue
      const d = list[i + 1].at - e.at
      if (d < 0) continue
      const arr = stays.get(e.stageId)
      if (arr) arr.push(d)
      else stays.set(e.stageId, [d])
    }
  }
  const norms = new Map<string, StageNorm>()
  // Every list holds at least one stay, so the quantiles are never null.
  for (const [stageId, arr] of stays) {
    arr.sort((a, b) => a - b)
    norms.set(stageId, {
      stageId,
      n: arr.length,
      medianMs: quantileSorted(arr, 0.5)!,
      p90Ms: quantileSorted(arr, 0.9)!,
    })
  }
  return norms
}

export type StepVerdict = 'normal' | 'slow' | 'stuck' | 'unknown'

export interface PathStep {
  stageId: string
  name: string
  semantic: Semantic
  enteredAt: number
  /** null for the stage the deal is in now. */
  leftAt: number | null
  durationMs: number
  current: boolean
  norm: StageNorm | null
  verdict: StepVerdict
}

export interface DealSummary {
  id: number
  stageId: string
  semantic: Semantic
  createdAt: number
  movedAt: number | null
  sourceId: string | null
  assignedById: number
}

function verdictOf(durationMs: number, current: boolean, semantic: Semantic, norm: StageNorm | null): StepVerdict {
  if (semantic !== 'P') return 'normal'
  if (!norm || norm.n < MIN_SAMPLE) return 'unknown'
  if (durationMs <= norm.p90Ms) return 'normal'
  return current ? 'stuck' : 'slow'
}

/**
 * The deal's path through its stages. Without any history (older portals, imported deals)
 * the deal's current stage since MOVED_TIME (else creation) stands in, as metrics.md
 * allows for reconstructed deals.
 */
export function stagePath(
  deal: DealSummary,
  events: readonly StageEvent[],
  stages: readonly Stage[],
  norms: ReadonlyMap<string, StageNorm>,
  now: number,
): PathStep[] {
  const stageById = new Map(stages.map((s) => [s.id, s]))
  const own = [...events].filter((e) => e.ownerId === deal.id).sort((a, b) => a.at - b.at || a.id - b.id)
  const entries =
    own.length > 0
      ? own.map((e) => ({ stageId: e.stageId, at: e.at }))
      : [{ stageId: deal.stageId, at: deal.movedAt ?? deal.createdAt }]
  return entries.map((e, i) => {
    const isLast = i === entries.length - 1
    const leftAt = isLast ? null : entries[i + 1].at
    const stage = stageById.get(e.stageId)
    const semantic: Semantic = stage?.semantic ?? (isLast ? deal.semantic : 'P')
    // A closed deal's last stage is its outcome, not a stay that keeps growing.
    const durationMs = (leftAt ?? (semantic === 'P' ? now : e.at)) - e.at
    const norm = norms.get(e.stageId) ?? null
    const current = isLast && semantic === 'P'
    return {
      stageId: e.stageId,
      name: stage?.name ?? e.stageId,
      semantic,
      enteredAt: e.at,
      leftAt,
      durationMs: Math.max(0, durationMs),
      current,
      norm,
      verdict: verdictOf(durationMs, current, semantic, norm),
    }
  })
}

/** Stage order per metrics.md: process stages by SORT, then success, then failure. */
export function stageOrder(stages: readonly Stage[]): string[] {
  const rank = (s: Semantic) => (s === 'P' ? 0 : s === 'S' ? 1 : 2)
  return [...stages].sort((a, b) => rank(a.semantic) - rank(b.semantic) || a.sort - b.sort).map((s) => s.id)
}

interface DealOutcome {
  reached: Set<string>
  lossStage: string | null
}

/**
 * Reached stages (a skipped stage counts as passed, a branch stage only when entered) and the
 * loss stage (the last process stage actually entered, a branch stage too) of one history.
 */
function outcomeOf(
  list: readonly StageEvent[],
  order: readonly string[],
  semanticOf: (id: string) => Semantic | undefined,
  branches: ReadonlySet<string>,
): DealOutcome {
  const reached = new Set<string>()
  let maxProcess = -1
  let won = false
  let lastProcess: string | null = null
  let lossStage: string | null = null
  for (const e of list) {
    const sem = semanticOf(e.stageId) ?? e.semantic
    reached.add(e.stageId)
    if (sem === 'P') {
      maxProcess = Math.max(maxProcess, order.indexOf(e.stageId))
      lastProcess = e.stageId
    } else if (sem === 'S') won = true
    else if (sem === 'F') lossStage = lastProcess
  }
  order.forEach((id, i) => {
    if (semanticOf(id) === 'P' && !branches.has(id) && (won || i <= maxProcess)) reached.add(id)
  })
  return { reached, lossStage }
}

export interface StageChurn {
  stageId: string
  reached: number
  lost: number
  /** lost / reached; null when nothing reached the stage. */
  churn: number | null
}

/**
 * Churn by stage over the sampled histories of the given owners (all sampled owners when
 * `owners` is null). Only owners whose history starts in the sample (a creation event,
 * TYPE_ID 1) count, so a history cut by the sample window does not fake a skipped stage.
 * `branches`: branch stage ids (metrics.md "Branch stages"), reached only by an actual entry.
 */
export function churnByStage(
  events: readonly StageEvent[],
  stages: readonly Stage[],
  owners: ReadonlySet<number> | null,
  branches: ReadonlySet<string> = new Set(),
): Map<string, StageChurn> {
  const order = stageOrder(stages)
  const sem = new Map(stages.map((s) => [s.id, s.semantic]))
  const out = new Map<string, StageChurn>(order.map((id) => [id, { stageId: id, reached: 0, lost: 0, churn: null }]))
  for (const [owner, list] of byOwner(events)) {
    if (owners && !owners.has(owner)) continue
    if (list[0].typeId !== 1) continue
    const { reached, lossStage } = outcomeOf(list, order, (id) => sem.get(id), branches)
    for (const id of reached) {
      const c = out.get(id)
      if (c) c.reached++
    }
    if (lossStage) {
      const c = out.get(lossStage)
      if (c) c.lost++
    }
  }
  for (const c of out.values()) c.churn = c.reached > 0 ? c.lost / c.reached : null
  return out
}

export interface ClosedDealSample {
  id: number
  assignedById: number
  sourceId: string | null
  semantic: Semantic
}

export interface Conversion {
  won: number
  lost: number
  /** won / (won + lost) as every rate (stats.rate: four decimals); null when nothing closed. */
  rate: number | null
}

export function conversion(deals: readonly ClosedDealSample[], userId: number | null): Conversion {
  let won = 0
  let lost = 0
  for (const d of deals) {
    if (userId !== null && d.assignedById !== userId) continue
    if (d.semantic === 'S') won++
    else if (d.semantic === 'F') lost++
  }
  return { won, lost, rate: rate(won, won + lost) }
}

export interface TouchLine {
  id: number
  kind: TouchKind
  direction: 'in' | 'out' | null
  at: number
  durationSec: number | null
  completed: boolean
  /** Planned for later (not a touch yet). */
  planned: boolean
}

export function touchTimeline(touches: readonly Touch[], now: number): TouchLine[] {
  return [...touches]
    .sort((a, b) => b.at - a.at || b.id - a.id)
    .map((t) => ({
      id: t.id,
      kind: t.kind,
      direction: t.direction,
      at: t.at,
      durationSec: t.durationSec,
      completed: t.completed,
      planned: t.at > now && !t.completed,
    }))
}

/** Whole days since the last touch that already happened; null when there was none. */
export function daysSinceLastTouch(touches: readonly Touch[], now: number): number | null {
  let last = -Infinity
  for (const t of touches) if (t.at <= now && t.at > last) last = t.at
  return Number.isFinite(last) ? Math.floor((now - last) / DAY_MS) : null
}

export type Risk =
  | { kind: 'stuck'; stageId: string; durationMs: number; p90Ms: number }
  | { kind: 'often-lost'; stageId: string; sourceId: string; churn: number; pipelineChurn: number | null; n: number }
  | { kind: 'idle'; days: number }

export interface DealCardInput {
  deal: DealSummary
  /** The deal's own stage history. */
  events: readonly StageEvent[]
  /** The pipeline's stages. */
  stages: readonly Stage[]
  touches: readonly Touch[]
  /** Recent stage history of the pipeline (the norms sample). */
  sampleEvents: readonly StageEvent[]
  /** Recently closed deals of the pipeline. */
  sampleDeals: readonly ClosedDealSample[]
  /** Branch stage ids from the settings (no-show role + marked branches); none when absent. */
  branchStageIds?: readonly string[]
  now: number
}

export interface DealCard {
  path: PathStep[]
  touches: TouchLine[]
  daysSinceLastTouch: number | null
  risks: Risk[]
  manager: Conversion
  team: Conversion
  /** Churn at the deal's current stage: its source's and the pipeline's. */
  stageChurn: { source: StageChurn | null; pipeline: StageChurn | null }
  sample: { events: number; deals: number }
}

export function dealCard(input: DealCardInput): DealCard {
  const { deal, stages, now } = input
  const norms = stageNorms(input.sampleEvents)
  const path = stagePath(deal, input.events, stages, norms, now)
  const risks: Risk[] = []
  const current = path.find((s) => s.current)
  if (current && current.verdict === 'stuck' && current.norm) {
    risks.push({ kind: 'stuck', stageId: current.stageId, durationMs: current.durationMs, p90Ms: current.norm.p90Ms })
  }

  let sourceChurn: StageChurn | null = null
  let pipelineChurn: StageChurn | null = null
  const branches = new Set(input.branchStageIds ?? [])
  if (deal.semantic === 'P') {
    pipelineChurn = churnByStage(input.sampleEvents, stages, null, branches).get(deal.stageId) ?? null
    if (deal.sourceId !== null) {
      const owners = new Set(input.sampleDeals.filter((d) => d.sourceId === deal.sourceId).map((d) => d.id))
      sourceChurn = churnByStage(input.sampleEvents, stages, owners, branches).get(deal.stageId) ?? null
      const c = sourceChurn?.churn ?? null
      const base = pipelineChurn?.churn ?? null
      const often = c !== null && (c >= OFTEN_LOST_CHURN || (c >= ELEVATED_CHURN && base !== null && c >= 1.5 * base))
      if (sourceChurn && often && sourceChurn.reached >= MIN_SAMPLE) {
        risks.push({
          kind: 'often-lost',
          stageId: deal.stageId,
          sourceId: deal.sourceId,
          churn: c!,
          pipelineChurn: base,
          n: sourceChurn.reached,
        })
      }
    }
  }

  const idle = daysSinceLastTouch(input.touches, now)
  if (deal.semantic === 'P') {
    const days = idle ?? Math.floor((now - deal.createdAt) / DAY_MS)
    if (days > IDLE_DAYS) risks.push({ kind: 'idle', days })
  }

  return {
    path,
    touches: touchTimeline(input.touches, now),
    daysSinceLastTouch: idle,
    risks,
    manager: conversion(input.sampleDeals, deal.assignedById),
    team: conversion(input.sampleDeals, null),
    stageChurn: { source: sourceChurn, pipeline: pipelineChurn },
    sample: { events: input.sampleEvents.length, deals: input.sampleDeals.length },
  }
}
