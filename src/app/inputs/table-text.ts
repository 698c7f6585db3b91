/**
 * Tables as text: TSV from the clipboard (Excel, Google Sheets, LibreOffice) and CSV files.
 * Quoted fields may hold the delimiter, doubled quotes and line breaks (RFC 4180, which is
 * also what spreadsheets put on the clipboard for multi-line cells).
 */

export type Delimiter = '\t' | ',' | ';'

export function parseDelimited(text: string, delimiter: Delimiter): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let cell = ''
  let quoted = false
  let atCellStart = true
  const s = text.replace(/^\uFEFF/, '')
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]
    if (quoted) {
      if (ch === '"' && s[i + 1] === '"') {
        cell += '"'
        i++
      } else if (ch === '"') quoted = false
      else cell += ch
      continue
    }
    if (ch === '"' && atCellStart) {
      quoted = true
      atCellStart = false
    } else if (ch === delimiter) {
      row.push(cell)
      cell = ''
      atCellStart = true
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && s[i + 1] === '\n') i++
      row.push(cell)
      rows.push(row)
      row = []
      cell = ''
      atCellStart = true
    } else {
      cell += ch
      atCellStart = false
    }
  }
  if (cell !== '' || row.length > 0) {
    row.push(cell)
    rows.push(row)
  }
  // Spreadsheets end the clipboard with a newline; drop rows that are entirely empty.
  return rows.filter((r) => r.some((c) => c.trim() !== ''))
}

/** CSV from a Russian-locale Excel uses ";"; guess from the header line. */
export function detectDelimiter(text: string): Delimiter {
  const first = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? ''
  const count = (d: string) => first.split(d).length - 1
  const best = (['\t', ';', ','] as Delimiter[]).map((d) => [d, count(d)] as const).sort((a, b) => b[1] - a[1])[0]
  return best[1] > 0 ? best[0] : ','
}
