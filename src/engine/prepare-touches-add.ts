/**
 * New touches put into the touch indexes of `prepare` (prepare-touches.ts) without rebuilding
 * them: a delta's new calls and emails go into the lists of the deals and the users they belong
 * to, each at its place in (time, id) order (issue 11.2: the rebuild costs half a second at 100,000
 * deals). The lists hold times, not ids, so a new touch whose time equals one already in a list it
 * joins cannot be placed by id here: null then, and the caller rebuilds.
 */
import type { KeyDict } from './dims'
import type { IdIndex } from './id-index'
import type { TouchIndexes } from './prepare'
import { kindCode } from './prepare-touches'
import type { CrmData, Touch } from './types'

/** One entry to insert into a list (CSR row `row`); `id`, the touch's, orders entries of one time. */
interface Entry {
  row: number
  id: number
  at: number
  kind: number
  duration: number
}

/**
 * `lists` (the indexes of the data before the touches were added, deals in the new data's order)
 * with `added` in. `managers`: the dictionary whose codes the user lists use; an added touch's
 * user must have one below `ownersCoded` (a deal's or lead's manager): a touch-only user's code
 * follows the first touch of each such user, which a new touch may change.
 */
export function addTouches(
  lists: TouchIndexes,
  { added, newDeals }: { added: readonly Touch[]; newDeals: Int32Array },
  data: CrmData,
  created: Float64Array,
  dealIndex: IdIndex,
  managers: KeyDict,
  ownersCoded: number,
): TouchIndexes | null {
  const sorted = [...added].sort((a, b) => a.at - b.at || a.id - b.id)
  const dealEntries: Entry[] = []
  const userEntries: Entry[] = []
  const owners = ownerDeals(data, sorted)
  for (const t of sorted) {
    if (typeof t.at !== 'number' || !Number.isFinite(t.at)) return null
    const user = managers.find(String(t.responsibleId))
    if (user < 0 || user >= ownersCoded) return null
    userEntries.push({ row: user, ...entryOf(t) })
    const deals = new Set<number>()
    for (const id of t.dealIds) if (dealIndex.get(id) >= 0) deals.add(dealIndex.get(id))
    for (const id of t.leadIds) for (const d of owners.lead.get(id) ?? []) if (t.at < created[d]) deals.add(d)
    for (const id of t.contactIds) for (const d of owners.contact.get(id) ?? []) if (t.at < created[d]) deals.add(d)
    for (const d of deals) dealEntries.push({ row: d, ...entryOf(t) })
  }
  dealEntries.push(...newDealEntries(data, newDeals, new Set(added.map((t) => t.id)), created))
  // Each row's entries in (time, id) order, as the full build sorts a list.
  dealEntries.sort((a, b) => a.at - b.at || a.id - b.id)
  const byDeal = insert(lists.touchStart, [lists.touchAt, lists.touchKind, lists.touchDuration], dealEntries)
  const byUser = insert(
    lists.userTouchStart,
    [lists.userTouchAt, lists.userTouchKind, lists.userTouchDuration],
    userEntries,
  )
  if (!byDeal || !byUser) return null
  const firstTouchAt = lists.firstTouchAt.slice()
  for (const { row: d } of dealEntries) {
    firstTouchAt[d] = NaN
    for (let k = byDeal.start[d]; k < byDeal.start[d + 1]; k++)
      if (byDeal.columns[0][k] >= created[d]) {
        firstTouchAt[d] = byDeal.columns[0][k]
        break
      }
  }
  return {
    touchStart: byDeal.start,
    touchAt: byDeal.columns[0],
    touchKind: byDeal.columns[1],
    touchDuration: byDeal.columns[2],
    firstTouchAt,
    userTouchStart: byUser.start,
    userTouchAt: byUser.columns[0],
    userTouchKind: byUser.columns[1],
    userTouchDuration: byUser.columns[2],
  }
}

const NONE: number[] = []

const entryOf = (t: Touch) => ({ id: t.id, at: t.at, kind: kindCode(t.kind), duration: t.durationSec ?? NaN })

/**
 * The touch list entries of added deals from the touches that were there before (one walk of the
 * touches, only when deals were added): their own touches, and their lead's and contact's before
 * they were created — as the full build binds them.
 */
function newDealEntries(data: CrmData, newDeals: Int32Array, skip: Set<number>, created: Float64Array): Entry[] {
  if (newDeals.length === 0) return []
  const own = new Map<number, number>()
  const byLead = new Map<number, number[]>()
  const byContact = new Map<number, number[]>()
  const push = (m: Map<number, number[]>, k: number | null, d: number) => {
    if (k !== null) m.set(k, [...(m.get(k) ?? []), d])
  }
  for (const d of newDeals) {
    const deal = data.deals[d]
    own.set(deal.id, d)
    push(byLead, deal.leadId, d)
    push(byContact, deal.contactId, d)
  }
  const out: Entry[] = []
  // No closure per touch: this walks half a million of them.
  const deals = new Set<number>()
  const touches = data.touches
  for (let i = 0; i < touches.length; i++) {
    const t = touches[i]
    if (typeof t.at !== 'number' || !Number.isFinite(t.at) || skip.has(t.id)) continue
    for (const id of t.dealIds) {
      const d = own.get(id)
      if (d !== undefined) deals.add(d)
    }
    for (const id of t.leadIds) for (const d of byLead.get(id) ?? NONE) if (t.at < created[d]) deals.add(d)
    for (const id of t.contactIds) for (const d of byContact.get(id) ?? NONE) if (t.at < created[d]) deals.add(d)
    if (deals.size === 0) continue
    for (const d of deals) out.push({ row: d, ...entryOf(t) })
    deals.clear()
  }
  return out
}

/** The deals of each lead and contact the added touches name (one walk of the deals). */
function ownerDeals(data: CrmData, touches: readonly Touch[]) {
  const lead = new Map<number, number[]>()
  const contact = new Map<number, number[]>()
  for (const t of touches) {
    for (const id of t.leadIds) lead.set(id, [])
    for (const id of t.contactIds) contact.set(id, [])
  }
  if (lead.size + contact.size > 0)
    data.deals.forEach((deal, d) => {
      if (deal.leadId !== null) lead.get(deal.leadId)?.push(d)
      if (deal.contactId !== null) contact.get(deal.contactId)?.push(d)
    })
  return { lead, contact }
}

type Columns = [Float64Array, Uint8Array, Float32Array]

/**
 * The CSR lists with the entries in, each after the row's entries of an earlier time (entries
 * come in (time, id) order, so one of equal time among them goes after the earlier ones); null
 * when a row holds an entry of the same time already or a time that is not a number.
 */
function insert(start: Int32Array, columns: Columns, entries: Entry[]): { start: Int32Array; columns: Columns } | null {
  const rows = start.length - 1
  const at = columns[0]
  // Where each entry goes in the old columns (before index `pos`), found by a walk of its row.
  const placed: { pos: number; entry: Entry }[] = []
  for (const e of entries) {
    let pos = start[e.row + 1]
    for (let k = start[e.row]; k < start[e.row + 1]; k++) {
      const t = at[k]
      if (t === e.at || t !== t) return null
      if (t > e.at) {
        pos = k
        break
      }
    }
    placed.push({ pos, entry: e })
  }
  // By place, then row (an empty row's entry and the next row's first one share a place); stable:
  // entries of one place in one row keep their (time, id) order.
  placed.sort((a, b) => a.pos - b.pos || a.entry.row - b.entry.row)
  const out: Columns = [
    new Float64Array(at.length + placed.length),
    new Uint8Array(at.length + placed.length),
    new Float32Array(at.length + placed.length),
  ]
  let from = 0
  let shift = 0
  for (const { pos, entry } of placed) {
    for (let c = 0; c < 3; c++) out[c].set(columns[c].subarray(from, pos), from + shift)
    const k = pos + shift
    out[0][k] = entry.at
    out[1][k] = entry.kind
    out[2][k] = entry.duration
    shift++
    from = pos
  }
  for (let c = 0; c < 3; c++) out[c].set(columns[c].subarray(from), from + shift)
  const next = new Int32Array(rows + 1)
  const grow = new Int32Array(rows)
  for (const { entry } of placed) grow[entry.row]++
  for (let r = 0; r < rows; r++) next[r + 1] = start[r + 1] + (next[r] - start[r]) + grow[r]
  return { start: next, columns: out }
}
