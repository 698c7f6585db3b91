/**
 * Batched ID-cursor loader: about N/2500 requests for N rows, where the SDK's `callList`
 * needs ⌊N/50⌋+1 sequential ones.
 *
 * One `batch` request carries up to 50 commands. A cursor table contributes a chain of pages
 * `start=-1, order {ID:ASC}, filter {'>ID': …}`, where page k>0 takes its cursor from page k−1
 * by back-reference (`$result[j0p0][49][ID]`, `…[items][49][ID]`, `…[tasks][49][id]`), so 50
 * pages = 2,500 rows per request; several tables share a batch. The very first batch of a run
 * also carries a cheap count probe per cursor table (`start:0, select:[ID]` → `total`), so later
 * batches give each table exactly the pages it still needs.
 *
 * Safety: after a batch, each chain's pages are read in order and a page is accepted only if
 * its ids are strictly increasing and above the last accepted id — a back-reference that did
 * not resolve can never duplicate rows. The chain stops at the first short (<50) page (the
 * table is done) or at the first failed/rejected page (the next batch resumes from the cursor).
 * The per-job state is handed to `onBatch` after every batch, so a caller that stores it
 * together with the rows can resume an interrupted load exactly where it stopped.
 */
import type { BatchOutcome, RequestOptions } from './client'
import type { RestParams } from './app-rest'
import { FunnelLensError } from '../errors'
import { RestError } from './app-rest'
import { lastIdReference, numericId, PAGE, rowKey, rowsOf, type CursorSpec, type OffsetSpec } from './tables'
import { throwIfAborted } from './retry'

export const MAX_BATCH = 50

/** What the loader needs from a client (B24Client satisfies it). */
export interface BatchClient {
  readonly requests: number
  batchFull(commands: Record<string, [string, RestParams?]>, opts?: RequestOptions): Promise<BatchOutcome>
}

export interface CursorState {
  /** Last accepted id (0 = from the start). */
  cursor: number
  done: boolean
  loaded: number
  /** Rows above the cursor according to the last count probe; null before the probe. */
  remaining: number | null
  /** Set when the portal refused this table for good (no right, no module): the rest still loads. */
  skipped?: string
}

export interface OffsetState {
  nextStart: number
  done: boolean
  loaded: number
  /** `total` of the last page; null before the first page. */
  total: number | null
  skipped?: string
}

export interface CountState {
  done: boolean
  loaded: number
  total: number | null
  skipped?: string
}

export type Job =
  | {
      kind: 'cursor'
      key: string
      spec: CursorSpec
      filter?: Record<string, unknown>
      select?: string[]
      state: CursorState
    }
  | { kind: 'offset'; key: string; spec: OffsetSpec; filter?: Record<string, unknown>; state: OffsetState }
  /** One count of the whole (filtered) table, in the first batch: `start:0, select:[ID]` → `total`. */
  | { kind: 'count'; key: string; spec: CursorSpec | OffsetSpec; filter?: Record<string, unknown>; state: CountState }

export function newCursorState(cursor = 0): CursorState {
  return { cursor, done: false, loaded: 0, remaining: null }
}

export function newOffsetState(): OffsetState {
  return { nextStart: 0, done: false, loaded: 0, total: null }
}

export interface AcceptedBatch {
  /** Rows accepted in this batch, by job key, in id order. */
  rows: Map<string, Record<string, unknown>[]>
  /** Server clock at the batch's start (epoch ms). */
  serverTime: number | null
  /** The portal's UTC offset ("+03:00"), when the reply said. */
  serverOffset: string | null
  /** Requests made by the client so far. */
  requests: number
}

export interface LoadOptions {
  signal?: AbortSignal
  /** Awaited after every batch: persist rows and the jobs' state here (atomically). */
  onBatch?: (batch: AcceptedBatch, jobs: readonly Job[]) => Promise<void> | void
  /** Commands per batch (Bitrix24 allows 50). */
  maxCommands?: number
  /** Count probes in the first batch (default true). */
  probe?: boolean
  /**
   * Pages per cursor job whose size is still unknown in the first batch (default: all free
   * slots). A delta sets 1: usually nothing changed, and the batch must stay a single request.
   */
  firstPages?: number
  /** Batches in a row that may make no progress before giving up. */
  maxStalls?: number
  /** Stop after this many batches, done or not (the jobs' state says where to go on). */
  maxBatches?: number
}

/** A table the sync cannot page: the portal ignores the id cursor, or batches stop making progress. */
export class LoaderError extends FunnelLensError {
  constructor(code: 'CURSOR_IGNORED' | 'NO_PROGRESS', message: string) {
    super(code, message, 'LoaderError')
  }
}

/** Codes after which retrying a table cannot help: the portal refuses it for this user or plan. */
const PERMANENT = new Set([
  'ACCESS_DENIED',
  'insufficient_scope',
  'ERROR_METHOD_NOT_FOUND',
  'user_access_error',
  'allowed_only_intranet_user',
  'WRONG_AUTH_TYPE',
])

export type Planned =
  | { kind: 'probe'; job: Extract<Job, { kind: 'cursor' }>; name: string }
  | { kind: 'count'; job: Extract<Job, { kind: 'count' }>; name: string }
  | { kind: 'chain'; job: Extract<Job, { kind: 'cursor' }>; names: string[] }
  | { kind: 'pages'; job: Extract<Job, { kind: 'offset' }>; names: string[]; starts: number[] }

function cursorParams(job: Extract<Job, { kind: 'cursor' }>, cursorValue: number | string): RestParams {
  const spec = job.spec
  return {
    ...spec.params,
    ...(job.select ? { select: job.select } : {}),
    order: { [spec.cursorKey]: spec.orderValue },
    [spec.filterParam]: { ...(job.filter ?? {}), [`>${spec.cursorKey}`]: cursorValue },
    start: -1,
  }
}

function probeParams(job: Extract<Job, { kind: 'cursor' }>): RestParams {
  const spec = job.spec
  return {
    ...spec.params,
    select: [spec.cursorKey],
    [spec.filterParam]: { ...(job.filter ?? {}), [`>${spec.cursorKey}`]: job.state.cursor },
    start: 0,
  }
}

function countParams(job: Extract<Job, { kind: 'count' }>): RestParams {
  const spec = job.spec
  // voximplant.statistic.get has no select: it just returns its first page with the total.
  const select = spec.kind === 'cursor' ? { select: [spec.cursorKey] } : {}
  return { ...spec.params, ...select, ...(job.filter ? { [spec.filterParam]: job.filter } : {}), start: 0 }
}

function offsetParams(job: Extract<Job, { kind: 'offset' }>, start: number): RestParams {
  return { ...job.spec.params, ...(job.filter ? { [job.spec.filterParam]: job.filter } : {}), start }
}

/** Pages a cursor job still needs: one more than the full pages left, to see the short last page. */
function cursorPagesWanted(s: CursorState, first: boolean, firstPages: number): number {
  if (s.remaining === null) return first ? firstPages : Number.POSITIVE_INFINITY
  return Math.floor(Math.max(0, s.remaining) / PAGE) + 1
}

function offsetPagesWanted(s: OffsetState): number {
  if (s.total === null || s.total <= s.nextStart) return 1
  return Math.ceil((s.total - s.nextStart) / PAGE)
}

export function planBatch(
  jobs: readonly Job[],
  first: boolean,
  probe: boolean,
  maxCommands: number,
  firstPages = Number.POSITIVE_INFINITY,
): { commands: Record<string, [string, RestParams?]>; plan: Planned[] } {
  const commands: Record<string, [string, RestParams?]> = {}
  const plan: Planned[] = []
  let slots = maxCommands
  const open = jobs.map((job, i) => ({ job, i })).filter(({ job }) => !job.state.done)
  for (const { job, i } of open) {
    if (job.kind !== 'count' || slots === 0) continue
    const name = `j${i}n`
    commands[name] = [job.spec.method, countParams(job)]
    plan.push({ kind: 'count', job, name })
    slots--
  }
  if (first && probe) {
    for (const { job, i } of open) {
      if (job.kind !== 'cursor' || slots <= 1) continue
      const name = `j${i}c`
      commands[name] = [job.spec.method, probeParams(job)]
      plan.push({ kind: 'probe', job, name })
      slots--
    }
  }
  // Offset pages first: they are small dictionaries the report needs whole, and cheap.
  for (const { job, i } of open) {
    if (job.kind !== 'offset' || slots === 0) continue
    const n = Math.min(first && job.state.total === null ? 1 : offsetPagesWanted(job.state), slots)
    const names: string[] = []
    const starts: number[] = []
    for (let k = 0; k < n; k++) {
      const start = job.state.nextStart + k * PAGE
      const name = `j${i}o${k}`
      commands[name] = [job.spec.method, offsetParams(job, start)]
      names.push(name)
      starts.push(start)
    }
    plan.push({ kind: 'pages', job, names, starts })
    slots -= n
  }
  for (const { job, i } of open) {
    if (job.kind !== 'cursor' || slots === 0) continue
    const n = Math.min(cursorPagesWanted(job.state, first, firstPages), slots)
    const names: string[] = []
    for (let k = 0; k < n; k++) {
      const name = `j${i}p${k}`
      const cursorValue = k === 0 ? job.state.cursor : lastIdReference(job.spec, names[k - 1])
      commands[name] = [job.spec.method, cursorParams(job, cursorValue)]
      names.push(name)
    }
    plan.push({ kind: 'chain', job, names })
    slots -= n
  }
  return { commands, plan }
}

function permanentReason(error: RestError | null): string | null {
  if (!error) return null
  return PERMANENT.has(error.code) ? `${error.code}: ${error.description}` : null
}

/** Reads one chain's pages in order; returns the rows it accepted. */
export function acceptChain(
  p: Extract<Planned, { kind: 'chain' }>,
  replies: BatchOutcome['replies'],
): Record<string, unknown>[] {
  const { job } = p
  const s = job.state
  const accepted: Record<string, unknown>[] = []
  for (let k = 0; k < p.names.length; k++) {
    const reply = replies[p.names[k]]
    if (!reply || !reply.ok) {
      const reason = k === 0 ? permanentReason(reply?.error ?? null) : null
      if (reason) {
        s.done = true
        s.skipped = reason
      }
      break
    }
    const rows = rowsOf(job.spec, reply.result)
    let last = s.cursor
    let monotonic = true
    for (const r of rows) {
      const id = numericId(job.spec, r)
      if (!(id > last)) {
        monotonic = false
        break
      }
      last = id
    }
    if (!monotonic) {
      // Page 0 carried a literal cursor: ids at or below it mean the portal ignored the filter.
      if (k === 0)
        throw new LoaderError(
          'CURSOR_IGNORED',
          `${job.spec.method}: the portal returned ids not above ${s.cursor} for ">${job.spec.cursorKey}" — cannot page this table safely.`,
        )
      break // an unresolved back-reference: drop the page, the next batch resumes from the cursor
    }
    accepted.push(...rows)
    s.cursor = last
    s.loaded += rows.length
    if (s.remaining !== null) s.remaining = Math.max(0, s.remaining - rows.length)
    if (rows.length < PAGE) {
      s.done = true
      s.remaining = 0
      break
    }
  }
  return accepted
}

function acceptPages(
  p: Extract<Planned, { kind: 'pages' }>,
  replies: BatchOutcome['replies'],
  seen: Set<string>,
): Record<string, unknown>[] {
  const { job } = p
  const s = job.state
  const accepted: Record<string, unknown>[] = []
  for (let k = 0; k < p.names.length; k++) {
    const reply = replies[p.names[k]]
    if (!reply || !reply.ok) {
      const reason = s.nextStart === 0 ? permanentReason(reply?.error ?? null) : null
      if (reason) {
        s.done = true
        s.skipped = reason
      }
      break
    }
    const rows = rowsOf(job.spec, reply.result)
    // Offset pages can shift when rows are added meanwhile: dedupe by id within this load.
    for (const r of rows) {
      const key = rowKey(job.spec, r)
      if (key === null || seen.has(key)) continue
      seen.add(key)
      accepted.push(r)
    }
    s.loaded += rows.length
    s.total = reply.total > 0 ? reply.total : s.total
    s.nextStart = p.starts[k] + PAGE
    const totalSaysDone = s.total !== null && s.total > 0 && s.nextStart >= s.total
    if (rows.length < PAGE || totalSaysDone) {
      s.done = true
      break
    }
  }
  return accepted
}

function progressOf(jobs: readonly Job[]): string {
  return jobs.map((j) => `${j.key}:${j.state.loaded}${j.state.done ? '✓' : ''}`).join(' ')
}

/** Runs every job to completion in as few batch requests as the 50-command limit allows. */
export async function runJobs(client: BatchClient, jobs: readonly Job[], options: LoadOptions = {}): Promise<void> {
  const maxCommands = Math.min(MAX_BATCH, Math.max(2, options.maxCommands ?? MAX_BATCH))
  const maxStalls = options.maxStalls ?? 8
  const seen = new Map<string, Set<string>>()
  let first = true
  let stalls = 0
  let batches = 0
  while (jobs.some((j) => !j.state.done) && batches++ < (options.maxBatches ?? Number.POSITIVE_INFINITY)) {
    throwIfAborted(options.signal)
    const { commands, plan } = planBatch(jobs, first, options.probe ?? true, maxCommands, options.firstPages)
    const outcome = await client.batchFull(commands, { signal: options.signal })
    first = false
    const rows = new Map<string, Record<string, unknown>[]>()
    const before = progressOf(jobs)
    for (const p of plan) {
      if (p.kind === 'probe') {
        const reply = outcome.replies[p.name]
        if (reply?.ok) p.job.state.remaining = reply.total
        continue
      }
      if (p.kind === 'count') {
        const reply = outcome.replies[p.name]
        const s = p.job.state
        if (reply?.ok) {
          s.total = reply.total
          s.done = true
        } else {
          const reason = permanentReason(reply?.error ?? null)
          if (reason) {
            s.done = true
            s.skipped = reason
          }
        }
        continue
      }
      const got =
        p.kind === 'chain'
          ? acceptChain(p, outcome.replies)
          : acceptPages(p, outcome.replies, seen.get(p.job.key) ?? seen.set(p.job.key, new Set()).get(p.job.key)!)
      if (got.length > 0) rows.set(p.job.key, [...(rows.get(p.job.key) ?? []), ...got])
    }
    await options.onBatch?.(
      { rows, serverTime: outcome.serverTime, serverOffset: outcome.serverOffset ?? null, requests: client.requests },
      jobs,
    )
    if (progressOf(jobs) === before) {
      if (++stalls >= maxStalls) {
        const errors = Object.entries(outcome.replies)
          .filter(([, r]) => !r.ok)
          .map(([, r]) => r.error?.message)
          .slice(0, 3)
        throw new LoaderError(
          'NO_PROGRESS',
          `Loading made no progress in ${maxStalls} batches in a row (${errors.join('; ') || 'no rows accepted'}). Everything loaded so far is kept; try again later.`,
        )
      }
    } else stalls = 0
  }
}

/** Rows a job still has to load as far as it knows (its count, its page total); unknown: Infinity. */
function rowsLeft(j: Job): number {
  if (j.kind === 'cursor') return j.state.remaining ?? Number.POSITIVE_INFINITY
  if (j.kind === 'offset')
    return j.state.total === null ? Number.POSITIVE_INFINITY : Math.max(0, j.state.total - j.state.nextStart)
  return 0
}

/** The open jobs in at most `n` lanes of about equal rows: largest first, each to the lightest lane. */
export function splitLanes(jobs: readonly Job[], n: number): Job[][] {
  const lanes = Array.from({ length: Math.max(1, n) }, () => ({ jobs: [] as Job[], rows: 0 }))
  const open = jobs.filter((j) => !j.state.done)
  const sizes = new Map(open.map((j) => [j, rowsLeft(j)]))
  open.sort((a, b) => (sizes.get(a) === sizes.get(b) ? 0 : sizes.get(a)! < sizes.get(b)! ? 1 : -1))
  for (const j of open) {
    const lightest = lanes.reduce((a, b) => (b.rows < a.rows ? b : a))
    lightest.jobs.push(j)
    lightest.rows += sizes.get(j)!
  }
  return lanes.filter((l) => l.jobs.length > 0).map((l) => l.jobs)
}

/**
 * `runJobs` with up to `lanes` requests in flight: one batch carries the small tables and every
 * count, then the open jobs split into lanes of about equal rows that load at once. Costs at
 * most a partly filled batch per extra lane. `onBatch` runs per lane's batch, as they arrive.
 * A failing lane stops the others; its error is thrown once every lane has stopped.
 */
export async function runJobsInLanes(
  client: BatchClient,
  jobs: readonly Job[],
  lanes: number,
  options: LoadOptions = {},
): Promise<void> {
  await runJobs(client, jobs, { ...options, maxBatches: 1 })
  const stop = new AbortController()
  const outer = options.signal
  const onAbort = () => stop.abort()
  outer?.addEventListener('abort', onAbort)
  if (outer?.aborted) stop.abort()
  let failure: { error: unknown } | null = null
  try {
    await Promise.all(
      splitLanes(jobs, lanes).map((lane) =>
        runJobs(client, lane, { ...options, signal: stop.signal, probe: false }).catch((error: unknown) => {
          failure ??= { error }
          stop.abort()
        }),
      ),
    )
  } finally {
    outer?.removeEventListener('abort', onAbort)
  }
  if (failure) throw (failure as { error: unknown }).error
}
