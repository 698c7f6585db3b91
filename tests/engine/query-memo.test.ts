import { describe, expect, it } from 'vitest'
import { dumpToCrmData } from '../../src/b24/normalize'
import { parseSettings, SETTINGS_OPTION } from '../../src/b24/settings'
import { DEFAULT_NOW, generatePortal } from '../../src/demo-portal/generator'
import { buildReport, prepare, type ReportQuery } from '../../src/engine/index'

/**
 * Reports reuse work across queries (per data load: call-again candidates, manager-day figures by
 * period and manager filter, the backtest by filter set; per query: filtered deal and lead lists).
 * A report built after other queries must equal the same report built on fresh indexes.
 */
describe('work reused across queries', () => {
  const dump = generatePortal({ seed: 5, deals: 400, now: DEFAULT_NOW })
  const data = dumpToCrmData(dump, parseSettings(dump.appOptions?.[SETTINGS_OPTION]))
  const now = Date.parse(DEFAULT_NOW)
  const base: ReportQuery = { from: '2026-07-01', to: '2026-09-30', compare: 'previous', now }
  const managers = [...new Set(data.deals.map((d) => d.assignedById))]
  const queries: ReportQuery[] = [
    base,
    { ...base, cityIds: [data.cities[0].id] },
    { ...base, managerIds: [managers[0]] },
    { ...base, managerIds: [managers[1], managers[2]] },
    { ...base, from: '2026-08-01', to: '2026-08-31' },
    { ...base, categoryIds: [data.pipelines[data.pipelines.length - 1].id], breakdown: 'manager' },
    { ...base, compare: 'year', sourceIds: [data.sources[0].id] },
  ]

  it('gives every query the report it gets on fresh indexes, whatever came before', () => {
    const warm = prepare(data)
    for (const q of [...queries, ...[...queries].reverse()]) {
      expect(buildReport(warm, q)).toEqual(buildReport(prepare(data), q))
    }
  })
})
