/**
 * Public API of the analytics engine (pure TypeScript; runs in a Web Worker, Node and tests).
 *
 *   const p = prepare(data)                 // once per data load: indexes, typed arrays
 *   const r = buildReport(p, query)         // JSON-serialisable Report
 *   const rows = drillDown(p, query, ref)   // the deals behind any number of the report
 *
 * Definitions: docs/engine.md (carries shared/docs/metrics.md).
 */
export { prepare } from './prepare'
export type { Prepared } from './prepare'
export { buildReport, kpi } from './report'
export type { Report, PeriodSections, PeriodInfo, Kpi, Kpis } from './report'
export type { DataDays } from './data-days'
export { drillDown } from './drill'
export type { DrillRef, DrillRow, DrillPeriod, DrillSplit } from './drill'
export type { ReportQuery, BreakdownDim } from './filters'
export type { Dim } from './dims'
export { NONE_KEY } from './dims'
export type { BucketKind, CompareMode } from './periods'
export { parsePeriod, timeZone, comparisonDays, parseDay, formatDay } from './periods'
export type { FunnelSection, CohortStageRow, FlowStageRow, PipelineFunnel, SplitRows } from './funnel'
export type { ChurnSection, PipelineChurn, ChurnRow, ChurnSplitRow } from './churn'
export type { SourcesSection, SourceSummaryRow, SourceMatrix } from './sources'
export type { LeadsSection, LeadRow } from './leads'
export type { ManagerRow, PlanSection, PlanMonth } from './managers'
export type { CityRow } from './cities'
export type { TimingSection, TimedFigure, StagePairTiming } from './timing'
export type { TouchesSection, ManagerDayRow, ManagerTouchRow } from './touches'
export type { RoiSection, RoiRow } from './roi'
export type { ForecastSection, ForecastMonth, StageForecast } from './forecast'
export type { StuckSection, StuckDeal } from './stuck'
export type { LossReasonsSection, LossReasonRow, CallAgainRow } from './loss-reasons'
export { CALL_AGAIN, CALL_AGAIN_DAYS } from './loss-reasons'
export type { QualitySection, QualityCounts } from './quality'
export type {
  ConsultationsSection,
  ConsultationMeasure,
  DurationFigure,
  BookingsFigure,
  AttendanceFigure,
  RebookingFigure,
  BookingBucket,
} from './consultations'
export type { LeadToDealSection, LeadToDealCounts, LeadStep } from './lead-to-deal'
export { LEAD_STEPS } from './lead-to-deal'
export type { ClientsSection, ClientRow, ClientSplit, ClientSplitRow, ClientDeals, ClientType } from './clients'
export type { ManagerCalls, CallFigure } from './calls'
export type { LeadProcessing, LeadProcessingRow } from './lead-processing'
export type { OverdueSection, OverdueFigure, OverdueManagerRow, OverdueStageRow } from './overdue'
export type { StagesOnDateSection, PipelineOnDate, StageOnDateRow } from './stages-on-date'
export type { SeriesSection, SeriesValues } from './series'
export type { DurationStats } from './stats'
export type { WorkerRequest, WorkerResponse } from './worker'
export type * from './types'
export { EARLIEST_DAY, LATEST_DAY, MAX_BUCKETS, type PeriodClamp } from './period-bounds'
