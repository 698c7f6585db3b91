/**
 * Per-data-load caches (WeakMaps keyed by `Prepared`: lead processing times, call columns, client
 * and lead links…) carried across an incremental update (issue 11.2). Without this, the first
 * report after a patch of a few rows rebuilds every one of them — most of a second at 100,000
 * deals. A module with such a cache registers a carrier; `updatePrepared` runs them all on the
 * previous and the updated `Prepared`. A carrier sets the cache of `next` only when the patch left
 * its inputs alone (or it can bring the value up to date cheaply), and it must give exactly what
 * building the cache on `next` gives: the tests compare both.
 *
 * @example
 *   carryOnUpdate(({ prev, next, patch }) => {
 *     const old = cache.get(prev)
 *     if (old && patch.leads.changed.length === 0) cache.set(next, old)
 *   })
 */
import type { CrmPatch, TablePatch } from './patch'
import type { Prepared } from './prepare'
import type { Deal, Touch } from './types'

export interface Update {
  prev: Prepared
  next: Prepared
  patch: CrmPatch
}

type Carrier = (update: Update) => void
const carriers: Carrier[] = []

/** Registers a cache's carrier (once, when its module loads). */
export function carryOnUpdate(carrier: Carrier): void {
  carriers.push(carrier)
}

/** Runs every carrier on an update. */
export function carryCaches(update: Update): void {
  for (const carry of carriers) carry(update)
}

/** Whether a table's patch changes nothing. */
export function untouched(table: TablePatch<unknown>): boolean {
  return table.changed.length === 0 && table.added.length === 0 && table.removed.length === 0
}

/** The same deals in the same order (none added or removed): deal indexes mean the same deals. */
export function sameDealOrder({ prev, next, patch }: Update): boolean {
  return patch.deals.added.length === 0 && patch.deals.removed.length === 0 && prev.n === next.n
}

/** Each changed deal before and after the patch, with its index (the same in both when `sameDealOrder`). */
export function changedDeals({ prev, next, patch }: Update): { d: number; was: Deal; now: Deal }[] {
  return patch.deals.changed.map((now) => {
    const d = next.kept.dealIndex.get(now.id)
    return { d, was: prev.data.deals[prev.kept.dealIndex.get(now.id)], now }
  })
}

/** The touches a patch changed or removed, as they were before it (one walk, only when there are any). */
export function touchesBefore({ prev, patch }: Update): Touch[] {
  const ids = new Set([...patch.touches.removed, ...patch.touches.changed.map((t) => t.id)])
  if (ids.size === 0) return []
  return prev.data.touches.filter((t) => ids.has(t.id))
}

/** Equal typed columns (NaN equals NaN). */
export function sameColumn(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i] && !(a[i] !== a[i] && b[i] !== b[i])) return false
  return true
}

/**
 * The deals an update may have changed anything of — rows changed, added or removed, and the
 * owners of stage events changed, added or removed — with their index before (`o`) and after
 * (`d`), -1 where absent. Every other deal's columns are the previous ones (prepare-update.ts).
 */
export function touchedDeals({ prev, next, patch }: Update): { o: number; d: number }[] {
  const ids = new Set<number>([...patch.deals.removed, ...patch.deals.changed.map((d) => d.id)])
  for (const { row } of patch.deals.added) ids.add(row.id)
  for (const e of [...patch.dealEvents.changed, ...patch.dealEvents.added.map((a) => a.row)]) ids.add(e.ownerId)
  const gone = new Set([...patch.dealEvents.removed, ...patch.dealEvents.changed.map((e) => e.id)])
  if (gone.size > 0) for (const e of prev.data.dealEvents) if (gone.has(e.id)) ids.add(e.ownerId)
  return [...ids].map((id) => ({ o: prev.kept.dealIndex.get(id), d: next.kept.dealIndex.get(id) }))
}
