/**
 * The engine's boundary types as the app uses them, in one file, so that a change of the
 * engine's report shape shows up here and in the pages that read it — nowhere else.
 */
export type { ReportQuery } from '../../engine/filters'
export type { Report, PeriodSections, Kpi, Kpis } from '../../engine/report'
export type { DrillRef, DrillRow, DrillSplit } from '../../engine/drill'
