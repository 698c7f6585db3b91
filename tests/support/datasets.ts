/**
 * TEST-ONLY converters of the public CRM datasets in ../shared/datasets into PortalDumps.
 * The Olist data is CC BY-NC-SA 4.0: it must never ship in the product, so this lives under
 * tests/ and reads the files in place. Raw parsed rows are exported too, so a test can compute
 * the same figures independently (e.g. DuckDB SQL on the CSVs) and compare with the engine.
 *
 * Derivation rules (neither dataset has a stage-change history; also in docs/testing.md "Datasets"):
 *
 * Maven "CRM Sales Opportunities" → one default pipeline NEW "Prospecting" → PREPARATION
 * "Engaging" → WON "Won" | LOSE "Lost"; all dates are days, read as 00:00 UTC (time zone UTC).
 *  - Deal ID = CSV record number (1-based), ORIGIN_ID = opportunity_id, currency USD (base).
 *  - Created at engage_date. Prospecting rows have no date at all: created at the dataset's
 *    earliest engage_date (2016-10-20), with a single history row in Prospecting.
 *  - History: TYPE_ID 1 into Prospecting at creation; TYPE_ID 2 into Engaging at engage_date
 *    (the same instant — the data has no earlier date, so time in Prospecting is 0);
 *    TYPE_ID 3 into Won/Lost at close_date. MOVED_TIME = last row; CLOSEDATE = close_date.
 *  - OPPORTUNITY = close_value for Won/Lost (every Lost is 0); open deals carry the list price
 *    of their product from products.csv.
 *  - Agents (all 35 of sales_teams.csv, 5 have no deals) are users 1–35 in file order,
 *    managers follow; regional offices (Central, East, West) are city departments under the
 *    company, and the deal field UF_CRM_CITY holds the agent's office.
 *  - Products are normalised ("GTXPro" = "GTX Pro") into the enumeration UF_CRM_PRODUCT;
 *    accounts are companies (COMPANY_ID = accounts.csv record number, "0" when empty).
 *
 * Olist "Marketing Funnel" → leads and a one-stage default pipeline (time zone UTC).
 *  - Every MQL is a lead (ID = record number, TITLE = mql_id), created at first_contact_date
 *    00:00, SOURCE_ID = origin upper-cased (empty origin → null; a SOURCE dictionary row per
 *    origin). History: TYPE_ID 1 into NEW at creation.
 *  - An MQL with a closed deal is CONVERTED at its creation instant (TYPE_ID 3); the others
 *    stay NEW: Olist records only wins, and a lead with no deal has no loss date to give it.
 *  - Each closed deal is a deal (ID = record number in the closed-deals file, LEAD_ID = its
 *    lead, SOURCE_ID copied from the lead) created at first_contact_date and won at won_date
 *    (TYPE_ID 1 NEW, TYPE_ID 3 WON). One deal is won two days BEFORE its first contact: that
 *    deal is created at its won_date, so its own history never runs backwards, and its
 *    DATE_CREATE precedes its lead's — compare with care (time to win 0, not −2 days).
 *  - ASSIGNED_BY_ID: the deal's sr_id (closing rep); the converted lead's sdr_id; unconverted
 *    leads belong to user 1 ("Olist marketing"). Reps are users named by their hash prefix.
 *  - UF_CRM_CITY = the seller's city where seller_id is in the sellers file (380 of 842),
 *    else null. OPPORTUNITY = declared_monthly_revenue (mostly 0), currency BRL (base).
 */
import { readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type {
  CategoryRow,
  CurrencyRow,
  DealRow,
  DepartmentRow,
  LeadRow,
  PortalDump,
  StageHistoryRow,
  StatusRow,
  UserRow,
} from '../../src/b24/wire'
import { parseCsvObjects } from './datasets-csv'
import { dealRow, enumerationField, leadRow, statusRow, userRow, utcWire } from './datasets-wire'

export { parseCsv, parseCsvObjects } from './datasets-csv'

export const DATASETS_DIR =
  process.env.FUNNEL_LENS_DATASETS ?? resolve(dirname(fileURLToPath(import.meta.url)), '../../../shared/datasets')
export const MAVEN_DIR = join(DATASETS_DIR, 'maven-crm-sales-opportunities')
export const OLIST_DIR = join(DATASETS_DIR, 'olist-marketing-funnel')

const MAVEN_PIPELINE = [
  'opportunity_id',
  'sales_agent',
  'product',
  'account',
  'deal_stage',
  'engage_date',
  'close_date',
  'close_value',
] as const
const MAVEN_TEAMS = ['sales_agent', 'manager', 'regional_office'] as const
const MAVEN_PRODUCTS = ['product', 'series', 'sales_price'] as const
const MAVEN_ACCOUNTS = [
  'account',
  'sector',
  'year_established',
  'revenue',
  'employees',
  'office_location',
  'subsidiary_of',
] as const
const OLIST_MQLS = ['mql_id', 'first_contact_date', 'landing_page_id', 'origin'] as const
const OLIST_DEALS = [
  'mql_id',
  'seller_id',
  'sdr_id',
  'sr_id',
  'won_date',
  'business_segment',
  'lead_type',
  'lead_behaviour_profile',
  'has_company',
  'has_gtin',
  'average_stock',
  'business_type',
  'declared_product_catalog_size',
  'declared_monthly_revenue',
] as const
const OLIST_SELLERS = ['seller_id', 'seller_zip_code_prefix', 'seller_city', 'seller_state'] as const

export type MavenOpportunity = Record<(typeof MAVEN_PIPELINE)[number], string>
export type MavenTeamMember = Record<(typeof MAVEN_TEAMS)[number], string>
export type MavenProduct = Record<(typeof MAVEN_PRODUCTS)[number], string>
export type MavenAccount = Record<(typeof MAVEN_ACCOUNTS)[number], string>
export type OlistMql = Record<(typeof OLIST_MQLS)[number], string>
export type OlistClosedDeal = Record<(typeof OLIST_DEALS)[number], string>
export type OlistSeller = Record<(typeof OLIST_SELLERS)[number], string>

/** The Maven CSVs exactly as parsed: every value a string, empty fields "". */
export interface MavenRaw {
  pipeline: MavenOpportunity[]
  teams: MavenTeamMember[]
  products: MavenProduct[]
  accounts: MavenAccount[]
}

export interface OlistRaw {
  mqls: OlistMql[]
  closedDeals: OlistClosedDeal[]
  sellers: OlistSeller[]
}

const read = <K extends string>(dir: string, file: string, columns: readonly K[]): Record<K, string>[] =>
  parseCsvObjects(readFileSync(join(dir, file), 'utf8'), columns, file)

export function readMaven(dir = MAVEN_DIR): MavenRaw {
  return {
    pipeline: read(dir, 'sales_pipeline.csv', MAVEN_PIPELINE),
    teams: read(dir, 'sales_teams.csv', MAVEN_TEAMS),
    products: read(dir, 'products.csv', MAVEN_PRODUCTS),
    accounts: read(dir, 'accounts.csv', MAVEN_ACCOUNTS),
  }
}

export function readOlist(dir = OLIST_DIR): OlistRaw {
  return {
    mqls: read(dir, 'olist_marketing_qualified_leads_dataset.csv', OLIST_MQLS),
    closedDeals: read(dir, 'olist_closed_deals_dataset.csv', OLIST_DEALS),
    sellers: read(dir, 'olist_sellers_dataset.csv', OLIST_SELLERS),
  }
}

/** The one known spelling difference: sales_pipeline says "GTXPro", products.csv "GTX Pro". */
export function normalizeProduct(name: string): string {
  return name === 'GTXPro' ? 'GTX Pro' : name
}

export const MAVEN_STAGES = { Prospecting: 'NEW', Engaging: 'PREPARATION', Won: 'WON', Lost: 'LOSE' } as const

interface Event {
  owner: number
  time: string
  type: number
  stage: string
  semantic: 'P' | 'S' | 'F'
}

export function mavenToDump(raw: MavenRaw): PortalDump {
  const offices = unique(raw.teams.map((t) => t.regional_office))
  const managers = unique(raw.teams.map((t) => t.manager))
  const products = raw.products.map((p) => p.product)
  const earliest = raw.pipeline
    .map((o) => o.engage_date)
    .filter(Boolean)
    .sort()[0]
  const registered = utcWire(earliest)
  const departments: DepartmentRow[] = [
    { ID: '1', NAME: 'Maven Analytics', SORT: 500 },
    ...offices.map((name, i) => ({ ID: String(i + 2), NAME: name, SORT: 500, PARENT: '1' })),
  ]
  const officeDepartment = (office: string): number => offices.indexOf(office) + 2
  const users: UserRow[] = raw.teams.map((t, i) => {
    const [first, ...last] = t.sales_agent.split(' ')
    return userRow(i + 1, first, last.join(' '), 'Sales agent', officeDepartment(t.regional_office), registered)
  })
  managers.forEach((name, i) => {
    const office = raw.teams.find((t) => t.manager === name)!.regional_office
    const [first, ...last] = name.split(' ')
    users.push(
      userRow(raw.teams.length + i + 1, first, last.join(' '), 'Manager', officeDepartment(office), registered),
    )
  })
  const agentIndex = new Map(raw.teams.map((t, i) => [t.sales_agent, i]))
  const accountIndex = new Map(raw.accounts.map((a, i) => [a.account, i + 1]))
  const priceOf = new Map(raw.products.map((p) => [p.product, p.sales_price]))
  const cityField = enumerationField(1201, 'CRM_DEAL', 'UF_CRM_CITY', 'City', offices, 501)
  const productField = enumerationField(1203, 'CRM_DEAL', 'UF_CRM_PRODUCT', 'Product', products, 601)
  const events: Event[] = []
  const deals: DealRow[] = raw.pipeline.map((o, i) => {
    const id = i + 1
    const agent = agentIndex.get(o.sales_agent)
    if (agent === undefined)
      throw new Error(`sales_pipeline.csv record ${i + 2}: agent "${o.sales_agent}" is not in sales_teams.csv`)
    const stage = MAVEN_STAGES[o.deal_stage as keyof typeof MAVEN_STAGES]
    if (!stage) throw new Error(`sales_pipeline.csv record ${i + 2}: unknown deal_stage "${o.deal_stage}"`)
    const created = utcWire(o.engage_date || earliest)
    events.push({ owner: id, time: created, type: 1, stage: 'NEW', semantic: 'P' })
    if (o.engage_date)
      events.push({ owner: id, time: utcWire(o.engage_date), type: 2, stage: 'PREPARATION', semantic: 'P' })
    const semantic = stage === 'WON' ? 'S' : stage === 'LOSE' ? 'F' : 'P'
    if (o.close_date) events.push({ owner: id, time: utcWire(o.close_date), type: 3, stage, semantic })
    const moved = o.close_date ? utcWire(o.close_date) : created
    const product = normalizeProduct(o.product)
    const amount = o.close_value !== '' ? o.close_value : (priceOf.get(product) ?? '0')
    return dealRow({
      ID: String(id),
      TITLE: `${o.account || 'No account'}: ${product}`,
      STAGE_ID: stage,
      STAGE_SEMANTIC_ID: semantic,
      CURRENCY_ID: 'USD',
      OPPORTUNITY: Number(amount).toFixed(2),
      ASSIGNED_BY_ID: String(agent + 1),
      DATE_CREATE: created,
      MOVED_TIME: moved,
      COMPANY_ID: String(accountIndex.get(o.account) ?? 0),
      ORIGINATOR_ID: 'maven',
      ORIGIN_ID: o.opportunity_id,
      IS_NEW: stage === 'NEW' ? 'Y' : 'N',
      UF_CRM_CITY: cityField.LIST![offices.indexOf(raw.teams[agent].regional_office)].ID,
      UF_CRM_PRODUCT: productField.LIST![products.indexOf(product)]?.ID ?? null,
    })
  })
  let statusId = 101
  const statuses: StatusRow[] = [
    statusRow(statusId++, 'DEAL_STAGE', 'NEW', 'Prospecting', 10, null, true),
    statusRow(statusId++, 'DEAL_STAGE', 'PREPARATION', 'Engaging', 20, null, true),
    statusRow(statusId++, 'DEAL_STAGE', 'WON', 'Won', 30, 'S', true),
    statusRow(statusId++, 'DEAL_STAGE', 'LOSE', 'Lost', 40, 'F', true),
  ]
  return {
    format: 'funnel-lens-dump/1',
    portal: { domain: 'maven.example', memberId: 'maven-crm-sales-opportunities', timeZone: 'UTC', language: 'en' },
    deals,
    leads: [],
    dealHistory: historyRows(events, 'deal'),
    leadHistory: [],
    statuses,
    dealCategories: [defaultCategory()],
    dealUserFields: [cityField, productField],
    leadUserFields: [],
    users,
    departments,
    activities: [],
    calls: [],
    tasks: [],
    currencies: [baseCurrency('USD', 'US Dollar', registered)],
  }
}

export function olistToDump(raw: OlistRaw): PortalDump {
  const dealByMql = new Map(raw.closedDeals.map((d) => [d.mql_id, d]))
  const sellerCity = new Map(raw.sellers.map((s) => [s.seller_id, s.seller_city]))
  const sdrs = unique(raw.closedDeals.map((d) => d.sdr_id))
  const srs = unique(raw.closedDeals.map((d) => d.sr_id))
  const first = raw.mqls.map((m) => m.first_contact_date).sort()[0]
  const registered = utcWire(first)
  const users: UserRow[] = [
    userRow(1, 'Olist', 'marketing', 'Marketing', 1, registered),
    ...sdrs.map((id, i) => userRow(i + 2, 'SDR', id.slice(0, 6), 'Sales development representative', 2, registered)),
    ...srs.map((id, i) => userRow(sdrs.length + i + 2, 'SR', id.slice(0, 6), 'Sales representative', 3, registered)),
  ]
  const sdrUser = (id: string): string => String(sdrs.indexOf(id) + 2)
  const srUser = (id: string): string => String(sdrs.length + srs.indexOf(id) + 2)
  const origins = unique(raw.mqls.map((m) => m.origin).filter(Boolean))
  const cities = unique(raw.closedDeals.map((d) => sellerCity.get(d.seller_id) ?? '').filter(Boolean)).sort()
  const cityField = enumerationField(1201, 'CRM_DEAL', 'UF_CRM_CITY', 'City', cities, 501)
  const leadEvents: Event[] = []
  const leadIdByMql = new Map<string, number>()
  const leads: LeadRow[] = raw.mqls.map((m, i) => {
    const id = i + 1
    leadIdByMql.set(m.mql_id, id)
    const created = utcWire(m.first_contact_date)
    const deal = dealByMql.get(m.mql_id)
    leadEvents.push({ owner: id, time: created, type: 1, stage: 'NEW', semantic: 'P' })
    if (deal) leadEvents.push({ owner: id, time: created, type: 3, stage: 'CONVERTED', semantic: 'S' })
    return leadRow({
      ID: String(id),
      TITLE: m.mql_id,
      STATUS_ID: deal ? 'CONVERTED' : 'NEW',
      STATUS_SEMANTIC_ID: deal ? 'S' : 'P',
      SOURCE_ID: m.origin ? m.origin.toUpperCase() : null,
      ASSIGNED_BY_ID: deal ? sdrUser(deal.sdr_id) : '1',
      DATE_CREATE: created,
      DATE_CLOSED: deal ? created : '',
      MOVED_TIME: created,
    })
  })
  const dealEvents: Event[] = []
  const deals: DealRow[] = raw.closedDeals.map((d, i) => {
    const id = i + 1
    const leadId = leadIdByMql.get(d.mql_id)
    if (leadId === undefined)
      throw new Error(`olist_closed_deals_dataset.csv record ${i + 2}: mql_id ${d.mql_id} is not an MQL`)
    const lead = leads[leadId - 1]
    const won = utcWire(d.won_date)
    const created = won < lead.DATE_CREATE ? won : lead.DATE_CREATE
    dealEvents.push({ owner: id, time: created, type: 1, stage: 'NEW', semantic: 'P' })
    dealEvents.push({ owner: id, time: won, type: 3, stage: 'WON', semantic: 'S' })
    const city = sellerCity.get(d.seller_id)
    return dealRow({
      ID: String(id),
      TITLE: `${d.business_segment || 'unknown segment'}: ${d.seller_id.slice(0, 8)}`,
      STAGE_ID: 'WON',
      STAGE_SEMANTIC_ID: 'S',
      CURRENCY_ID: 'BRL',
      OPPORTUNITY: Number(d.declared_monthly_revenue || '0').toFixed(2),
      ASSIGNED_BY_ID: srUser(d.sr_id),
      DATE_CREATE: created,
      MOVED_TIME: won,
      LEAD_ID: String(leadId),
      SOURCE_ID: lead.SOURCE_ID,
      ORIGINATOR_ID: 'olist',
      ORIGIN_ID: d.mql_id,
      UF_CRM_CITY: city ? cityField.LIST![cities.indexOf(city)].ID : null,
    })
  })
  let statusId = 101
  const statuses: StatusRow[] = [
    statusRow(statusId++, 'STATUS', 'NEW', 'New MQL', 10, null, true),
    statusRow(statusId++, 'STATUS', 'CONVERTED', 'Converted', 20, 'S', true),
    statusRow(statusId++, 'STATUS', 'JUNK', 'Junk', 30, 'F', true),
    ...origins.map((o, i) => statusRow(statusId++, 'SOURCE', o.toUpperCase(), o, (i + 1) * 10, null, false)),
    statusRow(statusId++, 'DEAL_STAGE', 'NEW', 'Consultancy', 10, null, true),
    statusRow(statusId++, 'DEAL_STAGE', 'WON', 'Seller signed', 20, 'S', true),
    statusRow(statusId++, 'DEAL_STAGE', 'LOSE', 'Lost', 30, 'F', true),
  ]
  const departments: DepartmentRow[] = [
    { ID: '1', NAME: 'Olist', SORT: 500 },
    { ID: '2', NAME: 'SDR team', SORT: 500, PARENT: '1' },
    { ID: '3', NAME: 'SR team', SORT: 500, PARENT: '1' },
  ]
  return {
    format: 'funnel-lens-dump/1',
    portal: { domain: 'olist.example', memberId: 'olist-marketing-funnel', timeZone: 'UTC', language: 'en' },
    deals,
    leads,
    dealHistory: historyRows(dealEvents, 'deal'),
    leadHistory: historyRows(leadEvents, 'lead'),
    statuses,
    dealCategories: [defaultCategory()],
    dealUserFields: [cityField],
    leadUserFields: [],
    users,
    departments,
    activities: [],
    calls: [],
    tasks: [],
    currencies: [baseCurrency('BRL', 'Brazilian Real', registered)],
  }
}

/** History ids follow time (ties keep per-owner order), like a real auto-increment. */
function historyRows(events: Event[], kind: 'deal' | 'lead'): StageHistoryRow[] {
  const ordered = events
    .map((e, i) => ({ e, i }))
    .sort((a, b) => (a.e.time < b.e.time ? -1 : a.e.time > b.e.time ? 1 : a.i - b.i))
  return ordered.map(({ e }, n) =>
    kind === 'deal'
      ? {
          ID: n + 1,
          TYPE_ID: e.type,
          OWNER_ID: e.owner,
          CREATED_TIME: e.time,
          CATEGORY_ID: 0,
          STAGE_SEMANTIC_ID: e.semantic,
          STAGE_ID: e.stage,
        }
      : {
          ID: n + 1,
          TYPE_ID: e.type,
          OWNER_ID: e.owner,
          CREATED_TIME: e.time,
          STATUS_SEMANTIC_ID: e.semantic,
          STATUS_ID: e.stage,
        },
  )
}

function defaultCategory(): CategoryRow {
  return { id: 0, name: 'General', sort: 100, entityTypeId: 2, isDefault: 'Y' }
}

function baseCurrency(code: string, name: string, updated: string): CurrencyRow {
  return {
    CURRENCY: code,
    AMOUNT_CNT: '1',
    AMOUNT: '1.0000',
    SORT: '100',
    BASE: 'Y',
    FULL_NAME: name,
    LID: 'en',
    FORMAT_STRING: '#',
    DEC_POINT: '.',
    THOUSANDS_SEP: ',',
    DECIMALS: '2',
    DATE_UPDATE: updated,
  }
}

function unique(values: string[]): string[] {
  return [...new Set(values)]
}
