/**
 * Every generated row has the wire shape of shared/docs/rest.md §1.6 and §4–§7, and the
 * tables agree with each other (history ↔ current stage, calls ↔ activities ↔ tasks).
 */
import { describe, expect, it } from 'vitest'
import type { StageHistoryRow, StatusRow } from '../../src/b24/wire'
import { CITY_FIELD, LOSS_REASON_FIELD, generatePortal } from '../../src/demo-portal/generator'

const dump = generatePortal({ seed: 2024, deals: 2500 })
const WIRE_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+03:00$/
const ID = /^[1-9]\d*$/

const stageEntity = (category: number): string => (category === 0 ? 'DEAL_STAGE' : `DEAL_STAGE_${category}`)
const stageRows = new Map<string, StatusRow>()
for (const s of dump.statuses)
  if (s.ENTITY_ID.startsWith('DEAL_STAGE')) stageRows.set(`${s.ENTITY_ID}|${s.STATUS_ID}`, s)
/** Semantic a stage should carry: from its SEMANTICS (null → P); unknown stages are in progress. */
const expectedSemantic = (category: number, stage: string): string => {
  const row = stageRows.get(`${stageEntity(category)}|${stage}`)
  return row?.SEMANTICS ?? 'P'
}
const byOwner = (rows: StageHistoryRow[]): Map<number, StageHistoryRow[]> => {
  const map = new Map<number, StageHistoryRow[]>()
  for (const row of rows) {
    const list = map.get(row.OWNER_ID) ?? []
    list.push(row)
    map.set(row.OWNER_ID, list)
  }
  return map
}

describe('generated deals on the wire', () => {
  it('use legacy CRM typing: string ids, two-decimal amounts, Y/N flags, ISO dates with +03:00', () => {
    for (const d of dump.deals) {
      expect(d.ID).toMatch(ID)
      expect(d.CATEGORY_ID).toMatch(/^[01]$/)
      expect(d.OPPORTUNITY).toMatch(/^\d+\.\d{2}$/)
      expect(['RUB', 'USD']).toContain(d.CURRENCY_ID)
      expect(d.ASSIGNED_BY_ID).toMatch(ID)
      for (const flag of [d.CLOSED, d.OPENED, d.IS_NEW, d.IS_RETURN_CUSTOMER, d.IS_MANUAL_OPPORTUNITY])
        expect(flag).toMatch(/^[YN]$/)
      for (const date of [d.DATE_CREATE, d.DATE_MODIFY, d.MOVED_TIME, d.BEGINDATE, d.CLOSEDATE])
        expect(date).toMatch(WIRE_DATE)
      expect(d.LEAD_ID === null || ID.test(d.LEAD_ID)).toBe(true)
      expect(Date.parse(d.DATE_MODIFY)).toBeGreaterThanOrEqual(Date.parse(d.MOVED_TIME!))
    }
  })

  it('prefix stages with C{n}: outside the default pipeline and nowhere else', () => {
    for (const d of dump.deals) {
      if (d.CATEGORY_ID === '0') expect(d.STAGE_ID).not.toMatch(/^C\d+:/)
      else expect(d.STAGE_ID.startsWith(`C${d.CATEGORY_ID}:`)).toBe(true)
    }
    expect(dump.statuses.some((s) => s.ENTITY_ID === 'DEAL_STAGE_0')).toBe(false)
  })

  it('carry STAGE_SEMANTIC_ID consistent with the stage SEMANTICS and CLOSED = Y iff S/F', () => {
    for (const d of dump.deals) {
      expect(d.STAGE_SEMANTIC_ID).toBe(expectedSemantic(Number(d.CATEGORY_ID), d.STAGE_ID))
      expect(d.CLOSED).toBe(d.STAGE_SEMANTIC_ID === 'P' ? 'N' : 'Y')
    }
  })

  it('hold enumeration item ids of their own user fields, loss reasons only on lost deals', () => {
    const items = (field: string): Set<string> =>
      new Set(dump.dealUserFields.find((f) => f.FIELD_NAME === field)!.LIST!.map((i) => i.ID))
    const cities = items(CITY_FIELD)
    const reasons = items(LOSS_REASON_FIELD)
    for (const d of dump.deals) {
      const city = d[CITY_FIELD]
      const reason = d[LOSS_REASON_FIELD]
      expect(city === null || cities.has(city as string)).toBe(true)
      expect(reason === null || reasons.has(reason as string)).toBe(true)
      if (reason !== null) expect(d.STAGE_SEMANTIC_ID).toBe('F')
    }
  })
})

describe('generated stage history', () => {
  const history = byOwner(dump.dealHistory)
  const deals = new Map(dump.deals.map((d) => [Number(d.ID), d]))

  it('uses JSON numbers, known TYPE_IDs and existing owners, ids ascending with time', () => {
    let previous: StageHistoryRow | null = null
    for (const row of dump.dealHistory) {
      expect(typeof row.ID).toBe('number')
      expect(typeof row.CATEGORY_ID).toBe('number')
      expect([1, 2, 3, 5]).toContain(row.TYPE_ID)
      expect(deals.has(row.OWNER_ID)).toBe(true)
      expect(row.CREATED_TIME).toMatch(WIRE_DATE)
      if (previous) {
        expect(row.ID).toBe(previous.ID + 1)
        expect(Date.parse(row.CREATED_TIME)).toBeGreaterThanOrEqual(Date.parse(previous.CREATED_TIME))
      }
      previous = row
    }
  })

  it("starts with creation and ends at the deal's current stage, MOVED_TIME and category", () => {
    for (const [owner, rows] of history) {
      const deal = deals.get(owner)!
      const last = rows[rows.length - 1]
      expect(rows[0].TYPE_ID).toBe(1)
      expect(rows[0].CREATED_TIME).toBe(deal.DATE_CREATE)
      expect(rows.slice(1).every((r) => r.TYPE_ID !== 1)).toBe(true)
      expect(last.STAGE_ID).toBe(deal.STAGE_ID)
      expect(last.CATEGORY_ID).toBe(Number(deal.CATEGORY_ID))
      expect(last.CREATED_TIME).toBe(deal.MOVED_TIME)
      expect(last.STAGE_SEMANTIC_ID).toBe(deal.STAGE_SEMANTIC_ID)
    }
  })

  it("marks final moves TYPE_ID 3 and every row's semantic matches its stage", () => {
    for (const row of dump.dealHistory) {
      const semantic = expectedSemantic(row.CATEGORY_ID!, row.STAGE_ID!)
      expect(row.STAGE_SEMANTIC_ID).toBe(semantic)
      if (row.TYPE_ID === 2 || row.TYPE_ID === 5) expect(semantic).toBe('P')
      if (row.TYPE_ID === 3) expect(semantic).not.toBe('P')
    }
  })

  it('keeps lead history consistent with lead statuses', () => {
    const leads = new Map(dump.leads.map((l) => [Number(l.ID), l]))
    const statusSemantic = new Map(
      dump.statuses.filter((s) => s.ENTITY_ID === 'STATUS').map((s) => [s.STATUS_ID, s.SEMANTICS ?? 'P']),
    )
    for (const [owner, rows] of byOwner(dump.leadHistory)) {
      const lead = leads.get(owner)!
      expect(rows[0].TYPE_ID).toBe(1)
      expect(rows[rows.length - 1].STATUS_ID).toBe(lead.STATUS_ID)
      for (const r of rows) expect(r.STATUS_SEMANTIC_ID).toBe(statusSemantic.get(r.STATUS_ID!))
    }
    for (const lead of dump.leads) {
      expect(lead.STATUS_SEMANTIC_ID).toBe(statusSemantic.get(lead.STATUS_ID))
      expect(lead.DATE_CLOSED === '').toBe(lead.STATUS_SEMANTIC_ID === 'P')
    }
    expect(byOwner(dump.leadHistory).size).toBe(dump.leads.length)
  })
})

describe('generated touches, calls and tasks', () => {
  const activities = new Map(dump.activities.map((a) => [a.ID, a]))

  it('are activity rows with the documented type/provider pairs and bindings', () => {
    const providers: Record<string, string> = {
      '1': 'CRM_MEETING',
      '2': 'VOXIMPLANT_CALL',
      '3': 'CRM_TASKS_TASK',
      '4': 'CRM_EMAIL',
      '6': 'CRM_SMS',
    }
    const dealIds = new Set(dump.deals.map((d) => d.ID))
    const leadIds = new Set(dump.leads.map((l) => l.ID))
    // Collected rather than asserted row by row: ~20k rows × many expect() calls is slow.
    const bad: string[] = []
    dump.activities.forEach((a, i) => {
      const first = a.BINDINGS?.[0]
      if (a.ID !== String(i + 1)) bad.push(`${a.ID}: id out of sequence`)
      if (a.PROVIDER_ID !== providers[a.TYPE_ID]) bad.push(`${a.ID}: TYPE_ID ${a.TYPE_ID} with ${a.PROVIDER_ID}`)
      if (!Array.isArray(a.SETTINGS) || a.SETTINGS.length !== 0) bad.push(`${a.ID}: SETTINGS is not []`)
      if (a.TYPE_ID === '2' && a.DIRECTION !== '1' && a.DIRECTION !== '2')
        bad.push(`${a.ID}: call DIRECTION ${a.DIRECTION}`)
      if (first?.OWNER_TYPE_ID !== a.OWNER_TYPE_ID || first?.OWNER_ID !== a.OWNER_ID)
        bad.push(`${a.ID}: owner is not the first binding`)
      for (const b of a.BINDINGS ?? []) {
        if (b.OWNER_TYPE_ID === '2' && !dealIds.has(b.OWNER_ID))
          bad.push(`${a.ID}: bound to missing deal ${b.OWNER_ID}`)
        if (b.OWNER_TYPE_ID === '1' && !leadIds.has(b.OWNER_ID))
          bad.push(`${a.ID}: bound to missing lead ${b.OWNER_ID}`)
      }
      for (const date of [a.CREATED, a.START_TIME, a.END_TIME, a.DEADLINE])
        if (!WIRE_DATE.test(date)) bad.push(`${a.ID}: date ${date}`)
    })
    expect(bad.slice(0, 10)).toEqual([])
  })

  it('never create a deal or lead touch before its owner existed; only planned touches lie ahead', () => {
    const created = new Map<string, string>()
    for (const d of dump.deals) created.set(`2|${d.ID}`, d.DATE_CREATE)
    for (const l of dump.leads) created.set(`1|${l.ID}`, l.DATE_CREATE)
    const now = Date.parse('2026-11-20T12:00:00+03:00')
    const bad: string[] = []
    for (const a of dump.activities) {
      const owner = created.get(`${a.OWNER_TYPE_ID}|${a.OWNER_ID}`)
      if (owner !== undefined && Date.parse(a.CREATED) < Date.parse(owner))
        bad.push(`${a.ID}: created before its owner`)
      if (Date.parse(a.CREATED) > now) bad.push(`${a.ID}: created after now`)
      if (Date.parse(a.START_TIME) > now !== (a.COMPLETED === 'N')) bad.push(`${a.ID}: future iff planned`)
    }
    expect(bad.slice(0, 10)).toEqual([])
  })

  it('link every call with an activity to a call activity, with a numeric duration', () => {
    let linked = 0
    const bad: string[] = []
    for (const c of dump.calls) {
      if (!/^\d+$/.test(c.CALL_DURATION) || !WIRE_DATE.test(c.CALL_START_DATE)) bad.push(`${c.ID}: duration/date`)
      if (c.CALL_FAILED_CODE !== '200' && c.CALL_DURATION !== '0') bad.push(`${c.ID}: failed call with duration`)
      if (c.CRM_ACTIVITY_ID === null) continue
      linked++
      const activity = activities.get(c.CRM_ACTIVITY_ID)
      if (activity?.TYPE_ID !== '2') bad.push(`${c.ID}: CRM_ACTIVITY_ID ${c.CRM_ACTIVITY_ID} is not a call activity`)
      else if (activity.START_TIME !== c.CALL_START_DATE) bad.push(`${c.ID}: start differs from its activity`)
      else if (c.CALL_TYPE !== (activity.DIRECTION === '1' ? '2' : '1')) bad.push(`${c.ID}: CALL_TYPE vs DIRECTION`)
      if (c.CRM_ENTITY_TYPE !== 'CONTACT' && c.CRM_ENTITY_TYPE !== 'LEAD')
        bad.push(`${c.ID}: CRM_ENTITY_TYPE ${c.CRM_ENTITY_TYPE}`)
    }
    expect(bad.slice(0, 10)).toEqual([])
    expect(linked).toBeGreaterThan(dump.calls.length * 0.95)
  })

  it('back every task activity with a tasks.task.list row bound by ufCrmTask', () => {
    const tasks = new Map(dump.tasks.map((t) => [t.id, t]))
    const dealIds = new Set(dump.deals.map((d) => d.ID))
    for (const a of dump.activities.filter((x) => x.TYPE_ID === '3')) {
      const task = tasks.get(a.ASSOCIATED_ENTITY_ID)!
      expect(task.responsibleId).toBe(a.RESPONSIBLE_ID)
      if (a.OWNER_TYPE_ID === '2') expect(task.ufCrmTask).toEqual([`D_${a.OWNER_ID}`])
    }
    expect(tasks.size).toBe(dump.activities.filter((x) => x.TYPE_ID === '3').length)
    for (const t of dump.tasks)
      for (const b of t.ufCrmTask!) if (b.startsWith('D_')) expect(dealIds.has(b.slice(2))).toBe(true)
  })
})

describe('generated reference tables', () => {
  it('have one default pipeline (id 0, no origin keys) and a second one', () => {
    expect(dump.dealCategories).toEqual([
      { id: 0, name: 'Sales', sort: 100, entityTypeId: 2, isDefault: 'Y' },
      { id: 1, name: 'Contact center', sort: 200, entityTypeId: 2, isDefault: 'N', originId: '', originatorId: '' },
    ])
  })

  it('type users and departments like user.get and department.get', () => {
    const departments = new Set(dump.departments.map((d) => d.ID))
    for (const u of dump.users) {
      expect(typeof u.ACTIVE).toBe('boolean')
      expect(u.UF_DEPARTMENT.every((id) => typeof id === 'number' && departments.has(String(id)))).toBe(true)
    }
    const roots = dump.departments.filter((d) => d.PARENT === undefined)
    expect(roots).toHaveLength(1)
    for (const d of dump.departments) {
      expect(typeof d.SORT).toBe('number')
      if (d.PARENT !== undefined) expect(d.PARENT).toBe(roots[0].ID)
    }
  })

  it('have exactly one base currency at rate 1 and EXTRA only on stage dictionaries', () => {
    const base = dump.currencies.filter((c) => c.BASE === 'Y')
    expect(base.map((c) => [c.CURRENCY, c.AMOUNT])).toEqual([['RUB', '1.0000']])
    for (const s of dump.statuses) {
      expect(s.EXTRA !== undefined).toBe(s.ENTITY_ID === 'STATUS' || s.ENTITY_ID.startsWith('DEAL_STAGE'))
      expect(s.SORT).toMatch(/^\d+$/)
    }
  })
})
