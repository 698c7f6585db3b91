/**
 * One description of a table feeds the screen, CSV and XLSX, so all three always show the same
 * columns and rows. Pages build these from the engine's report; DataTable renders them.
 */
import { DAY_MS } from '../../engine/periods'
import type { Cell } from './csv'
import type { Formatter } from './format'

/** duration: milliseconds; hours: the engine's DurationStats unit */
export type ColumnKind = 'text' | 'integer' | 'number' | 'money' | 'percent' | 'duration' | 'hours' | 'date'

/** The engine's significance of a change (engine significance.ts `Change`); null/undefined: no comparison. */
export interface ChangeMark {
  test: 'twoProportion' | 'poisson' | null
  p: number | null
  significant: boolean | null
  smallSample: boolean
  abs: number | null
}

/**
 * How a change is shown (metrics.md "Changes between periods"): green or red only when it is
 * significant, "small sample" instead of a colour, otherwise neutral.
 */
export type ChangeTone = 'good' | 'bad' | 'small' | 'neutral'

export function changeTone(change: ChangeMark | null | undefined, lowerIsBetter = false): ChangeTone {
  if (!change) return 'neutral'
  if (change.smallSample) return 'small'
  if (change.significant !== true || !change.abs) return 'neutral'
  return change.abs > 0 !== lowerIsBetter ? 'good' : 'bad'
}

/** What a click on a number opens: the engine's drill reference and a caption for the list. */
export interface DrillTarget<Ref = unknown> {
  ref: Ref
  caption: string
  /** a client's deals: the drill-down offers to open that company or contact in the slider */
  entity?: { type: 'company' | 'contact'; id: number }
}

export interface TableColumn<Row> {
  key: string
  label: string
  kind: ColumnKind
  value: (row: Row) => string | number | null
  /** a number that opens its deals */
  drill?: (row: Row) => DrillTarget | null
  /** heat colouring for numeric cells (share of the column max): 'bad' red (churn, losses), 'good' blue */
  heat?: boolean | 'good' | 'bad'
  /** what the column counts, in a sentence (the header's tooltip) */
  hint?: string
  /** a deal id: the cell opens that deal in the Bitrix24 slider */
  dealId?: (row: Row) => number | null
  /** the change of this figure from the comparison period (the engine's `changes`): marks the cell */
  change?: (row: Row) => ChangeMark | null | undefined
  /** a rise is bad news (losses, churn): a significant rise shows red; per row where rows differ */
  lowerIsBetter?: boolean | ((row: Row) => boolean)
}

export interface TableModel<Row> {
  id: string
  title: string
  columns: TableColumn<Row>[]
  rows: Row[]
  /** totals: shown and exported after the rows, never sorted among them */
  footer?: Row[]
  note?: string
}

/**
 * `timeScaleMs`: the duration whose unit (hours or days) the cell takes — a table passes one for
 * all its time columns, so "44 h" never sits among "5 d" in a column read top to bottom.
 */
export function displayCell(
  kind: ColumnKind,
  value: string | number | null,
  fmt: Formatter,
  timeScaleMs?: number,
): string {
  if (value === null || value === undefined) return '—'
  if (typeof value === 'string') return kind === 'text' ? value : value
  switch (kind) {
    case 'integer':
      return fmt.number(value, 0)
    case 'number':
      return fmt.number(value, 2)
    case 'money':
      return fmt.money(value)
    case 'percent':
      return fmt.percent(value)
    case 'duration':
    case 'hours':
      return fmt.duration(timeMs(kind, value)!, timeScaleMs)
    case 'date':
      return fmt.dateTime(value)
    default:
      return String(value)
  }
}

/** A time figure in milliseconds ('hours' columns hold hours); undefined for other kinds. */
export function timeMs(kind: ColumnKind, value: number): number | undefined {
  if (kind === 'hours') return value * 3_600_000
  return kind === 'duration' ? value : undefined
}

/** The median of a table's time cells in ms (its rows, not its totals): the unit they all take. */
export function timeScaleOf<Row>(table: TableModel<Row>): number | undefined {
  const values: number[] = []
  for (const c of table.columns) {
    if (timeMs(c.kind, 0) === undefined) continue
    for (const r of table.rows) {
      const v = c.value(r)
      if (typeof v === 'number' && Number.isFinite(v)) values.push(Math.abs(timeMs(c.kind, v)!))
    }
  }
  if (!values.length) return undefined
  values.sort((a, b) => a - b)
  return values[values.length >> 1]
}

/** Values for files: numbers stay numbers (a spreadsheet can sum them), percents as 0–100. */
export function exportCell(kind: ColumnKind, value: string | number | null, fmt: Formatter): Cell {
  if (value === null || value === undefined) return null
  if (typeof value === 'string') return value
  if (!Number.isFinite(value)) return null
  switch (kind) {
    case 'percent':
      return Math.round(value * 10_000) / 100
    case 'duration':
      return Math.round((value / DAY_MS) * 100) / 100
    case 'hours':
      return Math.round((value / 24) * 100) / 100
    case 'date':
      return fmt.dateTime(value)
    case 'money':
    case 'number':
      return Math.round(value * 100) / 100
    default:
      return value
  }
}

export function exportHeader(column: TableColumn<unknown>, units: { percent: string; days: string }): string {
  if (column.kind === 'percent') return `${column.label}, ${units.percent}`
  if (column.kind === 'duration' || column.kind === 'hours') return `${column.label}, ${units.days}`
  return column.label
}
