/**
 * Drill-down: the deals behind any number of the report. A `DrillRef` addresses a figure; the
 * predicate for each figure is the one the counting loop uses (imported from its family), so the
 * rows returned are exactly the deals counted.
 */
import type { Dim } from './dims'
import { QueryError } from './errors'
import { resolveQuery, type PeriodScope, type QueryScope, type ReportQuery } from './filters'
import { dealForecast, forecastMonths, stageModel } from './forecast-model'
import { consultationPredicate, type BookingBucket, type ConsultationMeasure } from './consultations'
import {
  enteredIn,
  flowNotNext,
  hasReached,
  inCohort,
  isLostAt,
  lostIn,
  nextReachedAt,
  wonIn,
} from './funnel-predicates'
import { leadToDealPredicate, type LeadStep } from './lead-to-deal'
import { clientCodeOf, clientGroup, clientIndex } from './clients'
import { isCallAgain, lostInScope } from './loss-reasons'
import { isInWork, plannedManagers } from './managers'
import { bucketIndex, localMidnight, makeBuckets } from './periods'
import { SEM_F, SEM_P, SEM_S, type Prepared } from './prepare'
import { seriesBucket } from './series'
import { round2 } from './stats'
import { localDay, overdueDays } from './overdue'
import { stageAt, stagesOnDateDays } from './stages-on-date'
import { isStuck } from './stuck'
import { betweenDuration, closedCycle, firstTouchDelay } from './timing'
import { namedStagePairs, stagePairWindow } from './touches'

export type DrillPeriod = 'current' | 'comparison'
export interface DrillSplit {
  dim: Dim
  key: string
}

interface Common {
  /** Default 'current'. */
  period?: DrillPeriod
  /** Narrow to one key of a dimension (a split row, e.g. { dim: 'source', key: 'ADS' }). */
  split?: DrillSplit
}

export type DrillRef = Common &
  (
    | {
        section: 'cohort'
        categoryId: number
        stageId?: string
        measure: 'size' | 'reached' | 'current' | 'notNext' | 'lostAt'
      }
    | {
        section: 'flow'
        categoryId: number
        stageId?: string
        measure: 'size' | 'entered' | 'current' | 'notNext' | 'lostAt'
      }
    /** Churn numerators/denominators: cohort → cohort funnel, flow → flow funnel. */
    | { section: 'churn'; mode: 'cohort' | 'flow'; categoryId: number; stageId: string; measure: 'reached' | 'lostAt' }
    /** Source summary (deals, won) or a matrix cell (stageId given: reached). */
    | {
        section: 'sources'
        dim?: 'source' | 'utmSource'
        key: string
        measure: 'deals' | 'won' | 'reached'
        categoryId?: number
        stageId?: string
      }
    | { section: 'managers'; managerId: string; measure: 'created' | 'inWork' | 'won' | 'lost' }
    | { section: 'cities'; cityId: string; measure: 'created' | 'won' | 'lost' }
    | { section: 'roi'; sourceId: string; measure: 'deals' | 'won' }
    | { section: 'plan'; month: string; /** the won deals of managers without a plan that month */ unplanned?: boolean }
    | {
        section: 'lossReasons'
        measure: 'lost' | 'callAgain'
        reasonKey?: string
        categoryId?: number
        stageId?: string
        managerId?: string
      }
    | { section: 'stuck'; categoryId?: number; stageId?: string }
    | { section: 'forecast'; measure: 'counted' | 'noHistory'; month?: string; categoryId?: number; stageId?: string }
    | {
        section: 'touches'
        measure: 'deals' | 'withTouches' | 'noTouches' | 'beforeWon' | 'beforeLost' | 'betweenStages'
        pair?: string
      }
    | {
        section: 'timing'
        measure: 'between' | 'toWin' | 'lostCycle' | 'toFirstTouch' | 'noTouch'
        categoryId?: number
        from?: string
        to?: string
      }
    | { section: 'kpis'; measure: 'dealsCreated' | 'won' | 'lost' | 'closed' }
    /** Consultation figures; `bucket` narrows bookingsBeforeContract to 1, 2 or 3+ bookings. */
    | { section: 'consultations'; measure: ConsultationMeasure; bucket?: BookingBucket }
    /** Deals of the period's leads at a lead-to-deal step (that deal itself got there). */
    | { section: 'leadToDeal'; step: LeadStep }
    /** Deals lost in the period (touches before the loss), optionally with one loss reason. */
    | { section: 'touchesBeforeLoss'; reasonKey?: string }
    /** Deals created in the period (won: and won by now) of one client ("company:7") or group. */
    | { section: 'clients'; measure: 'deals' | 'won'; client?: string; group?: 'new' | 'existing' | 'none' }
    /** Open deals past their expected close date, optionally of one manager or stage. */
    | { section: 'overdue'; managerId?: string; categoryId?: number; stageId?: string }
    /** Deals in a stage at the end of the funnel date (period 'comparison': of the comparison date). */
    | { section: 'stagesOnDate'; categoryId: number; stageId: string }
    | { section: 'series'; measure: 'created' | 'won' | 'lost'; bucket: number }
  )

export interface DrillRow {
  id: number
  title: string
  stageId: string
  stageName: string
  managerId: number
  managerName: string
  sourceId: string | null
  sourceName: string | null
  /** UTM_SOURCE exactly as on the portal (the report groups spellings into one channel). */
  utmSource: string | null
  cityId: string | null
  cityName: string | null
  /** In the report currency. */
  amount: number
  currency: string
  originalAmount: number
  originalCurrency: string
  createdAt: number
  /** Won or loss time; null while open. */
  closedAt: number | null
  lossReasonName: string | null
}

type Pred = (d: number) => boolean

function noComparison(): QueryError {
  return new QueryError('NO_COMPARISON', 'The query has no comparison period (compare: "none")')
}

function stageIndex(
  p: Prepared,
  categoryId: number | undefined,
  stageId: string | undefined,
): { pi: number; st: number } {
  const pi = categoryId === undefined ? -1 : (p.pipeByCategory.get(categoryId) ?? -2)
  if (pi === -2) throw new QueryError('UNKNOWN_PIPELINE', `No pipeline ${categoryId} in the data`)
  if (stageId === undefined) return { pi, st: -1 }
  const found = pi >= 0 ? p.pipes[pi].stageIds.indexOf(stageId) : -1
  if (found < 0) throw new QueryError('UNKNOWN_STAGE', `No stage ${stageId} in pipeline ${categoryId}`)
  return { pi, st: found }
}

function dimIs(prepared: Prepared, dim: Dim, key: string): Pred {
  const code = prepared.dims[dim].dict.find(key)
  const codes = prepared.dims[dim].codes
  return (deal) => codes[deal] === code
}

function predicate(s: QueryScope, ps: PeriodScope, ref: DrillRef): Pred {
  const p = s.p
  const masked =
    (f: Pred): Pred =>
    (d) =>
      s.dealMask[d] === 1 && f(d)
  switch (ref.section) {
    case 'churn':
      return predicate(s, ps, {
        ...ref,
        section: ref.mode,
        measure: ref.mode === 'flow' && ref.measure === 'reached' ? 'entered' : ref.measure,
      } as DrillRef)
    case 'cohort': {
      if (ref.measure !== 'size' && ref.stageId === undefined)
        throw new QueryError('BAD_DRILL', `cohort "${ref.measure}" needs a stageId`)
      const { pi, st } = stageIndex(p, ref.categoryId, ref.stageId)
      const inPipe: Pred = (d) => p.pipe[d] === pi && inCohort(s, ps, d)
      switch (ref.measure) {
        case 'size':
          return inPipe
        case 'reached':
          return (d) => inPipe(d) && hasReached(p, d, st)
        case 'current':
          return (d) => inPipe(d) && p.stage[d] === st
        case 'notNext':
          return (d) =>
            inPipe(d) &&
            st < p.pipes[pi].processCount &&
            hasReached(p, d, st) &&
            Number.isNaN(nextReachedAt(p, p.pipes[pi], d, st))
        case 'lostAt':
          return (d) => inPipe(d) && isLostAt(p, d, st)
      }
      break
    }
    case 'flow': {
      if (ref.measure !== 'size' && ref.stageId === undefined)
        throw new QueryError('BAD_DRILL', `flow "${ref.measure}" needs a stageId`)
      const { pi, st } = stageIndex(p, ref.categoryId, ref.stageId)
      const inPipe: Pred = (d) => p.pipe[d] === pi && s.dealMask[d] === 1
      switch (ref.measure) {
        case 'size':
          return (d) => inPipe(d) && p.pipes[pi].stageIds.some((_, k) => enteredIn(p, ps, d, k))
        case 'entered':
          return (d) => inPipe(d) && enteredIn(p, ps, d, st)
        case 'current':
          return (d) => inPipe(d) && p.stage[d] === st && enteredIn(p, ps, d, st)
        case 'notNext':
          return (d) => inPipe(d) && flowNotNext(p, ps, d, st)
        case 'lostAt':
          return (d) => inPipe(d) && lostIn(p, ps, d) && p.lossStage[d] === st
      }
      break
    }
    case 'sources': {
      const is = dimIs(p, ref.dim ?? 'source', ref.key)
      if (ref.measure === 'reached') {
        const { pi, st } = stageIndex(p, ref.categoryId, ref.stageId)
        return (d) => p.pipe[d] === pi && is(d) && inCohort(s, ps, d) && hasReached(p, d, st)
      }
      return (d) => is(d) && inCohort(s, ps, d) && (ref.measure === 'deals' || p.semantic[d] === SEM_S)
    }
    case 'managers': {
      const is = dimIs(p, 'manager', ref.managerId)
      switch (ref.measure) {
        case 'created':
          return (d) => is(d) && inCohort(s, ps, d)
        case 'inWork':
          return (d) => is(d) && isInWork(s, d)
        case 'won':
          return masked((d) => is(d) && wonIn(p, ps, d))
        case 'lost':
          return masked((d) => is(d) && lostIn(p, ps, d))
      }
      break
    }
    case 'cities': {
      const is = dimIs(p, 'city', ref.cityId)
      if (ref.measure === 'created') return (d) => is(d) && inCohort(s, ps, d)
      return masked((d) => is(d) && (ref.measure === 'won' ? wonIn(p, ps, d) : lostIn(p, ps, d)))
    }
    case 'roi': {
      const is = dimIs(p, 'source', ref.sourceId)
      if (ref.measure === 'deals') return (d) => is(d) && inCohort(s, ps, d)
      return masked((d) => is(d) && wonIn(p, ps, d))
    }
    case 'plan': {
      const months = makeBuckets(p.tz, 'month', ps.fromDay, ps.toDay)
      const i = months.labels.indexOf(ref.month)
      // Like the plan table: the fact is the won deals of the managers with a plan that month.
      const planned = plannedManagers(s, ref.month)
      const wanted = !ref.unplanned
      return masked(
        (d) =>
          wonIn(p, ps, d) &&
          bucketIndex(months.edges, p.closedAt[d]) === i &&
          planned.has(p.dims.manager.codes[d]) === wanted,
      )
    }
    case 'lossReasons': {
      const base: Pred = ref.measure === 'callAgain' ? (d) => isCallAgain(s, d) : (d) => lostInScope(s, ps, d)
      const reason = ref.reasonKey !== undefined ? dimIs(p, 'lossReason', ref.reasonKey) : null
      const manager = ref.managerId !== undefined ? dimIs(p, 'manager', ref.managerId) : null
      const where = ref.stageId !== undefined ? stageIndex(p, ref.categoryId, ref.stageId) : null
      return (d) =>
        base(d) &&
        (!reason || reason(d)) &&
        (!manager || manager(d)) &&
        (!where || (p.pipe[d] === where.pi && p.lossStage[d] === where.st))
    }
    case 'stuck': {
      const where = ref.categoryId !== undefined ? stageIndex(p, ref.categoryId, ref.stageId) : null
      return masked(
        (d) =>
          isStuck(p, d, s.now) && (!where || (p.pipe[d] === where.pi && (where.st < 0 || p.stage[d] === where.st))),
      )
    }
    case 'forecast': {
      const where = ref.categoryId !== undefined ? stageIndex(p, ref.categoryId, ref.stageId) : null
      const models = p.pipes.map((_, pi) => stageModel(p, pi, s.now))
      const months = forecastMonths(p, s.now)
      return masked((d) => {
        if (p.semantic[d] !== SEM_P || p.stage[d] < 0) return false
        if (where && (p.pipe[d] !== where.pi || (where.st >= 0 && p.stage[d] !== where.st))) return false
        const f = dealForecast(p, models[p.pipe[d]], d, s.now)
        if (ref.measure === 'noHistory') return f === null
        if (!f) return false
        if (ref.month === undefined) return true
        const i = bucketIndex(months.edges, f.expectedAt)
        return months.labels[i < 0 ? months.labels.length - 1 : i] === ref.month
      })
    }
    case 'touches': {
      const has = (d: number) => p.touchStart[d + 1] > p.touchStart[d]
      switch (ref.measure) {
        case 'deals':
          return (d) => inCohort(s, ps, d)
        case 'withTouches':
          return (d) => inCohort(s, ps, d) && has(d)
        case 'noTouches':
          return (d) => inCohort(s, ps, d) && !has(d)
        case 'beforeWon':
          return (d) => inCohort(s, ps, d) && p.semantic[d] === SEM_S
        case 'beforeLost':
          return (d) => inCohort(s, ps, d) && p.semantic[d] === SEM_F
        case 'betweenStages': {
          const pair = namedStagePairs(p).find((x) => x.name === ref.pair)
          if (!pair)
            throw new QueryError(
              'UNKNOWN_STAGE_PAIR',
              `No stage pair "${ref.pair}"; use ${namedStagePairs(p)
                .map((x) => x.name)
                .join(', ')}`,
            )
          return (d) => inCohort(s, ps, d) && stagePairWindow(p, d, pair.from, pair.to) !== null
        }
      }
      break
    }
    case 'timing': {
      switch (ref.measure) {
        case 'between': {
          if (ref.categoryId === undefined || ref.from === undefined || ref.to === undefined)
            throw new QueryError('BAD_DRILL', 'timing "between" needs categoryId, from and to')
          const a = stageIndex(p, ref.categoryId, ref.from)
          const b = stageIndex(p, ref.categoryId, ref.to)
          return masked(
            (d) =>
              p.pipe[d] === a.pi && betweenDuration(p, ps, d, a.st, b.st) === betweenDuration(p, ps, d, a.st, b.st),
          )
        }
        case 'toWin':
          return masked((d) => wonIn(p, ps, d) && !Number.isNaN(closedCycle(p, d)))
        case 'lostCycle':
          return masked((d) => lostIn(p, ps, d) && !Number.isNaN(closedCycle(p, d)))
        case 'toFirstTouch':
          return (d) => inCohort(s, ps, d) && !Number.isNaN(firstTouchDelay(p, d))
        case 'noTouch':
          return (d) => inCohort(s, ps, d) && Number.isNaN(firstTouchDelay(p, d))
      }
      break
    }
    case 'kpis':
      switch (ref.measure) {
        case 'dealsCreated':
          return (d) => inCohort(s, ps, d)
        case 'won':
          return masked((d) => wonIn(p, ps, d))
        case 'lost':
          return masked((d) => lostIn(p, ps, d))
        case 'closed':
          return masked((d) => wonIn(p, ps, d) || lostIn(p, ps, d))
      }
      break
    case 'series':
      return (d) => seriesBucket(s, ps, d, ref.measure) === ref.bucket
    case 'consultations':
      return consultationPredicate(s, ps, ref.measure, ref.bucket)
    case 'leadToDeal':
      return leadToDealPredicate(s, ps, ref.step)
    case 'touchesBeforeLoss': {
      const reason = ref.reasonKey !== undefined ? dimIs(p, 'lossReason', ref.reasonKey) : null
      return masked((d) => lostIn(p, ps, d) && (!reason || reason(d)))
    }
    case 'clients': {
      const ix = clientIndex(p)
      const client = ref.client !== undefined ? clientCodeOf(ix, ref.client) : -2
      if (client === -1) throw new QueryError('UNKNOWN_CLIENT', `No client ${ref.client} in the data`)
      return (d) =>
        inCohort(s, ps, d) &&
        (client < 0 || ix.code[d] === client) &&
        (ref.group === undefined || clientGroup(ix, ps, d) === ref.group) &&
        (ref.measure === 'deals' || p.semantic[d] === SEM_S)
    }
    case 'overdue': {
      const today = localDay(p, s.now)
      const manager = ref.managerId !== undefined ? dimIs(p, 'manager', ref.managerId) : null
      const where = ref.stageId !== undefined ? stageIndex(p, ref.categoryId, ref.stageId) : null
      return (d) =>
        overdueDays(s, d, today) > 0 &&
        (!manager || manager(d)) &&
        (!where || (p.pipe[d] === where.pi && p.stage[d] === where.st))
    }
    case 'stagesOnDate': {
      const { pi, st } = stageIndex(p, ref.categoryId, ref.stageId)
      const days = stagesOnDateDays(s)
      const day = ref.period === 'comparison' ? days.comparison : days.day
      if (day === null) throw noComparison()
      const end = localMidnight(p.tz, day + 1)
      return masked((d) => p.pipe[d] === pi && stageAt(p, d, end) === st)
    }
  }
  throw new QueryError('BAD_DRILL', `Cannot drill into ${JSON.stringify(ref)}`)
}

export function drillRow(prepared: Prepared, deal: number): DrillRow {
  const record = prepared.data.deals[deal]
  const pipeline = prepared.pipe[deal] >= 0 ? prepared.pipes[prepared.pipe[deal]] : null
  const stage = prepared.stage[deal]
  const name = (dim: Dim) => {
    const col = prepared.dims[dim]
    return col.dict.keys[col.codes[deal]] === '' ? null : col.dict.names[col.codes[deal]]
  }
  return {
    id: record.id,
    title: record.title,
    stageId: record.stageId,
    stageName: pipeline && stage >= 0 ? pipeline.stageNames[stage] : record.stageId,
    managerId: record.assignedById,
    managerName: name('manager') ?? '',
    sourceId: prepared.dims.source.dict.keys[prepared.dims.source.codes[deal]] || null,
    sourceName: name('source'),
    utmSource: record.utmSource,
    cityId: record.cityId,
    cityName: name('city'),
    amount: round2(prepared.amount[deal]),
    currency: prepared.currency,
    originalAmount: record.amount,
    originalCurrency: record.currency,
    createdAt: record.createdAt,
    closedAt: prepared.closedAt[deal] === prepared.closedAt[deal] ? prepared.closedAt[deal] : null,
    lossReasonName: prepared.semantic[deal] === SEM_F ? name('lossReason') : null,
  }
}

/** The deals behind a figure of `buildReport(p, q)`, largest amount first. */
export function drillDown(p: Prepared, q: ReportQuery, ref: DrillRef): DrillRow[] {
  const s = resolveQuery(p, q)
  const ps = ref.period === 'comparison' ? s.comparison : s.current
  if (!ps) throw noComparison()
  const pred = predicate(s, ps, ref)
  const split = ref.split ? dimIs(p, ref.split.dim, ref.split.key) : null
  const out: number[] = []
  for (let d = 0; d < p.n; d++) if (p.pipe[d] >= 0 && (!split || split(d)) && pred(d)) out.push(d)
  out.sort((a, b) => p.amount[b] - p.amount[a] || p.data.deals[a].id - p.data.deals[b].id)
  return out.map((d) => drillRow(p, d))
}
