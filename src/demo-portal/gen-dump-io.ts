/**
 * Reading and writing dump files (JSON). Big dumps (100k+ deals) do not fit in one JS string,
 * so the writer streams one row per line and the reader parses such files line by line;
 * any other valid JSON dump (e.g. recorded from a real portal) is read with JSON.parse.
 */
import { closeSync, openSync, readFileSync, readSync, statSync, writeSync } from 'node:fs'
import { StringDecoder } from 'node:string_decoder'
import { DUMP_ROW_TABLES, type PortalDump } from '../b24/wire'

export const DUMP_FORMAT = 'funnel-lens-dump/1'

const TABLE_KEYS = DUMP_ROW_TABLES

/** Tables a dump may leave out (older dumps have no client names). */
const OPTIONAL_KEYS = ['companies', 'contacts'] as const satisfies readonly (keyof PortalDump)[]

/** Files above this size are read line by line (a JS string tops out near 512 MB). */
const WHOLE_FILE_LIMIT = 256 * 1024 * 1024

export function writeDump(path: string, dump: PortalDump): void {
  const fd = openSync(path, 'w')
  let buffer = ''
  const line = (text: string): void => {
    buffer += text + '\n'
    if (buffer.length > 1 << 20) {
      writeSync(fd, buffer)
      buffer = ''
    }
  }
  try {
    line(`{"format":${JSON.stringify(dump.format)},`)
    line(`"portal":${JSON.stringify(dump.portal)},`)
    if (dump.appOptions) line(`"appOptions":${JSON.stringify(dump.appOptions)},`)
    const keys = [...TABLE_KEYS, ...OPTIONAL_KEYS.filter((k) => dump[k] !== undefined)]
    keys.forEach((key, t) => {
      const rows = dump[key] as unknown[]
      line(`${JSON.stringify(key)}:[`)
      for (let i = 0; i < rows.length; i++) line(JSON.stringify(rows[i]) + (i + 1 < rows.length ? ',' : ''))
      line(t + 1 < keys.length ? '],' : ']')
    })
    line('}')
    writeSync(fd, buffer)
  } finally {
    closeSync(fd)
  }
}

/**
 * Reads and validates a dump; throws an Error naming the file and what is wrong.
 * `streamAbove` (bytes) is where line-by-line reading starts; tests lower it.
 */
export function readDump(path: string, { streamAbove = WHOLE_FILE_LIMIT }: { streamAbove?: number } = {}): PortalDump {
  let parsed: unknown
  try {
    parsed = statSync(path).size < streamAbove ? JSON.parse(readFileSync(path, 'utf8')) : readLineByLine(path)
  } catch (error) {
    throw new Error(`Cannot read dump ${path}: ${(error as Error).message}`)
  }
  return validateDump(parsed, path)
}

/** Checks the format tag and that every required key is there; names the first missing key. */
export function validateDump(value: unknown, origin = 'dump'): PortalDump {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`${origin} is not a Funnel Lens dump: expected a JSON object`)
  }
  const record = value as Record<string, unknown>
  if (!('format' in record)) throw new Error(`${origin} is missing the key "format"`)
  if (record.format !== DUMP_FORMAT) {
    throw new Error(`${origin} has format ${JSON.stringify(record.format)}; expected "${DUMP_FORMAT}"`)
  }
  const portal = record.portal
  if (typeof portal !== 'object' || portal === null) throw new Error(`${origin} is missing the key "portal"`)
  for (const key of ['domain', 'memberId', 'timeZone', 'language']) {
    if (typeof (portal as Record<string, unknown>)[key] !== 'string') {
      throw new Error(`${origin} is missing the key "portal.${key}" (a string)`)
    }
  }
  const options = record.appOptions
  if (
    options !== undefined &&
    (typeof options !== 'object' || options === null || Object.values(options).some((v) => typeof v !== 'string'))
  )
    throw new Error(`${origin}: "appOptions" must map option names to strings`)
  for (const key of TABLE_KEYS) {
    if (!(key in record)) throw new Error(`${origin} is missing the key "${key}"`)
    if (!Array.isArray(record[key])) throw new Error(`${origin}: the key "${key}" must be an array of rows`)
  }
  for (const key of OPTIONAL_KEYS)
    if (key in record && !Array.isArray(record[key]))
      throw new Error(`${origin}: the key "${key}" must be an array of rows`)
  return value as PortalDump
}

/** Parses a file laid out by writeDump: one row per line inside each table. */
function readLineByLine(path: string): unknown {
  const out: Record<string, unknown> = {}
  let table: unknown[] | null = null
  const handle = (raw: string): void => {
    const line = raw.endsWith(',') ? raw.slice(0, -1) : raw
    if (line === '' || line === '}') return
    if (line === ']') {
      table = null
      return
    }
    if (table !== null) {
      table.push(JSON.parse(line))
      return
    }
    const tableStart = /^"(\w+)":\[$/.exec(line)
    if (tableStart) out[tableStart[1]] = table = []
    else if (/^\{"format":"[^"]*"$/.test(line)) out.format = JSON.parse(line.slice('{"format":'.length))
    else if (line.startsWith('"portal":')) out.portal = JSON.parse(line.slice('"portal":'.length))
    else if (line.startsWith('"appOptions":')) out.appOptions = JSON.parse(line.slice('"appOptions":'.length))
    else throw new Error(`not a dump written by writeDump (unexpected line "${line.slice(0, 60)}")`)
  }
  const fd = openSync(path, 'r')
  const chunk = Buffer.alloc(1 << 24)
  const decoder = new StringDecoder('utf8')
  let rest = ''
  try {
    let read: number
    while ((read = readSync(fd, chunk, 0, chunk.length, null)) > 0) {
      const lines = (rest + decoder.write(chunk.subarray(0, read))).split('\n')
      rest = lines.pop() ?? ''
      for (const line of lines) handle(line)
    }
    handle(rest + decoder.end())
  } finally {
    closeSync(fd)
  }
  return out
}
