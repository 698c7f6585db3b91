/** Whether lead `i` passes the query's filters and was created in the period (shared by every lead figure). */
import type { PeriodScope, QueryScope } from './filters'

export function leadInPeriod(s: QueryScope, ps: PeriodScope, i: number): boolean {
  const t = s.p.leadCreated[i]
  return s.leadMask[i] === 1 && t >= ps.period.start && t < ps.period.end
}
