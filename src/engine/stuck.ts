/**
 * Stuck deals (metrics.md "Funnels"): an open deal whose time in its current stage (now minus
 * its last stage event) exceeds the pipeline's 90th percentile of completed stays in that stage.
 * Completed stays come from every deal of the pipeline with a real history (reconstructed
 * deals are left out: their one "stay" is a guess), whatever the query's filters.
 */
import { coveredPipes, pipeDeals, type QueryScope } from './filters'
import { SEM_P, type Prepared } from './prepare'
import { HOUR_MS, round2 } from './stats'

export interface StuckDeal {
  id: number
  title: string
  stageId: string
  stageName: string
  managerName: string
  amount: number
  hoursInStage: number
  p90Hours: number
}

export interface StuckSection {
  count: number
  amount: number
  pipelines: {
    categoryId: number
    name: string
    order: string[]
    stages: Record<string, { name: string; p90Hours: number | null; open: number; stuck: number; amount: number }>
  }[]
  /** The 50 most overdue (by time in stage over p90). */
  deals: StuckDeal[]
}

export function isStuck(p: Prepared, d: number, now: number): boolean {
  const st = p.stage[d]
  if (p.semantic[d] !== SEM_P || st < 0) return false
  const p90 = p.stayP90[p.pipe[d] * p.stride + st]
  return p90 === p90 && now - p.stageSince[d] > p90
}

export function stuckSection(s: QueryScope): StuckSection {
  const p = s.p
  const now = s.now
  let count = 0,
    amount = 0
  const list: { d: number; over: number }[] = []
  const pipelines = coveredPipes(s).map((pi) => {
    const pl = p.pipes[pi]
    const open = new Int32Array(pl.processCount),
      stuck = new Int32Array(pl.processCount),
      sum = new Float64Array(pl.processCount)
    for (let di = 0, deals = pipeDeals(s, pi); di < deals.length; di++) {
      const d = deals[di]
      if (p.semantic[d] !== SEM_P || p.stage[d] < 0) continue
      open[p.stage[d]]++
      if (!isStuck(p, d, now)) continue
      stuck[p.stage[d]]++
      sum[p.stage[d]] += p.amount[d]
      count++
      amount += p.amount[d]
      list.push({ d, over: (now - p.stageSince[d]) / p.stayP90[pi * p.stride + p.stage[d]] })
    }
    const stages: StuckSection['pipelines'][number]['stages'] = {}
    for (let st = 0; st < pl.processCount; st++) {
      const p90 = p.stayP90[pi * p.stride + st]
      stages[pl.stageIds[st]] = {
        name: pl.stageNames[st],
        p90Hours: p90 === p90 ? round2(p90 / HOUR_MS) : null,
        open: open[st],
        stuck: stuck[st],
        amount: round2(sum[st]),
      }
    }
    return { categoryId: pl.categoryId, name: pl.name, order: pl.stageIds.slice(0, pl.processCount), stages }
  })
  list.sort((a, b) => b.over - a.over || p.data.deals[a.d].id - p.data.deals[b.d].id)
  const deals = list.slice(0, 50).map(({ d }) => {
    const deal = p.data.deals[d]
    const pl = p.pipes[p.pipe[d]]
    const st = p.stage[d]
    return {
      id: deal.id,
      title: deal.title,
      stageId: pl.stageIds[st],
      stageName: pl.stageNames[st],
      managerName: p.dims.manager.dict.names[p.dims.manager.codes[d]],
      amount: round2(p.amount[d]),
      hoursInStage: round2((now - p.stageSince[d]) / HOUR_MS),
      p90Hours: round2(p.stayP90[p.pipe[d] * p.stride + st] / HOUR_MS),
    }
  })
  return { count, amount: round2(amount), pipelines, deals }
}
