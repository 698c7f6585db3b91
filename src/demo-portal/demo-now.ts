/**
 * Where the generated history ends for `npm run demo` and `npm run portal`: today, so a new user
 * opens a report with figures (issue 14). `--now` pins it (tests, benchmarks, a reproducible
 * demo); the generator's own default stays pinned at DEFAULT_NOW for the tests that call it.
 */
import { parseIsoOption, startOfLocalDay, wireDate } from './gen-time'

/**
 * `pinned` as given (checked), else the start of today in the portal's zone: one portal per day,
 * the same all day long, whose history runs up to today.
 */
export function generationNow(pinned: string | undefined, clock: number): string {
  if (pinned === undefined) return wireDate(startOfLocalDay(clock))
  parseIsoOption(pinned, '--now')
  return pinned
}

/** "dump-seed2024-deals20000-2026-12-04T0000.json": one saved dump per seed, size and end. */
export function dumpFileName(seed: number, deals: number, now: string): string {
  return `dump-seed${seed}-deals${deals}-${now.slice(0, 16).replace(':', '')}.json`
}

/** Saved dumps of the same seed and size that end at another time: replaced by the new one. */
export function supersededDumps(names: readonly string[], seed: number, deals: number, keep: string): string[] {
  const prefix = `dump-seed${seed}-deals${deals}-`
  return names.filter((n) => n !== keep && n.startsWith(prefix) && n.endsWith('.json'))
}
