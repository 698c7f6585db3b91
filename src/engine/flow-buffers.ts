/**
 * Per-period flow passes (deal × stage) in pooled buffers: the flow funnel's one walk over all
 * passes of a period.
 */
import type { PeriodScope, QueryScope } from './filters'
import type { Prepared } from './prepare'

interface FlowBuffers {
  entries: Uint8Array
  any: Uint8Array
  owner: PeriodScope | null
}
/** Two reusable buffer pairs per data load (current and comparison period): a report does not leave megabytes behind. */
const flowPool = new WeakMap<Prepared, FlowBuffers[]>()

/**
 * Passes per (deal, stage) inside the period for deals passing the filters (n × stride,
 * saturating at 255), and whether the deal passed any stage; one walk over all passes per
 * period. The buffers are pooled per data load; a scope whose buffers were taken over by a
 * later query simply computes them again.
 */
export function flowEntries(scope: QueryScope, period: PeriodScope): { entries: Uint8Array; any: Uint8Array } {
  const prepared = scope.p
  let pool = flowPool.get(prepared)
  if (!pool) flowPool.set(prepared, (pool = []))
  let buffers = pool[period.slot]
  if (buffers && buffers.owner === period) return buffers
  const stride = prepared.stride
  if (!buffers) {
    pool[period.slot] = buffers = {
      entries: new Uint8Array(prepared.n * stride),
      any: new Uint8Array(prepared.n),
      owner: null,
    }
  } else {
    buffers.entries.fill(0)
    buffers.any.fill(0)
  }
  buffers.owner = period
  const { entries, any } = buffers
  const { start, end } = period.period
  const { passStart, passAt, passStage } = prepared
  for (let k = 0, list = scope.deals; k < list.length; k++) {
    const deal = list[k]
    for (let pass = passStart[deal], passEnd = passStart[deal + 1]; pass < passEnd; pass++) {
      const passedAt = passAt[pass]
      if (passedAt >= start && passedAt < end) {
        const cell = deal * stride + passStage[pass]
        if (entries[cell] < 255) entries[cell]++
        any[deal] = 1
      }
    }
  }
  return buffers
}
