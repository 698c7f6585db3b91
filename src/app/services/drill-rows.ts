/** One deal in a drill-down list, with names already resolved (title, stage, manager, …). */
export interface DrillDealRow {
  id: number
  title: string
  stage: string
  manager: string
  source: string
  city: string
  amount: number
  currency: string
  createdAt: number
  closedAt: number | null
  lossReason: string
}
