/**
 * Tables of the Consultations page, built from the engine's `consultations` and `leadToDeal`
 * sections: every count opens its deals (current or comparison period), splits by one dimension.
 */
import { t, type MessageKey } from '../i18n'
import { drillTarget } from './drill-refs'
import type { DrillRef } from '../services/engine-api'
import type { ChangeMark, TableColumn, TableModel } from '../services/table-model'
import type { ConsultationsSection, LeadStep, LeadToDealSection } from '../../engine/index'
import type { ConsultationDimension } from '../services/url-state'

type ConsultationRef = Extract<DrillRef, { section: 'consultations' }>

/** One count of the summary table: its value in both periods and the deals behind it. */
export interface CountLine {
  id: string
  label: string
  current: number
  previous: number | null
  ref: Omit<ConsultationRef, 'period'>
  /** the engine's significance of the change, where the figure has a test */
  change?: ChangeMark
  /** more of it is bad news (no-shows, losses after booking) */
  worse?: boolean
}

const WORSE = new Set(['noShow', 'lost', 'noShows'])

export function countLines(c: ConsultationsSection, p: ConsultationsSection | null): CountLine[] {
  const line = (
    id: string,
    label: MessageKey,
    value: (x: ConsultationsSection) => number,
    ref: CountLine['ref'],
    change?: (x: ConsultationsSection) => ChangeMark | undefined,
  ): CountLine => ({
    id,
    label: t(label),
    current: value(c),
    previous: p ? value(p) : null,
    ref,
    change: change?.(c),
    worse: WORSE.has(id),
  })
  const m = (measure: ConsultationRef['measure']) => ({ section: 'consultations' as const, measure })
  return [
    line(
      'bookings',
      'consult.bookings',
      (x) => x.attendance.bookings,
      m('bookings'),
      (x) => x.attendance.changes?.bookings,
    ),
    line(
      'held',
      'consult.held',
      (x) => x.attendance.held,
      m('held'),
      (x) => x.attendance.changes?.held,
    ),
    line(
      'noShow',
      'consult.noShow',
      (x) => x.attendance.noShow,
      m('noShow'),
      (x) => x.attendance.changes?.noShow,
    ),
    line(
      'lost',
      'consult.lostAfterBooking',
      (x) => x.attendance.lost,
      m('lost'),
      (x) => x.attendance.changes?.lost,
    ),
    line(
      'none',
      'consult.none',
      (x) => x.attendance.none,
      m('none'),
      (x) => x.attendance.changes?.none,
    ),
    line(
      'noShows',
      'consult.noShows',
      (x) => x.rebooking.noShows,
      m('noShows'),
      (x) => x.rebooking.changes?.noShows,
    ),
    line(
      'rebooked',
      'consult.rebooked',
      (x) => x.rebooking.rebooked,
      m('rebooked'),
      (x) => x.rebooking.changes?.rebooked,
    ),
    line(
      'contracts',
      'consult.contracts',
      (x) => x.timeToContract.count,
      m('timeToContract'),
      (x) => x.timeToContract.changes?.count,
    ),
    ...(['1', '2', '3+'] as const).map((b) =>
      line(
        `bookings-${b}`,
        `consult.bookingsBucket.${b}` as MessageKey,
        (x) => x.bookingsBeforeContract.distribution[b],
        { ...m('bookingsBeforeContract'), bucket: b },
      ),
    ),
    line(
      'firstConsultations',
      'consult.firstConsultations',
      (x) => x.contactsToFirstConsultation.count,
      m('contactsToFirstConsultation'),
      (x) => x.contactsToFirstConsultation.changes?.count,
    ),
    line('contractNegative', 'consult.contractNegative', (x) => x.timeToContract.negative, m('timeToContractNegative')),
    line(
      'contactsNegative',
      'consult.contactsNegative',
      (x) => x.contactsToFirstConsultation.negative,
      m('contactsNegative'),
    ),
  ]
}

export function countsTable(lines: CountLine[], withComparison: boolean): TableModel<CountLine> {
  const columns: TableColumn<CountLine>[] = [
    { key: 'figure', label: t('consult.figure'), kind: 'text', value: (l) => l.label },
    {
      key: 'current',
      label: t('kpi.current'),
      kind: 'integer',
      value: (l) => l.current,
      drill: (l) => drillTarget(l.ref, l.label),
    },
  ]
  if (withComparison)
    columns.push(
      {
        key: 'previous',
        label: t('kpi.comparison'),
        kind: 'integer',
        value: (l) => l.previous,
        drill: (l) => drillTarget({ ...l.ref, period: 'comparison' }, `${l.label} · ${t('kpi.comparison')}`),
      },
      {
        key: 'change',
        label: t('kpi.change'),
        kind: 'integer',
        value: (l) => (l.previous === null ? null : l.current - l.previous),
        change: (l) => l.change,
        lowerIsBetter: (l) => l.worse === true,
      },
    )
  return { id: 'consult-counts', title: t('consult.counts'), rows: lines, columns }
}

/** One key of the split: every consultation figure of that city / manager / source. */
export interface SplitLine {
  key: string
  name: string
  bookings: number
  held: number
  noShow: number
  attendanceRate: number | null
  previousAttendanceRate: number | null
  rebookedShare: number | null
  contracts: number
  toContractMedian: number | null
  bookingsMean: number | null
  contactsMedian: number | null
}

export function splitLines(
  c: ConsultationsSection,
  p: ConsultationsSection | null,
  dim: ConsultationDimension,
): SplitLine[] {
  const rows = new Map<string, SplitLine>()
  const row = (key: string, name: string): SplitLine => {
    let r = rows.get(key)
    if (!r) {
      r = {
        key,
        name,
        bookings: 0,
        held: 0,
        noShow: 0,
        attendanceRate: null,
        previousAttendanceRate: null,
        rebookedShare: null,
        contracts: 0,
        toContractMedian: null,
        bookingsMean: null,
        contactsMedian: null,
      }
      rows.set(key, r)
    }
    return r
  }
  for (const a of c.attendance.splits[dim] ?? [])
    Object.assign(row(a.key, a.name), {
      bookings: a.bookings,
      held: a.held,
      noShow: a.noShow,
      attendanceRate: a.attendanceRate,
    })
  for (const x of c.rebooking.splits[dim] ?? []) row(x.key, x.name).rebookedShare = x.share
  for (const x of c.timeToContract.splits[dim] ?? [])
    Object.assign(row(x.key, x.name), { contracts: x.count, toContractMedian: x.median })
  for (const x of c.bookingsBeforeContract.splits[dim] ?? []) row(x.key, x.name).bookingsMean = x.mean
  for (const x of c.contactsToFirstConsultation.splits[dim] ?? []) row(x.key, x.name).contactsMedian = x.median
  const prev = new Map((p?.attendance.splits[dim] ?? []).map((x) => [x.key, x.attendanceRate]))
  for (const r of rows.values()) r.previousAttendanceRate = prev.get(r.key) ?? null
  return [...rows.values()].sort((a, b) => b.bookings - a.bookings || b.contracts - a.contracts)
}

export function splitTable(lines: SplitLine[], dim: ConsultationDimension, withComparison: boolean) {
  const dimLabel = t(`dim.${dim}` as MessageKey)
  const drill = (measure: ConsultationRef['measure'], label: string) => (r: SplitLine) =>
    drillTarget({ section: 'consultations', measure, split: { dim, key: r.key } }, `${r.name}: ${label}`)
  const columns: TableColumn<SplitLine>[] = [
    { key: 'name', label: dimLabel, kind: 'text', value: (r) => r.name },
    {
      key: 'bookings',
      label: t('consult.bookings'),
      kind: 'integer',
      value: (r) => r.bookings,
      drill: drill('bookings', t('consult.bookings')),
    },
    {
      key: 'held',
      label: t('consult.held'),
      kind: 'integer',
      value: (r) => r.held,
      drill: drill('held', t('consult.held')),
    },
    {
      key: 'noShow',
      label: t('consult.noShow'),
      kind: 'integer',
      value: (r) => r.noShow,
      drill: drill('noShow', t('consult.noShow')),
    },
    {
      key: 'attendance',
      label: t('consult.attendanceRate'),
      kind: 'percent',
      value: (r) => r.attendanceRate,
      heat: 'good',
    },
  ]
  if (withComparison)
    columns.push({
      key: 'attendancePrev',
      label: `${t('consult.attendanceRate')} · ${t('kpi.comparison')}`,
      kind: 'percent',
      value: (r) => r.previousAttendanceRate,
    })
  columns.push(
    { key: 'rebooked', label: t('consult.rebookedShare'), kind: 'percent', value: (r) => r.rebookedShare },
    {
      key: 'contracts',
      label: t('consult.contracts'),
      kind: 'integer',
      value: (r) => r.contracts,
      drill: drill('timeToContract', t('consult.contracts')),
    },
    { key: 'toContract', label: t('consult.timeToContract'), kind: 'hours', value: (r) => r.toContractMedian },
    { key: 'bookingsMean', label: t('consult.bookingsBeforeContract'), kind: 'number', value: (r) => r.bookingsMean },
    { key: 'contacts', label: t('consult.contactsToFirst'), kind: 'hours', value: (r) => r.contactsMedian },
  )
  return {
    id: `consult-split-${dim}`,
    title: `${t('page.consultations')} · ${dimLabel}`,
    note: t('consult.medianNote'),
    rows: lines,
    columns,
  } satisfies TableModel<SplitLine>
}

export const STEP_LABELS: Record<LeadStep, MessageKey> = {
  leads: 'leadToDeal.leads',
  converted: 'leadToDeal.converted',
  booked: 'leadToDeal.booked',
  held: 'leadToDeal.held',
  contract: 'leadToDeal.contract',
  won: 'leadToDeal.won',
}

export interface StepLine {
  step: LeadStep
  count: number
  conversion: number | null
  previous: number | null
  /** the engine's significance of the count's and the conversion's changes */
  countChange?: ChangeMark
  conversionChange?: ChangeMark
}

export function stepLines(f: LeadToDealSection, p: LeadToDealSection | null): StepLine[] {
  return (Object.keys(STEP_LABELS) as LeadStep[]).map((step) => ({
    step,
    count: f[step],
    conversion: step === 'leads' ? null : f.conversion[step],
    previous: p ? p[step] : null,
    countChange: f.changes?.[step],
    conversionChange: step === 'leads' ? undefined : f.changes?.[`conversion.${step}`],
  }))
}

export function stepsTable(lines: StepLine[], withComparison: boolean): TableModel<StepLine> {
  const columns: TableColumn<StepLine>[] = [
    { key: 'step', label: t('leadToDeal.step'), kind: 'text', value: (l) => t(STEP_LABELS[l.step]) },
    {
      key: 'count',
      label: t('leadToDeal.leads'),
      kind: 'integer',
      value: (l) => l.count,
      // Leads are not deals: the list shows the deals made from the leads counted at that step.
      drill: (l) =>
        l.count > 0
          ? drillTarget(
              { section: 'leadToDeal', step: l.step },
              `${t(STEP_LABELS[l.step])} · ${t('leadToDeal.dealsOf')}`,
            )
          : null,
      change: (l) => l.countChange,
    },
    {
      key: 'conversion',
      label: t('leadToDeal.fromPrevious'),
      kind: 'percent',
      value: (l) => l.conversion,
      change: (l) => l.conversionChange,
    },
  ]
  if (withComparison)
    columns.push({ key: 'previous', label: t('kpi.comparison'), kind: 'integer', value: (l) => l.previous })
  return { id: 'lead-to-deal', title: t('leadToDeal.title'), note: t('leadToDeal.note'), rows: lines, columns }
}

type LeadSplitRow = NonNullable<LeadToDealSection['splits']['source']>[number]

export function leadSplitTable(f: LeadToDealSection, dim: ConsultationDimension): TableModel<LeadSplitRow> {
  const steps = Object.keys(STEP_LABELS) as LeadStep[]
  return {
    id: `lead-to-deal-${dim}`,
    title: `${t('leadToDeal.title')} · ${t(`dim.${dim}` as MessageKey)}`,
    rows: f.splits[dim] ?? [],
    columns: [
      { key: 'name', label: t(`dim.${dim}` as MessageKey), kind: 'text', value: (r) => r.name },
      ...steps.map((s) => ({
        key: s,
        label: t(STEP_LABELS[s]),
        kind: 'integer' as const,
        value: (r: LeadSplitRow) => r[s],
      })),
      { key: 'overall', label: t('leadToDeal.overall'), kind: 'percent', value: (r) => r.overall, heat: 'good' },
    ],
  }
}
