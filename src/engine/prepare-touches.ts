/**
 * Touch indexes of `prepare`: per deal (own touches, plus the lead's and contact's touches before
 * the deal existed) and per responsible user, both time-ordered. The touch rows are read once into
 * typed columns; grouping is a counting sort, and ordering within a group only sorts when the
 * input was not already in (time, id) order.
 */
import type { CrmData } from './types'
import type { KeyDict } from './dims'
import type { IdIndex } from './id-index'
import { IntList } from './stats'
import type { TouchKind } from './types'

export const TOUCH_KINDS: TouchKind[] = ['call', 'email', 'sms', 'meeting', 'task', 'other']

/**
 * Everything `prepare` needs from the touch objects, read in one pass (500k objects scattered in
 * memory cost more to walk than the typed work after): time, kind, duration, responsible
 * user's manager code, and the (deal, touch) pairs of the per-deal lists. Ids only settle ties
 * in time, so they are read from the objects when needed.
 */
interface TouchColumns {
  touches: CrmData['touches']
  at: Float64Array
  kind: Uint8Array
  /** Seconds (calls), NaN when not given. */
  duration: Float32Array
  /** Manager dimension code of the responsible user. */
  user: Int32Array
  pairDeal: Int32Array
  pairTouch: Int32Array
}

const validTime = (t: number | null | undefined): t is number => typeof t === 'number' && Number.isFinite(t)

/**
 * Deal indexes by a key (lead or contact id), CSR-style: a dense slot table when the keys are
 * small non-negative integers, a Map from key to slot otherwise. Deals of one key keep input order.
 */
class DealsByKey {
  readonly start: Int32Array
  readonly deals: Int32Array
  private readonly dense: Int32Array | null = null
  private readonly map: Map<number, number> | null = null

  constructor(data: CrmData, key: 'leadId' | 'contactId') {
    const deals = data.deals
    const n = deals.length
    let max = -1
    let dense = true
    for (let i = 0; i < n; i++) {
      const k = deals[i][key]
      if (k === null) continue
      if (!Number.isInteger(k) || k < 0) {
        dense = false
        break
      }
      if (k > max) max = k
    }
    dense = dense && max < 4 * n + 1024
    const slotOfDeal = new Int32Array(n).fill(-1)
    let slots = 0
    if (dense) {
      const table = new Int32Array(max + 1).fill(-1)
      for (let i = 0; i < n; i++) {
        const k = deals[i][key]
        if (k === null) continue
        if (table[k] < 0) table[k] = slots++
        slotOfDeal[i] = table[k]
      }
      this.dense = table
    } else {
      const map = new Map<number, number>()
      for (let i = 0; i < n; i++) {
        const k = deals[i][key]
        if (k === null) continue
        let s = map.get(k)
        if (s === undefined) {
          s = slots++
          map.set(k, s)
        }
        slotOfDeal[i] = s
      }
      this.map = map
    }
    const start = new Int32Array(slots + 1)
    for (let i = 0; i < n; i++) if (slotOfDeal[i] >= 0) start[slotOfDeal[i] + 1]++
    for (let s = 0; s < slots; s++) start[s + 1] += start[s]
    const fill = start.slice(0, slots)
    const list = new Int32Array(start[slots])
    for (let i = 0; i < n; i++) if (slotOfDeal[i] >= 0) list[fill[slotOfDeal[i]]++] = i
    this.start = start
    this.deals = list
  }

  /** Slot of the key (its deals are deals[start[slot]] .. deals[start[slot+1]-1]), or -1. */
  slot(key: number): number {
    const dense = this.dense
    if (dense !== null) return key >= 0 && key < dense.length && Number.isInteger(key) ? dense[key] : -1
    return this.map!.get(key) ?? -1
  }
}

const OTHER = TOUCH_KINDS.indexOf('other')
/** TOUCH_KINDS index of a kind; a chain of string compares beats a Map lookup per touch. */
export function kindCode(kind: string): number {
  for (let i = 0; i < OTHER; i++) if (TOUCH_KINDS[i] === kind) return i
  return OTHER
}

/** Manager codes by responsible user id: a small array for ordinary ids, a Map for the rest. */
class UserCodes {
  private readonly small: number[] = []
  private readonly other = new Map<number, number>()
  constructor(private readonly managers: KeyDict) {}
  code(r: number): number {
    const small = r >= 0 && r < 1 << 20 && Number.isInteger(r)
    let c = small ? this.small[r] : this.other.get(r)
    if (c === undefined) {
      c = this.managers.code(String(r))
      if (small) this.small[r] = c
      else this.other.set(r, c)
    }
    return c
  }
}

function touchColumns(
  data: CrmData,
  n: number,
  created: Float64Array,
  dealIndex: IdIndex,
  managers: KeyDict,
): TouchColumns {
  const touches = data.touches
  const m = touches.length
  const byLead = new DealsByKey(data, 'leadId')
  const byContact = new DealsByKey(data, 'contactId')
  const at = new Float64Array(m)
  const kind = new Uint8Array(m)
  const duration = new Float32Array(m)
  const user = new Int32Array(m)
  // One dictionary lookup per user, not per touch; codes are handed out in touch order as before.
  const userCodes = new UserCodes(managers)
  const pairDeal = new IntList(m + 16)
  const pairTouch = new IntList(m + 16)
  const seen = new Int32Array(n).fill(-1)
  const add = (deal: number, touchIndex: number) => {
    if (deal < 0 || seen[deal] === touchIndex) return
    seen[deal] = touchIndex
    pairDeal.push(deal)
    pairTouch.push(touchIndex)
  }
  // A lead's or contact's touch belongs to its deals created after it.
  const addBefore = (index: DealsByKey, key: number, t: number, touchIndex: number) => {
    const slot = index.slot(key)
    if (slot < 0) return
    for (let j = index.start[slot]; j < index.start[slot + 1]; j++) {
      const deal = index.deals[j]
      if (t < created[deal]) add(deal, touchIndex)
    }
  }
  for (let touchIndex = 0; touchIndex < m; touchIndex++) {
    const touch = touches[touchIndex]
    const t = touch.at
    at[touchIndex] = t
    kind[touchIndex] = kindCode(touch.kind)
    duration[touchIndex] = touch.durationSec ?? NaN
    user[touchIndex] = userCodes.code(touch.responsibleId)
    if (!validTime(t)) continue
    const dealIds = touch.dealIds
    for (let k = 0; k < dealIds.length; k++) add(dealIndex.get(dealIds[k]), touchIndex)
    const leadIds = touch.leadIds
    for (let k = 0; k < leadIds.length; k++) addBefore(byLead, leadIds[k], t, touchIndex)
    const contactIds = touch.contactIds
    for (let k = 0; k < contactIds.length; k++) addBefore(byContact, contactIds[k], t, touchIndex)
  }
  return { touches, at, kind, duration, user, pairDeal: pairDeal.view(), pairTouch: pairTouch.view() }
}

/** Per-deal touch lists: own touches, plus the lead's and contact's touches before the deal existed. */
function indexTouches(cols: TouchColumns, n: number, created: Float64Array) {
  const pairDeal = cols.pairDeal
  const pairTouch = cols.pairTouch
  const touchStart = new Int32Array(n + 1)
  for (let i = 0; i < pairDeal.length; i++) touchStart[pairDeal[i] + 1]++
  for (let d = 0; d < n; d++) touchStart[d + 1] += touchStart[d]
  const m = pairDeal.length
  const order = new Int32Array(m)
  const fill = touchStart.slice(0, n)
  for (let i = 0; i < m; i++) order[fill[pairDeal[i]]++] = pairTouch[i]
  const { touches, at, kind, duration } = cols
  const touchAt = new Float64Array(m)
  const touchKind = new Uint8Array(m)
  const touchDuration = new Float32Array(m)
  const firstTouchAt = new Float64Array(n).fill(NaN)
  for (let d = 0; d < n; d++) {
    const a = touchStart[d]
    const b = touchStart[d + 1]
    // Insertion sort in place by (time, id): a deal has few touches, usually already in order.
    for (let i = a + 1; i < b; i++) {
      const v = order[i]
      const tv = at[v]
      let j = i - 1
      while (j >= a) {
        const w = order[j]
        if (at[w] < tv || (at[w] === tv && touches[w].id <= touches[v].id)) break
        order[j + 1] = w
        j--
      }
      order[j + 1] = v
    }
    const c = created[d]
    for (let k = a; k < b; k++) {
      const v = order[k]
      const t = at[v]
      touchAt[k] = t
      touchKind[k] = kind[v]
      touchDuration[k] = duration[v]
      if (firstTouchAt[d] !== firstTouchAt[d] && t >= c) firstTouchAt[d] = t
    }
  }
  return { touchStart, touchAt, touchKind, touchDuration, firstTouchAt }
}

/** Touches grouped by responsible user (manager dimension code), time-ordered within a user. */
function touchesByUser(cols: TouchColumns, managers: KeyDict) {
  const { touches, at, kind, duration, user: codes } = cols
  const m = at.length
  const userCount = managers.size
  const userTouchStart = new Int32Array(userCount + 1)
  for (let i = 0; i < m; i++) userTouchStart[codes[i] + 1]++
  for (let k = 0; k < userCount; k++) userTouchStart[k + 1] += userTouchStart[k]
  const order = new Int32Array(m)
  const fill = userTouchStart.slice(0, userCount)
  for (let i = 0; i < m; i++) order[fill[codes[i]]++] = i
  for (let k = 0; k < userCount; k++) {
    const a = userTouchStart[k]
    const b = userTouchStart[k + 1]
    let sorted = true
    for (let i = a + 1; i < b && sorted; i++) {
      const x = order[i - 1]
      const y = order[i]
      sorted = at[x] < at[y] || (at[x] === at[y] && touches[x].id <= touches[y].id)
    }
    // The counting sort kept input order: already (time, id)-ordered input needs no sort.
    if (!sorted) order.subarray(a, b).sort((x, y) => at[x] - at[y] || touches[x].id - touches[y].id)
  }
  const userTouchAt = new Float64Array(m)
  const userTouchKind = new Uint8Array(m)
  const userTouchDuration = new Float32Array(m)
  for (let i = 0; i < m; i++) {
    const v = order[i]
    userTouchAt[i] = at[v]
    userTouchKind[i] = kind[v]
    userTouchDuration[i] = duration[v]
  }
  return { userTouchStart, userTouchAt, userTouchKind, userTouchDuration }
}

/** Both touch indexes; the manager dictionary gains the touch-only users (after deals and leads). */
export function prepareTouches(data: CrmData, n: number, created: Float64Array, dealIndex: IdIndex, managers: KeyDict) {
  const cols = touchColumns(data, n, created, dealIndex, managers)
  return { ...indexTouches(cols, n, created), ...touchesByUser(cols, managers) }
}
