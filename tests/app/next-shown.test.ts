/**
 * The report store's `nextShown`: the period-first load starts its backfill when the period's
 * report is on screen — not before, and never later than its cap.
 */
import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { queryFromFilters, useReportStore, type ReportEngine } from '../../src/app/stores/report'
import { useFiltersStore } from '../../src/app/stores/filters'
import { MARCH } from '../engine/march'
import { hostilePortal, inProcessEngine } from './app-fixture'

function setup(engine: ReportEngine = inProcessEngine()) {
  setActivePinia(createPinia())
  const filters = useFiltersStore()
  filters.set({ preset: 'custom', from: MARCH.from, to: MARCH.to })
  const report = useReportStore()
  const query = () => queryFromFilters(filters.state, filters.range)
  return { report, engine, query }
}

function settled(p: Promise<void>): () => boolean {
  let done = false
  void p.then(() => (done = true))
  return () => done
}

afterEach(() => vi.useRealTimers())

describe('nextShown', () => {
  it('resolves when the report of the data loaded after the call is ready, not before', async () => {
    const { report, engine, query } = setup()
    const shown = settled(report.nextShown(60_000))
    await report.attach(engine, hostilePortal())
    await flushPromises()
    expect(shown()).toBe(false) // data loaded, no report yet
    await report.run(query())
    await flushPromises()
    expect(report.status).toBe('ready')
    expect(shown()).toBe(true)
  })

  it('does not take a report of older data for the new one', async () => {
    const { report, engine, query } = setup()
    await report.attach(engine, hostilePortal())
    await report.run(query())
    const shown = settled(report.nextShown(60_000))
    await report.run(query()) // the same data again
    await flushPromises()
    expect(shown()).toBe(false)
    await report.attach(engine, hostilePortal()) // new data: the report on screen is of the old
    await flushPromises()
    expect(report.status).toBe('ready')
    expect(shown()).toBe(false)
    await report.run(query())
    await flushPromises()
    expect(shown()).toBe(true)
  })

  it('resolves when the report fails, and after the cap when nothing happens', async () => {
    const failing: ReportEngine = { ...inProcessEngine(), report: () => Promise.reject(new Error('boom')) }
    const { report, query } = setup(failing)
    const failed = settled(report.nextShown(60_000))
    await report.attach(failing, hostilePortal())
    await report.run(query())
    await flushPromises()
    expect(report.status).toBe('error')
    expect(failed()).toBe(true)

    vi.useFakeTimers()
    const idle = setup()
    const capped = settled(idle.report.nextShown(15_000))
    await vi.advanceTimersByTimeAsync(14_999)
    expect(capped()).toBe(false)
    await vi.advanceTimersByTimeAsync(1)
    expect(capped()).toBe(true)
  })
})
