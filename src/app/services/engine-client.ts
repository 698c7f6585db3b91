/**
 * The bridge to the engine's Web Worker (src/engine/worker.ts): one request, one promise.
 * Requests carry an id; the worker answers with the same id, so answers that arrive out of
 * order (a slow report overtaken by a drill) still reach the right caller.
 *
 * The data goes table by table (engine/load-slices.ts), each slice posted once the one before is
 * answered: only one slice's structured clone is in flight, which keeps a 100k-deal load within
 * the worker's heap. Requests asked meanwhile (another load, a patch, a report) are posted after
 * the load ends, so the worker still takes them in the order they were asked.
 */
import type { CrmData } from '../../engine/types'
import { loadMessages } from '../../engine/load-slices'
import type { CrmPatch } from '../../engine/patch'
import { EngineError } from '../errors'

export interface WorkerLike {
  postMessage(message: unknown, transfer?: Transferable[]): void
  addEventListener(type: 'message', listener: (e: MessageEvent) => void): void
  addEventListener(type: 'error', listener: (e: ErrorEvent) => void): void
  terminate?(): void
}

interface Pending {
  resolve: (value: unknown) => void
  reject: (error: Error) => void
}

export class EngineClient<Query, Report, Ref, Row> {
  private nextId = 1
  private pending = new Map<number, Pending>()
  /** Settles when the last load asked has been answered; null when none is under way. */
  private loading: Promise<void> | null = null
  /** Set once the worker died: requests not yet posted fail with it instead of waiting forever. */
  private stopped: EngineError | null = null

  /**
   * `clock` stands for "now": the app stamps it on every query that has none (to the minute, so a
   * report asked twice within a minute is the same report), and the engine never reads the clock.
   */
  constructor(
    private readonly worker: WorkerLike,
    private readonly clock: () => number = () => Date.now(),
  ) {
    worker.addEventListener('message', (e: MessageEvent) => this.onMessage(e.data))
    worker.addEventListener('error', (e: ErrorEvent) => {
      const error = new EngineError(
        'ENGINE_STOPPED',
        `The report engine stopped: ${e.message || 'unknown error'}. Reload the page.`,
      )
      this.stopped = error
      for (const p of this.pending.values()) p.reject(error)
      this.pending.clear()
    })
  }

  private onMessage(msg: unknown): void {
    if (!msg || typeof msg !== 'object') return
    // src/engine/worker.ts answers { type: 'loaded' | 'report' | 'drill' | 'error', id, … }.
    const m = msg as {
      type?: string
      id?: number
      report?: unknown
      rows?: unknown
      quality?: unknown
      message?: string
      code?: string
    }
    if (typeof m.id !== 'number') return
    const p = this.pending.get(m.id)
    if (!p) return
    this.pending.delete(m.id)
    switch (m.type) {
      case 'report':
        return p.resolve(m.report)
      case 'drill':
        return p.resolve(m.rows)
      case 'loaded':
        return p.resolve(m.quality)
      case 'loadAck':
        return p.resolve(undefined)
      default:
        p.reject(new EngineError('ENGINE_FAILED', m.message || 'The report engine failed', m.code ?? null))
    }
  }

  /** Posts now, or after the load under way (whose slices must not be interleaved with anything). */
  private request<T>(message: object): Promise<T> {
    if (!this.loading) return this.post<T>(message)
    return this.loading.then(() => this.post<T>(message))
  }

  private post<T>(message: object): Promise<T> {
    if (this.stopped) return Promise.reject(this.stopped)
    const id = this.nextId++
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject })
      this.worker.postMessage({ ...message, id })
    })
  }

  /** Version of the data last sent: a patch names it as its base, so the worker never applies one to other data. */
  private dataVersion = 0

  /** Resolves with the data's quality counts once the worker has prepared it. */
  load(data: CrmData): Promise<unknown> {
    const version = ++this.dataVersion
    const send = async () => {
      let answer: unknown
      // One slice at a time: the next is cloned only after the worker has taken this one in.
      for (const message of loadMessages(data, version)) answer = await this.post(message)
      return answer
    }
    const answer = this.loading ? this.loading.then(send) : send()
    const settled = answer.then(
      () => undefined,
      () => undefined,
    )
    this.loading = settled
    void settled.then(() => {
      if (this.loading === settled) this.loading = null
    })
    return answer
  }

  patch(patch: CrmPatch): Promise<unknown> {
    const base = this.dataVersion
    return this.request({ type: 'patch', patch, base, version: ++this.dataVersion })
  }

  report(query: Query): Promise<Report> {
    return this.request<Report>({ type: 'report', query: this.stamped(query) })
  }

  drill(ref: Ref, query: Query): Promise<Row[]> {
    return this.request<Row[]>({ type: 'drill', ref, query: this.stamped(query) })
  }

  private stamped(query: Query): Query {
    if (!query || typeof query !== 'object' || (query as { now?: unknown }).now !== undefined) return query
    return { ...query, now: Math.floor(this.clock() / 60_000) * 60_000 }
  }

  dispose(): void {
    this.worker.terminate?.()
    this.pending.clear()
  }
}
