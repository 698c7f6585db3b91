/**
 * CSV and XLSX downloads of any table. exceljs is imported only when someone asks for a
 * spreadsheet, so it never counts against the report page's JS budget.
 */
import { toCsv, type Cell } from './csv'
import type { Formatter } from './format'
import { exportCell, exportHeader, type TableModel } from './table-model'

export interface ExportUnits {
  percent: string
  days: string
}

export function tableMatrix<Row>(
  table: TableModel<Row>,
  fmt: Formatter,
  units: ExportUnits,
): { header: string[]; rows: Cell[][] } {
  const header = table.columns.map((c) => exportHeader(c as never, units))
  const rows = [...table.rows, ...(table.footer ?? [])].map((row) =>
    table.columns.map((c) => exportCell(c.kind, c.value(row), fmt)),
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
