/**
 * Which figures of each period section carry a significance-tested change, and how they are
 * tested. buildReport runs `sectionChanges` once; a new section adds its spec and one line here
 * (docs/engine.md "Changes between periods").
 */
import { recordWithChanges, objectWithChanges, storedRate, withChanges, type ChangeSpec } from './changes'
import type { ChurnRow, PipelineChurn } from './churn'
import type { CityRow } from './cities'
import type { AttendanceFigure, ConsultationsSection, RebookingFigure } from './consultations'
import type { CohortStageRow, FlowStageRow, PipelineFunnel } from './funnel'
import type { LeadToDealSection } from './lead-to-deal'
import type { LeadCounts } from './leads'
import type { LossReasonRow } from './loss-reasons'
import type { ManagerRow } from './managers'
import type { PeriodSections } from './period-sections'
import type { RoiRow } from './roi'
import type { Exposure } from './significance'
import type { ChannelSection, SourceSummaryRow } from './sources'
import type { TimedFigure } from './timing'
import type { TouchesSection } from './touches'

/** won/(won+lost): deals closed in the period. */
const closedRate = (won: number, lost: number) => ({ num: won, den: won + lost })

export const CITY_CHANGES: ChangeSpec<CityRow> = {
  leads: 'count',
  created: 'count',
  won: 'count',
  lost: 'count',
  conversion: (r) => closedRate(r.won, r.lost),
}

export const MANAGER_CHANGES: ChangeSpec<ManagerRow> = {
  created: 'count',
  'won.count': 'count',
  lost: 'count',
  'calls.count': 'count',
  conversion: (r) => closedRate(r.won.count, r.lost),
}

export const LEAD_CHANGES: ChangeSpec<LeadCounts> = {
  total: 'count',
  converted: 'count',
  junk: 'count',
  conversionRate: (r) => ({ num: r.converted, den: r.total }),
  lossRate: (r) => ({ num: r.junk, den: r.total }),
}

const SOURCE_CHANGES: ChangeSpec<SourceSummaryRow> = {
  leads: 'count',
  deals: 'count',
  won: 'count',
  conversion: (r) => ({ num: r.won, den: r.deals }),
}

const ROI_CHANGES: ChangeSpec<RoiRow> = {
  leads: 'count',
  deals: 'count',
  won: 'count',
  // won/leads, or won/deals for a source without leads (roi.ts); deals won in P need not come
  // from P's leads, so a ratio above 1 is not a proportion and gets no test.
  conversion: (r) => ({ num: r.won, den: r.leads > 0 ? r.leads : r.deals }),
}

/** Cohort stage rows; the context is the pipeline's cohort size in each period. */
const COHORT_STAGE_CHANGES: ChangeSpec<CohortStageRow, number> = {
  reached: 'count',
  lostAt: 'count',
  // reached(next)/reached(s): the row keeps only the rate, so its numerator is recovered from it.
  conversion: (r) => storedRate(r.conversion, r.reached),
  overall: (r, size) => ({ num: r.reached, den: size }),
}

const FLOW_STAGE_CHANGES: ChangeSpec<FlowStageRow, number> = { entered: 'count', entries: 'count', lostAt: 'count' }

const COHORT_CHURN_CHANGES: ChangeSpec<ChurnRow> = {
  reached: 'count',
  lostAt: 'count',
  churn: (r) => ({ num: r.lostAt, den: r.reached }),
}
// Flow churn may exceed 1 (deals lost in P at s need not have entered s in P): counts only.
const FLOW_CHURN_CHANGES: ChangeSpec<ChurnRow> = { reached: 'count', lostAt: 'count' }

/** share = count / all deals lost in the same period (the context). */
const REASON_CHANGES: ChangeSpec<LossReasonRow, number> = {
  count: 'count',
  share: (r, lost) => ({ num: r.count, den: lost }),
}

const TIMED_CHANGES: ChangeSpec<TimedFigure> = { 'stats.count': 'count' }

const TOUCH_CHANGES: ChangeSpec<TouchesSection> = {
  deals: 'count',
  withTouches: 'count',
  'calls.count': 'count',
}

/** Of the bookings with an outcome, held or no-show (consultations.ts). */
const ATTENDANCE_CHANGES: ChangeSpec<AttendanceFigure> = {
  bookings: 'count',
  held: 'count',
  noShow: 'count',
  lost: 'count',
  none: 'count',
  attendanceRate: (r) => ({ num: r.held, den: r.held + r.noShow }),
  noShowRate: (r) => ({ num: r.noShow, den: r.held + r.noShow }),
}

const REBOOKING_CHANGES: ChangeSpec<RebookingFigure> = {
  noShows: 'count',
  rebooked: 'count',
  share: (r) => ({ num: r.rebooked, den: r.noShows }),
}

function consultationChanges(cur: ConsultationsSection, prev: ConsultationsSection, days: Exposure) {
  const counted = { count: 'count' } as const
  return {
    ...cur,
    timeToContract: objectWithChanges(cur.timeToContract, prev.timeToContract, counted, days),
    bookingsBeforeContract: objectWithChanges(
      cur.bookingsBeforeContract,
      prev.bookingsBeforeContract,
      { deals: 'count' },
      days,
    ),
    attendance: objectWithChanges(cur.attendance, prev.attendance, ATTENDANCE_CHANGES, days),
    rebooking: objectWithChanges(cur.rebooking, prev.rebooking, REBOOKING_CHANGES, days),
    contactsToFirstConsultation: objectWithChanges(
      cur.contactsToFirstConsultation,
      prev.contactsToFirstConsultation,
      counted,
      days,
    ),
  }
}

/** Each step's count, and each step over the one before it (lead-to-deal.ts `conversion`). */
const LEAD_TO_DEAL_CHANGES: ChangeSpec<LeadToDealSection> = {
  leads: 'count',
  converted: 'count',
  booked: 'count',
  held: 'count',
  contract: 'count',
  won: 'count',
  'conversion.converted': (r) => ({ num: r.converted, den: r.leads }),
  'conversion.booked': (r) => ({ num: r.booked, den: r.converted }),
  'conversion.held': (r) => ({ num: r.held, den: r.booked }),
  'conversion.contract': (r) => ({ num: r.contract, den: r.held }),
  'conversion.won': (r) => ({ num: r.won, den: r.contract }),
  overall: (r) => ({ num: r.won, den: r.leads }),
}

function channel(cur: ChannelSection, prev: ChannelSection, days: Exposure): ChannelSection {
  return { ...cur, summary: withChanges(cur.summary, prev.summary, (r) => r.key, SOURCE_CHANGES, days) }
}

function funnelPipelines<R extends object>(
  cur: PipelineFunnel<R>[],
  prev: PipelineFunnel<R>[],
  spec: ChangeSpec<R, number>,
  days: Exposure,
): PipelineFunnel<R>[] {
  const byId = new Map(prev.map((p) => [p.categoryId, p]))
  return cur.map((p) => {
    const b = byId.get(p.categoryId)
    const sizes = { current: p.size, previous: b?.size ?? 0 }
    return { ...p, stages: recordWithChanges(p.stages, b?.stages, spec, days, sizes) }
  })
}

function churnPipelines(cur: PipelineChurn[], prev: PipelineChurn[], days: Exposure): PipelineChurn[] {
  const byId = new Map(prev.map((p) => [p.categoryId, p]))
  return cur.map((p) => {
    const b = byId.get(p.categoryId)
    return {
      ...p,
      cohort: recordWithChanges(p.cohort, b?.cohort, COHORT_CHURN_CHANGES, days),
      flow: recordWithChanges(p.flow, b?.flow, FLOW_CHURN_CHANGES, days),
    }
  })
}

/** The current period's sections with `changes` on every tested row. */
export function sectionChanges(cur: PeriodSections, prev: PeriodSections, days: Exposure): PeriodSections {
  const leadRows = (a: typeof cur.leads.byManager, b: typeof cur.leads.byManager) =>
    withChanges(a, b, (r) => r.key, LEAD_CHANGES, days)
  const lostTotals = { current: cur.lossReasons.lost, previous: prev.lossReasons.lost }
  return {
    ...cur,
    funnel: {
      cohort: funnelPipelines(cur.funnel.cohort, prev.funnel.cohort, COHORT_STAGE_CHANGES, days),
      flow: funnelPipelines(cur.funnel.flow, prev.funnel.flow, FLOW_STAGE_CHANGES, days),
    },
    churn: churnPipelines(cur.churn, prev.churn, days),
    sources: {
      ...channel(cur.sources, prev.sources, days),
      utm: channel(cur.sources.utm, prev.sources.utm, days),
    },
    leads: {
      ...objectWithChanges(cur.leads, prev.leads, LEAD_CHANGES, days),
      byManager: leadRows(cur.leads.byManager, prev.leads.byManager),
      bySource: leadRows(cur.leads.bySource, prev.leads.bySource),
    },
    managers: withChanges(cur.managers, prev.managers, (r) => r.managerId, MANAGER_CHANGES, days),
    cities: withChanges(cur.cities, prev.cities, (r) => r.cityId, CITY_CHANGES, days),
    timing: {
      ...cur.timing,
      toWin: objectWithChanges(cur.timing.toWin, prev.timing.toWin, TIMED_CHANGES, days),
      toFirstTouch: objectWithChanges(
        cur.timing.toFirstTouch,
        prev.timing.toFirstTouch,
        { ...TIMED_CHANGES, noTouch: 'count' },
        days,
      ),
      lostCycle: objectWithChanges(cur.timing.lostCycle, prev.timing.lostCycle, TIMED_CHANGES, days),
    },
    touches: objectWithChanges(cur.touches, prev.touches, TOUCH_CHANGES, days),
    roi: {
      ...cur.roi,
      rows: withChanges(cur.roi.rows, prev.roi.rows, (r) => r.sourceId, ROI_CHANGES, days),
      total: objectWithChanges(cur.roi.total, prev.roi.total, ROI_CHANGES, days),
    },
    consultations: consultationChanges(cur.consultations, prev.consultations, days),
    leadToDeal: objectWithChanges(cur.leadToDeal, prev.leadToDeal, LEAD_TO_DEAL_CHANGES, days),
    lossReasons: {
      ...objectWithChanges(cur.lossReasons, prev.lossReasons, { lost: 'count' }, days),
      byReason: withChanges(
        cur.lossReasons.byReason,
        prev.lossReasons.byReason,
        (r) => r.key,
        REASON_CHANGES,
        days,
        lostTotals,
      ),
    },
  }
}
