import type { InjectionKey } from 'vue'

/** What the shell can ask of its host: provided by placement/report.ts. */
export interface ReportActions {
  sync(force: boolean): void
  openDeal(dealId: number): void
  /** opens a company or contact card in the Bitrix24 slider */
  openClient(client: { type: 'company' | 'contact'; id: number }): void
  fitWindow(height: number): void
  scrollToTop(): void
  openSettings(): void
  print(): void
}

export const REPORT_ACTIONS: InjectionKey<ReportActions> = Symbol('report-actions')
