/**
 * The consultation roles of stages (metrics.md "Consultations"): booked, no-show, held and
 * contract, from the settings, as bit flags per (pipeline, local stage), plus a walk over one
 * deal's passes that the figures, the drill-down and the lead-to-deal funnel all share.
 *
 * Passes are `prepare`'s: actual entries and passes implied by a jump (a deal going from "new"
 * straight to "contract" passes "booked" and "held" at the jump), time-ordered, implied passes
 * of one jump before its actual entry. A no-show counts only where it is an actual entry.
 */
import { SEM_F, SEM_S, type Prepared } from './prepare'

export const BOOKED = 1
export const NO_SHOW = 2
export const HELD = 4
export const CONTRACT = 8

export interface RoleTable {
  /** Role bits per pipe × stride + local stage. */
  bits: Uint8Array
  /** Whether the settings name any stage of each role (a figure without its role is not computable). */
  has: { booked: boolean; noShow: boolean; held: boolean; contract: boolean }
}

const cache = new WeakMap<Prepared, { key: string; table: RoleTable }>()

/** Role bits of every stage, memoised per data load and settings. */
export function roleTable(p: Prepared): RoleTable {
  const st = p.data.settings
  const lists: [string[] | undefined, number][] = [
    [st.consultationStageIds, BOOKED],
    [st.noShowStageIds, NO_SHOW],
    [st.heldStageIds, HELD],
    [st.contractStageIds, CONTRACT],
  ]
  const key = JSON.stringify(lists.map(([ids]) => ids ?? []))
  const hit = cache.get(p)
  if (hit && hit.key === key) return hit.table
  const bits = new Uint8Array(p.pipes.length * p.stride)
  const found = new Set<number>()
  p.pipes.forEach((pl, pi) =>
    pl.stageIds.forEach((id, s) => {
      for (const [ids, bit] of lists)
        if (ids?.includes(id)) {
          bits[pi * p.stride + s] |= bit
          found.add(bit)
        }
    }),
  )
  const table = {
    bits,
    has: {
      booked: found.has(BOOKED),
      noShow: found.has(NO_SHOW),
      held: found.has(HELD),
      contract: found.has(CONTRACT),
    },
  }
  cache.set(p, { key, table })
  return table
}

/** Role bits of pass i of deal d (no-show only for an actual entry). */
export function passRole(p: Prepared, roles: RoleTable, d: number, i: number): number {
  const bits = roles.bits[p.pipe[d] * p.stride + p.passStage[i]]
  return p.passActual[i] === 1 ? bits : bits & ~NO_SHOW
}

export type Outcome = 'held' | 'noShow' | 'lost' | 'none'
export const OUTCOMES: Outcome[] = ['held', 'noShow', 'lost', 'none']

/**
 * What pass i (a booking) led to: the deal's next pass into a held, no-show or failure stage;
 * another booking, a contract or a win first (or nothing yet) is "none".
 */
export function bookingOutcome(p: Prepared, roles: RoleTable, d: number, i: number): Outcome {
  const pl = p.pipes[p.pipe[d]]
  for (let j = i + 1, e = p.passStart[d + 1]; j < e; j++) {
    const r = passRole(p, roles, d, j)
    if (r & HELD) return 'held'
    if (r & NO_SHOW) return 'noShow'
    const sem = pl.semantics[p.passStage[j]]
    if (sem === SEM_F) return 'lost'
    if (r & (BOOKED | CONTRACT) || sem === SEM_S) return 'none'
  }
  return 'none'
}

/** Index of the deal's first pass with any of the role bits, or -1. */
export function firstPass(p: Prepared, roles: RoleTable, d: number, bit: number): number {
  for (let i = p.passStart[d], e = p.passStart[d + 1]; i < e; i++) if (passRole(p, roles, d, i) & bit) return i
  return -1
}

/** Index of the first pass after i with any of the role bits, or -1. */
export function nextPass(p: Prepared, roles: RoleTable, d: number, i: number, bit: number): number {
  for (let j = i + 1, e = p.passStart[d + 1]; j < e; j++) if (passRole(p, roles, d, j) & bit) return j
  return -1
}

/** Passes with the role bit before pass index `before` (all of them when before is -1 … none). */
export function passesBefore(p: Prepared, roles: RoleTable, d: number, before: number, bit: number): number {
  let n = 0
  for (let i = p.passStart[d]; i < before; i++) if (passRole(p, roles, d, i) & bit) n++
  return n
}
