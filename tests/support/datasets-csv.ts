/**
 * A small RFC 4180 CSV reader for the test datasets: quoted fields ("" escapes a quote,
 * commas and line breaks allowed inside quotes), CRLF or LF line ends, optional BOM,
 * no trailing empty record. Hand-written rather than a dependency: ~50 lines, fully tested.
 */

export function parseCsv(text: string): string[][] {
  const records: string[][] = []
  let record: string[] = []
  let field = ''
  let quoted = false
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0
  const endRecord = (): void => {
    record.push(field)
    records.push(record)
    record = []
    field = ''
  }
  for (; i < text.length; i++) {
    const ch = text[i]
    if (quoted) {
      if (ch !== '"') field += ch
      else if (text[i + 1] === '"') {
        field += '"'
        i++
      } else quoted = false
    } else if (ch === '"') quoted = true
    else if (ch === ',') {
      record.push(field)
      field = ''
    } else if (ch === '\r' && text[i + 1] === '\n') {
      endRecord()
      i++
    } else if (ch === '\n') endRecord()
    else field += ch
  }
  if (quoted) throw new Error('CSV ends inside a quoted field')
  if (field !== '' || record.length > 0) endRecord()
  return records
}

/** Records as objects keyed by the header row; throws on a record with the wrong field count. */
export function parseCsvObjects<K extends string>(
  text: string,
  columns: readonly K[],
  origin: string,
): Record<K, string>[] {
  const [header, ...rows] = parseCsv(text)
  if (!header || columns.some((c, i) => header[i] !== c) || header.length !== columns.length) {
    throw new Error(`${origin}: expected columns ${columns.join(',')}, got ${header?.join(',') ?? 'nothing'}`)
  }
  return rows.map((row, n) => {
    if (row.length !== columns.length)
      throw new Error(`${origin}: record ${n + 2} has ${row.length} fields, expected ${columns.length}`)
    const out = {} as Record<K, string>
    columns.forEach((c, i) => (out[c] = row[i]))
    return out
  })
}
