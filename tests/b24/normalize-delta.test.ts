/**
 * A delta normalised on its own and spliced into the cached data (issue 11.2) must give exactly
 * what normalising the whole dump after the delta gives, and its patch must turn the cached data
 * into that: every row in its order, every dictionary, every problem — for deals, leads, history
 * rows, activities, calls and tasks changed, added and deleted, and for the rows that read them
 * (a lead's source, an activity's call row, a call's activity, a task's activity, a touch that
 * binds to other deals). What cannot be spliced exactly must say so (null): the caller then
 * normalises the whole dump.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { dumpToCrmData } from '../../src/b24/normalize'
import { normalizeDelta, type WireDelta } from '../../src/b24/normalize-delta'
import { parseSettings, SETTINGS_OPTION } from '../../src/b24/settings'
import { ALL_TABLES, type TableName } from '../../src/b24/tables'
import type { PortalDump } from '../../src/b24/wire'
import { applyPatch } from '../../src/engine/patch'
import { generatePortal } from '../../src/demo-portal/generator'
import { applyToDump } from '../../src/sync/delta-rows'

const base = generatePortal({ seed: 11, deals: 300 })
const settings = parseSettings(base.appOptions?.[SETTINGS_OPTION])
const cached = dumpToCrmData(base, settings)

type Row = Record<string, unknown>
const rows = (t: TableName) => (base as unknown as Record<string, Row[]>)[t]
const find = (t: TableName, pred: (r: Row) => boolean) => {
  const r = rows(t).find(pred)
  if (!r) throw new Error(`no ${t} row for the case`)
  return r
}
const edit = (r: Row, fields: Row): Row => ({ ...r, ...fields })
const upsert = (t: TableName, ...list: Row[]): WireDelta => ({ upserts: { [t]: list } })
const del = (t: TableName, ...ids: unknown[]): WireDelta => ({ deletes: { [t]: ids.map(String) } })
const both = (...parts: WireDelta[]): WireDelta => ({
  upserts: Object.assign({}, ...parts.map((p) => p.upserts ?? {})),
  deletes: Object.assign({}, ...parts.map((p) => p.deletes ?? {})),
})
const maxId = (t: TableName) => rows(t).reduce((m, r) => Math.max(m, Number(r.ID ?? r.id)), 0)

/** The whole way: the dump after the delta normalised afresh. */
function expected(delta: WireDelta): ReturnType<typeof dumpToCrmData> {
  const after = applyToDump(base, ALL_TABLES, { upserts: {}, deletes: {}, ...delta }, base.portal)
  return dumpToCrmData(structuredClone(after), settings)
}

function spliced(delta: WireDelta) {
  return normalizeDelta(base, cached, delta, base.portal, settings)
}

function expectExact(delta: WireDelta): void {
  const before = JSON.stringify(cached)
  const out = spliced(delta)
  expect(out).not.toBeNull()
  const want = expected(delta)
  expect(out!.data).toEqual(want)
  expect(applyPatch(cached, out!.patch)).toEqual(want)
  // The cached data (on screen, and the base of the engine's patch) is never written to.
  expect(JSON.stringify(cached)).toBe(before)
}

const dealWithLead = find('deals', (d) => Number(d.LEAD_ID) > 0 && !d.SOURCE_ID)
const callActivity = find('activities', (a) => a.PROVIDER_ID === 'VOXIMPLANT_CALL' && a.COMPLETED === 'Y')
const callOfActivity = find('calls', (c) => c.CRM_ACTIVITY_ID === callActivity.ID)
const orphanCall = find('calls', (c) => !rows('activities').some((a) => a.ID === c.CRM_ACTIVITY_ID))
const dealBound = find('activities', (a) => a.OWNER_TYPE_ID === '2')
const taskActivity = rows('activities').find((a) => String(a.TYPE_ID) === '3' && Number(a.ASSOCIATED_ENTITY_ID) > 0)
const openDeal = find('deals', (d) => d.STAGE_SEMANTIC_ID === 'P' && d.CATEGORY_ID === '0')
const someStage = find('dealHistory', (h) => Number(h.OWNER_ID) === Number(openDeal.ID))

const CASES: { name: string; delta: () => WireDelta }[] = [
  { name: 'a deal moves stage', delta: () => upsert('deals', edit(openDeal, { STAGE_ID: 'PREPARATION' })) },
  {
    name: 'a deal changes amount and manager',
    delta: () => upsert('deals', edit(rows('deals')[9], { OPPORTUNITY: '12.5', ASSIGNED_BY_ID: '1' })),
  },
  {
    name: 'a deal is added with its history row',
    delta: () =>
      both(
        upsert('deals', edit(openDeal, { ID: String(maxId('deals') + 1) })),
        upsert('dealHistory', { ...someStage, ID: maxId('dealHistory') + 1, OWNER_ID: maxId('deals') + 1 }),
      ),
  },
  { name: 'deals are deleted', delta: () => del('deals', rows('deals')[0].ID, rows('deals')[150].ID) },
  {
    name: 'history rows: one moved in time, one deleted, one added late',
    delta: () =>
      both(
        upsert('dealHistory', edit(rows('dealHistory')[20], { CREATED_TIME: '2025-01-02T10:00:00+03:00' }), {
          ...someStage,
          ID: maxId('dealHistory') + 5,
          CREATED_TIME: '2024-12-01T10:00:00+03:00',
        }),
        del('dealHistory', rows('dealHistory')[40].ID),
      ),
  },
  {
    name: 'a lead changes source: its deal without a source of its own follows',
    delta: () =>
      upsert(
        'leads',
        edit(
          find('leads', (l) => l.ID === dealWithLead.LEAD_ID),
          { SOURCE_ID: 'EMAIL' },
        ),
      ),
  },
  {
    name: 'a lead is deleted: its deal loses the borrowed source',
    delta: () => del('leads', dealWithLead.LEAD_ID),
  },
  {
    name: 'a lead and its history change',
    delta: () =>
      both(
        upsert(
          'leads',
          edit(
            find('leads', (l) => l.STATUS_SEMANTIC_ID === 'P'),
            { TITLE: 'renamed', OPPORTUNITY: '7' },
          ),
        ),
        upsert('leadHistory', edit(rows('leadHistory')[3], { CREATED_TIME: '2025-02-02T10:00:00+03:00' })),
      ),
  },
  {
    name: "a call's statistics row changes: its activity's touch follows",
    delta: () => upsert('calls', edit(callOfActivity, { CALL_DURATION: '999' })),
  },
  {
    name: 'a call activity is deleted: its call becomes a touch of its own',
    delta: () => del('activities', callActivity.ID),
  },
  {
    name: 'an orphan call and a new one',
    delta: () =>
      upsert('calls', edit(orphanCall, { CALL_TYPE: '2' }), edit(orphanCall, { ID: String(maxId('calls') + 1) })),
  },
  {
    name: 'a touch rebinds to another deal, another one is added',
    delta: () =>
      upsert(
        'activities',
        edit(dealBound, {
          OWNER_ID: String(rows('deals')[40].ID),
          BINDINGS: [{ OWNER_TYPE_ID: '2', OWNER_ID: String(rows('deals')[40].ID) }],
        }),
        edit(dealBound, { ID: String(maxId('activities') + 1), START_TIME: '2025-03-01T10:00:00+03:00' }),
      ),
  },
  {
    name: 'tasks: one changed, one added, one deleted',
    delta: () =>
      both(
        upsert(
          'tasks',
          edit(rows('tasks')[2], { ufCrmTask: ['D_7', 'C_1'] }),
          edit(rows('tasks')[5], { id: String(maxId('tasks') + 1) }),
        ),
        del('tasks', rows('tasks')[8].id),
      ),
  },
  {
    name: "a deal loses its city field: its manager's department stands for the city (canonical key)",
    delta: () => {
      const lost = rows('deals')
        .map((r) => upsert('deals', edit(r, { UF_CRM_CITY: null })))
        .find((d) => spliced(d) !== null)
      if (!lost) throw new Error('no deal whose fallback city is on the list')
      return lost
    },
  },
  {
    name: "a lead's city (the lead field's own item) made the deal field's item of that name",
    delta: () =>
      upsert(
        'leads',
        edit(
          find('leads', (l) => l.STATUS_SEMANTIC_ID === 'P' && !!l.UF_CRM_CITY),
          { TITLE: 'x' },
        ),
      ),
  },
  ...(taskActivity
    ? [
        {
          name: "a task's TYPE_ID 3 activity is deleted: the task becomes a touch",
          delta: () => del('activities', taskActivity.ID),
        },
      ]
    : []),
]

describe('normalizeDelta: the delta spliced into the cached data', () => {
  it('the cached portal has the rows the cases need', () => {
    expect(cached.problems.length).toBeGreaterThanOrEqual(0)
    expect(taskActivity).toBeDefined()
  })

  it.each(CASES)('$name: exactly the whole normalisation', ({ delta }) => expectExact(delta()))

  it('random deltas over deals, leads, history, activities, calls and tasks', () => {
    const tables: TableName[] = ['deals', 'leads', 'dealHistory', 'leadHistory', 'activities', 'calls', 'tasks']
    const op = fc.record({
      table: fc.constantFrom(...tables),
      row: fc.nat({ max: 5000 }),
      kind: fc.constantFrom('touch', 'shift', 'delete', 'add', 'rebind'),
      n: fc.nat({ max: 40 }),
    })
    let spliceds = 0
    let nulls = 0
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 8 }), (ops) => {
        const delta: Required<WireDelta> = { upserts: {}, deletes: {}, replace: {} }
        const used = new Set<string>()
        let fresh = 0
        for (const { table, row, kind, n } of ops) {
          const list = rows(table)
          const r = list[row % list.length]
          const idKey = table === 'tasks' ? 'id' : 'ID'
          if (used.has(`${table}:${r[idKey]}`)) continue
          used.add(`${table}:${r[idKey]}`)
          const put = (x: Row) => (delta.upserts[table] ??= []).push(x as never)
          if (kind === 'delete') (delta.deletes[table] ??= []).push(String(r[idKey]))
          else if (kind === 'add') put({ ...r, [idKey]: String(maxId(table) + 1 + fresh++) })
          else if (kind === 'shift') put(shifted(table, r, n))
          else if (kind === 'rebind') put(rebound(table, r, n))
          else put({ ...r, TITLE: `t${n}`, OPPORTUNITY: String(n), CALL_DURATION: String(n), status: String(n % 6) })
        }
        const out = spliced(delta)
        // Not every random delta can be spliced (a problem row, a new city…): those normalise whole.
        if (out === null) return void nulls++
        spliceds++
        const want = expected(delta)
        expect(out.data).toEqual(want)
        expect(applyPatch(cached, out.patch)).toEqual(want)
      }),
      { numRuns: 60 },
    )
    // Most random deltas are spliced (the rest name a problem row or a new city).
    expect(spliceds).toBeGreaterThan(nulls)
  })
})

/**
 * The reverse of the cases above: a cached dump where a touch's owning activity is missing (its
 * call or task was a touch of its own), and a delta that brings the activity back. The row as it
 * was must be read with the ownership it had, or its own touch stays beside the activity's.
 */
describe('normalizeDelta: an activity comes back and owns its call or task again', () => {
  const without = (activity: Row) => {
    const dump = structuredClone(base)
    dump.activities = dump.activities.filter((a) => a.ID !== activity.ID)
    return { dump, data: dumpToCrmData(structuredClone(dump), settings) }
  }
  it.each([
    ['a call activity: its call stops being a touch of its own', callActivity],
    ["a task's TYPE_ID 3 activity: the task stops being a touch of its own", taskActivity!],
  ])('%s', (_name, activity) => {
    const before = without(activity)
    const delta = upsert('activities', activity)
    const out = normalizeDelta(before.dump, before.data, delta, base.portal, settings)
    expect(out).not.toBeNull()
    const after = applyToDump(before.dump, ALL_TABLES, { upserts: {}, deletes: {}, ...delta }, base.portal)
    const want = dumpToCrmData(structuredClone(after), settings)
    expect(out!.data).toEqual(want)
    expect(applyPatch(before.data, out!.patch)).toEqual(want)
  })
})

/** The row's time fields moved by `n` days (its place in a sorted table changes). */
function shifted(table: TableName, r: Row, n: number): Row {
  const day = `2025-0${1 + (n % 9)}-1${n % 10}T10:00:00+03:00`
  if (table === 'dealHistory' || table === 'leadHistory') return { ...r, CREATED_TIME: day }
  if (table === 'activities') return { ...r, START_TIME: day, CREATED: day }
  if (table === 'calls') return { ...r, CALL_START_DATE: day }
  if (table === 'tasks') return { ...r, createdDate: day }
  return { ...r, DATE_MODIFY: day, MOVED_TIME: day }
}

/** The row bound to another owner (a deal's lead, a touch's deal, a call's activity, a task's deal). */
function rebound(table: TableName, r: Row, n: number): Row {
  const deal = String(rows('deals')[n % rows('deals').length].ID)
  const activity = String(rows('activities')[(n * 7) % rows('activities').length].ID)
  if (table === 'deals') return { ...r, LEAD_ID: String(rows('leads')[n].ID), SOURCE_ID: null }
  if (table === 'activities') return { ...r, OWNER_TYPE_ID: '2', OWNER_ID: deal, BINDINGS: undefined }
  if (table === 'calls') return { ...r, CRM_ACTIVITY_ID: n % 3 === 0 ? '0' : activity }
  if (table === 'tasks') return { ...r, ufCrmTask: [`D_${deal}`] }
  if (table === 'leads') return { ...r, SOURCE_ID: n % 2 ? null : 'WEB' }
  return { ...r, OWNER_ID: deal }
}

describe('normalizeDelta: what it leaves to a whole normalisation', () => {
  const openDealRow = openDeal
  it.each([
    ['a dictionary replaced', { replace: { statuses: rows('statuses') } } as WireDelta],
    ['a row with a data problem', upsert('deals', edit(openDealRow, { DATE_CREATE: 'soon', DATE_MODIFY: null }))],
    ['a free-text loss reason', upsert('deals', edit(openDealRow, { UF_CRM_LOSS_REASON: 'too dear' }))],
    ['a city not in the list', upsert('deals', edit(openDealRow, { UF_CRM_CITY: '987654' }))],
    ['a table the splicing does not know', upsert('users', rows('users')[0])],
    [
      'a delta larger than the limit',
      upsert(
        'activities',
        ...rows('activities')
          .slice(0, 400)
          .map((a) => edit(a, { SUBJECT: 'x' })),
      ),
    ],
  ])('%s: null', (_name, delta) => {
    expect(spliced(delta)).toBeNull()
  })

  it('another portal fact (the time zone): null', () => {
    expect(normalizeDelta(base, cached, {}, { ...base.portal!, timeZone: 'Asia/Tokyo' }, settings)).toBeNull()
  })

  it('an empty delta: the same data, an empty patch', () => {
    const out = spliced({})
    expect(out!.data).toEqual(cached)
    expect(out!.data.deals).toBe(cached.deals)
    expect(out!.patch.deals).toEqual({ changed: [], added: [], removed: [] })
  })
})

export type { PortalDump }
