/**
 * Issue 14.1: `npm run demo` and `npm run portal` generate history up to today (the clock is
 * injected here), `--now` pins it, and the dump saved on an earlier day is replaced.
 */
import { describe, expect, it } from 'vitest'
import { dumpFileName, generationNow, supersededDumps } from '../../src/demo-portal/demo-now'
import { generatePortal } from '../../src/demo-portal/generator'

describe('where the demo history ends', () => {
  it('today in the portal zone (Moscow), the same all day', () => {
    expect(generationNow(undefined, Date.parse('2026-12-04T06:15:00Z'))).toBe('2026-12-04T00:00:00+03:00')
    expect(generationNow(undefined, Date.parse('2026-12-04T20:59:59Z'))).toBe('2026-12-04T00:00:00+03:00')
    // 21:00 UTC is already midnight of the next day in Moscow.
    expect(generationNow(undefined, Date.parse('2026-12-04T21:00:00Z'))).toBe('2026-12-05T00:00:00+03:00')
  })

  it('--now pins it; a bad value names the option', () => {
    const clock = Date.parse('2026-12-04T06:15:00Z')
    expect(generationNow('2026-11-20T12:00:00+03:00', clock)).toBe('2026-11-20T12:00:00+03:00')
    expect(() => generationNow('yesterday', clock)).toThrow(/--now/)
  })

  it('the generated deals run up to that day', () => {
    const now = generationNow(undefined, Date.parse('2026-12-04T06:15:00Z'))
    const created = generatePortal({ seed: 5, deals: 300, now }).deals.map((d) => Date.parse(d.DATE_CREATE))
    expect(Math.max(...created)).toBeLessThan(Date.parse(now))
    expect(Math.max(...created)).toBeGreaterThan(Date.parse(now) - 7 * 86_400_000)
  })

  it("replaces the dumps saved on earlier days, and only this seed's and size's", () => {
    const today = dumpFileName(2024, 20000, '2026-12-04T00:00:00+03:00')
    expect(today).toBe('dump-seed2024-deals20000-2026-12-04T0000.json')
    const names = [
      today,
      dumpFileName(2024, 20000, '2026-12-03T00:00:00+03:00'),
      'dump-seed2024-deals20000-2026-11-20.json', // named by the old fixed date
      dumpFileName(2024, 500, '2026-12-03T00:00:00+03:00'),
      dumpFileName(7, 20000, '2026-12-03T00:00:00+03:00'),
      'app-storage.json',
    ]
    expect(supersededDumps(names, 2024, 20000, today)).toEqual([
      'dump-seed2024-deals20000-2026-12-03T0000.json',
      'dump-seed2024-deals20000-2026-11-20.json',
    ])
  })
})
