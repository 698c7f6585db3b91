/**
 * CSV for every table. Cells that a spreadsheet would read as a formula (=, +, -, @, tab, CR)
 * get a leading apostrophe: CRM text is untrusted and "=HYPERLINK(...)" in a deal title must
 * stay text when a manager opens the file in Excel (OWASP "CSV injection").
 */
export type Cell = string | number | null | undefined

const FORMULA_START = /^[=+\-@\t\r]/

export function csvCell(value: Cell): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : ''
  let text = value
  if (FORMULA_START.test(text)) text = `'${text}`
  return /[",\n\r;]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

/** RFC 4180 with CRLF line ends and a BOM so Excel reads UTF-8 (Cyrillic names) correctly. */
export function toCsv(header: string[], rows: Cell[][]): string {
  const lines = [header, ...rows].map((row) => row.map(csvCell).join(','))
  return '\uFEFF' + lines.join('\r\n') + '\r\n'
}
