/** The shape of every period-dependent section of the report (its own file so section-changes.ts need not import report.ts). */
import type { ChurnSection } from './churn'
import type { CityRow } from './cities'
import type { ClientsSection } from './clients'
import type { ConsultationsSection } from './consultations'
import type { FunnelSection } from './funnel'
import type { LeadToDealSection } from './lead-to-deal'
import type { LeadsSection } from './leads'
import type { LossReasonsSection } from './loss-reasons'
import type { ManagerRow, PlanSection } from './managers'
import type { RoiSection } from './roi'
import type { SourcesSection } from './sources'
import type { TimingSection } from './timing'
import type { TouchesSection } from './touches'

/** Every section that depends on the period (computed for the comparison period too). */
export interface PeriodSections {
  funnel: FunnelSection
  churn: ChurnSection
  sources: SourcesSection
  leads: LeadsSection
  managers: ManagerRow[]
  cities: CityRow[]
  timing: TimingSection
  touches: TouchesSection
  roi: RoiSection
  plan: PlanSection
  lossReasons: LossReasonsSection
  consultations: ConsultationsSection
  leadToDeal: LeadToDealSection
  clients: ClientsSection
}
