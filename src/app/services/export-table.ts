/**
 * CSV and XLSX downloads of any table. exceljs is imported only when someone asks for a
 * spreadsheet, so it never counts against the report page's JS budget.
 */
import { toCsv, type Cell } from './csv'
import type { Formatter } from './format'
import { exportCell, exportHeader, type ChangeMark, type TableModel } from './table-model'

/** Words for the significance column that follows every column carrying a change. */
export interface ChangeWords {
  column: (label: string) => string
  yes: string
  no: string
  smallSample: string
}

export interface ExportUnits {
  percent: string
  days: string
  change?: ChangeWords
}

const ENGLISH_CHANGE: ChangeWords = {
  column: (label) => `${label} · significant`,
  yes: 'yes',
  no: 'no',
  smallSample: 'small sample',
}

/** yes / no / small sample; empty where no test applies or there is no comparison. */
function significanceCell(c: ChangeMark | null | undefined, words: ChangeWords): Cell {
  if (!c || c.significant === null) return null
  if (c.smallSample) return words.smallSample
  return c.significant ? words.yes : words.no
}

export function tableMatrix<Row>(
  table: TableModel<Row>,
  fmt: Formatter,
  units: ExportUnits,
): { header: string[]; rows: Cell[][] } {
  const words = units.change ?? ENGLISH_CHANGE
  const all = [...table.rows, ...(table.footer ?? [])]
  // a significance column only where some row has a change (none without a comparison period)
  const marked = table.columns.map((c) => !!c.change && all.some((r) => c.change!(r)))
  const header = table.columns.flatMap((c, i) => [
    exportHeader(c as never, units),
    ...(marked[i] ? [words.column(c.label)] : []),
  ])
  const rows = all.map((row) =>
    table.columns.flatMap((c, i) => [
      exportCell(c.kind, c.value(row), fmt),
      ...(marked[i] ? [significanceCell(c.change!(row), words)] : []),
    ]),
  )
  return { header, rows }
}

/** A file name people recognise in Downloads: "funnel-lens-sources-roi-2024-03-01_2024-03-31.csv". */
export function exportFileName(tableId: string, periodLabel: string, ext: 'csv' | 'xlsx'): string {
  const safe = `${tableId}-${periodLabel}`.replace(/[^\p{L}\p{N}._-]+/gu, '_')
  return `funnel-lens-${safe}.${ext}`
}

function download(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = fileName
  a.rel = 'noopener'
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}

export function downloadCsv(header: string[], rows: Cell[][], fileName: string): void {
  download(new Blob([toCsv(header, rows)], { type: 'text/csv;charset=utf-8' }), fileName)
}

/** Sheet names: ≤ 31 characters, none of []:*?/\ (Excel refuses such files otherwise). */
export function sheetName(title: string): string {
  return title.replace(/[[\]:*?/\\]/g, ' ').slice(0, 31) || 'Sheet1'
}

export async function xlsxBuffer(title: string, header: string[], rows: Cell[][]): Promise<ArrayBuffer> {
  const { default: ExcelJS } = await import('exceljs')
  const book = new ExcelJS.Workbook()
  book.creator = 'Funnel Lens'
  const sheet = book.addWorksheet(sheetName(title))
  sheet.addRow(header).font = { bold: true }
  // exceljs writes strings as shared strings (never formulas), so CRM text cannot become one.
  for (const row of rows) sheet.addRow(row.map((c) => (c === undefined ? null : c)))
  sheet.columns.forEach((col, i) => {
    const longest = Math.max(header[i]?.length ?? 8, ...rows.slice(0, 200).map((r) => String(r[i] ?? '').length))
    col.width = Math.min(60, Math.max(8, longest + 2))
  })
  return (await book.xlsx.writeBuffer()) as ArrayBuffer
}

export async function downloadXlsx(title: string, header: string[], rows: Cell[][], fileName: string): Promise<void> {
  const buffer = await xlsxBuffer(title, header, rows)
  download(new Blob([buffer], { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }), fileName)
}
