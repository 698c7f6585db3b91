/**
 * The command-line report as a child process against a small generated dump file:
 * the JSON schema, filters, comparison, CSV shape, --inputs, and every error path.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { PortalDump } from '../../src/b24/wire'
import { generatePortal, writeDump } from '../../src/demo-portal/generator'
import { CSV_COLUMNS } from '../../src/cli/output'
import { readCsv, runCli } from './run-cli'

const FROM = '2026-07-01'
const TO = '2026-09-30'
const NOW = '2026-11-20T12:00:00+03:00'
/** The period as instants: the generated portal is on Moscow time (+03:00, no DST). */
const START = Date.parse('2026-07-01T00:00:00+03:00')
const END = Date.parse('2026-10-01T00:00:00+03:00')

type Json = Record<string, unknown>
interface StageRow {
  name: string
  reached: number
  current: number
  conversion: number | null
  overall: number | null
}
interface CohortPipeline {
  categoryId: number
  name: string
  size: number
  order: string[]
  stages: Record<string, StageRow>
}

let dir: string
let dumpPath: string
let dump: PortalDump
let base: Json

const period = ['--from', FROM, '--to', TO, '--now', NOW]

async function json(args: string[]): Promise<Json> {
  const r = await runCli(args)
  expect(r.stderr).toBe('')
  expect(r.code).toBe(0)
  return JSON.parse(r.stdout) as Json
}

function cohort(report: Json): CohortPipeline[] {
  return (report.funnel as { cohort: CohortPipeline[] }).cohort
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fl-cli-'))
  dumpPath = join(dir, 'portal.json')
  dump = generatePortal({ seed: 11, deals: 300 })
  writeDump(dumpPath, dump)
  base = await json(['--dump', dumpPath, ...period])
})

afterAll(() => {
  rmSync(dir, { recursive: true, force: true })
})

describe('JSON report from a dump file', () => {
  it('has every documented top-level section, and the comparison holds the period sections', () => {
    for (const key of [
      'schema',
      'meta',
      'period',
      'comparison',
      'funnel',
      'churn',
      'sources',
      'leads',
      'managers',
      'cities',
      'timing',
      'touches',
      'roi',
      'forecast',
      'quality',
      'kpis',
      'series',
      'stuck',
      'plan',
      'lossReasons',
    ]) {
      expect(base, key).toHaveProperty(key)
    }
    expect(base.schema).toBe('funnel-lens-report/1')
    expect(Object.keys(base.funnel as Json).sort()).toEqual(['cohort', 'flow'])
    const cmp = base.comparison as Json
    for (const key of [
      'period',
      'funnel',
      'churn',
      'sources',
      'leads',
      'managers',
      'cities',
      'timing',
      'touches',
      'roi',
    ]) {
      expect(cmp, key).toHaveProperty(key)
    }
    // The default comparison is the previous period of the same length: the previous quarter.
    expect((cmp.period as Json).from).toBe('2026-04-01')
    expect((cmp.period as Json).to).toBe('2026-06-30')
    expect((base.period as Json).from).toBe(FROM)
    expect((base.period as Json).to).toBe(TO)
  })

  it('keys each stage row by STAGE_ID with the stage name from the portal', () => {
    const names = new Map(
      dump.statuses.filter((s) => s.ENTITY_ID.startsWith('DEAL_STAGE')).map((s) => [s.STATUS_ID, s.NAME]),
    )
    const pipelines = cohort(base)
    expect(pipelines.length).toBe(dump.dealCategories.length)
    for (const pl of pipelines) {
      expect(Object.keys(pl.stages).sort()).toEqual([...pl.order].sort())
      for (const id of pl.order) expect(pl.stages[id].name).toBe(names.get(id))
    }
  })

  it('counts the cohort as the deals created in the period (checked on the dump rows)', () => {
    const known = new Set(dump.dealCategories.map((c) => String(c.id)))
    const created = dump.deals.filter((d) => {
      const t = Date.parse(d.DATE_CREATE)
      return t >= START && t < END && known.has(String(d.CATEGORY_ID ?? '0'))
    }).length
    expect(created).toBeGreaterThan(0)
    expect(cohort(base).reduce((n, pl) => n + pl.size, 0)).toBe(created)
  })

  it('--compare none drops the comparison; --compare year compares with the same quarter a year earlier', async () => {
    const none = await json(['--dump', dumpPath, ...period, '--compare', 'none'])
    expect(none.comparison).toBeNull()
    const year = await json(['--dump', dumpPath, ...period, '--compare', 'year'])
    expect(((year.comparison as Json).period as Json).from).toBe('2025-07-01')
    // the same figures; only their changes differ (another comparison period)
    const figures = (v: unknown) => JSON.stringify(v, (k, x) => (k === 'changes' ? undefined : x))
    expect(figures(year.funnel)).toBe(figures(base.funnel))
  })

  it('a city and source filter narrows the cohort and is echoed in meta.query', async () => {
    const deals = dump.deals.filter((d) => d.SOURCE_ID)
    const source = deals[0].SOURCE_ID as string
    const filtered = await json(['--dump', dumpPath, ...period, '--source', source, '--manager', '1', '2', '3'])
    expect((filtered.meta as Json).query).toMatchObject({ sourceIds: [source], managerIds: [1, 2, 3] })
    const sizes = (r: Json) => cohort(r).reduce((n, pl) => n + pl.size, 0)
    expect(sizes(filtered)).toBeLessThanOrEqual(sizes(base))
    const src = await json(['--dump', dumpPath, ...period, '--source', source])
    const fromSummary = ((base.sources as Json).summary as { key: string; deals: number }[]).find(
      (r) => r.key === source,
    )
    expect(sizes(src)).toBe(fromSummary?.deals ?? 0)
  })
})

describe('CSV report', () => {
  it('is one flat table whose figures are the JSON ones, with the previous period beside them', async () => {
    const r = await runCli(['--dump', dumpPath, ...period, '--format', 'csv'])
    expect(r.code).toBe(0)
    const rows = readCsv(r.stdout)
    expect(rows[0]).toEqual([...CSV_COLUMNS])
    for (const row of rows) expect(row).toHaveLength(CSV_COLUMNS.length)
    const col = (name: (typeof CSV_COLUMNS)[number]) => CSV_COLUMNS.indexOf(name)
    const sections = new Set(rows.slice(1).map((x) => x[0]))
    for (const s of [
      'period',
      'funnel',
      'churn',
      'sources',
      'leads',
      'managers',
      'timing',
      'touches',
      'roi',
      'forecast',
      'quality',
    ])
      expect(sections).toContain(s)
    const prevCohort = cohort(base.comparison as Json)
    let checked = 0
    for (const pl of cohort(base)) {
      for (const id of pl.order) {
        const row = rows.find(
          (x) =>
            x[col('section')] === 'funnel' &&
            x[col('pipeline')] === String(pl.categoryId) &&
            x[col('stage')] === id &&
            x[col('measure')] === 'cohort.reached',
        )
        expect(row, `${pl.categoryId}/${id}`).toBeDefined()
        expect(Number(row![col('value')])).toBe(pl.stages[id].reached)
        expect(row![col('name')]).toBe(pl.stages[id].name)
        const prev = prevCohort.find((x) => x.categoryId === pl.categoryId)!.stages[id].reached
        expect(Number(row![col('previous')])).toBe(prev)
        expect(Number(row![col('change')])).toBe(pl.stages[id].reached - prev)
        // the JSON row's own change record decides the significant column
        const c = (pl.stages[id] as unknown as { changes: Record<string, { significant: boolean; p: number }> }).changes
          .reached
        expect(row![col('significant')]).toBe(String(c.significant))
        expect(Number(row![col('p_value')])).toBe(c.p)
        expect(row![col('small_sample')]).toBe('false')
        checked++
      }
    }
    expect(checked).toBeGreaterThan(5)
    // change records are not figures of their own; a KPI's value row carries its flag
    expect(rows.some((x) => x[col('measure')].includes('changes'))).toBe(false)
    const conv = rows.find((x) => x[col('section')] === 'kpis' && x[col('measure')] === 'conversion.value')!
    const kpi = (base.kpis as Record<string, { significant: boolean | null; smallSample: boolean }>).conversion
    expect(conv[col('significant')]).toBe(kpi.significant === null ? '' : String(kpi.significant))
    expect(conv[col('small_sample')]).toBe(String(kpi.smallSample))
    // figures without a test (money) leave the column empty
    const sum = rows.find((x) => x[col('section')] === 'kpis' && x[col('measure')] === 'wonSum.value')!
    expect(sum[col('significant')]).toBe('')
    expect(rows.filter((x) => x[col('significant')] === 'true').length).toBeGreaterThan(0)
  })
})

describe('--inputs (budgets and plans from a file)', () => {
  it('feeds budgets into ROI and plans into the managers table', async () => {
    const source = (base.sources as { summary: { key: string }[] }).summary.find((r) => r.key !== '')!.key
    const manager = (base.managers as { managerId: string }[])[0].managerId
    const file = join(dir, 'inputs.json')
    writeFileSync(
      file,
      JSON.stringify({
        budgets: ['2026-07', '2026-08', '2026-09'].map((month) => ({ sourceId: source, month, amount: 1000 })),
        plans: [{ userId: Number(manager), month: '2026-08', amount: 50000, deals: 3 }],
      }),
    )
    const r = await json(['--dump', dumpPath, ...period, '--inputs', file])
    const roi = r.roi as { rows: { sourceId: string; spend: number }[]; total: { spend: number } }
    expect(roi.total.spend).toBe(3000)
    expect(roi.rows.find((x) => x.sourceId === source)?.spend).toBe(3000)
    const m = (r.managers as { managerId: string; plan: { amount: number; deals: number } | null }[]).find(
      (x) => x.managerId === manager,
    )
    expect(m?.plan).toEqual({ amount: 50000, deals: 3 })
    expect((r.meta as Json).rows).toMatchObject({ budgets: 3, plans: 1 })
  })
})

describe('--help', () => {
  it('prints the usage on stdout and exits 0', async () => {
    const r = await runCli(['--help'])
    expect(r.code).toBe(0)
    expect(r.stderr).toBe('')
    expect(r.stdout).toMatch(/^Usage: npm run report -- \(--webhook URL \| --webhook-file FILE \| --dump FILE\)/)
    expect(r.stdout).toContain('FUNNEL_LENS_WEBHOOK')
    for (const flag of ['--compare', '--category', '--city', '--source', '--manager', '--format', '--inputs'])
      expect(r.stdout).toContain(flag)
  })
})

describe('errors: one line on stderr, non-zero exit, nothing on stdout', () => {
  const cases: [string, () => string[], RegExp][] = [
    ['unknown flag', () => ['--dump', dumpPath, ...period, '--colour', 'red'], /colour/],
    ['bad date', () => ['--dump', dumpPath, '--from', '2026-02-30', '--to', TO], /2026-02-30.*not a calendar date/],
    ['not a date', () => ['--dump', dumpPath, '--from', 'yesterday', '--to', TO], /yesterday/],
    ['from after to', () => ['--dump', dumpPath, '--from', '2026-10-01', '--to', '2026-09-30'], /after/],
    ['missing --to', () => ['--dump', dumpPath, '--from', FROM], /--to/],
    ['missing source', () => [...period], /--webhook URL, --webhook-file FILE, FUNNEL_LENS_WEBHOOK or --dump FILE/],
    [
      'both sources',
      () => ['--dump', dumpPath, '--webhook', 'http://127.0.0.1:1/rest/1/demo/', ...period],
      /one of --webhook, --dump, not several/,
    ],
    ['bad format', () => ['--dump', dumpPath, ...period, '--format', 'xml'], /--format must be one of json, csv/],
    ['bad compare', () => ['--dump', dumpPath, ...period, '--compare', 'last'], /--compare/],
    ['non-numeric manager', () => ['--dump', dumpPath, ...period, '--manager', 'anna'], /--manager/],
    ['stray argument', () => ['--dump', dumpPath, ...period, 'extra'], /extra/],
    ['unknown pipeline', () => ['--dump', dumpPath, ...period, '--category', '99'], /--category 99: no such pipeline/],
    ['missing dump file', () => ['--dump', join(dir, 'nope.json'), ...period], /nope\.json/],
    [
      'not a dump',
      () => {
        writeFileSync(join(dir, 'bad.json'), '{"hello": 1}')
        return ['--dump', join(dir, 'bad.json'), ...period]
      },
      /not a Funnel Lens dump|missing the key/,
    ],
    [
      'broken inputs file',
      () => {
        writeFileSync(join(dir, 'in.json'), '{"budgets": [{"sourceId": "X", "month": "2026-13", "amount": 1}]}')
        return ['--dump', dumpPath, ...period, '--inputs', join(dir, 'in.json')]
      },
      /month/,
    ],
  ]
  for (const [name, args, message] of cases) {
    it(name, async () => {
      const r = await runCli(args())
      expect(r.code).not.toBe(0)
      expect(r.stdout).toBe('')
      const lines = r.stderr.split('\n').filter((l) => l !== '')
      expect(lines, r.stderr).toHaveLength(1)
      expect(lines[0]).toMatch(message)
    })
  }
})
