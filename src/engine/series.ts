/**
 * Chart series: deals created, won, lost, revenue (won amount) and leads per bucket, for the
 * current and the comparison period, aligned bucket by bucket (bucket i of the comparison sits
 * under bucket i of the current period). Buckets are cut in the portal time zone; a row lands in
 * its bucket by binary search over the precomputed edges. Where one period has fewer buckets
 * (a 30-day month against a 31-day one) the missing places are null.
 */
import type { PeriodScope, QueryScope } from './filters'
import { bucketIndex, type BucketKind } from './periods'
import { SEM_F, SEM_S } from './prepare'
import { round2 } from './stats'

export interface SeriesValues {
  created: (number | null)[]
  won: (number | null)[]
  lost: (number | null)[]
  revenue: (number | null)[]
  leads: (number | null)[]
}

export interface SeriesSection {
  bucket: BucketKind
  labels: (string | null)[]
  comparisonLabels: (string | null)[] | null
  current: SeriesValues
  comparison: SeriesValues | null
}

/** Bucket of a deal's count for a series measure, or -1. Shared with drill-down. */
export function seriesBucket(s: QueryScope, ps: PeriodScope, d: number, measure: 'created' | 'won' | 'lost'): number {
  const p = s.p
  if (s.dealMask[d] !== 1) return -1
  if (measure === 'created') return bucketIndex(ps.buckets.edges, p.created[d])
  const sem = measure === 'won' ? SEM_S : SEM_F
  return p.semantic[d] === sem ? bucketIndex(ps.buckets.edges, p.closedAt[d]) : -1
}

/**
 * bucketIndex on a Float64Array copy of the edges: monomorphic, so it is inlined into the
 * per-deal loop instead of boxing every time it is passed (one heap number per deal otherwise).
 */
function bucketAt(edges: Float64Array, t: number): number {
  if (!(t >= edges[0]) || !(t < edges[edges.length - 1])) return -1
  let lo = 0
  let hi = edges.length - 1
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1
    if (edges[mid] <= t) lo = mid
    else hi = mid
  }
  return lo
}

function values(s: QueryScope, ps: PeriodScope, length: number): SeriesValues {
  const p = s.p
  const n = ps.buckets.labels.length
  const created = new Float64Array(n),
    won = new Float64Array(n),
    lost = new Float64Array(n)
  const revenue = new Float64Array(n),
    leads = new Float64Array(n)
  const edges = Float64Array.from(ps.buckets.edges)
  // The same predicates as seriesBucket (which drill-down uses), written out for the hot loop.
  for (let k = 0, list = s.deals; k < list.length; k++) {
    const deal = list[k]
    const createdBucket = bucketAt(edges, p.created[deal])
    if (createdBucket >= 0) created[createdBucket]++
    const sem = p.semantic[deal]
    if (sem === SEM_S) {
      const wonBucket = bucketAt(edges, p.closedAt[deal])
      if (wonBucket >= 0) {
        won[wonBucket]++
        revenue[wonBucket] += p.amount[deal]
      }
    } else if (sem === SEM_F) {
      const lostBucket = bucketAt(edges, p.closedAt[deal])
      if (lostBucket >= 0) lost[lostBucket]++
    }
  }
  for (let lead = 0; lead < p.leadCreated.length; lead++) {
    if (s.leadMask[lead] !== 1) continue
    const leadBucket = bucketAt(edges, p.leadCreated[lead])
    if (leadBucket >= 0) leads[leadBucket]++
  }
  const pad = (a: Float64Array, money = false) =>
    Array.from({ length }, (_, i) => (i < n ? (money ? round2(a[i]) : a[i]) : null))
  return { created: pad(created), won: pad(won), lost: pad(lost), revenue: pad(revenue, true), leads: pad(leads) }
}

export function seriesSection(s: QueryScope): SeriesSection {
  const cur = s.current
  const cmp = s.comparison
  const length = Math.max(cur.buckets.labels.length, cmp ? cmp.buckets.labels.length : 0)
  const labels = (ps: PeriodScope) => Array.from({ length }, (_, i) => ps.buckets.labels[i] ?? null)
  return {
    bucket: cur.buckets.kind,
    labels: labels(cur),
    comparisonLabels: cmp ? labels(cmp) : null,
    current: values(s, cur, length),
    comparison: cmp ? values(s, cmp, length) : null,
  }
}
