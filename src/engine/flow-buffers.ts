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
export function flowEntries(s: QueryScope, ps: PeriodScope): { entries: Uint8Array; any: Uint8Array } {
  const p = s.p
  let pool = flowPool.get(p)
  if (!pool) flowPool.set(p, (pool = []))
  let buf = pool[ps.slot]
  if (buf && buf.owner === ps) return buf
  const S = p.stride
  if (!buf) pool[ps.slot] = buf = { entries: new Uint8Array(p.n * S), any: new Uint8Array(p.n), owner: null }
  else {
    buf.entries.fill(0)
    buf.any.fill(0)
  }
  buf.owner = ps
  const { entries, any } = buf
  const { start, end } = ps.period
  const { passStart, passAt, passStage } = p
  const mask = s.dealMask
  for (let d = 0; d < p.n; d++) {
    if (mask[d] !== 1) continue
    for (let i = passStart[d], e = passStart[d + 1]; i < e; i++) {
      const t = passAt[i]
      if (t >= start && t < end) {
        const k = d * S + passStage[i]
        if (entries[k] < 255) entries[k]++
        any[d] = 1
      }
    }
  }
  return buf
}
