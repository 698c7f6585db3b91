/**
 * Stage counts of the cohort and flow funnels per pipeline, total or split by a dimension: the
 * hot loops behind the funnel, churn and source × stage sections. Each loop inlines the
 * predicates of funnel-predicates.ts (the drill-down's definitions) for speed.
 */
import type { Dim } from './dims'
import type { PeriodScope, QueryScope } from './filters'
import { flowEntries } from './flow-buffers'
import { SEM_F, SEM_S } from './prepare'

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
