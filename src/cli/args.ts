/**
 * Command-line arguments of `npm run report`, parsed with node:util parseArgs and checked
 * up front, so that a typo costs one line on stderr and no portal round trip.
 */
import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import type { BreakdownDim } from '../engine/filters'
import type { BucketKind, CompareMode } from '../engine/periods'
import { DIMS } from '../engine/dims'
import { FunnelLensError } from '../errors'

/** A mistake of the person running the command: printed as one line, exit code 2. */
export class UsageError extends FunnelLensError {
  constructor(message: string) {
    super('USAGE', message, 'UsageError')
  }
}

export type OutputFormat = 'json' | 'csv'

export type DataSource = { kind: 'webhook'; url: string } | { kind: 'dump'; path: string }

export interface CliOptions {
  source: DataSource
  from: string
  to: string
  compare: CompareMode
  categoryIds: number[]
  cityIds: string[]
  sourceIds: string[]
  managerIds: number[]
  /** Loss-reason keys (the loss-reason field's item ids). */
  lossReasonIds: string[]
  /** Current stage ids (STAGE_ID as on the portal, any pipeline). */
  stageIds: string[]
  format: OutputFormat
  inputsPath: string | null
  /** `--settings FILE`: the settings JSON exactly as stored in app.option `flSettings`. */
  settingsPath: string | null
  bucket: BucketKind | undefined
  breakdown: BreakdownDim | undefined
  /** Epoch ms that stands for "now" (forecast, stuck deals); default the wall clock. */
  now: number | undefined
  /** Day of the funnel on a date (JSON stagesOnDate); default the period's last day. */
  asOf: string | undefined
  /** Where the webhook sync keeps its cache; null = memory only. */
  cacheDir: string | null
  /** IANA time zone of the portal for the webhook path (a webhook shows only the UTC offset). */
  timeZone: string | null
  help: boolean
}

/** The environment variable that carries the webhook URL, so it is not visible in `ps`. */
export const WEBHOOK_ENV = 'FUNNEL_LENS_WEBHOOK'

export const USAGE = `Usage: npm run report -- (--webhook URL | --webhook-file FILE | --dump FILE) --from YYYY-MM-DD --to YYYY-MM-DD
  [--compare previous|year|none] [--category ID] [--city ID…] [--source ID…] [--manager ID…]
  [--loss-reason ID…] [--stage STAGE_ID…]
  [--format json|csv] [--inputs FILE] [--settings FILE] [--bucket day|week|month|quarter|year]
  [--breakdown ${DIMS.join('|')}] [--now ISO-TIME] [--as-of YYYY-MM-DD]
  [--cache-dir DIR] [--time-zone IANA-ZONE]
  The webhook may also come from the environment variable ${WEBHOOK_ENV} (kept out of \`ps\`).`

/** The webhook URL from a file: its first non-empty line (a secret file, readable only by its owner). */
function webhookFromFile(path: string): string {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (err) {
    throw new UsageError(`cannot read --webhook-file ${path}: ${(err as NodeJS.ErrnoException).code ?? 'unreadable'}`)
  }
  const url = text.split(/\r?\n/).find((l) => l.trim() !== '')
  if (!url) throw new UsageError(`--webhook-file ${path} is empty; put the webhook URL on its first line`)
  return url.trim()
}

/** --webhook, --webhook-file, --dump, or else the environment: exactly one of the first three. */
function dataSource(v: { webhook?: string; 'webhook-file'?: string; dump?: string }, env: Env): DataSource {
  const given = (['webhook', 'webhook-file', 'dump'] as const).filter((k) => v[k] !== undefined)
  if (given.length > 1) throw new UsageError(`give one of --${given.join(', --')}, not several`)
  if (v.webhook !== undefined) return { kind: 'webhook', url: v.webhook }
  if (v['webhook-file'] !== undefined) return { kind: 'webhook', url: webhookFromFile(v['webhook-file']) }
  if (v.dump !== undefined) return { kind: 'dump', path: v.dump }
  const fromEnv = env[WEBHOOK_ENV]?.trim()
  if (fromEnv) return { kind: 'webhook', url: fromEnv }
  throw new UsageError(
    `say where the data comes from: --webhook URL, --webhook-file FILE, ${WEBHOOK_ENV} or --dump FILE`,
  )
}

type Env = Record<string, string | undefined>

const COMPARE: readonly CompareMode[] = ['previous', 'year', 'none']
const FORMATS: readonly OutputFormat[] = ['json', 'csv']
const BUCKETS: readonly BucketKind[] = ['day', 'week', 'month', 'quarter', 'year']

function oneOf<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T
  throw new UsageError(`--${flag} must be one of ${allowed.join(', ')}; got "${value}"`)
}

/** A calendar date 'YYYY-MM-DD' (checked here so the message names the flag). */
function day(flag: string, value: string | undefined): string {
  if (value === undefined) throw new UsageError(`--${flag} YYYY-MM-DD is required`)
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value)
  const t = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null
  if (!m || !t || t.getUTCMonth() !== Number(m[2]) - 1 || t.getUTCDate() !== Number(m[3])) {
    throw new UsageError(`--${flag} "${value}" is not a calendar date; write it as YYYY-MM-DD, e.g. 2024-03-31`)
  }
  return value
}

function zone(value: string): string {
  try {
    new Intl.DateTimeFormat('en', { timeZone: value })
  } catch {
    throw new UsageError(`--time-zone "${value}" is not a time zone; write an IANA name such as Europe/Moscow`)
  }
  return value
}

function ids(flag: string, values: string[] | undefined): number[] {
  return (values ?? [])
    .flatMap((v) => v.split(','))
    .filter((v) => v !== '')
    .map((v) => {
      if (!/^\d+$/.test(v)) throw new UsageError(`--${flag} takes numeric ids; got "${v}"`)
      return Number(v)
    })
}

function keys(values: string[] | undefined): string[] {
  return (values ?? []).flatMap((v) => v.split(',')).filter((v) => v !== '')
}

/**
 * Repeated list flags also accept the values that follow them without a flag
 * (`--city 3 5` as well as `--city 3 --city 5` and `--city 3,5`).
 */
const LIST_FLAGS = new Set(['--city', '--source', '--manager', '--category', '--loss-reason', '--stage'])

function spreadLists(argv: string[]): string[] {
  const out: string[] = []
  let list: string | null = null
  for (const a of argv) {
    if (a.startsWith('-')) {
      list = LIST_FLAGS.has(a) ? a : null
      out.push(a)
      continue
    }
    if (list && out[out.length - 1] !== list) out.push(list)
    out.push(a)
  }
  return out
}

export function parseCliArgs(argv: string[], env: Env = {}): CliOptions {
  let parsed
  try {
    parsed = parseArgs({
      args: spreadLists(argv),
      strict: true,
      allowPositionals: false,
      options: {
        webhook: { type: 'string' },
        'webhook-file': { type: 'string' },
        dump: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        compare: { type: 'string', default: 'previous' },
        category: { type: 'string', multiple: true },
        city: { type: 'string', multiple: true },
        source: { type: 'string', multiple: true },
        manager: { type: 'string', multiple: true },
        'loss-reason': { type: 'string', multiple: true },
        stage: { type: 'string', multiple: true },
        format: { type: 'string', default: 'json' },
        inputs: { type: 'string' },
        settings: { type: 'string' },
        bucket: { type: 'string' },
        breakdown: { type: 'string' },
        now: { type: 'string' },
        'as-of': { type: 'string' },
        'cache-dir': { type: 'string' },
        'time-zone': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    })
  } catch (err) {
    // parseArgs messages are multi-line for some errors; keep the first line.
    throw new UsageError(String((err as Error).message).split('\n')[0])
  }
  const v = parsed.values
  const help = v.help === true
  if (help) return { ...emptyOptions(), help }
  const source = dataSource(v, env)
  const from = day('from', v.from)
  const to = day('to', v.to)
  if (from > to) throw new UsageError(`--from ${from} is after --to ${to}`)
  let now: number | undefined
  if (v.now !== undefined) {
    now = Date.parse(v.now)
    if (Number.isNaN(now))
      throw new UsageError(`--now "${v.now}" is not a date-time; write e.g. 2026-11-20T12:00:00+03:00`)
  }
  return {
    source,
    from,
    to,
    compare: oneOf('compare', v.compare ?? 'previous', COMPARE),
    categoryIds: ids('category', v.category),
    cityIds: keys(v.city),
    sourceIds: keys(v.source),
    managerIds: ids('manager', v.manager),
    lossReasonIds: keys(v['loss-reason']),
    stageIds: keys(v.stage),
    format: oneOf('format', v.format ?? 'json', FORMATS),
    inputsPath: v.inputs ?? null,
    settingsPath: v.settings ?? null,
    bucket: v.bucket === undefined ? undefined : oneOf('bucket', v.bucket, BUCKETS),
    breakdown: v.breakdown === undefined ? undefined : oneOf('breakdown', v.breakdown, DIMS),
    now,
    asOf: v['as-of'] === undefined ? undefined : day('as-of', v['as-of']),
    cacheDir: v['cache-dir'] ?? null,
    timeZone: v['time-zone'] === undefined ? null : zone(v['time-zone']),
    help: false,
  }
}

function emptyOptions(): CliOptions {
  return {
    source: { kind: 'dump', path: '' },
    from: '',
    to: '',
    compare: 'previous',
    categoryIds: [],
    cityIds: [],
    sourceIds: [],
    managerIds: [],
    lossReasonIds: [],
    stageIds: [],
    format: 'json',
    inputsPath: null,
    settingsPath: null,
    bucket: undefined,
    breakdown: undefined,
    now: undefined,
    asOf: undefined,
    cacheDir: null,
    timeZone: null,
    help: true,
  }
}
