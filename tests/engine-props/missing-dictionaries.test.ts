/**
 * Malformed CRM data never crashes the engine: stages missing from the stage list (a portal dump
 * whose crm.status.list lacks deal stages), and users or sources the deals name but the portal
 * does not list, still give a whole report for every section.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { buildReport, prepare } from '../../src/engine/index'
import type { CrmData } from '../../src/engine/types'
import { NOW, crmData, periodArb } from './arb'

/** Keeps the rows whose flag is set (flags repeat when shorter than the list). */
const keep = <T>(rows: readonly T[], flags: boolean[]): T[] => rows.filter((_, i) => flags[i % flags.length])

/**
 * Like the normaliser, a pipeline lists only the stages the stage list has. `emptied` pipelines lose
 * every stage (the dump that first crashed the engine had no DEAL_STAGE rows at all).
 */
function withoutStages(data: CrmData, flags: boolean[], emptied: number[]): CrmData {
  const stages = keep(data.stages, flags).filter((s) => !emptied.includes(s.categoryId))
  const ids = new Set(stages.map((s) => s.id))
  return {
    ...data,
    stages,
    pipelines: data.pipelines.map((p) => ({ ...p, stageIds: p.stageIds.filter(ids.has, ids) })),
  }
}

/** Paths in the report where a lookup came back empty: an array hole or a stage/user/source field left undefined. */
function undefinedLookups(value: unknown, path = 'report', out: string[] = []): string[] {
  if (Array.isArray(value))
    value.forEach((v, i) => (v === undefined ? out.push(`${path}[${i}]`) : undefinedLookups(v, `${path}[${i}]`, out)))
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) {
      if (v === undefined && /stage|manager|source|user/i.test(k)) out.push(`${path}.${k}`)
      else undefinedLookups(v, `${path}.${k}`, out)
    }
  return out
}

const flagsArb = fc.array(fc.boolean(), { minLength: 1, maxLength: 12 })
const breakdowns = fc.constantFrom(undefined, 'source' as const, 'manager' as const)

describe('missing dictionary rows', () => {
  it('buildReport never throws when stages, users or sources are randomly left out of their lists', () => {
    fc.assert(
      fc.property(
        crmData(),
        periodArb,
        breakdowns,
        flagsArb,
        flagsArb,
        flagsArb,
        fc.subarray([0, 1]),
        (data, period, breakdown, stageFlags, userFlags, sourceFlags, emptied) => {
          const broken = withoutStages(data, stageFlags, emptied)
          broken.users = keep(data.users, userFlags)
          broken.sources = keep(data.sources, sourceFlags)
          const report = buildReport(prepare(broken), { ...period, breakdown, compare: 'previous', now: NOW })
          expect(report.funnel).toBeDefined()
          expect(undefinedLookups(report)).toEqual([])
        },
      ),
      { numRuns: 150 },
    )
  })
})
