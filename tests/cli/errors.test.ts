/**
 * How the command line fails and warns (issue 8.6), as a child process against dump files and
 * the demo portal: exit codes by whose problem it is, malformed rows that never stop a load,
 * portal text that cannot drive the terminal, honest messages about what was kept, a webhook
 * kept out of `ps`, a private cache, and filter ids the data does not have. The internal-error
 * case runs the runner in process with an injected report builder that fails like a bug.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync, chmodSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generatePortal, writeDump } from '../../src/demo-portal/generator'
import { startPortal, type RunningPortal } from '../../src/demo-portal/server'
import { runCli, type CliResult } from './run-cli'
import { runReport } from '../../src/cli/run'
import { errorLine, exitCodeFor, EXIT, InternalError } from '../../src/cli/errors'

const PERIOD = ['--from', '2026-04-01', '--to', '2026-06-30', '--now', '2026-11-20T12:00:00+03:00']
/** Terminal control: ESC, BEL, BS, CR and the C1 range. */
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/

type Json = Record<string, unknown>

let dir: string
let dumpPath: string
let portal: RunningPortal
let hook: string

const lines = (r: CliResult) => r.stderr.split('\n').filter((l) => l !== '')
const withoutMeta = (r: Json) => ({ ...r, meta: undefined })

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fl-cli-errors-'))
  dumpPath = join(dir, 'portal.json')
  const dump = generatePortal({ seed: 31, deals: 150 })
  writeDump(dumpPath, dump)
  portal = await startPortal({ dump, port: 0 })
  hook = `${portal.url}/rest/1/demo/`
})

afterAll(async () => {
  await portal?.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('exit codes', () => {
  it('an exception inside the engine is an internal error (exit 3) with a clear line, not a usage error', async () => {
    // In process, with a report builder that fails the way a bug does: no engine bug needed.
    const build = () => {
      throw new TypeError("Cannot read properties of undefined (reading 'localeCompare')")
    }
    const err = await runReport(['--dump', dumpPath, ...PERIOD], { env: {}, warn: () => {}, build }).catch((e) => e)
    expect(err).toBeInstanceOf(InternalError)
    expect(exitCodeFor(err)).toBe(EXIT.internal)
    expect(errorLine(err)).toBe(
      "internal error in the report engine (TypeError: Cannot read properties of undefined (reading 'localeCompare'))" +
        '. This is a bug in Funnel Lens, not in your command or data: please report it.',
    )
  })

  it('a wrong command line stays exit 2 and unreadable data exit 1', async () => {
    expect((await runCli(['--dump', dumpPath, '--from', '2026-13-01', '--to', '2026-06-30'])).code).toBe(2)
    expect((await runCli(['--dump', join(dir, 'missing.json'), ...PERIOD])).code).toBe(1)
  })
})

describe('malformed rows', () => {
  it('a null row in any table of a dump is left out and counted in meta.problems; the report is built', async () => {
    const dump = generatePortal({ seed: 31, deals: 150 })
    const clean = JSON.parse((await runCli(['--dump', dumpPath, ...PERIOD])).stdout) as Json
    dump.deals.splice(3, 0, null as never)
    dump.dealHistory.splice(0, 0, null as never)
    dump.users.push(null as never)
    const withNulls = join(dir, 'nulls.json')
    writeDump(withNulls, dump)
    const r = await runCli(['--dump', withNulls, ...PERIOD])
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    const report = JSON.parse(r.stdout) as Json
    const meta = report.meta as { problems: { table: string; kind: string; count: number; dropped: number }[] }
    const notRows = meta.problems.filter((p) => p.kind === 'not a row')
    expect(notRows.map((p) => [p.table, p.count, p.dropped]).sort()).toEqual([
      ['dealHistory', 1, 1],
      ['deals', 1, 1],
      ['users', 1, 1],
    ])
    expect(withoutMeta(report)).toEqual(withoutMeta(clean))
  })
})

describe('text from outside cannot drive the terminal', () => {
  it("a portal's error_description with escape sequences prints without them (one line, exit 1)", async () => {
    portal.setFaults('hostile=1')
    try {
      const r = await runCli(['--webhook', hook, ...PERIOD])
      expect(r.code).toBe(1)
      expect(r.stdout).toBe('')
      expect(lines(r)).toHaveLength(1)
      expect(lines(r)[0]).toContain('Access denied')
      expect(lines(r)[0]).not.toMatch(CONTROL)
    } finally {
      portal.setFaults(null)
    }
  })

  it('an argument echoed in an error prints without its escape sequences', async () => {
    const r = await runCli(['--dump', dumpPath, ...PERIOD, '--time-zone', '\u001b[2J\u001b]0;x\u0007Mars/Olympus\r'])
    expect(r.code).toBe(2)
    expect(lines(r)).toHaveLength(1)
    expect(lines(r)[0]).toContain('Mars/Olympus')
    expect(lines(r)[0]).not.toMatch(CONTROL)
  })
})

describe('what a failed load kept', () => {
  it('without --cache-dir it does not claim anything was kept; with it, it does', async () => {
    portal.setFaults('503=1')
    try {
      const memory = await runCli(['--webhook', hook, ...PERIOD])
      expect(memory.code).toBe(1)
      expect(lines(memory)).toHaveLength(1)
      expect(memory.stderr).not.toMatch(/everything loaded so far is kept/i)
      expect(memory.stderr).toMatch(/Nothing loaded was kept: with --cache-dir DIR/)
      const cached = await runCli(['--webhook', hook, '--cache-dir', join(dir, 'kept-cache'), ...PERIOD])
      expect(cached.code).toBe(1)
      expect(lines(cached)).toHaveLength(1)
      expect(cached.stderr).toMatch(/everything loaded so far is kept/i)
    } finally {
      portal.setFaults(null)
    }
  })
})

describe('the webhook outside the command line', () => {
  it('FUNNEL_LENS_WEBHOOK and --webhook-file give the same report as --webhook', async () => {
    const file = join(dir, 'hook.txt')
    writeFileSync(file, `\n${hook}\n`, { mode: 0o600 })
    const [direct, fromEnv, fromFile] = await Promise.all([
      runCli(['--webhook', hook, ...PERIOD]),
      runCli([...PERIOD], 60_000, { FUNNEL_LENS_WEBHOOK: hook }),
      runCli(['--webhook-file', file, ...PERIOD]),
    ])
    for (const r of [direct, fromEnv, fromFile]) {
      expect(r.stderr).toBe('')
      expect(r.code).toBe(0)
    }
    const body = (r: CliResult) => withoutMeta(JSON.parse(r.stdout) as Json)
    expect(body(fromEnv)).toEqual(body(direct))
    expect(body(fromFile)).toEqual(body(direct))
    expect(((JSON.parse(fromEnv.stdout) as Json).meta as Json).source).toBe('webhook')
  })

  it('an explicit --dump wins over the environment; two explicit sources or an empty file are usage errors', async () => {
    const viaDump = await runCli(['--dump', dumpPath, ...PERIOD], 60_000, {
      FUNNEL_LENS_WEBHOOK: 'http://127.0.0.1:1/',
    })
    expect(viaDump.code).toBe(0)
    expect(((JSON.parse(viaDump.stdout) as Json).meta as Json).source).toBe('dump')
    const empty = join(dir, 'empty-hook.txt')
    writeFileSync(empty, '\n\n')
    for (const args of [
      ['--webhook', hook, '--webhook-file', empty, ...PERIOD],
      ['--webhook-file', empty, ...PERIOD],
      ['--webhook-file', join(dir, 'no-such-file'), ...PERIOD],
    ]) {
      const r = await runCli(args)
      expect(r.code, args.join(' ')).toBe(2)
      expect(lines(r)).toHaveLength(1)
    }
  })
})

describe('the file cache is private', () => {
  it('creates its directory 0700 and its files 0600, and narrows an older readable cache file', async () => {
    const cacheDir = join(dir, 'private-cache')
    const args = ['--webhook', hook, '--cache-dir', cacheDir, ...PERIOD]
    expect((await runCli(args)).code).toBe(0)
    const mode = (p: string) => statSync(p).mode & 0o777
    expect(mode(cacheDir)).toBe(0o700)
    const files = readdirSync(cacheDir)
    expect(files.length).toBeGreaterThan(0)
    for (const f of files) chmodSync(join(cacheDir, f), 0o644)
    expect((await runCli(args)).code).toBe(0)
    for (const f of readdirSync(cacheDir)) expect(mode(join(cacheDir, f)), f).toBe(0o600)
    // A directory the user made keeps the mode they gave it.
    const own = join(dir, 'own-dir')
    mkdirSync(own, { mode: 0o750 })
    chmodSync(own, 0o750)
    expect((await runCli(['--webhook', hook, '--cache-dir', own, ...PERIOD])).code).toBe(0)
    expect(mode(own)).toBe(0o750)
    for (const f of readdirSync(own)) expect(mode(join(own, f)), f).toBe(0o600)
  })
})

describe('filter ids the data does not have', () => {
  it('--city, --source and --manager with unknown ids warn on stderr, one line each, and still report', async () => {
    const r = await runCli([
      '--dump',
      dumpPath,
      ...PERIOD,
      '--city',
      'no-such-city',
      '--source',
      'NOPE',
      '--manager',
      '999999',
    ])
    expect(r.code).toBe(0)
    expect(JSON.parse(r.stdout)).toHaveProperty('funnel')
    expect(lines(r)).toEqual([
      'report: warning: --city no-such-city: no such city in the data; nothing matches it',
      'report: warning: --source NOPE: no such source in the data; nothing matches it',
      'report: warning: --manager 999999: no such manager in the data; nothing matches it',
    ])
  })
})

describe('an absurd period (issue 8.4)', () => {
  it('0001-01-01 … 9999-12-31 reports the data years with a warning, in a small output', async () => {
    const r = await runCli(['--dump', dumpPath, '--from', '0001-01-01', '--to', '9999-12-31', '--now', PERIOD[5]])
    expect(r.code).toBe(0)
    expect(lines(r)).toHaveLength(1)
    expect(lines(r)[0]).toMatch(
      /^report: warning: the period 0001-01-01 … 9999-12-31 \(by quarter\) reaches outside 1990-01-01 … 2099-12-31 and reaches more than a year beyond the data; the report covers \d{4}-01-01 … \d{4}-12-31 by (month|quarter)$/,
    )
    const report = JSON.parse(r.stdout) as { period: { from: string; to: string }; series: { labels: unknown[] } }
    expect(report.series.labels.length).toBeLessThanOrEqual(60)
    // The generated history is two years up to 2026-11-20: ±1 whole year around it.
    expect([report.period.from, report.period.to]).toEqual(['2023-01-01', '2027-12-31'])
    expect(r.stdout.length).toBeLessThan(2_000_000)
  })

  it('--bucket day over five years is coarsened, with a warning', async () => {
    const r = await runCli(['--dump', dumpPath, '--from', '2023-01-01', '--to', '2027-12-31', '--bucket', 'day'])
    expect(r.code).toBe(0)
    expect(lines(r)[0]).toMatch(/needs more than 400 chart buckets; the report covers 2023-01-01 … 2027-12-31 by week/)
    expect((JSON.parse(r.stdout) as { series: { labels: unknown[] } }).series.labels.length).toBeLessThanOrEqual(400)
  })
})
