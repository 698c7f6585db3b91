/**
 * Lead processing time (metrics.md "Clients, calls, leads, deadlines"): the first touch on the
 * lead or its first status change, whichever is earlier, minus the lead's DATE_CREATE, for leads
 * created in the period; count, mean, median, p90 (hours); leads with neither are counted apart
 * as "not processed". Touches and status changes before the lead's creation do not count.
 *
 * A status change is a history row that is not the creation (TYPE_ID 1) and names a status other
 * than the one before it. A lead without any history that is closed (converted or junk) was
 * changed at its close time.
 */
import type { PeriodScope, QueryScope } from './filters'
import { leadInPeriod } from './lead-in-period'
import { SEM_P, type Prepared } from './prepare'
import { durationStats, FloatList, IntList, type DurationStats } from './stats'
import { carryOnUpdate, touchesBefore, untouched } from './carry'
import { upserted } from './patch'

export interface LeadProcessingRow extends DurationStats {
  key: string
  name: string
  notProcessed: number
}

export interface LeadProcessing extends DurationStats {
  notProcessed: number
  byManager: LeadProcessingRow[]
  bySource: LeadProcessingRow[]
}

const cache = new WeakMap<Prepared, Float64Array>()

/** When each lead was first processed (epoch ms), NaN when never; per data load. */
export function leadProcessedAt(p: Prepared): Float64Array {
  const hit = cache.get(p)
  if (hit) return hit
  const leads = p.data.leads
  const index = new Map(leads.map((l, i) => [l.id, i]))
  const out = new Float64Array(leads.length).fill(NaN)
  const earlier = (i: number, t: number) => {
    if (t >= p.leadCreated[i] && !(out[i] <= t)) out[i] = t
  }
  for (const t of p.data.touches) for (const id of t.leadIds) if (index.has(id)) earlier(index.get(id)!, t.at)
  const events = [...p.data.leadEvents].sort((a, b) => a.at - b.at || a.id - b.id)
  const before = new Map<number, string>()
  const hasHistory = new Uint8Array(leads.length)
  for (const e of events) {
    const i = index.get(e.ownerId)
    if (i === undefined) continue
    hasHistory[i] = 1
    const prev = before.get(i)
    before.set(i, e.stageId)
    if (e.typeId === 1 || prev === e.stageId) continue
    earlier(i, e.at)
  }
  leads.forEach((l, i) => {
    if (!hasHistory[i] && p.leadSemantic[i] !== SEM_P && typeof l.closedAt === 'number') earlier(i, l.closedAt)
  })
  cache.set(p, out)
  return out
}

/**
 * Carried across an update that leaves leads and their history alone: touches added (or changed
 * from ones bound to no lead) only make a lead's first processing earlier, so the earliest of the
 * old value and theirs is exactly what a rebuild finds. A touch on a lead removed or changed: rebuilt.
 */
carryOnUpdate((update) => {
  const { prev, next, patch } = update
  const old = cache.get(prev)
  if (!old || !untouched(patch.leads) || !untouched(patch.leadEvents)) return
  if (touchesBefore(update).some((t) => t.leadIds.length > 0)) return
  const fresh = upserted(patch.touches).filter((t) => t.leadIds.length > 0)
  if (fresh.length === 0) return void cache.set(next, old)
  const out = old.slice()
  const index = new Map(next.data.leads.map((l, i) => [l.id, i]))
  for (const t of fresh)
    for (const id of t.leadIds) {
      const i = index.get(id)
      if (i !== undefined && t.at >= next.leadCreated[i] && !(out[i] <= t.at)) out[i] = t.at
    }
  cache.set(next, out)
})

function grouped(s: QueryScope, codes: Int32Array, dim: 'manager' | 'source', leads: IntList, processed: Float64Array) {
  const p = s.p
  const dict = p.dims[dim].dict
  const ms = new Map<number, FloatList>()
  const notProcessed = new Map<number, number>()
  const list = leads.view()
  for (let j = 0; j < list.length; j++) {
    const i = list[j]
    const k = codes[i]
    if (!ms.has(k)) ms.set(k, new FloatList())
    const t = processed[i]
    if (t === t) ms.get(k)!.push(t - p.leadCreated[i])
    else notProcessed.set(k, (notProcessed.get(k) ?? 0) + 1)
  }
  return [...ms]
    .map(([k, values]) => ({
      key: dict.keys[k],
      name: dict.names[k],
      ...durationStats(values.view()),
      notProcessed: notProcessed.get(k) ?? 0,
    }))
    .sort((a, b) => b.count + b.notProcessed - (a.count + a.notProcessed) || a.key.localeCompare(b.key))
}

export function leadProcessingSection(s: QueryScope, ps: PeriodScope): LeadProcessing {
  const p = s.p
  const processed = leadProcessedAt(p)
  const inPeriod = new IntList()
  const ms = new FloatList()
  let notProcessed = 0
  for (let i = 0; i < processed.length; i++) {
    if (!leadInPeriod(s, ps, i)) continue
    inPeriod.push(i)
    const t = processed[i]
    if (t === t) ms.push(t - p.leadCreated[i])
    else notProcessed++
  }
  return {
    ...durationStats(ms.view()),
    notProcessed,
    byManager: grouped(s, p.leadDims.manager, 'manager', inPeriod, processed),
    bySource: grouped(s, p.leadDims.source, 'source', inPeriod, processed),
  }
}
