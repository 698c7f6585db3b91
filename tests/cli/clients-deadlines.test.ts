/**
 * The seed-003 sections of the command-line JSON (issue 10.1–10.5) on a generated dump, each
 * checked against figures recomputed here from the dump's own wire rows.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DealRow, PortalDump } from '../../src/b24/wire'
import type { Report } from '../../src/engine/report'
import { generatePortal, writeDump } from '../../src/demo-portal/generator'
import { runCli } from './run-cli'

const NOW = '2026-11-20T12:00:00+03:00'
const period = ['--from', '2026-07-01', '--to', '2026-09-30', '--now', NOW]
const START = Date.parse('2026-07-01T00:00:00+03:00')
const END = Date.parse('2026-10-01T00:00:00+03:00')

let dir: string
let dumpPath: string
let dump: PortalDump
let report: Report

async function json(args: string[]): Promise<Report> {
  const r = await runCli(args)
  expect(r.stderr).toBe('')
  return JSON.parse(r.stdout) as Report
}

const clientOf = (d: DealRow) =>
  d.COMPANY_ID && d.COMPANY_ID !== '0' ? `company:${d.COMPANY_ID}` : d.CONTACT_ID ? `contact:${d.CONTACT_ID}` : null

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fl-cli-seed3-'))
  dumpPath = join(dir, 'portal.json')
  dump = generatePortal({ seed: 11, deals: 600 })
  writeDump(dumpPath, dump)
  report = await json(['--dump', dumpPath, ...period, '--as-of', '2026-09-15'])
})

afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('clients in the JSON', () => {
  it('new and existing clients agree with the dump rows', () => {
    const known = new Set(dump.dealCategories.map((c) => String(c.id)))
    const first = new Map<string, number>()
    for (const d of dump.deals) {
      const c = clientOf(d)
      const t = Date.parse(d.DATE_CREATE)
      if (c && !(first.get(c)! <= t)) first.set(c, t)
    }
    const inPeriod = dump.deals.filter((d) => {
      const t = Date.parse(d.DATE_CREATE)
      return t >= START && t < END && known.has(d.CATEGORY_ID)
    })
    const clients = new Set(inPeriod.map(clientOf).filter((c): c is string => c !== null))
    const isNew = (c: string) => first.get(c)! >= START
    expect(report.clients.newClients).toBe([...clients].filter(isNew).length)
    expect(report.clients.existingClients).toBe([...clients].filter((c) => !isNew(c)).length)
    expect(report.clients.existingClients).toBeGreaterThan(0)
    const dealsOf = (x: { deals: number }) => x.deals
    expect(
      dealsOf(report.clients.newClientDeals) +
        dealsOf(report.clients.existingClientDeals) +
        dealsOf(report.clients.noClientDeals),
    ).toBe(inPeriod.length)
  })

  it('top clients carry the names from the dump', () => {
    const titles = new Map(dump.companies!.map((c) => [`company:${c.ID}`, c.TITLE]))
    const company = report.clients.top.find((c) => c.type === 'company')
    expect(company).toBeDefined()
    expect(company!.name).toBe(titles.get(company!.key))
  })
})

describe('overdue, calls, lead processing and the funnel on a date in the JSON', () => {
  it('overdue: open deals whose CLOSEDATE day is before today (from --now)', () => {
    const known = new Set(dump.dealCategories.map((c) => String(c.id)))
    const expected = dump.deals.filter(
      (d) =>
        d.STAGE_SEMANTIC_ID === 'P' &&
        known.has(d.CATEGORY_ID) &&
        d.CLOSEDATE !== '' &&
        d.CLOSEDATE.slice(0, 10) < '2026-11-20' &&
        Date.parse(d.DATE_CREATE) <= Date.parse(NOW),
    )
    // Deals in a stage the pipeline no longer has are left out, as everywhere in the report.
    const stages = new Set(dump.statuses.map((s) => s.STATUS_ID))
    expect(report.overdue.today).toBe('2026-11-20')
    expect(report.overdue.count).toBe(expected.filter((d) => stages.has(d.STAGE_ID)).length)
    expect(report.overdue.count).toBeGreaterThan(0)
    expect(report.kpis.overdue.value).toBe(report.overdue.count)
  })

  it('managers[].calls and leads.processing are there', () => {
    const m = report.managers.find((x) => x.calls.incoming.count > 0)
    expect(m?.calls).toMatchObject({ missed: { count: expect.any(Number) } })
    expect(report.leads.processing.count + report.leads.processing.notProcessed).toBe(report.leads.total)
  })

  it('--as-of sets the date of stagesOnDate and its comparison day', () => {
    expect(report.stagesOnDate.date).toBe('2026-09-15')
    expect(report.stagesOnDate.comparisonDate).toBe('2026-06-15')
    expect(report.stagesOnDate.pipelines.length).toBe(dump.dealCategories.length)
  })

  it('a malformed --as-of is one line on stderr', async () => {
    const r = await runCli(['--dump', dumpPath, ...period, '--as-of', '2026-02-30'])
    expect(r.code).not.toBe(0)
    expect(r.stdout).toBe('')
    expect(r.stderr.trim()).toMatch(/--as-of "2026-02-30" is not a calendar date/)
  })
})
