/**
 * Injected failures for resilience tests. Spec grammar (see docs/demo-portal.md "Faults"):
 *
 *   spec    := part (";" part)*
 *   part    := "seed=" int | kind "=" probability | "at=" n ":" kind ("," n ":" kind)*
 *   kind    := "503" | "500" | "429" | "drop" | "expired" | "hostile"
 *
 * "hostile" answers 400 with an error_description full of terminal escape sequences and a
 * carriage return, as a compromised or malicious portal could: what prints it must not obey them.
 *
 * e.g. `seed=7;503=0.05;500=0.02;drop=0.01;expired=0.02` or `at=3:503,7:drop,9:expired`.
 * Requests are counted from 1 after the spec is set; `at` entries win over random draws, which
 * come from a seeded PRNG so a run is repeatable.
 */
import { FunnelLensError } from '../errors'
import { mulberry32 } from './gen-random'

export type FaultKind = '503' | '500' | '429' | 'drop' | 'expired' | 'hostile'
const KINDS: FaultKind[] = ['503', '500', '429', 'drop', 'expired', 'hostile']

export interface FaultSpec {
  seed: number
  probabilities: [FaultKind, number][]
  at: Map<number, FaultKind>
}

function isKind(k: string): k is FaultKind {
  return (KINDS as string[]).includes(k)
}

/** The hostile fault's text: retitles the terminal, clears it, colours, and overwrites the line. */
export const HOSTILE_DESCRIPTION =
  '\u001b]0;owned\u0007\u001b[2J\u001b[31mAccess denied\u001b[0m\rrm -rf ~ completed\u0008\u0007'

/** A fault spec that does not follow the grammar above (from --faults or setFaults). */
export class FaultSpecError extends FunnelLensError {
  constructor(problem: string) {
    super('BAD_FAULT_SPEC', `fault spec: ${problem}`, 'FaultSpecError')
  }
}

export function parseFaultSpec(spec: string): FaultSpec {
  const out: FaultSpec = { seed: 1, probabilities: [], at: new Map() }
  for (const raw of spec.split(';')) {
    const part = raw.trim()
    if (!part) continue
    const eq = part.indexOf('=')
    if (eq < 0) throw new FaultSpecError(`"${part}" is not key=value`)
    const key = part.slice(0, eq).trim().toLowerCase()
    const value = part.slice(eq + 1).trim()
    if (key === 'seed') {
      const n = Number(value)
      if (!Number.isInteger(n)) throw new FaultSpecError(`seed "${value}" is not an integer`)
      out.seed = n
    } else if (key === 'at') {
      for (const item of value.split(',')) {
        const [n, kind] = item.split(':').map((s) => s.trim())
        const idx = Number(n)
        if (!Number.isInteger(idx) || idx < 1 || !kind || !isKind(kind))
          throw new FaultSpecError(`"at" entry "${item}" must be N:${KINDS.join('|')}`)
        out.at.set(idx, kind)
      }
    } else if (isKind(key)) {
      const p = Number(value)
      if (!(p >= 0 && p <= 1)) throw new FaultSpecError(`probability "${value}" for ${key} must be within 0..1`)
      out.probabilities.push([key, p])
    } else throw new FaultSpecError(`unknown key "${key}" (use seed, at, ${KINDS.join(', ')})`)
  }
  const sum = out.probabilities.reduce((s, [, p]) => s + p, 0)
  if (sum > 1) throw new FaultSpecError(`probabilities add up to ${sum} > 1`)
  return out
}

export class FaultInjector {
  private spec: FaultSpec | null = null
  private random: () => number = Math.random
  private count = 0

  set(spec: string | null | undefined): void {
    this.spec = spec ? parseFaultSpec(spec) : null
    this.count = 0
    this.random = mulberry32(this.spec?.seed ?? 1)
  }

  /** Fault for the next REST request, or null. Every request advances the counter. */
  next(): FaultKind | null {
    if (!this.spec) return null
    this.count++
    const u = this.random()
    const fixed = this.spec.at.get(this.count)
    if (fixed) return fixed
    let acc = 0
    for (const [kind, p] of this.spec.probabilities) {
      acc += p
      if (u < acc) return kind
    }
    return null
  }
}
