/**
 * Maven "CRM Sales Opportunities" through the whole path (converter → dumpToCrmData → engine)
 * against DuckDB SQL written from the dataset's own meaning over the publisher's CSV files:
 * an opportunity is engaged on engage_date, closes on close_date as Won or Lost (Lost after
 * engaging); Prospecting rows have not been engaged yet and carry no date.
 *
 * Where the derived stage history makes a figure differ by definition, the test says so:
 * - Prospecting rows have no date at all; the converter creates them at the earliest engage
 *   date (2016-10-20), so they belong to the cohort of any period holding that day and to no
 *   other. SQL has no creation date for them; the cohort tests pick periods without that day,
 *   and one test checks the rule itself.
 * - Time to win is "won time − DATE_CREATE" (metrics.md); DATE_CREATE is engage_date here, so
 *   it is SQL's close_date − engage_date.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dumpToCrmData } from '../../src/b24/normalize'
import { buildReport, prepare, type Prepared, type Report, type ReportQuery } from '../../src/engine/index'
import type { CrmData } from '../../src/engine/types'
import { writeDump } from '../../src/demo-portal/generator'
import { MAVEN_DIR, mavenToDump, readMaven } from '../support/datasets'
import { runCli } from '../cli/run-cli'
import { lit, openDuck, type Duck } from './duck'

const PIPELINE = lit(`${MAVEN_DIR}/sales_pipeline.csv`)
const TEAMS = lit(`${MAVEN_DIR}/sales_teams.csv`)
/** Every opportunity is engaged and closed inside these dates (2016-10-20 … 2017-12-31). */
const ALL = { from: '2016-10-01', to: '2017-12-31' }
const NOW = Date.parse('2018-01-01T00:00:00Z')
const QUARTERS = [
  ['2016-10-01', '2016-12-31'],
  ['2017-01-01', '2017-03-31'],
  ['2017-04-01', '2017-06-30'],
  ['2017-07-01', '2017-09-30'],
  ['2017-10-01', '2017-12-31'],
]

let duck: Duck
let data: CrmData
let prepared: Prepared

function report(q: Partial<ReportQuery> & { from: string; to: string }): Report {
  return buildReport(prepared, { compare: 'none', now: NOW, ...q })
}

beforeAll(async () => {
  duck = await openDuck()
  data = dumpToCrmData(mavenToDump(readMaven()))
  prepared = prepare(data)
})

afterAll(() => duck.close())

describe('Maven: closed deals per agent and per office', () => {
  it('win rate = won/(won+lost) and lost per agent match SQL', async () => {
    const sql = await duck.rows<{ agent: string; won: number; lost: number; rate: number }>(`
      select sales_agent as agent,
             count(*) filter (where deal_stage = 'Won') as won,
             count(*) filter (where deal_stage = 'Lost') as lost,
             round(won / (won + lost), 4) as rate
      from read_csv(${PIPELINE}) where deal_stage in ('Won', 'Lost') group by sales_agent`)
    const r = report(ALL)
    expect(sql.length).toBe(30)
    const byName = new Map(r.managers.map((m) => [m.name, m]))
    for (const row of sql) {
      const m = byName.get(row.agent)
      expect(m, row.agent).toBeDefined()
      expect(m!.won.count, row.agent).toBe(row.won)
      expect(m!.lost, row.agent).toBe(row.lost)
      expect(m!.conversion, row.agent).toBeCloseTo(row.rate, 4)
    }
    expect(r.managers.filter((m) => m.won.count + m.lost > 0).length).toBe(sql.length)
  })

  it('won, lost, won amount and win rate per regional office (the city field) match SQL', async () => {
    const sql = await duck.rows<{ office: string; won: number; lost: number; amount: number; rate: number }>(`
      select t.regional_office as office,
             count(*) filter (where p.deal_stage = 'Won') as won,
             count(*) filter (where p.deal_stage = 'Lost') as lost,
             coalesce(sum(p.close_value) filter (where p.deal_stage = 'Won'), 0) as amount,
             round(won / (won + lost), 4) as rate
      from read_csv(${PIPELINE}) p join read_csv(${TEAMS}) t using (sales_agent)
      group by t.regional_office`)
    const r = report(ALL)
    expect(sql.map((x) => x.office).sort()).toEqual(['Central', 'East', 'West'])
    for (const row of sql) {
      const c = r.cities.find((x) => x.name === row.office)
      expect(c, row.office).toBeDefined()
      expect([c!.won, c!.lost, c!.wonSum], row.office).toEqual([row.won, row.lost, row.amount])
      expect(c!.conversion).toBeCloseTo(row.rate, 4)
    }
  })
})

describe('Maven: money and time', () => {
  it('revenue of won deals per quarter (and the previous quarter beside it) matches SQL', async () => {
    const sql = await duck.rows<{ q: string; revenue: number; won: number }>(`
      select strftime(date_trunc('quarter', close_date), '%Y-%m-%d') as q, sum(close_value) as revenue, count(*) as won
      from read_csv(${PIPELINE}) where deal_stage = 'Won' group by 1`)
    const byQuarter = new Map(sql.map((x) => [x.q, x]))
    let total = 0
    QUARTERS.forEach(([from, to], i) => {
      const r = buildReport(prepared, { from, to, compare: 'previous', now: NOW })
      const want = byQuarter.get(from)
      expect(r.kpis.wonSum.value, from).toBe(want?.revenue ?? 0)
      expect(r.kpis.won.value, from).toBe(want?.won ?? 0)
      const prev = i > 0 ? (byQuarter.get(QUARTERS[i - 1][0])?.revenue ?? 0) : 0
      expect(r.kpis.wonSum.previous, `previous of ${from}`).toBe(prev)
      total += r.kpis.wonSum.value ?? 0
    })
    expect(total).toBe(sql.reduce((n, x) => n + x.revenue, 0))
  })

  it('median and p90 days engage → close of won deals, overall and per agent, match SQL', async () => {
    const all = await duck.rows<{ n: number; median: number; p90: number }>(`
      select count(*) as n, median(close_date - engage_date) as median, quantile_cont(close_date - engage_date, 0.9) as p90
      from read_csv(${PIPELINE}) where deal_stage = 'Won'`)
    const r = report(ALL)
    const stats = r.timing.toWin.stats
    expect(stats.count).toBe(all[0].n)
    expect(stats.median! / 24).toBeCloseTo(all[0].median, 2)
    expect(stats.p90! / 24).toBeCloseTo(all[0].p90, 2)
    const perAgent = await duck.rows<{ agent: string; n: number; median: number }>(`
      select sales_agent as agent, count(*) as n, median(close_date - engage_date) as median
      from read_csv(${PIPELINE}) where deal_stage = 'Won' group by 1`)
    const splits = r.timing.toWin.splits.manager ?? []
    for (const row of perAgent) {
      const s = splits.find((x) => x.name === row.agent)
      expect(s, row.agent).toBeDefined()
      expect(s!.stats.count).toBe(row.n)
      expect(s!.stats.median! / 24, row.agent).toBeCloseTo(row.median, 2)
    }
  })
})

describe('Maven: funnels for a period', () => {
  const Q2 = { from: '2017-04-01', to: '2017-06-30' }

  it('cohort funnel per stage of the deals engaged in Q2 2017 matches SQL', async () => {
    const [c] = await duck.rows<{ size: number; engaging: number; won: number; lost: number; open: number }>(`
      select count(*) as size,
             count(*) filter (where deal_stage in ('Engaging', 'Won', 'Lost')) as engaging,
             count(*) filter (where deal_stage = 'Won') as won,
             count(*) filter (where deal_stage = 'Lost') as lost,
             count(*) filter (where deal_stage = 'Engaging') as open
      from read_csv(${PIPELINE}) where engage_date >= date '2017-04-01' and engage_date < date '2017-07-01'`)
    const r = report(Q2)
    const f = r.funnel.cohort[0]
    expect(f.size).toBe(c.size)
    // Prospecting: every engaged deal passed it; nobody engaged is still there.
    expect([f.stages.NEW.reached, f.stages.NEW.current]).toEqual([c.size, 0])
    expect([f.stages.PREPARATION.reached, f.stages.PREPARATION.current, f.stages.PREPARATION.lostAt]).toEqual([
      c.engaging,
      c.open,
      c.lost,
    ])
    expect([f.stages.WON.reached, f.stages.LOSE.reached]).toEqual([c.won, c.lost])
    expect(f.stages.PREPARATION.conversion).toBeCloseTo(c.won / c.engaging, 4)
    expect(f.stages.WON.overall).toBeCloseTo(c.won / c.size, 4)
    const churn = r.churn[0].cohort.PREPARATION
    expect([churn.reached, churn.lostAt]).toEqual([c.engaging, c.lost])
    expect(churn.churn).toBeCloseTo(c.lost / c.engaging, 4)
  })

  it('flow funnel of Q2 2017: engaged, won and lost inside the quarter match SQL', async () => {
    const [c] = await duck.rows<{ engaged: number; won: number; lost: number }>(`
      select count(*) filter (where engage_date >= date '2017-04-01' and engage_date < date '2017-07-01') as engaged,
             count(*) filter (where deal_stage = 'Won' and close_date >= date '2017-04-01' and close_date < date '2017-07-01') as won,
             count(*) filter (where deal_stage = 'Lost' and close_date >= date '2017-04-01' and close_date < date '2017-07-01') as lost
      from read_csv(${PIPELINE})`)
    const f = report(Q2).funnel.flow[0]
    expect(f.stages.PREPARATION.entered).toBe(c.engaged)
    expect(f.stages.WON.entered).toBe(c.won)
    expect(f.stages.LOSE.entered).toBe(c.lost)
    expect(f.stages.PREPARATION.lostAt).toBe(c.lost)
  })

  it('derived-history rule: undated Prospecting rows join the cohort of the period holding 2016-10-20 only', async () => {
    const [c] = await duck.rows<{ engaged: number; prospecting: number; first: string }>(`
      select count(*) filter (where engage_date < date '2017-01-01') as engaged,
             count(*) filter (where deal_stage = 'Prospecting') as prospecting,
             strftime(min(engage_date), '%Y-%m-%d') as first
      from read_csv(${PIPELINE})`)
    expect(c.first).toBe('2016-10-20')
    const q4 = report({ from: '2016-10-01', to: '2016-12-31' }).funnel.cohort[0]
    expect(q4.size).toBe(c.engaged + c.prospecting)
    expect(q4.stages.NEW.current).toBe(c.prospecting)
    expect(q4.stages.PREPARATION.reached).toBe(c.engaged)
  })
})

describe('Maven through the command line', () => {
  it('`report --dump` on the converted dump prints the per-office figures SQL computes from the CSV', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fl-maven-'))
    try {
      const file = join(dir, 'maven.json')
      writeDump(file, mavenToDump(readMaven()))
      const run = await runCli([
        '--dump',
        file,
        '--from',
        ALL.from,
        '--to',
        ALL.to,
        '--compare',
        'none',
        '--now',
        '2018-01-01T00:00:00Z',
      ])
      expect(run.stderr).toBe('')
      const printed = JSON.parse(run.stdout) as Report
      const sql = await duck.rows<{ office: string; won: number; lost: number; amount: number }>(`
        select t.regional_office as office, count(*) filter (where p.deal_stage = 'Won') as won,
               count(*) filter (where p.deal_stage = 'Lost') as lost,
               coalesce(sum(p.close_value) filter (where p.deal_stage = 'Won'), 0) as amount
        from read_csv(${PIPELINE}) p join read_csv(${TEAMS}) t using (sales_agent) group by 1`)
      const got = Object.fromEntries(printed.cities.map((c) => [c.name, [c.won, c.lost, c.wonSum]]))
      expect(got).toEqual(Object.fromEntries(sql.map((x) => [x.office, [x.won, x.lost, x.amount]])))
      expect(printed.funnel.cohort[0].size).toBe(8800)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
