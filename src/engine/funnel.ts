/**
 * Cohort and flow funnels (metrics.md "Funnels"), per pipeline, optionally split by a dimension.
 *
 * The membership predicates below are the single definition of each count: the counting loops
 * and `drillDown` both use them, so a drill-down returns exactly the deals counted.
 */
import type { Semantic } from './types'
import type { Dim } from './dims'
import type { PeriodScope, QueryScope } from './filters'
import { SEM_F, SEM_S, type PipeInfo, type Prepared } from './prepare'
import { rate } from './stats'
import type { WithChanges } from './changes'

// ---------------------------------------------------------------- predicates

/** Created in the period and passing the filters. */
export function inCohort(_s: QueryScope, ps: PeriodScope, d: number): boolean {
  return ps.cohort[d] === 1
}

export function hasReached(p: Prepared, d: number, stage: number): boolean {
  return ((p.reachedBits[d * p.words + (stage >> 5)] >>> (stage & 31)) & 1) === 1
}

/**
 * When the deal first reached the main-path stage after `stage` (branch stages are not steps; after
 * the last one: any success stage); NaN when never, or when `stage` is not a process stage (no
 * "next" to speak of). For a branch stage: the main-path stage its deals rejoin.
 */
export function nextReachedAt(p: Prepared, pipeline: PipeInfo, d: number, stage: number): number {
  if (stage < 0 || stage >= pipeline.processCount) return NaN
  const nextStage = pipeline.nextMain[stage]
  return nextStage >= 0 ? p.reachedAt[d * p.stride + nextStage] : p.successAt[d]
}

export function isLostAt(p: Prepared, d: number, stage: number): boolean {
  return p.semantic[d] === SEM_F && p.lossStage[d] === stage
}

/** Did the deal pass `stage` (actual entry or implied by a jump) inside the period? */
export function enteredIn(p: Prepared, ps: PeriodScope, d: number, stage: number): boolean {
  for (let i = p.passStart[d]; i < p.passStart[d + 1]; i++) {
    const t = p.passAt[i]
    if (p.passStage[i] === stage && t >= ps.period.start && t < ps.period.end) return true
  }
  return false
}

/** Lost (closed in a failure stage) in the period and passing the filters. */
export function lostIn(_p: Prepared, ps: PeriodScope, d: number): boolean {
  return ps.lost[d] === 1
}

/** Won in the period and passing the filters. */
export function wonIn(_p: Prepared, ps: PeriodScope, d: number): boolean {
  return ps.won[d] === 1
}

interface FlowBuffers {
  entries: Uint8Array
  any: Uint8Array
  owner: PeriodScope | null
}
/** Two reusable buffer pairs per data load (current and comparison period): a report does not leave megabytes behind. */
const flowPool = new WeakMap<Prepared, FlowBuffers[]>()

/**
 * Passes per (deal, stage) inside the period for deals passing the filters (n × stride,
 * saturating at 255), and whether the deal passed any stage; one walk over all passes per
 * period. The buffers are pooled per data load; a scope whose buffers were taken over by a
 * later query simply computes them again.
 */
export function flowEntries(s: QueryScope, ps: PeriodScope): { entries: Uint8Array; any: Uint8Array } {
  const p = s.p
  let pool = flowPool.get(p)
  if (!pool) flowPool.set(p, (pool = []))
  let buf = pool[ps.slot]
  if (buf && buf.owner === ps) return buf
  const S = p.stride
  if (!buf) pool[ps.slot] = buf = { entries: new Uint8Array(p.n * S), any: new Uint8Array(p.n), owner: null }
  else {
    buf.entries.fill(0)
    buf.any.fill(0)
  }
  buf.owner = ps
  const { entries, any } = buf
  const { start, end } = ps.period
  const { passStart, passAt, passStage } = p
  const mask = s.dealMask
  for (let d = 0; d < p.n; d++) {
    if (mask[d] !== 1) continue
    for (let i = passStart[d], e = passStart[d + 1]; i < e; i++) {
      const t = passAt[i]
      if (t >= start && t < end) {
        const k = d * S + passStage[i]
        if (entries[k] < 255) entries[k]++
        any[d] = 1
      }
    }
  }
  return buf
}

// ---------------------------------------------------------------- counting

const SEM_LETTER: Semantic[] = ['P', 'S', 'F']

/** Counts per (split key, stage): arrays of keyCount × stride. */
export interface StageCounts {
  keyCount: number
  size: Int32Array
  reached: Int32Array
  current: Int32Array
  notNext: Int32Array
  lostAt: Int32Array
  entries: Int32Array
  /** Distinct deals reaching (cohort) or passing in the period (flow) any success stage, per key. */
  won: Int32Array
}

function emptyCounts(keyCount: number, stride: number): StageCounts {
  const z = () => new Int32Array(keyCount * stride)
  return {
    keyCount,
    size: new Int32Array(keyCount),
    reached: z(),
    current: z(),
    notNext: z(),
    lostAt: z(),
    entries: z(),
    won: new Int32Array(keyCount),
  }
}

type CountKind = 'cohort' | 'flow'

/** Stage counts of one pipeline, total (dim null) or split by a dimension; memoised per period. */
export function cohortCounts(s: QueryScope, ps: PeriodScope, pi: number, dim: Dim | null): StageCounts {
  return stageCounts(s, ps, pi, 'cohort', [dim])[0]
}

export function flowCounts(s: QueryScope, ps: PeriodScope, pi: number, dim: Dim | null): StageCounts {
  return stageCounts(s, ps, pi, 'flow', [dim])[0]
}

/**
 * Counts for several dimensions at once: the ones not memoised yet are computed in a single
 * pass over the pipeline's deals (the per-deal stage work is shared, only the increments fan out).
 *
 * Cohort: `reached`, `current`, `notNext` (reached s, not the next stage), `lostAt`; `size` =
 * cohort deals; `won` = cohort deals that reached a success stage.
 * Flow: `reached` holds entered(s) (distinct deals passing s in the period), `entries` every
 * pass, `current` those of them now in s, `notNext` those of them that had not reached the next
 * stage by the period's end, `lostAt` deals lost in the period by loss stage; `size` = deals
 * passing any stage in the period; `won` = deals passing a success stage in the period.
 */
export function stageCounts(
  s: QueryScope,
  ps: PeriodScope,
  pi: number,
  kind: CountKind,
  dims: (Dim | null)[],
): StageCounts[] {
  const p = s.p
  const keyOf = (dim: Dim | null) => `${kind}:${pi}:${dim ?? 'total'}`
  const missing = [...new Set(dims.filter((dim) => !ps.memo.has(keyOf(dim))))]
  if (missing.length) {
    const cols = missing.map((dim) => (dim ? p.dims[dim].codes : null))
    const counts = missing.map((dim) => emptyCounts(dim ? p.dims[dim].dict.size : 1, p.stride))
    if (kind === 'cohort') countCohort(s, ps, pi, cols, counts)
    else countFlow(s, ps, pi, cols, counts)
    missing.forEach((dim, i) => ps.memo.set(keyOf(dim), counts[i]))
  }
  return dims.map((dim) => ps.memo.get(keyOf(dim)) as StageCounts)
}

function countCohort(
  s: QueryScope,
  ps: PeriodScope,
  pi: number,
  cols: (Int32Array | null)[],
  out: StageCounts[],
): void {
  const p = s.p
  const pl = p.pipes[pi]
  const S = p.stride
  const W = p.words
  const stages = pl.stageIds.length
  const process = pl.processCount
  const nextMain = pl.nextMain
  const { reachedBits, stage, semantic, lossStage, successAt } = p
  const cohort = ps.cohort
  const deals = pl.deals
  const m = cols.length
  const rows = new Int32Array(m)
  for (let i = 0; i < deals.length; i++) {
    const d = deals[i]
    if (cohort[d] !== 1) continue
    const wonAny = successAt[d] === successAt[d]
    for (let j = 0; j < m; j++) {
      const col = cols[j]
      const k = col ? col[d] : 0
      rows[j] = k * S
      out[j].size[k]++
      if (wonAny) out[j].won[k]++
      if (stage[d] >= 0) out[j].current[rows[j] + stage[d]]++
      if (semantic[d] === SEM_F && lossStage[d] >= 0) out[j].lostAt[rows[j] + lossStage[d]]++
    }
    for (let st = 0; st < stages; st++) {
      if (((reachedBits[d * W + (st >> 5)] >>> (st & 31)) & 1) === 0) continue
      let notNext = false
      if (st < process) {
        const nx = nextMain[st]
        notNext = nx >= 0 ? ((reachedBits[d * W + (nx >> 5)] >>> (nx & 31)) & 1) === 0 : !wonAny
      }
      for (let j = 0; j < m; j++) {
        out[j].reached[rows[j] + st]++
        if (notNext) out[j].notNext[rows[j] + st]++
      }
    }
  }
}

function countFlow(s: QueryScope, ps: PeriodScope, pi: number, cols: (Int32Array | null)[], out: StageCounts[]): void {
  const p = s.p
  const pl = p.pipes[pi]
  const S = p.stride
  const { entries, any } = flowEntries(s, ps)
  const end = ps.period.end
  const stages = pl.stageIds.length
  const process = pl.processCount
  const nextMain = pl.nextMain
  const { reachedAt, successAt, stage, lossStage } = p
  const semantics = pl.semantics
  const lost = ps.lost
  const deals = pl.deals
  const m = cols.length
  const rows = new Int32Array(m)
  for (let i = 0; i < deals.length; i++) {
    const d = deals[i]
    const isLost = lost[d] === 1 && lossStage[d] >= 0
    if (!isLost && any[d] !== 1) continue
    for (let j = 0; j < m; j++) {
      const col = cols[j]
      rows[j] = (col ? col[d] : 0) * S
      if (isLost) out[j].lostAt[rows[j] + lossStage[d]]++
    }
    if (any[d] !== 1) continue
    let wonHere = false
    for (let st = 0; st < stages; st++) {
      const e = entries[d * S + st]
      if (e === 0) continue
      const isCurrent = stage[d] === st
      let notNext = false
      if (st < process) {
        const nx = nextMain[st]
        const nextAt = nx >= 0 ? reachedAt[d * S + nx] : successAt[d]
        notNext = !(nextAt < end)
      } else if (semantics[st] === SEM_S) wonHere = true
      for (let j = 0; j < m; j++) {
        const c = out[j]
        const r = rows[j] + st
        c.entries[r] += e
        c.reached[r]++
        if (isCurrent) c.current[r]++
        if (notNext) c.notNext[r]++
      }
    }
    for (let j = 0; j < m; j++) {
      const k = rows[j] / S
      out[j].size[k]++
      if (wonHere) out[j].won[k]++
    }
  }
}

/** Did the deal pass stage st in the period and not reach the next stage by the period's end? */
export function flowNotNext(p: Prepared, ps: PeriodScope, d: number, st: number): boolean {
  const pl = p.pipes[p.pipe[d]]
  return st < pl.processCount && enteredIn(p, ps, d, st) && !(nextReachedAt(p, pl, d, st) < ps.period.end)
}

// ---------------------------------------------------------------- rows

export interface CohortStageRow extends WithChanges {
  name: string
  semantic: Semantic
  /** Deals of the cohort that reached the stage (skips count, moving back does not un-reach). */
  reached: number
  /** Present on a branch stage: drawn beside the main path, not a step of it (no conversion). */
  branch?: true
  /** Deals of the cohort now in the stage. */
  current: number
  /** Reached the stage but not the next main-path one; null for won/lost stages. */
  notNext: number | null
  /** Lost deals of the cohort whose loss stage is this one. */
  lostAt: number
  /** reached(next main-path stage)/reached(s); null for won/lost and branch stages or when reached(s) is 0. */
  conversion: number | null
  /** reached(s)/cohort size. */
  overall: number | null
}

export interface FlowStageRow extends WithChanges {
  name: string
  semantic: Semantic
  /** Distinct deals that entered (or passed by a jump) the stage in the period. */
  entered: number
  /** Present on a branch stage: drawn beside the main path, not a step of it (no conversion). */
  branch?: true
  /** Same as `entered`, for a uniform row shape with the cohort funnel. */
  reached: number
  /** Passes counted with re-entries. */
  entries: number
  current: number
  notNext: number | null
  /** Deals lost in the period whose loss stage is this one. */
  lostAt: number
  /** entered(next)/entered(s): may exceed 1 (deals entering next may have entered s before the period). */
  conversion: number | null
  /** entered(s)/entered(first main-path stage). */
  overall: number | null
}

export interface SplitRows<R> {
  key: string
  name: string
  size: number
  stages: Record<string, R>
}

export interface PipelineFunnel<R> {
  categoryId: number
  name: string
  /** Deals in the cohort (cohort funnel) or passing any stage in the period (flow). */
  size: number
  /** Stage ids in funnel order (object key order is not reliable for numeric-looking ids). */
  order: string[]
  stages: Record<string, R>
  /** Present when the query asks for a breakdown. */
  splits?: SplitRows<R>[]
}

/** The count of the main-path stage after `st`; null for won/lost and branch stages (conversion skips them). */
function nextCount(pl: PipeInfo, arr: Int32Array, row: number, st: number, successAny: number): number | null {
  if (st >= pl.processCount || pl.branch[st]) return null
  const nx = pl.nextMain[st]
  return nx >= 0 ? arr[row + nx] : successAny
}

export function cohortRows(
  pl: PipeInfo,
  c: StageCounts,
  k: number,
  stride: number,
  wonReached: number,
): Record<string, CohortStageRow> {
  const row = k * stride
  const out: Record<string, CohortStageRow> = {}
  pl.stageIds.forEach((id, st) => {
    const reached = c.reached[row + st]
    const next = nextCount(pl, c.reached, row, st, wonReached)
    out[id] = {
      name: pl.stageNames[st],
      semantic: SEM_LETTER[pl.semantics[st]],
      reached,
      current: c.current[row + st],
      notNext: st < pl.processCount ? c.notNext[row + st] : null,
      lostAt: c.lostAt[row + st],
      conversion: next === null ? null : rate(next, reached),
      overall: rate(reached, c.size[k]),
    }
    if (pl.branch[st]) out[id].branch = true
  })
  return out
}

export function flowRows(
  pl: PipeInfo,
  c: StageCounts,
  k: number,
  stride: number,
  wonEntered: number,
): Record<string, FlowStageRow> {
  const row = k * stride
  const out: Record<string, FlowStageRow> = {}
  const first = c.reached[row + Math.max(0, pl.firstMain)]
  pl.stageIds.forEach((id, st) => {
    const entered = c.reached[row + st]
    const next = nextCount(pl, c.reached, row, st, wonEntered)
    out[id] = {
      name: pl.stageNames[st],
      semantic: SEM_LETTER[pl.semantics[st]],
      entered,
      reached: entered,
      entries: c.entries[row + st],
      current: c.current[row + st],
      notNext: st < pl.processCount ? c.notNext[row + st] : null,
      lostAt: c.lostAt[row + st],
      conversion: next === null ? null : rate(next, entered),
      overall: rate(entered, first),
    }
    if (pl.branch[st]) out[id].branch = true
  })
  return out
}

/** Split rows: largest first, ties by key (not by first appearance, so row order in the data never matters). */
function keyOrder(c: StageCounts, keys: string[]): number[] {
  const out: number[] = []
  for (let k = 0; k < c.keyCount; k++) if (c.size[k] > 0) out.push(k)
  return out.sort((a, b) => c.size[b] - c.size[a] || (keys[a] < keys[b] ? -1 : keys[a] > keys[b] ? 1 : 0))
}

export function pipelineFunnel<R>(
  s: QueryScope,
  ps: PeriodScope,
  pi: number,
  flow: boolean,
  breakdown: Dim | undefined,
  rows: (pl: PipeInfo, c: StageCounts, k: number, stride: number, won: number) => Record<string, R>,
): PipelineFunnel<R> {
  const p = s.p
  const pl = p.pipes[pi]
  const [total, split] = stageCounts(s, ps, pi, flow ? 'flow' : 'cohort', [null, breakdown ?? null])
  const out: PipelineFunnel<R> = {
    categoryId: pl.categoryId,
    name: pl.name,
    size: total.size[0],
    order: [...pl.stageIds],
    stages: rows(pl, total, 0, p.stride, total.won[0]),
  }
  if (breakdown) {
    const col = p.dims[breakdown]
    const c = split
    out.splits = keyOrder(c, col.dict.keys).map((k) => ({
      key: col.dict.keys[k],
      name: col.dict.names[k],
      size: c.size[k],
      stages: rows(pl, c, k, p.stride, c.won[k]),
    }))
  }
  return out
}

export interface FunnelSection {
  cohort: PipelineFunnel<CohortStageRow>[]
  flow: PipelineFunnel<FlowStageRow>[]
}

/** Pipelines the query covers: all, each apart, unless filtered. */
export function coveredPipes(s: QueryScope): number[] {
  const ids = s.q.categoryIds
  return s.p.pipes.map((_, i) => i).filter((i) => !ids || ids.length === 0 || ids.includes(s.p.pipes[i].categoryId))
}

export function funnelSection(s: QueryScope, ps: PeriodScope): FunnelSection {
  const pipes = coveredPipes(s)
  return {
    cohort: pipes.map((pi) => pipelineFunnel(s, ps, pi, false, s.q.breakdown, cohortRows)),
    flow: pipes.map((pi) => pipelineFunnel(s, ps, pi, true, s.q.breakdown, flowRows)),
  }
}
