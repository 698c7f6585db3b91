/**
 * `--settings FILE` (the app.option `flSettings` JSON) on the command line: the stage roles
 * reach the engine (branch stages, touches between roles), and a bad file is one clear line.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generatePortal, writeDump } from '../../src/demo-portal/generator'
import { demoSettings } from '../../src/demo-portal/gen-settings'
import { runCli, runReport } from './run-cli'

const PERIOD = ['--from', '2026-07-01', '--to', '2026-09-30', '--now', '2026-11-20T12:00:00+03:00']

type Json = Record<string, unknown>
interface Row {
  reached: number
  conversion: number | null
  branch?: boolean
}
interface Pipeline {
  categoryId: number
  order: string[]
  stages: Record<string, Row>
}

let dir: string
let dumpPath: string
let settingsPath: string
let plain: Json
let withRoles: Json

const cohort = (r: Json, categoryId: number) =>
  (r.funnel as { cohort: Pipeline[] }).cohort.find((p) => p.categoryId === categoryId)!

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fl-cli-settings-'))
  dumpPath = join(dir, 'portal.json')
  const dump = generatePortal({ seed: 11, deals: 300 })
  writeDump(dumpPath, dump)
  // Exactly what the app stores: the option's string value, as a file.
  settingsPath = join(dir, 'settings.json')
  writeFileSync(settingsPath, dump.appOptions!.flSettings)
  ;[plain, withRoles] = await Promise.all([
    runReport(['--dump', dumpPath, ...PERIOD]),
    runReport(['--dump', dumpPath, '--settings', settingsPath, ...PERIOD]),
  ])
})

afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('--settings FILE', () => {
  it('the generated dump carries the demo settings with all four roles in both pipelines', () => {
    const a = demoSettings().analytics
    expect(a.consultationStageIds).toEqual(['PREPAYMENT_INVOICE', 'C1:UC_K4W8PM'])
    expect(a.noShowStageIds).toEqual(['UC_7NQ2ZB', 'C1:EXECUTING'])
    expect(a.heldStageIds).toEqual(['EXECUTING', 'C1:FINAL_INVOICE'])
    expect(a.contractStageIds).toEqual(['FINAL_INVOICE', 'C1:FINAL_INVOICE'])
  })

  it('makes the no-show stages branch stages: reached only by actual entries, skipped by conversion', () => {
    for (const [categoryId, noShow, booked, next] of [
      [0, 'UC_7NQ2ZB', 'PREPAYMENT_INVOICE', 'EXECUTING'],
      [1, 'C1:EXECUTING', 'C1:UC_K4W8PM', 'C1:FINAL_INVOICE'],
    ] as const) {
      const before = cohort(plain, categoryId)
      const after = cohort(withRoles, categoryId)
      expect(before.stages[noShow].branch).toBeUndefined()
      expect(after.stages[noShow].branch).toBe(true)
      expect(after.stages[noShow].reached).toBeGreaterThan(0)
      // Without the role every deal past the booking "reached" no-show; with it, far fewer did.
      expect(after.stages[noShow].reached).toBeLessThan(before.stages[noShow].reached)
      expect(after.stages[booked].reached).toBe(before.stages[booked].reached)
      const conv = Math.round((after.stages[next].reached / after.stages[booked].reached) * 1e4) / 1e4
      expect(after.stages[booked].conversion).toBe(conv)
    }
  })

  it('a file holding the option as a JSON string reads the same', async () => {
    const quoted = join(dir, 'quoted.json')
    writeFileSync(quoted, JSON.stringify(JSON.stringify(demoSettings())))
    const r = await runReport(['--dump', dumpPath, '--settings', quoted, ...PERIOD])
    expect(r.funnel).toEqual(withRoles.funnel)
  })

  it('a missing, broken or foreign settings file is one line on stderr and exit code 2', async () => {
    const broken = join(dir, 'broken.json')
    writeFileSync(broken, '{"analytics": ')
    const foreign = join(dir, 'foreign.json')
    writeFileSync(foreign, JSON.stringify({ analytics: { noShowStageIds: ['UC_NOPE'] } }))
    const list = join(dir, 'list.json')
    writeFileSync(list, '[1, 2]')
    for (const [file, message] of [
      [join(dir, 'absent.json'), /cannot read the file \(ENOENT\)/],
      [broken, /is not JSON/],
      [list, /must hold the settings object/],
      [foreign, /the portal has no stage UC_NOPE/],
    ] as const) {
      const r = await runCli(['--dump', dumpPath, '--settings', file, ...PERIOD])
      expect(r.code, file).toBe(2)
      expect(r.stdout).toBe('')
      const lines = r.stderr.split('\n').filter((l) => l !== '')
      expect(lines).toHaveLength(1)
      expect(lines[0]).toMatch(message)
    }
  })
})
