/**
 * A cold open loads the selected period in two stages (src/sync/sync.ts FIRST_CHART_TABLES):
 * its deals and leads first, then the period's other tables. Figures that read a table still loading say
 * so instead of showing a count of what has arrived so far.
 */
import { t } from '../i18n'
import type { TableColumn } from './table-model'

/**
 * What a figure may read that the period's second stage can still be loading. The deals and
 * leads always come in the first stage (a converted deal's source is its lead's).
 */
export type PeriodData = 'touches' | 'leadHistory'

/** The synced tables each kind of figure input is built from (src/b24/normalize*). */
const TABLES: Record<PeriodData, readonly string[]> = {
  // Touches are activities, telephony rows and tasks bound to deals, leads and clients.
  touches: ['activities', 'tasks', 'calls'],
  // Read by lead processing alone (engine/lead-processing.ts), which reads touches too.
  leadHistory: ['leadHistory'],
}

/** The kinds of figure input the `pending` tables leave incomplete. */
export function periodDataPending(pending: readonly string[]): ReadonlySet<PeriodData> {
  const kinds = (Object.keys(TABLES) as PeriodData[]).filter((k) => TABLES[k].some((t) => pending.includes(t)))
  return new Set(kinds)
}

/**
 * A table column that reads `kind`, blank while it loads for the period: no value, drill, heat
 * or change to read as a figure; its header's hint says why.
 */
export function pendingColumn<Row>(column: TableColumn<Row>, loading: boolean): TableColumn<Row> {
  if (!loading) return column
  const { drill: _drill, heat: _heat, change: _change, ...rest } = column
  return { ...rest, value: () => null, hint: t('period.pendingShort') }
}
