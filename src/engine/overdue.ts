/**
 * Overdue deals (metrics.md "Clients, calls, leads, deadlines"): open deals whose CLOSEDATE day
 * (the date the user picked, as the portal wrote it) is before today in the portal's zone.
 * "Today" comes from the query's `now`, never from the wall clock here. Count, amount and days
 * overdue, per manager and per stage; the deals passing the query's filters, whatever the period.
 */
import type { QueryScope } from './filters'
import { isInWork } from './managers'
import { DAY_MS, formatDay } from './periods'
import { type Prepared } from './prepare'
import { ratio2, round2 } from './stats'
import { carryOnUpdate, changedDeals, sameDealOrder } from './carry'

export interface OverdueFigure {
  count: number
  amount: number
  /** Days past the expected close date: mean and largest; null when nothing is overdue. */
  meanDays: number | null
  maxDays: number | null
}

export interface OverdueManagerRow extends OverdueFigure {
  managerId: string
  name: string
}

export interface OverdueStageRow extends OverdueFigure {
  categoryId: number
  pipelineName: string
  stageId: string
  stageName: string
}

export interface OverdueSection extends OverdueFigure {
  /** Today in the portal's zone, 'YYYY-MM-DD': deals expected to close before it are overdue. */
  today: string
  byManager: OverdueManagerRow[]
  byStage: OverdueStageRow[]
}

/** The portal-zone day number of an instant. */
export function localDay(p: Prepared, t: number): number {
  return Math.floor((t + p.tz.offsetAt(t)) / DAY_MS)
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})/

/** Day number of a 'YYYY-MM-DD…' text; NaN when unreadable. */
function dayOf(text: string | null | undefined): number {
  const m = typeof text === 'string' ? DAY.exec(text) : null
  if (!m) return NaN
  const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))
  return Number.isFinite(t) ? Math.round(t / DAY_MS) : NaN
}

const days = new WeakMap<Prepared, Float64Array>()

/** Each deal's expected close day number (NaN when none), per data load. */
export function closeDays(p: Prepared): Float64Array {
  let out = days.get(p)
  if (!out) {
    out = Float64Array.from(p.data.deals, (d) => dayOf(d.expectedCloseDay))
    days.set(p, out)
  }
  return out
}

/** Carried when deals keep their order; the changed deals' days are read again. */
carryOnUpdate((update) => {
  const old = days.get(update.prev)
  if (!old || !sameDealOrder(update)) return
  const out = old.slice()
  for (const { d, now } of changedDeals(update)) out[d] = dayOf(now.expectedCloseDay)
  days.set(update.next, out)
})

/** Days deal d is overdue as of `today` (a day number); 0 when it is not overdue. */
export function overdueDays(s: QueryScope, d: number, today: number): number {
  if (!isInWork(s, d) || s.p.stage[d] < 0) return 0
  const c = closeDays(s.p)[d]
  return c < today ? today - c : 0
}

class Acc {
  count = 0
  amount = 0
  days = 0
  max = 0
  add(amount: number, days: number): void {
    this.count++
    this.amount += amount
    this.days += days
    if (days > this.max) this.max = days
  }
  figure(): OverdueFigure {
    return {
      count: this.count,
      amount: round2(this.amount),
      meanDays: ratio2(this.days, this.count),
      maxDays: this.count ? this.max : null,
    }
  }
}

export function overdueSection(s: QueryScope): OverdueSection {
  const p = s.p
  const today = localDay(p, s.now)
  const total = new Acc()
  const byManager = new Map<number, Acc>()
  const byStage = new Map<number, Acc>()
  const managers = p.dims.manager
  for (let d = 0; d < p.n; d++) {
    const late = overdueDays(s, d, today)
    if (late <= 0) continue
    const amount = p.amount[d]
    total.add(amount, late)
    const k = managers.codes[d]
    if (!byManager.has(k)) byManager.set(k, new Acc())
    byManager.get(k)!.add(amount, late)
    const key = p.pipe[d] * p.stride + p.stage[d]
    if (!byStage.has(key)) byStage.set(key, new Acc())
    byStage.get(key)!.add(amount, late)
  }
  return {
    today: formatDay(today),
    ...total.figure(),
    byManager: [...byManager]
      .map(([k, a]) => ({ managerId: managers.dict.keys[k], name: managers.dict.names[k], ...a.figure() }))
      .sort((a, b) => b.count - a.count || b.amount - a.amount || a.managerId.localeCompare(b.managerId)),
    byStage: [...byStage]
      .sort(([a], [b]) => a - b)
      .map(([key, a]) => {
        const pl = p.pipes[Math.floor(key / p.stride)]
        const st = key % p.stride
        return {
          categoryId: pl.categoryId,
          pipelineName: pl.name,
          stageId: pl.stageIds[st],
          stageName: pl.stageNames[st],
          ...a.figure(),
        }
      }),
  }
}
