/**
 * The funnel on a date (metrics.md "Stage distribution on a date D"): for deals created before
 * the end of D, the stage each was in at the end of D — its last stage event up to then — per
 * pipeline, beside the same day of the comparison period.
 *
 * A deal's events are its passes from `prepare` (history in time order, reconstructed where the
 * history is missing); implied passes of a jump share the jump's time and come before the actual
 * entry, so the last pass up to an instant is the stage the deal was actually in.
 */
import { QueryError } from './errors'
import { coveredPipes, pipeDeals, type QueryScope } from './filters'
import { addMonths, dayParts, formatDay, localMidnight, parseDay } from './periods'
import { SEM_F, SEM_S, type Prepared } from './prepare'
import { localDay } from './overdue'
import { round2 } from './stats'
import type { Semantic } from './types'

export interface StageOnDateRow {
  stageId: string
  name: string
  semantic: Semantic
  count: number
  /** Σ current amount of those deals (the amount they had on the date is not kept by Bitrix24). */
  amount: number
  /** Same figures at the end of the comparison date; null without a comparison. */
  previous: number | null
  previousAmount: number | null
}

export interface PipelineOnDate {
  categoryId: number
  name: string
  total: number
  previousTotal: number | null
  stages: StageOnDateRow[]
}

export interface StagesOnDateSection {
  /** The chosen day D, 'YYYY-MM-DD' (default: the period's last day, or today if that is later). */
  date: string
  /** The same day of the comparison period; null without a comparison. */
  comparisonDate: string | null
  pipelines: PipelineOnDate[]
}

/** The day D of the query and its counterpart in the comparison period (day numbers). */
export function stagesOnDateDays(s: QueryScope): { day: number; comparison: number | null } {
  let day: number
  if (s.q.asOf !== undefined && s.q.asOf !== '') {
    try {
      day = parseDay(s.q.asOf)
    } catch (e) {
      throw new QueryError('BAD_DATE', `asOf: ${(e as Error).message}`)
    }
  } else day = Math.min(s.current.toDay, localDay(s.p, s.now))
  const cmp = s.comparison
  if (!cmp) return { day, comparison: null }
  if (s.q.compare === 'year') return { day, comparison: addMonths(day, -12) }
  // Whole months compare with whole months: the same day of the month (Sep 15 → Jun 15 for a quarter).
  const a = dayParts(s.current.fromDay)
  const b = dayParts(s.current.toDay)
  const months = (b.y - a.y) * 12 + (b.m - a.m) + 1
  if (addMonths(s.current.fromDay, -months) === cmp.fromDay && cmp.toDay === s.current.fromDay - 1)
    return { day, comparison: addMonths(day, -months) }
  const shifted = cmp.fromDay + (day - s.current.fromDay)
  // Inside the period the counterpart stays inside the comparison period (Mar 31 → Feb 29).
  return { day, comparison: day <= s.current.toDay ? Math.min(shifted, cmp.toDay) : shifted }
}

/** Local stage deal d was in at instant `end` (exclusive); -1 when it did not exist yet or has no stage. */
export function stageAt(p: Prepared, d: number, end: number): number {
  if (!(p.created[d] < end)) return -1
  const a = p.passStart[d]
  const b = p.passStart[d + 1]
  if (a === b) return -1
  let st = p.passStage[a]
  for (let i = a; i < b && p.passAt[i] < end; i++) st = p.passStage[i]
  return st
}

function countOn(s: QueryScope, pi: number, end: number): { count: Int32Array; amount: Float64Array } {
  const p = s.p
  const pl = p.pipes[pi]
  const count = new Int32Array(pl.stageIds.length)
  const amount = new Float64Array(pl.stageIds.length)
  const deals = pipeDeals(s, pi)
  for (let i = 0; i < deals.length; i++) {
    const d = deals[i]
    const st = stageAt(p, d, end)
    if (st < 0) continue
    count[st]++
    amount[st] += p.amount[d]
  }
  return { count, amount }
}

const SEMANTIC: Semantic[] = []
SEMANTIC[SEM_S] = 'S'
SEMANTIC[SEM_F] = 'F'

export function stagesOnDateSection(s: QueryScope): StagesOnDateSection {
  const p = s.p
  const { day, comparison } = stagesOnDateDays(s)
  const end = localMidnight(p.tz, day + 1)
  const cmpEnd = comparison === null ? null : localMidnight(p.tz, comparison + 1)
  const pipelines = coveredPipes(s).map((pi) => {
    const pl = p.pipes[pi]
    const cur = countOn(s, pi, end)
    const prev = cmpEnd === null ? null : countOn(s, pi, cmpEnd)
    const sum = (a: Int32Array) => a.reduce((x, y) => x + y, 0)
    return {
      categoryId: pl.categoryId,
      name: pl.name,
      total: sum(cur.count),
      previousTotal: prev ? sum(prev.count) : null,
      stages: pl.stageIds.map((stageId, st) => ({
        stageId,
        name: pl.stageNames[st],
        semantic: SEMANTIC[pl.semantics[st]] ?? 'P',
        count: cur.count[st],
        amount: round2(cur.amount[st]),
        previous: prev ? prev.count[st] : null,
        previousAmount: prev ? round2(prev.amount[st]) : null,
      })),
    }
  })
  return { date: formatDay(day), comparisonDate: comparison === null ? null : formatDay(comparison), pipelines }
}
