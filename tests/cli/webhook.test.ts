/**
 * The command-line report over an inbound webhook against a running demo portal (the real
 * SDK and sync layer), compared with the same data read from the dump file.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generatePortal, writeDump } from '../../src/demo-portal/generator'
import { startPortal, type RunningPortal } from '../../src/demo-portal/server'
import { runCli, runReport } from './run-cli'

const PERIOD = [
  '--from',
  '2026-04-01',
  '--to',
  '2026-06-30',
  '--now',
  '2026-11-20T12:00:00+03:00',
  '--breakdown',
  'source',
]

type Json = Record<string, unknown>

let dir: string
let dumpPath: string
let portal: RunningPortal
let fromDump: Json

function withoutMeta(r: Json): Json {
  const { meta: _meta, ...rest } = r
  return rest
}

/** A loopback port nobody listens on: bind one, then close it. */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port
      srv.close(() => resolve(port))
    })
  })
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fl-cli-hook-'))
  dumpPath = join(dir, 'portal.json')
  const dump = generatePortal({ seed: 23, deals: 250 })
  writeDump(dumpPath, dump)
  portal = await startPortal({ dump, port: 0 })
  fromDump = await runReport(['--dump', dumpPath, ...PERIOD])
})

afterAll(async () => {
  await portal?.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('--webhook against the demo portal', () => {
  it('gives the same report as the dump file of the same portal', async () => {
    const hook = await runReport(['--webhook', `${portal.url}/rest/1/demo/`, '--time-zone', 'Europe/Moscow', ...PERIOD])
    expect((hook.meta as Json).source).toBe('webhook')
    expect((fromDump.meta as Json).source).toBe('dump')
    expect((hook.meta as Json).rows).toEqual((fromDump.meta as Json).rows)
    expect(withoutMeta(hook)).toEqual(withoutMeta(fromDump))
    expect(portal.stats.requests).toBeGreaterThan(0)
  })

  it('--settings gives the webhook path the stage roles an inbound webhook cannot read (same figures as the dump)', async () => {
    const settings = join(dir, 'settings.json')
    writeFileSync(settings, generatePortal({ seed: 23, deals: 1 }).appOptions!.flSettings)
    const [hook, dumped] = await Promise.all([
      runReport([
        '--webhook',
        `${portal.url}/rest/1/demo/`,
        '--time-zone',
        'Europe/Moscow',
        '--settings',
        settings,
        ...PERIOD,
      ]),
      runReport(['--dump', dumpPath, '--settings', settings, ...PERIOD]),
    ])
    expect(withoutMeta(hook)).toEqual(withoutMeta(dumped))
    const sales = (hook.funnel as { cohort: { stages: Record<string, { branch?: boolean }> }[] }).cohort[0]
    expect(sales.stages.UC_7NQ2ZB.branch).toBe(true)
  })

  it('without --time-zone uses the offset the portal dates carry, with the same figures (Moscow has no DST)', async () => {
    const hook = await runReport(['--webhook', `${portal.url}/rest/1/demo/`, ...PERIOD])
    expect((hook.period as Json).timeZone).toBe('+03:00')
    const zoneless = (r: Json) =>
      JSON.parse(JSON.stringify(withoutMeta(r)).replace(/"timeZone":"[^"]*"/g, '"timeZone":""')) as Json
    expect(zoneless(hook)).toEqual(zoneless(fromDump))
  })

  it('--cache-dir keeps a file cache: a second run reads it and asks the portal only for the delta', async () => {
    const cacheDir = join(dir, 'cache')
    const args = [
      '--webhook',
      `${portal.url}/rest/1/demo/`,
      '--time-zone',
      'Europe/Moscow',
      '--cache-dir',
      cacheDir,
      ...PERIOD,
    ]
    portal.stats.reset()
    const first = await runReport(args)
    const fullRequests = portal.stats.requests
    expect(existsSync(cacheDir) && readdirSync(cacheDir).length).toBeGreaterThan(0)
    portal.stats.reset()
    const second = await runReport(args)
    expect(portal.stats.requests).toBeLessThan(fullRequests)
    expect(withoutMeta(second)).toEqual(withoutMeta(first))
    expect(withoutMeta(second)).toEqual(withoutMeta(fromDump))
  })

  it('an unreachable portal is one line on stderr and exit code 1', async () => {
    const port = await closedPort()
    const r = await runCli(['--webhook', `http://127.0.0.1:${port}/rest/1/demo/`, ...PERIOD])
    expect(r.code).toBe(1)
    expect(r.stdout).toBe('')
    const lines = r.stderr.split('\n').filter((l) => l !== '')
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(/ECONNREFUSED|reachable/)
  })

  it('a wrong webhook secret is one line on stderr and exit code 1', async () => {
    const r = await runCli(['--webhook', `${portal.url}/rest/1/not-the-secret/`, ...PERIOD])
    expect(r.code).toBe(1)
    expect(r.stdout).toBe('')
    expect(r.stderr.split('\n').filter((l) => l !== '')).toHaveLength(1)
    expect(r.stderr).toMatch(/auth/i)
  })

  it('a webhook that is not a URL, or a bad --time-zone, is one line on stderr', async () => {
    for (const args of [
      ['--webhook', 'not a url', ...PERIOD],
      ['--webhook', `${portal.url}/rest/1/demo/`, '--time-zone', 'Mars/Olympus', ...PERIOD],
    ]) {
      const r = await runCli(args)
      expect(r.code).not.toBe(0)
      expect(r.stdout).toBe('')
      expect(r.stderr.split('\n').filter((l) => l !== '')).toHaveLength(1)
    }
  })
})
