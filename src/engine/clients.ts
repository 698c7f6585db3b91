/**
 * Clients (metrics.md "Clients, calls, leads, deadlines"): a deal's client is its company when
 * set, else its contact (company 7 and contact 7 are different clients); deals with neither have
 * "no client". A client is new in P when its first deal ever on the portal (by DATE_CREATE) was
 * created in P, else existing. Figures cover deals created in the period under the filters;
 * "won" means created in the period and won by now (as on the sources page).
 */
import type { PeriodScope, QueryScope } from './filters'
import { IdIndex } from './id-index'
import { SEM_S, type Prepared } from './prepare'
import { round2 } from './stats'
import { carryOnUpdate, changedDeals, sameColumn, sameDealOrder } from './carry'

export type ClientType = 'company' | 'contact'

export interface ClientDeals {
  deals: number
  /** Created in the period and won by now. */
  won: number
  /** Σ amount of those won deals, in the report currency. */
  revenue: number
}

export interface ClientSplit {
  newClients: number
  existingClients: number
  newClientDeals: ClientDeals
  existingClientDeals: ClientDeals
  noClientDeals: ClientDeals
}

export interface ClientSplitRow extends ClientSplit {
  key: string
  name: string
}

export interface ClientRow extends ClientDeals {
  /** "company:7" or "contact:7" (the drill-down key). */
  key: string
  type: ClientType
  id: number
  /** Company TITLE or contact name; null when the portal's names were not loaded. */
  name: string | null
  isNew: boolean
  /** The client's first and last deal on the portal (any period, any filter). */
  firstDealAt: number
  lastDealAt: number
}

export interface ClientsSection extends ClientSplit {
  /** The period's biggest clients: by won revenue, then deals. */
  top: ClientRow[]
  byManager: ClientSplitRow[]
  bySource: ClientSplitRow[]
}

export const TOP_CLIENTS = 20

/**
 * Per data load: each deal's client code and each client's first and last deal, over all deals.
 * Columns only (no key string per client): at 100k deals the strings alone weighed ~8 MB.
 */
export interface ClientIndex {
  /** Client code per deal; -1 for "no client". */
  code: Int32Array
  /** Per client code: TYPE_COMPANY or TYPE_CONTACT. */
  type: Uint8Array
  ids: Float64Array
  first: Float64Array
  last: Float64Array
}

const TYPE_COMPANY = 0
const TYPE_CONTACT = 1
const TYPE_NAMES: ClientType[] = ['company', 'contact']

const cache = new WeakMap<Prepared, ClientIndex>()

export function clientKey(type: ClientType, id: number): string {
  return `${type}:${id}`
}

export function clientTypeOf(ix: ClientIndex, c: number): ClientType {
  return TYPE_NAMES[ix.type[c]]
}

/** The drill-down key of client code c ("company:7"). */
export function clientKeyOf(ix: ClientIndex, c: number): string {
  return clientKey(clientTypeOf(ix, c), ix.ids[c])
}

/** The client code of a drill-down key; -1 when no deal has that client. */
export function clientCodeOf(ix: ClientIndex, key: string): number {
  for (let c = 0; c < ix.type.length; c++) if (clientKeyOf(ix, c) === key) return c
  return -1
}

export function clientIndex(p: Prepared): ClientIndex {
  const hit = cache.get(p)
  if (hit) return hit
  // Company 7 and contact 7 are different clients: one id → code map per type.
  const codeOf = [new Map<number, number>(), new Map<number, number>()]
  const code = new Int32Array(p.n).fill(-1)
  const type: number[] = [],
    ids: number[] = [],
    first: number[] = [],
    last: number[] = []
  p.data.deals.forEach((deal, d) => {
    const company = deal.companyId !== null && deal.companyId > 0 ? deal.companyId : null
    const contact = deal.contactId !== null && deal.contactId > 0 ? deal.contactId : null
    const t = company !== null ? TYPE_COMPANY : contact !== null ? TYPE_CONTACT : -1
    if (t < 0) return
    const id = (company ?? contact) as number
    let c = codeOf[t].get(id)
    if (c === undefined) {
      c = type.length
      codeOf[t].set(id, c)
      type.push(t)
      ids.push(id)
      first.push(NaN)
      last.push(NaN)
    }
    code[d] = c
    const at = p.created[d]
    if (at === at) {
      if (!(first[c] <= at)) first[c] = at
      if (!(last[c] >= at)) last[c] = at
    }
  })
  const index = {
    code,
    type: Uint8Array.from(type),
    ids: Float64Array.from(ids),
    first: Float64Array.from(first),
    last: Float64Array.from(last),
  }
  cache.set(p, index)
  return index
}

/** Carried when deals keep their order, their company and contact, and their creation times. */
carryOnUpdate((update) => {
  const old = cache.get(update.prev)
  if (!old || !sameDealOrder(update) || !sameColumn(update.prev.created, update.next.created)) return
  const same = changedDeals(update).every(
    ({ was, now }) => was.companyId === now.companyId && was.contactId === now.contactId,
  )
  if (same) cache.set(update.next, old)
})

/** Is the client of deal d new in the period (its first deal ever created in it)? */
export function isNewClient(ix: ClientIndex, ps: PeriodScope, c: number): boolean {
  const t = ix.first[c]
  return t >= ps.period.start && t < ps.period.end
}

/** The group a deal of the cohort falls in: new client, existing client or no client. */
export type ClientGroup = 'new' | 'existing' | 'none'

export function clientGroup(ix: ClientIndex, ps: PeriodScope, d: number): ClientGroup {
  const c = ix.code[d]
  if (c < 0) return 'none'
  return isNewClient(ix, ps, c) ? 'new' : 'existing'
}

function emptyDeals(): ClientDeals {
  return { deals: 0, won: 0, revenue: 0 }
}

function emptySplit(): ClientSplit {
  return {
    newClients: 0,
    existingClients: 0,
    newClientDeals: emptyDeals(),
    existingClientDeals: emptyDeals(),
    noClientDeals: emptyDeals(),
  }
}

/** Adds one cohort deal to a split; `firstSeen` says whether its client is counted here for the first time. */
function addDeal(x: ClientSplit, group: ClientGroup, firstSeen: boolean, won: boolean, amount: number): void {
  const bucket = group === 'new' ? x.newClientDeals : group === 'existing' ? x.existingClientDeals : x.noClientDeals
  bucket.deals++
  if (won) {
    bucket.won++
    bucket.revenue += amount
  }
  if (firstSeen && group === 'new') x.newClients++
  else if (firstSeen && group === 'existing') x.existingClients++
}

function finish<T extends ClientSplit>(x: T): T {
  for (const b of [x.newClientDeals, x.existingClientDeals, x.noClientDeals]) b.revenue = round2(b.revenue)
  return x
}

function splitBy(s: QueryScope, ps: PeriodScope, ix: ClientIndex, dim: 'manager' | 'source'): ClientSplitRow[] {
  const p = s.p
  const { dict, codes } = p.dims[dim]
  const rows = new Map<number, ClientSplitRow>()
  const seen = new Set<number>()
  for (let j = 0, list = ps.cohortDeals; j < list.length; j++) {
    const d = list[j]
    const k = codes[d]
    let row = rows.get(k)
    if (!row) rows.set(k, (row = { key: dict.keys[k], name: dict.names[k], ...emptySplit() }))
    const c = ix.code[d]
    const firstSeen = c >= 0 && !seen.has(c * dict.size + k)
    if (firstSeen) seen.add(c * dict.size + k)
    addDeal(row, clientGroup(ix, ps, d), firstSeen, p.semantic[d] === SEM_S, p.amount[d])
  }
  return [...rows.values()]
    .map(finish)
    .sort(
      (a, b) =>
        b.newClientDeals.deals +
          b.existingClientDeals.deals +
          b.noClientDeals.deals -
          (a.newClientDeals.deals + a.existingClientDeals.deals + a.noClientDeals.deals) || a.key.localeCompare(b.key),
    )
}

/** Company and contact id → row of the portal's name lists, per data load (the last row of an id wins). */
const nameIndexes = new WeakMap<Prepared, { company: IdIndex; contact: IdIndex }>()

/** Names of the given clients only (the top rows), looked up by id: no Map of every name per section. */
function clientNames(p: Prepared, ix: ClientIndex, codes: number[]): Map<number, string> {
  const rows = { company: p.data.companies ?? [], contact: p.data.contacts ?? [] }
  let index = nameIndexes.get(p)
  if (!index) {
    const ids = (list: { id: number }[]) => new IdIndex(list.map((r) => r.id))
    nameIndexes.set(p, (index = { company: ids(rows.company), contact: ids(rows.contact) }))
  }
  const names = new Map<number, string>()
  for (const c of codes) {
    const type = clientTypeOf(ix, c)
    const row = index[type].get(ix.ids[c])
    if (row >= 0) names.set(c, rows[type][row].name)
  }
  return names
}

export function clientsSection(s: QueryScope, ps: PeriodScope): ClientsSection {
  const p = s.p
  const ix = clientIndex(p)
  const total = emptySplit()
  const perClient = new Map<number, ClientDeals>()
  for (let j = 0, list = ps.cohortDeals; j < list.length; j++) {
    const d = list[j]
    const c = ix.code[d]
    const won = p.semantic[d] === SEM_S
    addDeal(total, clientGroup(ix, ps, d), c >= 0 && !perClient.has(c), won, p.amount[d])
    if (c < 0) continue
    let own = perClient.get(c)
    if (!own) perClient.set(c, (own = emptyDeals()))
    own.deals++
    if (won) {
      own.won++
      own.revenue += p.amount[d]
    }
  }
  const best = [...perClient]
    .sort(([a, x], [b, y]) => y.revenue - x.revenue || y.deals - x.deals || ix.first[a] - ix.first[b] || a - b)
    .slice(0, TOP_CLIENTS)
  const names = clientNames(
    p,
    ix,
    best.map(([c]) => c),
  )
  const top = best.map(([c, own]) => ({
    key: clientKeyOf(ix, c),
    type: clientTypeOf(ix, c),
    id: ix.ids[c],
    name: names.get(c) ?? null,
    isNew: isNewClient(ix, ps, c),
    deals: own.deals,
    won: own.won,
    revenue: round2(own.revenue),
    firstDealAt: ix.first[c],
    lastDealAt: ix.last[c],
  }))
  return {
    ...finish(total),
    top,
    byManager: splitBy(s, ps, ix, 'manager'),
    bySource: splitBy(s, ps, ix, 'source'),
  }
}

/** Client ids of the top rows that have no name yet (what the app and the CLI ask the portal for). */
export function unnamedTopClients(sections: (ClientsSection | undefined)[]): {
  companies: number[]
  contacts: number[]
} {
  const out = { companies: [] as number[], contacts: [] as number[] }
  for (const section of sections)
    for (const c of section?.top ?? [])
      if (c.name === null) (c.type === 'company' ? out.companies : out.contacts).push(c.id)
  return out
}

/** Names the top rows from names looked up apart (rows already named keep theirs). */
export function nameTopClients(
  section: ClientsSection,
  names: { companies: { id: number; name: string }[]; contacts: { id: number; name: string }[] },
): ClientsSection {
  const company = new Map(names.companies.map((c) => [c.id, c.name]))
  const contact = new Map(names.contacts.map((c) => [c.id, c.name]))
  const nameOf = (c: ClientRow) => c.name ?? (c.type === 'company' ? company : contact).get(c.id) ?? null
  return { ...section, top: section.top.map((c) => ({ ...c, name: nameOf(c) })) }
}
