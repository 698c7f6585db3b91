import type { DrillRow } from './engine-api'

/** One deal in a drill-down list, with names resolved by the engine (title, stage, manager, …). */
export interface DrillDealRow {
  id: number
  title: string
  stage: string
  manager: string
  source: string
  /** Raw UTM_SOURCE of the deal ('' when none). */
  utm: string
  city: string
  /** in the report currency */
  amount: number
  createdAt: number
  closedAt: number | null
  lossReason: string
}

export function toDrillDealRow(row: DrillRow, none: string): DrillDealRow {
  return {
    id: row.id,
    title: row.title,
    stage: row.stageName,
    manager: row.managerName,
    source: row.sourceName ?? none,
    utm: row.utmSource ?? '',
    city: row.cityName ?? none,
    amount: row.amount,
    createdAt: row.createdAt,
    closedAt: row.closedAt,
    lossReason: row.lossReasonName ?? '',
  }
}
