import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startPortal, type RunningPortal } from '../../src/demo-portal/server'
import { makeDump, post, TIME_KEYS } from './fixture'

let portal: RunningPortal
let hook: string

beforeAll(async () => {
  portal = await startPortal({ dump: makeDump(), port: 0, rate: 1000, burst: 10_000 })
  hook = `${portal.url}/rest/1/demo`
})
afterAll(() => portal.close())

const ids = (rows: unknown): number[] => (rows as { ID: string }[]).map((r) => Number(r.ID))

describe('envelope', () => {
  it('wraps a list in result/total/next/time with the full 8-field time object', async () => {
    const { status, body } = await post(hook, 'crm.deal.list', { select: ['ID'] })
    expect(status).toBe(200)
    expect(Object.keys(body).sort()).toEqual(['next', 'result', 'time', 'total'])
    expect(Object.keys(body.time ?? {})).toEqual(TIME_KEYS)
    const time = body.time as Record<string, unknown>
    expect(time.date_start).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+0[12]:00$/)
    expect(Number.isInteger(time.operating_reset_at)).toBe(true)
    expect(time.operating as number).toBeLessThan(5)
  })

  it('answers server.time in the portal zone and accepts .json, // and urlencoded bodies', async () => {
    const t = await post(hook, 'server.time.json')
    expect(t.body.result).toMatch(/\+0[12]:00$/)
    const res = await fetch(`${hook}/crm.deal.list`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'filter[>ID]=100&select[0]=ID&order[ID]=DESC',
    })
    const body = (await res.json()) as { result: { ID: string }[]; total: number }
    expect(ids(body.result)).toEqual(Array.from({ length: 20 }, (_, i) => 120 - i))
    expect(body.total).toBe(20)
  })

  it('reads multipart/form-data text fields with bracket names', async () => {
    const form = new FormData()
    form.append('filter[>ID]', '117')
    form.append('select[]', 'ID')
    const res = await fetch(`${hook}/crm.deal.list`, { method: 'POST', body: form })
    const body = (await res.json()) as { result: { ID: string }[] }
    expect(ids(body.result)).toEqual([118, 119, 120])
  })

  it('folds top-level keys case-insensitively; the later key wins', async () => {
    const { body } = await post(hook, 'user.get', { FILTER: { ID: 3 }, filter: { ID: 2 } })
    expect(ids(body.result)).toEqual([2])
  })
})

describe('paging', () => {
  it('pages by 50 with total and next, no next on the last page', async () => {
    const p1 = await post(hook, 'crm.deal.list', { select: ['ID'], order: { ID: 'ASC' } })
    expect(ids(p1.body.result)).toHaveLength(50)
    expect(p1.body.total).toBe(120)
    expect(p1.body.next).toBe(50)
    const p3 = await post(hook, 'crm.deal.list', { select: ['ID'], order: { ID: 'ASC' }, start: 100 })
    expect(ids(p3.body.result)).toEqual(Array.from({ length: 20 }, (_, i) => 101 + i))
    expect(p3.body.total).toBe(120)
    expect('next' in p3.body).toBe(false)
  })

  it('start=-1 returns up to 50 rows after >ID, total 0 and no next', async () => {
    const { body } = await post(hook, 'crm.deal.list', {
      select: ['ID'],
      order: { ID: 'ASC' },
      filter: { '>ID': 60 },
      start: -1,
    })
    expect(ids(body.result)).toEqual(Array.from({ length: 50 }, (_, i) => 61 + i))
    expect(body.total).toBe(0)
    expect('next' in body).toBe(false)
    const desc = await post(hook, 'crm.deal.list', {
      select: ['ID'],
      order: { ID: 'DESC' },
      filter: { '<ID': 10 },
      start: -1,
    })
    expect(ids(desc.body.result)).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1])
  })

  it('orders by any field, ties by ID', async () => {
    const { body } = await post(hook, 'crm.deal.list', {
      select: ['ID', 'OPPORTUNITY'],
      order: { OPPORTUNITY: 'DESC' },
      filter: { '<=ID': 12 },
    })
    expect(ids(body.result)).toEqual([12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1])
    const byDate = await post(hook, 'crm.deal.list', {
      select: ['ID'],
      order: { DATE_CREATE: 'ASC' },
      filter: { '@ID': [1, 12, 13] },
    })
    // deal 12 is created in January (month 1), deal 1 in February, deal 13 in February too (day 14 > day 2).
    expect(ids(byDate.body.result)).toEqual([12, 1, 13])
  })
})

describe('filters', () => {
  const count = async (filter: Record<string, unknown>): Promise<number> =>
    (await post(hook, 'crm.deal.list', { filter, select: ['ID'] })).body.total as number

  it('supports comparison, IN, NOT IN, LIKE and negation prefixes', async () => {
    expect(await count({ '>=ID': 100, '<ID': 110 })).toBe(10)
    expect(await count({ '@ID': [1, 2, 3, 999] })).toBe(3)
    expect(await count({ ID: [1, 2] })).toBe(2)
    expect(await count({ '!@ID': [1, 2], '<=ID': 5 })).toBe(3)
    expect(await count({ '%TITLE': 'special' })).toBe(12)
    expect(await count({ '=%TITLE': 'Special deal 1%' })).toBe(3) // 13, 103, 113
    expect(await count({ '!%TITLE': 'special', '<=ID': 20 })).toBe(18)
    expect(await count({ '!ID': 1, '<=ID': 5 })).toBe(4)
    expect(await count({ '!=STAGE_SEMANTIC_ID': 'P', '<=ID': 10 })).toBe(3) // 5, 7, 10
    expect(await count({ '>OPPORTUNITY': 10000, '<=OPPORTUNITY': 11000 })).toBe(10)
    expect(await count({ STAGE_ID: 'C1:WON' })).toBe(6) // multiples of 20
    expect(await count({ UTM_SOURCE: '' })).toBe(40) // null matches empty
    expect(await count({ NO_SUCH_FIELD: 'x', '<=ID': 3 })).toBe(3) // legacy lists ignore unknown keys
  })

  it('compares dates as instants whether given as ISO or Y-m-d in the portal zone', async () => {
    // Deals 11, 23, … are created in December at 10:00 Berlin; Y-m-d means Berlin midnight.
    const a = await count({ '>=DATE_CREATE': '2024-12-01', '<DATE_CREATE': '2025-01-01' })
    const b = await count({ '>=DATE_CREATE': '2024-11-30T23:00:00+00:00', '<DATE_CREATE': '2024-12-31T23:00:00Z' })
    expect(a).toBe(10)
    expect(b).toBe(a)
    expect(
      await count({ '>DATE_CREATE': '2024-12-29T09:59:59+01:00', '<DATE_CREATE': '2024-12-29T10:00:01+01:00' }),
    ).toBe(0)
    // Deals 1 and 85 are created 2024-02-02 10:00 Berlin = 09:00Z; local wall-clock values work too.
    expect(await count({ '>=DATE_CREATE': '2024-02-02T09:00:00Z', '<=DATE_CREATE': '2024-02-02 10:00:00' })).toBe(2)
  })

  it('rejects a non-object filter with the documented 400', async () => {
    const { status, body } = await post(hook, 'crm.deal.list', { filter: 'x' })
    expect(status).toBe(400)
    expect(body).toEqual({ error: '', error_description: "Parameter 'filter' must be array." })
  })
})

describe('select', () => {
  it('default select returns standard fields and single-valued UF fields', async () => {
    const { body } = await post(hook, 'crm.deal.list', { filter: { ID: 1 } })
    const row = (body.result as Record<string, unknown>[])[0]
    expect(row.TITLE).toBe('Deal 1')
    expect(row.UF_CRM_CITY).toBe('101')
    expect('UF_CRM_TAGS' in row).toBe(false) // multiple fields only by name
  })

  it('* without UF_* drops user fields; names and UF_* add them; ID always comes', async () => {
    const star = (await post(hook, 'crm.deal.list', { filter: { ID: 1 }, select: ['*'] })).body.result as Record<
      string,
      unknown
    >[]
    expect('UF_CRM_CITY' in star[0]).toBe(false)
    const named = (await post(hook, 'crm.deal.list', { filter: { ID: 1 }, select: ['TITLE', 'UF_CRM_TAGS'] })).body
      .result as Record<string, unknown>[]
    expect(named[0]).toEqual({ ID: '1', TITLE: 'Deal 1', UF_CRM_TAGS: ['7', '8'] })
    const uf = (await post(hook, 'crm.deal.list', { filter: { ID: 1 }, select: ['UF_*'] })).body.result as Record<
      string,
      unknown
    >[]
    expect(uf[0]).toEqual({ ID: '1', UF_CRM_CITY: '101' })
  })

  it('crm.deal.get returns the whole row; crm.deal.fields describes UF items', async () => {
    const got = await post(hook, 'crm.deal.get', { id: 5 })
    expect((got.body.result as Record<string, unknown>).UF_CRM_TAGS).toEqual(['7', '8'])
    const missing = await post(hook, 'crm.deal.get', { id: 5000 })
    expect(missing.status).toBe(400)
    expect(missing.body.error_description).toBe('Not found')
    const fields = (await post(hook, 'crm.deal.fields')).body.result as Record<string, Record<string, unknown>>
    expect(fields.STAGE_ID).toMatchObject({ type: 'crm_status', statusType: 'DEAL_STAGE' })
    expect(fields.UF_CRM_CITY.items).toEqual([
      { ID: '101', VALUE: 'Berlin' },
      { ID: '102', VALUE: 'Hamburg' },
    ])
    expect(fields.UF_CRM_TAGS.isMultiple).toBe(true)
  })
})

describe('other list methods', () => {
  it('crm.stagehistory.list: result.items with JSON numbers; strict fields', async () => {
    const { body } = await post(hook, 'crm.stagehistory.list', {
      entityTypeId: 2,
      order: { ID: 'ASC' },
      filter: { OWNER_ID: 5 },
      select: ['ID', 'STAGE_ID', 'OWNER_ID'],
    })
    const items = (body.result as { items: Record<string, unknown>[] }).items
    expect(items).toEqual([
      { ID: 5, STAGE_ID: 'NEW', OWNER_ID: 5 },
      { ID: 6, STAGE_ID: 'WON', OWNER_ID: 5 },
    ])
    expect(body.total).toBe(2)
    const bad = await post(hook, 'crm.stagehistory.list', { entityTypeId: 2, filter: { STATUS_ID: 'NEW' } })
    expect(bad.status).toBe(400)
    expect(bad.body).toEqual({
      error: 'INVALID_ARG_VALUE',
      error_description: "Invalid filter: field 'STATUS_ID' is not allowed in filter",
    })
    const badDir = await post(hook, 'crm.stagehistory.list', { entityTypeId: 2, order: { ID: 'UP' } })
    expect(badDir.body.error).toBe('INVALID_ARG_VALUE')
    const leads = await post(hook, 'crm.stagehistory.list', { entityTypeId: 1, filter: { '>ID': 8 } })
    expect((leads.body.result as { items: { STATUS_ID: string }[] }).items.map((i) => i.STATUS_ID)).toEqual([
      'NEW',
      'NEW',
    ])
    const other = await post(hook, 'crm.stagehistory.list', { entityTypeId: 31 })
    expect(other.body.error).toBe('ENTITY_TYPE_NOT_SUPPORTED')
  })

  it('crm.status.list needs a string ENTITY_ID and ignores select', async () => {
    const { body } = await post(hook, 'crm.status.list', { filter: { ENTITY_ID: 'DEAL_STAGE_1' }, select: ['NAME'] })
    expect((body.result as { STATUS_ID: string }[]).map((s) => s.STATUS_ID)).toEqual(['C1:NEW', 'C1:WON', 'C1:LOSE'])
    expect((body.result as Record<string, unknown>[])[0]).toHaveProperty('SEMANTICS')
    const bad = await post(hook, 'crm.status.list', { filter: { ENTITY_ID: ['DEAL_STAGE'] } })
    expect(bad.status).toBe(400)
    expect(bad.body.error_description).toBe('Filter by ENTITY_ID must be a string')
    const types = (await post(hook, 'crm.status.entity.types')).body.result as {
      ID: string
      SEMANTIC_INFO?: Record<string, string>
    }[]
    expect(types.find((t) => t.ID === 'DEAL_STAGE_1')?.SEMANTIC_INFO?.FINAL_SUCCESS_FIELD).toBe('C1:WON')
  })

  it('crm.category.list, userfields, currencies', async () => {
    const cats = await post(hook, 'crm.category.list', { entityTypeId: 2 })
    expect((cats.body.result as { categories: { id: number }[] }).categories.map((c) => c.id)).toEqual([1, 0])
    const uf = await post(hook, 'crm.deal.userfield.list', {})
    expect((uf.body.result as Record<string, unknown>[]).map((f) => f.FIELD_NAME)).toEqual([
      'UF_CRM_CITY',
      'UF_CRM_TAGS',
    ])
    expect((uf.body.result as Record<string, unknown>[])[0]).not.toHaveProperty('EDIT_FORM_LABEL')
    const ufLang = await post(hook, 'crm.deal.userfield.list', { filter: { LANG: 'en' } })
    expect((ufLang.body.result as Record<string, unknown>[])[0].EDIT_FORM_LABEL).toBe('City')
    const cur = await post(hook, 'crm.currency.list')
    expect(cur.body.total).toBe(0)
    expect((cur.body.result as unknown[]).length).toBe(2)
  })

  it('crm.activity.list filters BINDINGS and selects BINDINGS only by name', async () => {
    const { body } = await post(hook, 'crm.activity.list', {
      filter: {
        BINDINGS: [
          { OWNER_TYPE_ID: 1, OWNER_ID: 5 },
          { OWNER_TYPE_ID: 2, OWNER_ID: 3 },
        ],
      },
      select: ['ID', 'OWNER_ID', 'BINDINGS'],
      order: { ID: 'ASC' },
    })
    const rows = body.result as { ID: string; BINDINGS: unknown[] }[]
    expect(rows.map((r) => r.ID)).toEqual(['1001', '1002', '1032'])
    expect(rows[0].BINDINGS).toHaveLength(2)
    const plain = (await post(hook, 'crm.activity.list', { filter: { ID: 1002 } })).body.result as Record<
      string,
      unknown
    >[]
    expect(plain[0]).not.toHaveProperty('BINDINGS')
    expect(plain[0].SETTINGS).toEqual([])
    const b = await post(hook, 'crm.activity.binding.list', { activityId: 1001 })
    expect(b.body.result).toEqual([
      { entityTypeId: 2, entityId: 2 },
      { entityTypeId: 1, entityId: 5 },
    ])
  })

  it('user.get takes string sort/order and start -1; object order is refused', async () => {
    const { body } = await post(hook, 'user.get', { sort: 'ID', order: 'DESC', FILTER: { ACTIVE: true } })
    expect(ids(body.result)).toEqual([3, 2, 1])
    const dept = await post(hook, 'user.get', { FILTER: { UF_DEPARTMENT: 3 }, start: -1 })
    expect(ids(dept.body.result)).toEqual([3])
    expect(dept.body.total).toBe(0)
    const bad = await post(hook, 'user.get', { order: { ID: 'ASC' } })
    expect(bad.status).toBe(400)
    expect(bad.body.error).toBe('ERROR_ARGUMENT')
    const me = await post(`${portal.url}/rest/2/demo`, 'user.current')
    expect((me.body.result as { ID: string }).ID).toBe('2')
    const d = await post(hook, 'department.get', { ID: 3 })
    expect(d.body.result).toEqual([{ ID: '3', NAME: 'Sales', SORT: 500, PARENT: '1' }])
  })

  it('voximplant.statistic.get and tasks.task.list', async () => {
    const calls = await post(hook, 'voximplant.statistic.get', {
      FILTER: { CALL_FAILED_CODE: '200' },
      SORT: 'CALL_DURATION',
      ORDER: 'DESC',
    })
    expect(ids(calls.body.result)).toEqual([5, 4, 2, 1])
    const tasks = await post(hook, 'tasks.task.list', {
      filter: { UF_CRM_TASK: 'D_2' },
      select: ['ID', 'TITLE', 'UF_CRM_TASK'],
    })
    expect((tasks.body.result as { tasks: unknown[] }).tasks).toEqual([
      { id: '2', title: 'Task 2', ufCrmTask: ['D_2', 'L_1'] },
    ])
    const walk = await post(hook, 'tasks.task.list', {
      order: { ID: 'ASC' },
      filter: { '>ID': 3 },
      start: -1,
      select: ['ID'],
    })
    expect((walk.body.result as { tasks: { id: string }[] }).tasks.map((t) => t.id)).toEqual(['4', '5'])
    expect(walk.body.total).toBe(0)
  })
})
