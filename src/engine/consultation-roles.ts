/**
 * The consultation roles of stages (metrics.md "Consultations"): booked, no-show, held and
 * contract, from the settings, as bit flags per (pipeline, local stage), and the role of one
 * pass. The walk over a deal's passes is `DealWalk` (consultations.ts).
 *
 * Passes are `prepare`'s: actual entries and passes implied by a jump (a deal going from "new"
 * straight to "contract" passes "booked" and "held" at the jump), time-ordered, implied passes
 * of one jump before its actual entry. A no-show counts only where it is an actual entry: the
 * no-show stages are branch stages (branch.ts), which `prepare` never implies.
 */
import type { Prepared } from './prepare'

export const BOOKED = 1
export const NO_SHOW = 2
export const HELD = 4
export const CONTRACT = 8

export interface RoleTable {
  /** Role bits per pipe × stride + local stage. */
  bits: Uint8Array
  /** Stage semantic (SEM_P / SEM_S / SEM_F) per pipe × stride + local stage. */
  sem: Uint8Array
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
  const sem = new Uint8Array(p.pipes.length * p.stride)
  const found = new Set<number>()
  p.pipes.forEach((pl, pi) =>
    pl.stageIds.forEach((id, s) => {
      sem[pi * p.stride + s] = pl.semantics[s]
      for (const [ids, bit] of lists)
        if (ids?.includes(id)) {
          bits[pi * p.stride + s] |= bit
          found.add(bit)
        }
    }),
  )
  const table = {
    bits,
    sem,
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

/** Role bits of pass i of deal d. */
export function passRole(p: Prepared, roles: RoleTable, d: number, i: number): number {
  return roles.bits[p.pipe[d] * p.stride + p.passStage[i]]
}

export type Outcome = 'held' | 'noShow' | 'lost' | 'none'
export const OUTCOMES: Outcome[] = ['held', 'noShow', 'lost', 'none']
