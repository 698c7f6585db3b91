import { createHash } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { DEFAULT_NOW, generatePortal, readDump, writeDump } from '../../src/demo-portal/generator'

const hash = (value: unknown): string => createHash('sha256').update(JSON.stringify(value)).digest('hex')
const dir = mkdtempSync(join(tmpdir(), 'funnel-lens-gen-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('generatePortal determinism', () => {
  it('gives a byte-identical dump for the same seed', () => {
    const a = generatePortal({ seed: 42, deals: 400 })
    const b = generatePortal({ seed: 42, deals: 400 })
    expect(hash(a)).toBe(hash(b))
  })

  it('writes byte-identical files for the same seed', () => {
    writeDump(join(dir, 'a.json'), generatePortal({ seed: 3, deals: 200 }))
    writeDump(join(dir, 'b.json'), generatePortal({ seed: 3, deals: 200 }))
    expect(readFileSync(join(dir, 'a.json')).equals(readFileSync(join(dir, 'b.json')))).toBe(true)
  })

  it('gives a different dump for a different seed', () => {
    const a = generatePortal({ seed: 42, deals: 400 })
    const c = generatePortal({ seed: 43, deals: 400 })
    expect(hash(a)).not.toBe(hash(c))
    expect(a.deals.length).toBe(c.deals.length)
  })

  it('ends the history at `now` and defaults `now` to 2026-11-20 12:00 Moscow time', () => {
    const dump = generatePortal({ seed: 5, deals: 300 })
    const now = Date.parse(DEFAULT_NOW)
    const created = dump.deals.map((d) => Date.parse(d.DATE_CREATE))
    expect(Math.max(...created)).toBeLessThan(now)
    expect(Math.max(...created)).toBeGreaterThan(now - 30 * 86_400_000)
    expect(Math.min(...created)).toBeGreaterThan(now - 731 * 86_400_000)
    const later = generatePortal({ seed: 5, deals: 300, now: '2027-03-01T09:00:00+03:00' })
    expect(Math.max(...later.deals.map((d) => Date.parse(d.DATE_CREATE)))).toBeGreaterThan(now)
  })

  it('rejects bad options with a message naming the option', () => {
    expect(() => generatePortal({ seed: 1, deals: 0 })).toThrow(/deals/)
    expect(() => generatePortal({ seed: 1.5, deals: 10 })).toThrow(/seed/)
    expect(() => generatePortal({ seed: 1, deals: 10, now: 'yesterday' })).toThrow(/now/)
  })
})

describe('writeDump / readDump', () => {
  it('round-trips a dump exactly', () => {
    const dump = generatePortal({ seed: 9, deals: 300 })
    const file = join(dir, 'dump.json')
    writeDump(file, dump)
    expect(readDump(file)).toEqual(dump)
  })

  it('reads big files line by line with the same result', () => {
    const dump = generatePortal({ seed: 11, deals: 200 })
    const file = join(dir, 'streamed.json')
    writeDump(file, dump)
    expect(readDump(file, { streamAbove: 0 })).toEqual(dump)
    writeFileSync(file, JSON.stringify(dump))
    expect(() => readDump(file, { streamAbove: 0 })).toThrow(/not a dump written by writeDump/)
  })

  it('writes valid JSON that JSON.parse reads as well', () => {
    const dump = generatePortal({ seed: 9, deals: 50 })
    const file = join(dir, 'small.json')
    writeDump(file, dump)
    expect(hash(readDump(file))).toBe(hash(dump))
  })

  it('names the missing key of an incomplete dump', () => {
    const dump = generatePortal({ seed: 9, deals: 20 }) as unknown as Record<string, unknown>
    const { dealHistory: _dropped, ...rest } = dump
    const file = join(dir, 'broken.json')
    writeFileSync(file, JSON.stringify(rest))
    expect(() => readDump(file)).toThrow(/missing the key "dealHistory"/)
    writeFileSync(file, JSON.stringify({ ...dump, format: 'other/2' }))
    expect(() => readDump(file)).toThrow(/format "other\/2"/)
    writeFileSync(file, JSON.stringify({ ...dump, portal: { domain: 'x' } }))
    expect(() => readDump(file)).toThrow(/portal\.memberId/)
    writeFileSync(file, '{"format": ')
    expect(() => readDump(file)).toThrow(/Cannot read dump/)
  })
})
