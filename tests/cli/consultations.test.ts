/**
 * The command line and issue 9's sections: `consultations` and `leadToDeal` in the JSON (current
 * and comparison period) and the CSV, and the `--loss-reason` / `--stage` filters, checked on
 * the dump rows, with a clear message for an id the portal does not have.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { PortalDump } from '../../src/b24/wire'
import { generatePortal, writeDump } from '../../src/demo-portal/generator'
import { LOSS_REASON_FIELD } from '../../src/demo-portal/gen-dictionaries'
import { readCsv, runCli } from './run-cli'

const period = ['--from', '2026-07-01', '--to', '2026-09-30', '--now', '2026-11-20T12:00:00+03:00']
const START = Date.parse('2026-07-01T00:00:00+03:00')
const END = Date.parse('2026-10-01T00:00:00+03:00')

type Json = Record<string, unknown>
let dir: string
let dumpPath: string
let dump: PortalDump

async function json(args: string[]): Promise<Json> {
  const r = await runCli(['--dump', dumpPath, ...period, ...args])
  expect(r.stderr).toBe('')
  expect(r.code).toBe(0)
  return JSON.parse(r.stdout) as Json
}

const created = (r: Json) => ((r.kpis as Json).dealsCreated as { value: number }).value
const inPeriod = (d: PortalDump['deals'][number]) => {
  const t = Date.parse(d.DATE_CREATE)
  return t >= START && t < END
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'fl-cli-consult-'))
  dumpPath = join(dir, 'portal.json')
  dump = generatePortal({ seed: 11, deals: 300 })
  writeDump(dumpPath, dump)
})

afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('consultation sections in the CLI', () => {
  it('JSON carries consultations and leadToDeal for both periods, with the documented fields', async () => {
    const r = await json([])
    for (const section of [r, r.comparison as Json]) {
      const c = section.consultations as Json
      expect(Object.keys(c)).toEqual(
        expect.arrayContaining([
          'timeToContract',
          'bookingsBeforeContract',
          'attendance',
          'rebooking',
          'contactsToFirstConsultation',
        ]),
      )
      expect(c.timeToContract).toMatchObject({ count: expect.any(Number), mean: null, median: null, p90: null })
      expect(c.attendance).toMatchObject({ held: 0, noShow: 0, lost: 0, none: 0, attendanceRate: null })
      expect(c.rebooking).toMatchObject({ noShows: 0, rebooked: 0, share: null, medianHours: null })
      expect(section.leadToDeal).toMatchObject({ leads: expect.any(Number), converted: expect.any(Number) })
    }
    const leads = dump.leads.filter((l) => {
      const t = Date.parse(l.DATE_CREATE)
      return t >= START && t < END
    }).length
    expect((r.leadToDeal as Json).leads).toBe(leads)
  })

  it('CSV has a row per figure of the new sections', async () => {
    const r = await runCli(['--dump', dumpPath, ...period, '--format', 'csv'])
    expect(r.code).toBe(0)
    const rows = readCsv(r.stdout)
    const measures = (section: string) => rows.filter((x) => x[0] === section).map((x) => x[5])
    expect(measures('consultations')).toEqual(
      expect.arrayContaining([
        'attendance.noShowRate',
        'rebooking.medianHours',
        'bookingsBeforeContract.distribution.3+',
      ]),
    )
    expect(measures('leadToDeal')).toEqual(expect.arrayContaining(['leads', 'converted', 'won', 'conversion.held']))
  })
})

describe('--loss-reason and --stage', () => {
  it('narrow every figure to the deals with that loss reason / now in that stage', async () => {
    const stage = 'PREPARATION'
    const byStage = await json(['--stage', stage])
    expect(created(byStage)).toBe(dump.deals.filter((d) => inPeriod(d) && d.STAGE_ID === stage).length)
    expect((byStage.meta as Json).query).toMatchObject({ stageIds: [stage] })

    const reasonDeals = dump.deals.filter((d) => inPeriod(d) && d[LOSS_REASON_FIELD])
    const reason = String(reasonDeals[0][LOSS_REASON_FIELD])
    const byReason = await json(['--loss-reason', reason])
    expect(created(byReason)).toBe(reasonDeals.filter((d) => String(d[LOSS_REASON_FIELD]) === reason).length)
    const touches = byReason.touches as { beforeLoss: { byReason: { key: string }[] } }
    expect(touches.beforeLoss.byReason.map((x) => x.key)).toEqual([reason])
  })

  it('an id the portal does not have is a usage error naming the ids it has', async () => {
    const r = await runCli(['--dump', dumpPath, ...period, '--stage', 'NO_SUCH'])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/--stage NO_SUCH: not on this portal; it has .*PREPARATION \(/)
    const l = await runCli(['--dump', dumpPath, ...period, '--loss-reason', '1'])
    expect(l.code).toBe(2)
    expect(l.stderr).toMatch(/--loss-reason 1: not on this portal; it has \d+ \(Too expensive\)/)
  })
})
