/**
 * The test-only dataset converters (tests/support/datasets.ts): the CSV reader, and the
 * Maven and Olist dumps checked against the figures published in each dataset's SOURCE.md
 * and against the raw rows they came from.
 */
import { describe, expect, it } from 'vitest'
import type { PortalDump, StageHistoryRow } from '../../src/b24/wire'
import { mavenToDump, normalizeProduct, olistToDump, parseCsv, readMaven, readOlist } from '../support/datasets'

const lastRowByOwner = (rows: StageHistoryRow[]): Map<number, StageHistoryRow> =>
  new Map(rows.map((r) => [r.OWNER_ID, r]))
const countBy = <T>(items: T[], key: (item: T) => string): Record<string, number> => {
  const out: Record<string, number> = {}
  for (const item of items) out[key(item)] = (out[key(item)] ?? 0) + 1
  return out
}

describe('parseCsv (RFC 4180)', () => {
  it('reads quoted fields with commas, escaped quotes and line breaks', () => {
    expect(parseCsv('a,b,c\n"x, y","say ""hi""","two\nlines"\n')).toEqual([
      ['a', 'b', 'c'],
      ['x, y', 'say "hi"', 'two\nlines'],
    ])
  })

  it('handles CRLF, empty fields, a missing final newline and a BOM', () => {
    expect(parseCsv('\uFEFFa,b\r\n1,\r\n,2')).toEqual([
      ['a', 'b'],
      ['1', ''],
      ['', '2'],
    ])
    expect(parseCsv('')).toEqual([])
  })

  it('refuses a file that ends inside quotes', () => {
    expect(() => parseCsv('a\n"open')).toThrow(/quoted/)
  })
})

describe('Maven CRM sales opportunities → PortalDump', () => {
  const raw = readMaven()
  const dump: PortalDump = mavenToDump(raw)

  it('parses every CSV completely and strips the CRLF line ends', () => {
    expect([raw.pipeline.length, raw.teams.length, raw.products.length, raw.accounts.length]).toEqual([8800, 35, 7, 85])
    const values = [...raw.pipeline, ...raw.teams].flatMap((r) => Object.values(r))
    expect(values.some((v) => v.includes('\r'))).toBe(false)
    expect(new Set(raw.pipeline.map((o) => o.opportunity_id)).size).toBe(8800)
  })

  it('has the published stage counts and won value', () => {
    expect(dump.deals).toHaveLength(8800)
    expect(countBy(dump.deals, (d) => d.STAGE_ID)).toEqual({ WON: 4238, LOSE: 2473, PREPARATION: 1589, NEW: 500 })
    const wonValue = dump.deals.filter((d) => d.STAGE_ID === 'WON').reduce((s, d) => s + Number(d.OPPORTUNITY), 0)
    const rawWon = raw.pipeline.filter((o) => o.deal_stage === 'Won').reduce((s, o) => s + Number(o.close_value), 0)
    expect(wonValue).toBe(rawWon)
    expect(wonValue).toBe(10_005_534)
  })

  it('makes regional offices the city: per-office counts match the published ones', () => {
    const office = new Map(dump.dealUserFields[0].LIST!.map((i) => [i.ID, i.VALUE]))
    const byOffice = countBy(dump.deals, (d) => office.get(d.UF_CRM_CITY as string)!)
    expect(byOffice).toEqual({ Central: 3512, West: 2997, East: 2291 })
    const wonByOffice = countBy(
      dump.deals.filter((d) => d.STAGE_ID === 'WON'),
      (d) => office.get(d.UF_CRM_CITY as string)!,
    )
    expect(wonByOffice).toEqual({ Central: 1629, West: 1438, East: 1171 })
    const departments = new Map(dump.departments.map((d) => [Number(d.ID), d.NAME]))
    const users = new Map(dump.users.map((u) => [u.ID, u]))
    for (const d of dump.deals)
      expect(departments.get(users.get(d.ASSIGNED_BY_ID)!.UF_DEPARTMENT[0])).toBe(office.get(d.UF_CRM_CITY as string))
    expect(dump.users).toHaveLength(35 + 6)
  })

  it('derives a history that follows the rule and ends at the current stage', () => {
    const last = lastRowByOwner(dump.dealHistory)
    for (const d of dump.deals) {
      expect(last.get(Number(d.ID))!.STAGE_ID).toBe(d.STAGE_ID)
      expect(last.get(Number(d.ID))!.CREATED_TIME).toBe(d.MOVED_TIME)
    }
    const prospecting = dump.deals.filter((d) => d.STAGE_ID === 'NEW')
    expect(new Set(prospecting.map((d) => d.DATE_CREATE))).toEqual(new Set(['2016-10-20T00:00:00+00:00']))
    const byType = countBy(dump.dealHistory, (r) => String(r.TYPE_ID))
    expect(byType).toEqual({ 1: 8800, 2: 8300, 3: 4238 + 2473 })
    const o = raw.pipeline[0]
    const rows = dump.dealHistory.filter((r) => r.OWNER_ID === 1)
    expect(rows.map((r) => [r.STAGE_ID, r.CREATED_TIME.slice(0, 10)])).toEqual([
      ['NEW', o.engage_date],
      ['PREPARATION', o.engage_date],
      ['WON', o.close_date],
    ])
  })

  it('normalises product names', () => {
    expect(normalizeProduct('GTXPro')).toBe('GTX Pro')
    expect(raw.pipeline.some((o) => o.product === 'GTXPro')).toBe(true)
    expect(dump.deals.some((d) => d.TITLE!.includes('GTXPro'))).toBe(false)
    expect(dump.deals.every((d) => d.UF_CRM_PRODUCT !== null)).toBe(true)
  })
})

describe('Olist marketing funnel → PortalDump', () => {
  const raw = readOlist()
  const dump: PortalDump = olistToDump(raw)

  it('parses every CSV completely, quoted multi-values included', () => {
    expect([raw.mqls.length, raw.closedDeals.length, raw.sellers.length]).toEqual([8000, 842, 3095])
    expect(raw.closedDeals.some((d) => d.lead_behaviour_profile === 'cat, wolf')).toBe(true)
    expect(raw.sellers[0].seller_id).toBe('3442f8959a84dea7ee197c632cb2df15')
  })

  it('makes every MQL a lead with its origin as the source', () => {
    expect(dump.leads).toHaveLength(8000)
    const bySource = countBy(dump.leads, (l) => l.SOURCE_ID ?? '(empty)')
    expect(bySource).toMatchObject({
      ORGANIC_SEARCH: 2296,
      PAID_SEARCH: 1586,
      SOCIAL: 1350,
      UNKNOWN: 1099,
      '(empty)': 60,
    })
    expect(dump.leads.filter((l) => l.STATUS_ID === 'CONVERTED')).toHaveLength(842)
  })

  it('turns the 842 closed deals into won deals linked to their leads', () => {
    expect(dump.deals).toHaveLength(842)
    expect(dump.deals.every((d) => d.STAGE_SEMANTIC_ID === 'S' && d.CLOSED === 'Y')).toBe(true)
    const leads = new Map(dump.leads.map((l) => [l.ID, l]))
    const bySource = countBy(dump.deals, (d) => leads.get(d.LEAD_ID!)!.SOURCE_ID ?? '(empty)')
    expect(bySource).toMatchObject({ ORGANIC_SEARCH: 271, PAID_SEARCH: 195, UNKNOWN: 179, SOCIAL: 75, '(empty)': 14 })
    expect(dump.deals.filter((d) => d.UF_CRM_CITY !== null)).toHaveLength(380)
  })

  it('keeps every history in time order and shows the one deal won before its first contact', () => {
    const leads = new Map(dump.leads.map((l) => [l.ID, l]))
    const early = dump.deals.filter((d) => d.DATE_CREATE < leads.get(d.LEAD_ID!)!.DATE_CREATE)
    expect(early).toHaveLength(1)
    expect(early[0].DATE_CREATE).toBe(early[0].MOVED_TIME)
    const rows = new Map<number, StageHistoryRow[]>()
    for (const r of dump.dealHistory) rows.set(r.OWNER_ID, [...(rows.get(r.OWNER_ID) ?? []), r])
    for (const list of rows.values())
      expect(list.map((r) => r.CREATED_TIME)).toEqual([...list.map((r) => r.CREATED_TIME)].sort())
    expect(lastRowByOwner(dump.leadHistory).size).toBe(8000)
  })
})
