/**
 * Pipelines in funnel order and the report currency: the fixed frame `prepare` reads every deal
 * against. Both depend only on the dictionaries (pipelines, stages, settings, currencies), never
 * on the deals, so an incremental update keeps them when those tables did not change.
 */
import type { CrmData, Semantic } from './types'
import type { QualityCounts } from './quality'
import { branchStageIds, pathShape, type PathShape } from './branch'

export const SEM_P = 0
export const SEM_S = 1
export const SEM_F = 2

/** A pipeline in funnel order, with its main path around the branch stages (`branch.ts`). */
export interface PipeInfo extends PathShape {
  categoryId: number
  name: string
  stageIds: string[]
  stageNames: string[]
  /** SEM_P / SEM_S / SEM_F per local stage. */
  semantics: Uint8Array
  /** Process stages come first: 0..processCount-1. */
  processCount: number
  /** Deal indexes of the deals now in this pipeline. */
  deals: Int32Array
}

export const semCode = (s: Semantic): number => (s === 'S' ? SEM_S : s === 'F' ? SEM_F : SEM_P)
export const validTime = (t: number | null | undefined): t is number => typeof t === 'number' && Number.isFinite(t)

export function buildPipes(data: CrmData): {
  pipes: PipeInfo[]
  byCategory: Map<number, number>
  stageLookup: Map<string, [number, number]>
} {
  const stageById = new Map(data.stages.map((s) => [s.id, s]))
  const pipes: PipeInfo[] = []
  const byCategory = new Map<number, number>()
  const stageLookup = new Map<string, [number, number]>()
  const branches = branchStageIds(data.settings)
  const sorted = [...data.pipelines].sort((a, b) => a.sort - b.sort || a.id - b.id)
  for (const pl of sorted) {
    // Funnel order: process stages first, then success, then failure (stable within each).
    const ids = pl.stageIds.filter((id) => stageById.has(id))
    const rank = (id: string) => semCode(stageById.get(id)!.semantic)
    ids.sort((a, b) => rank(a) - rank(b))
    const pi = pipes.length
    byCategory.set(pl.id, pi)
    ids.forEach((id, i) => stageLookup.set(id, [pi, i]))
    const processCount = ids.filter((id) => rank(id) === SEM_P).length
    pipes.push({
      categoryId: pl.id,
      name: pl.name,
      stageIds: ids,
      stageNames: ids.map((id) => stageById.get(id)!.name),
      semantics: Uint8Array.from(ids.map(rank)),
      processCount,
      deals: new Int32Array(0),
      ...pathShape(ids, processCount, branches),
    })
  }
  return { pipes, byCategory, stageLookup }
}

export function currencyConverter(data: CrmData, quality: QualityCounts): (amount: number, currency: string) => number {
  const rates = new Map(data.currencies.map((c) => [c.code, c.rate]))
  const reportRate = rates.get(data.portal.currency) ?? 1
  const unknown = new Set<string>()
  return (amount, currency) => {
    const r = rates.get(currency)
    if (r === undefined || !(r > 0)) {
      if (currency !== data.portal.currency && rates.size > 0 && !unknown.has(currency)) {
        unknown.add(currency)
        quality.unknownCurrencies.push(currency)
      }
      return amount
    }
    return (amount * r) / reportRate
  }
}
