/**
 * Tables of the clients, calls, lead-processing and overdue figures (metrics.md "Clients, calls,
 * leads, deadlines"), shared by the overview, managers and sources pages. Each builds one
 * TableModel (screen, CSV and XLSX alike); clicks drill into the deals the engine counted.
 */
import { t } from '../i18n'
import type { DrillSplit } from '../services/engine-api'
import type { TableModel } from '../services/table-model'
import type { Formatter } from '../services/format'
import type { ClientRow, ClientSplit, ClientSplitRow, ClientsSection } from '../../engine/clients'
import type { ManagerRow } from '../../engine/managers'
import type { LeadProcessing, LeadProcessingRow } from '../../engine/lead-processing'
import type { OverdueManagerRow, OverdueStageRow } from '../../engine/overdue'
import { drillTarget } from './drill-refs'

/** A client's name for the screen: the portal's, else "Company #7" / "Contact #7". */
export function clientName(c: Pick<ClientRow, 'name' | 'type' | 'id'>): string {
  return c.name ?? t(c.type === 'company' ? 'clients.companyId' : 'clients.contactId', { id: c.id })
}

type Group = 'new' | 'existing' | 'none'
const GROUP_KEY = { new: 'newClientDeals', existing: 'existingClientDeals', none: 'noClientDeals' } as const
const GROUP_LABEL = { new: 'clients.new', existing: 'clients.existing', none: 'clients.none' } as const

interface GroupRow {
  group: Group
  clients: number | null
  previousClients: number | null
  deals: number
  previousDeals: number | null
  won: number
  revenue: number
  previousRevenue: number | null
}

/** New vs existing vs no client for the whole period, beside the comparison period. */
export function clientGroupsTable(cur: ClientsSection, cmp: ClientsSection | null): TableModel<GroupRow> {
  const clientsOf = (x: ClientSplit | null, g: Group) =>
    x === null || g === 'none' ? null : g === 'new' ? x.newClients : x.existingClients
  const rows: GroupRow[] = (['new', 'existing', 'none'] as const).map((group) => ({
    group,
    clients: clientsOf(cur, group),
    previousClients: clientsOf(cmp, group),
    deals: cur[GROUP_KEY[group]].deals,
    previousDeals: cmp ? cmp[GROUP_KEY[group]].deals : null,
    won: cur[GROUP_KEY[group]].won,
    revenue: cur[GROUP_KEY[group]].revenue,
    previousRevenue: cmp ? cmp[GROUP_KEY[group]].revenue : null,
  }))
  const drill = (r: GroupRow, measure: 'deals' | 'won', label: string) =>
    drillTarget({ section: 'clients', measure, group: r.group }, `${t(GROUP_LABEL[r.group])}: ${label}`)
  return {
    id: 'clients-groups',
    title: t('clients.title'),
    note: t('clients.note'),
    rows,
    columns: [
      { key: 'group', label: t('clients.group'), kind: 'text', value: (r) => t(GROUP_LABEL[r.group]) },
      { key: 'clients', label: t('clients.clients'), kind: 'integer', value: (r) => r.clients },
      ...(cmp
        ? [
            {
              key: 'pClients',
              label: t('kpi.comparison'),
              kind: 'integer' as const,
              value: (r: GroupRow) => r.previousClients,
            },
          ]
        : []),
      {
        key: 'deals',
        label: t('kpi.dealsCreated'),
        kind: 'integer',
        value: (r) => r.deals,
        drill: (r) => drill(r, 'deals', t('kpi.dealsCreated')),
      },
      ...(cmp
        ? [
            {
              key: 'pDeals',
              label: t('kpi.comparison'),
              kind: 'integer' as const,
              value: (r: GroupRow) => r.previousDeals,
            },
          ]
        : []),
      {
        key: 'won',
        label: t('sources.wonCohort'),
        hint: t('sources.wonHint'),
        kind: 'integer',
        value: (r) => r.won,
        drill: (r) => drill(r, 'won', t('sources.wonCohort')),
      },
      { key: 'revenue', label: t('sources.revenueCohort'), kind: 'money', value: (r) => r.revenue },
      ...(cmp
        ? [
            {
              key: 'pRevenue',
              label: t('kpi.comparison'),
              kind: 'money' as const,
              value: (r: GroupRow) => r.previousRevenue,
            },
          ]
        : []),
    ],
  }
}

/** The period's biggest clients; a click lists the client's deals and offers its card. */
export function topClientsTable(cur: ClientsSection, fmt: Formatter): TableModel<ClientRow> {
  const drill = (c: ClientRow, measure: 'deals' | 'won', label: string) => ({
    ...drillTarget({ section: 'clients', measure, client: c.key }, `${clientName(c)}: ${label}`),
    entity: { type: c.type, id: c.id },
  })
  return {
    id: 'clients-top',
    title: t('clients.top'),
    rows: cur.top,
    columns: [
      { key: 'name', label: t('clients.client'), kind: 'text', value: (c) => clientName(c) },
      {
        key: 'type',
        label: t('clients.type'),
        kind: 'text',
        value: (c) => t(c.type === 'company' ? 'clients.company' : 'clients.contact'),
      },
      {
        key: 'isNew',
        label: t('clients.newOrExisting'),
        kind: 'text',
        value: (c) => t(c.isNew ? 'clients.newOne' : 'clients.existingOne'),
      },
      {
        key: 'deals',
        label: t('kpi.dealsCreated'),
        kind: 'integer',
        value: (c) => c.deals,
        drill: (c) => drill(c, 'deals', t('kpi.dealsCreated')),
      },
      {
        key: 'won',
        label: t('sources.wonCohort'),
        kind: 'integer',
        value: (c) => c.won,
        drill: (c) => drill(c, 'won', t('sources.wonCohort')),
      },
      { key: 'revenue', label: t('sources.revenueCohort'), kind: 'money', value: (c) => c.revenue },
      { key: 'first', label: t('clients.firstDeal'), kind: 'text', value: (c) => fmt.date(c.firstDealAt) },
      { key: 'last', label: t('clients.lastDeal'), kind: 'text', value: (c) => fmt.date(c.lastDealAt) },
    ],
  }
}

/** New vs existing clients per manager or source. */
export function clientSplitTable(
  id: string,
  title: string,
  keyLabel: string,
  dim: DrillSplit['dim'],
  rows: ClientSplitRow[],
): TableModel<ClientSplitRow> {
  const drill = (r: ClientSplitRow, group: Group) =>
    drillTarget(
      { section: 'clients', measure: 'deals', group, split: { dim, key: r.key } },
      `${r.name}: ${t(GROUP_LABEL[group])}`,
    )
  return {
    id,
    title,
    rows,
    columns: [
      { key: 'name', label: keyLabel, kind: 'text', value: (r) => r.name },
      { key: 'newClients', label: t('clients.newClients'), kind: 'integer', value: (r) => r.newClients },
      {
        key: 'newDeals',
        label: t('clients.newDeals'),
        kind: 'integer',
        value: (r) => r.newClientDeals.deals,
        drill: (r) => drill(r, 'new'),
      },
      { key: 'newRevenue', label: t('clients.newRevenue'), kind: 'money', value: (r) => r.newClientDeals.revenue },
      {
        key: 'existingClients',
        label: t('clients.existingClients'),
        kind: 'integer',
        value: (r) => r.existingClients,
      },
      {
        key: 'existingDeals',
        label: t('clients.existingDeals'),
        kind: 'integer',
        value: (r) => r.existingClientDeals.deals,
        drill: (r) => drill(r, 'existing'),
      },
      {
        key: 'existingRevenue',
        label: t('clients.existingRevenue'),
        kind: 'money',
        value: (r) => r.existingClientDeals.revenue,
      },
      {
        key: 'noClient',
        label: t('clients.noClientDeals'),
        kind: 'integer',
        value: (r) => r.noClientDeals.deals,
        drill: (r) => drill(r, 'none'),
      },
    ],
  }
}

/** Calls per manager: who is called most, who misses calls (metrics.md "Calls per manager"). */
export function callsTable(rows: ManagerRow[], previous: Map<string | number, ManagerRow>): TableModel<ManagerRow> {
  const minutes = (sec: number) => sec / 60
  return {
    id: 'managers-calls',
    title: t('calls.title'),
    note: t('calls.note'),
    rows: rows.filter((r) => r.calls.count > 0).sort((a, b) => b.calls.incoming.count - a.calls.incoming.count),
    columns: [
      { key: 'name', label: t('dim.manager'), kind: 'text', value: (r) => r.name },
      { key: 'in', label: t('calls.incoming'), kind: 'integer', value: (r) => r.calls.incoming.count, heat: 'good' },
      {
        key: 'inMin',
        label: t('calls.incomingMinutes'),
        kind: 'number',
        value: (r) => minutes(r.calls.incoming.durationSec),
      },
      { key: 'out', label: t('calls.outgoing'), kind: 'integer', value: (r) => r.calls.outgoing.count },
      {
        key: 'outMin',
        label: t('calls.outgoingMinutes'),
        kind: 'number',
        value: (r) => minutes(r.calls.outgoing.durationSec),
      },
      { key: 'missed', label: t('calls.missed'), kind: 'integer', value: (r) => r.calls.missed.count, heat: 'bad' },
      {
        key: 'missedShare',
        label: t('calls.missedShare'),
        kind: 'percent',
        value: (r) => r.calls.missedShare,
        heat: 'bad',
      },
      {
        key: 'pMissedShare',
        label: `${t('calls.missedShare')} · ${t('kpi.comparison')}`,
        kind: 'percent',
        value: (r) => previous.get(r.managerId)?.calls.missedShare ?? null,
      },
    ],
  }
}

/** Lead processing time per manager or source (hours → the duration formatter). */
/**
 * Lead processing time per manager or source, with every lead of the period as the total row and
 * each row's median beside the comparison period's.
 */
export function processingTable(
  id: string,
  title: string,
  keyLabel: string,
  section: { cur: LeadProcessing; prev: LeadProcessing | null; dim: 'byManager' | 'bySource' },
): TableModel<LeadProcessingRow> {
  const total: LeadProcessingRow = { key: '\u0000total', name: t('table.total'), ...section.cur }
  const prev = new Map((section.prev?.[section.dim] ?? []).map((r) => [r.key, r]))
  const prevMedian = (r: LeadProcessingRow) =>
    r === total ? (section.prev?.median ?? null) : (prev.get(r.key)?.median ?? null)
  return {
    id,
    title,
    note: t('processing.note'),
    rows: section.cur[section.dim],
    footer: [total],
    columns: [
      { key: 'name', label: keyLabel, kind: 'text', value: (r) => r.name },
      { key: 'count', label: t('processing.count'), kind: 'integer', value: (r) => r.count },
      { key: 'mean', label: t('processing.mean'), kind: 'hours', value: (r) => r.mean },
      { key: 'median', label: t('processing.median'), kind: 'hours', value: (r) => r.median, heat: 'bad' },
      ...(section.prev
        ? [
            {
              key: 'pMedian',
              label: `${t('processing.median')} · ${t('kpi.comparison')}`,
              kind: 'hours' as const,
              value: prevMedian,
            },
          ]
        : []),
      { key: 'p90', label: 'p90', kind: 'hours', value: (r) => r.p90 },
      {
        key: 'notProcessed',
        label: t('processing.notProcessed'),
        kind: 'integer',
        value: (r) => r.notProcessed,
        heat: 'bad',
      },
    ],
  }
}

/** Overdue deals per manager. */
export function overdueManagersTable(rows: OverdueManagerRow[]): TableModel<OverdueManagerRow> {
  return {
    id: 'overdue-managers',
    title: t('overdue.byManager'),
    note: t('overdue.note'),
    rows,
    columns: [
      { key: 'name', label: t('dim.manager'), kind: 'text', value: (r) => r.name },
      {
        key: 'count',
        label: t('overdue.count'),
        kind: 'integer',
        value: (r) => r.count,
        drill: (r) => drillTarget({ section: 'overdue', managerId: r.managerId }, `${t('overdue.title')}: ${r.name}`),
      },
      { key: 'amount', label: t('overdue.amount'), kind: 'money', value: (r) => r.amount },
      { key: 'meanDays', label: t('overdue.meanDays'), kind: 'number', value: (r) => r.meanDays, heat: 'bad' },
      { key: 'maxDays', label: t('overdue.maxDays'), kind: 'integer', value: (r) => r.maxDays },
    ],
  }
}

/** Overdue deals per pipeline stage. */
export function overdueStagesTable(rows: OverdueStageRow[]): TableModel<OverdueStageRow> {
  return {
    id: 'overdue-stages',
    title: t('overdue.byStage'),
    note: t('overdue.note'),
    rows,
    columns: [
      { key: 'pipeline', label: t('filter.pipeline'), kind: 'text', value: (r) => r.pipelineName },
      { key: 'stage', label: t('col.stage'), kind: 'text', value: (r) => r.stageName },
      {
        key: 'count',
        label: t('overdue.count'),
        kind: 'integer',
        value: (r) => r.count,
        drill: (r) =>
          drillTarget(
            { section: 'overdue', categoryId: r.categoryId, stageId: r.stageId },
            `${t('overdue.title')}: ${r.stageName}`,
          ),
      },
      { key: 'amount', label: t('overdue.amount'), kind: 'money', value: (r) => r.amount },
      { key: 'meanDays', label: t('overdue.meanDays'), kind: 'number', value: (r) => r.meanDays, heat: 'bad' },
      { key: 'maxDays', label: t('overdue.maxDays'), kind: 'integer', value: (r) => r.maxDays },
    ],
  }
}
