import { describe, expect, it } from 'vitest'
import { dumpToCrmData } from '../../src/b24/normalize'
import { activityKind } from '../../src/b24/normalize-touches'
import { activity, call, deal, emptyDump, enumField, history, lead, status, task, user } from './fixtures'
import type { PortalDump } from '../../src/b24/wire'

function portal(): PortalDump {
  const d = emptyDump()
  d.statuses = [
    // Deliberately shuffled: failure first, success with a lower SORT than a process stage.
    status('DEAL_STAGE', 'LOSE', 70, 'F', 'Lost'),
    status('DEAL_STAGE', 'WON', 5, 'S', 'Won'),
    status('DEAL_STAGE', 'PREPARATION', 20, null, 'Prep'),
    status('DEAL_STAGE', 'NEW', 10, null, 'New'),
    status('DEAL_STAGE', 'APOLOGY', 60, 'F', 'Analysis'),
    status('DEAL_STAGE_1', 'C1:NEW', 10, null),
    status('DEAL_STAGE_1', 'C1:WON', 20, 'S'),
    status('STATUS', 'NEW', 10, null),
    status('STATUS', 'CONVERTED', 20, 'S'),
    status('STATUS', 'JUNK', 30, 'F'),
    status('SOURCE', 'WEB', 20, null, 'Website'),
    status('SOURCE', 'CALL', 10, null, 'Call'),
  ]
  d.dealCategories = [
    { id: 1, name: 'Wholesale', sort: 200, entityTypeId: 2, isDefault: 'N' },
    { id: 0, name: 'General', sort: 100, entityTypeId: 2, isDefault: 'Y' },
  ]
  d.dealUserFields = [
    enumField('UF_CRM_CITY', [
      ['101', 'Moscow'],
      ['102', 'Kazan'],
    ]),
    enumField('UF_CRM_LOSS_REASON', [['201', 'Too expensive']]),
  ]
  d.users = [user('1', [7]), user('2', [])]
  d.departments = [{ ID: '7', NAME: 'North office', SORT: 500, PARENT: '1' }]
  d.currencies = [
    {
      CURRENCY: 'RUB',
      AMOUNT_CNT: '1',
      AMOUNT: '1.0000',
      SORT: '100',
      BASE: 'Y',
      FULL_NAME: 'Ruble',
      LID: 'ru',
      FORMAT_STRING: '#',
      DEC_POINT: '.',
      THOUSANDS_SEP: ' ',
      DECIMALS: '2',
      DATE_UPDATE: '',
    },
    {
      CURRENCY: 'JPY',
      AMOUNT_CNT: '100',
      AMOUNT: '60.0000',
      SORT: '200',
      BASE: 'N',
      FULL_NAME: 'Yen',
      LID: 'ru',
      FORMAT_STRING: '#',
      DEC_POINT: '.',
      THOUSANDS_SEP: ' ',
      DECIMALS: '2',
      DATE_UPDATE: '',
    },
  ]
  return d
}

describe('dictionaries', () => {
  it('orders stages: process by SORT, then success, then failure', () => {
    const data = dumpToCrmData(portal())
    expect(data.pipelines.map((p) => p.id)).toEqual([0, 1])
    expect(data.pipelines[0].stageIds).toEqual(['NEW', 'PREPARATION', 'WON', 'APOLOGY', 'LOSE'])
    expect(data.pipelines[1]).toMatchObject({ name: 'Wholesale', stageIds: ['C1:NEW', 'C1:WON'] })
    expect(data.stages.find((s) => s.id === 'PREPARATION')?.semantic).toBe('P')
    expect(data.stages.find((s) => s.id === 'C1:WON')).toMatchObject({ semantic: 'S', categoryId: 1 })
    expect(data.leadStatuses.map((s) => [s.id, s.semantic])).toEqual([
      ['NEW', 'P'],
      ['CONVERTED', 'S'],
      ['JUNK', 'F'],
    ])
    expect(data.sources).toEqual([
      { id: 'CALL', name: 'Call' },
      { id: 'WEB', name: 'Website' },
    ])
    expect(data.lossReasons).toEqual([{ id: '201', name: 'Too expensive' }])
  })

  it('reads currency rates as AMOUNT / AMOUNT_CNT and picks the base currency', () => {
    const data = dumpToCrmData(portal())
    expect(data.currencies).toEqual([
      { code: 'RUB', rate: 1, base: true },
      { code: 'JPY', rate: 0.6, base: false },
    ])
    expect(data.portal.currency).toBe('RUB')
    expect(dumpToCrmData(portal(), { currency: 'JPY' }).portal.currency).toBe('JPY')
  })
})

describe('deals and leads', () => {
  it('converts wire strings, takes the lead source when the deal has none, and resolves the city', () => {
    const d = portal()
    d.leads = [lead('5', { SOURCE_ID: 'CALL' })]
    d.deals = [
      deal('1', {
        UF_CRM_CITY: '102',
        UF_CRM_LOSS_REASON: '201',
        STAGE_ID: 'LOSE',
        STAGE_SEMANTIC_ID: 'F',
        CLOSED: 'Y',
        OPPORTUNITY: '19999.99',
      }),
      deal('2', { SOURCE_ID: null, LEAD_ID: '5', UF_CRM_CITY: null, ASSIGNED_BY_ID: '1' }),
      deal('3', {
        SOURCE_ID: '',
        LEAD_ID: null,
        UF_CRM_CITY: '',
        ASSIGNED_BY_ID: '2',
        COMPANY_ID: '0',
        CONTACT_ID: '44',
      }),
    ]
    const data = dumpToCrmData(d)
    const [a, b, c] = data.deals
    expect(a).toMatchObject({
      id: 1,
      amount: 19999.99,
      semantic: 'F',
      closed: true,
      cityId: '102',
      lossReasonId: '201',
      closedAt: Date.parse('2024-02-01T00:00:00+03:00'),
    })
    expect(b).toMatchObject({ sourceId: 'CALL', leadId: 5, cityId: 'dep:7', closed: false, closedAt: null })
    expect(c).toMatchObject({ sourceId: null, cityId: null, companyId: null, contactId: 44 })
    expect(a.createdAt).toBe(Date.UTC(2024, 0, 10, 7, 0, 0))
    expect(data.cities).toEqual([
      { id: '101', name: 'Moscow' },
      { id: '102', name: 'Kazan' },
      { id: 'dep:7', name: 'North office' },
    ])
    expect(data.problems).toEqual([])
  })

  it('merges city keys that name the same city: deal field, lead field and department', () => {
    const d = portal()
    d.leadUserFields = [
      enumField('UF_CRM_CITY', [
        ['501', 'Kazan'],
        ['502', 'Omsk'],
      ]),
    ]
    d.departments = [{ ID: '7', NAME: 'Moscow', SORT: 500, PARENT: '1' }]
    d.leads = [lead('5', { UF_CRM_CITY: '501' }), lead('6', { UF_CRM_CITY: '502' })]
    d.deals = [deal('1', { UF_CRM_CITY: '102' }), deal('2', { UF_CRM_CITY: null, ASSIGNED_BY_ID: '1' })]
    const data = dumpToCrmData(d)
    expect(data.leads.map((l) => l.cityId)).toEqual(['102', '502'])
    expect(data.deals.map((x) => x.cityId)).toEqual(['102', '101'])
    expect(data.cities).toEqual([
      { id: '101', name: 'Moscow' },
      { id: '102', name: 'Kazan' },
      { id: '502', name: 'Omsk' },
    ])
  })

  it('honours the settings field names', () => {
    const d = portal()
    d.dealUserFields.push(enumField('UF_CRM_BRANCH', [['9', 'Branch 9']]))
    d.deals = [deal('1', { UF_CRM_CITY: '101', UF_CRM_BRANCH: '9' })]
    const data = dumpToCrmData(d, { cityField: 'UF_CRM_BRANCH' })
    expect(data.deals[0].cityId).toBe('9')
    expect(data.cities[0]).toEqual({ id: '9', name: 'Branch 9' })
  })

  it('keeps what it can from malformed rows and lists every problem', () => {
    const d = portal()
    d.deals = [
      deal('', {}),
      deal('abc'),
      deal('3', { DATE_CREATE: 'yesterday', DATE_MODIFY: '' }),
      deal('4', { DATE_CREATE: 'not a date', DATE_MODIFY: '2024-03-01T00:00:00+03:00' }),
      deal('5', { STAGE_ID: 'C9:GHOST', STAGE_SEMANTIC_ID: 'X' as 'P', OPPORTUNITY: 'lots' }),
      deal('5'),
    ]
    d.leads = [lead('7', { STATUS_ID: 'NOPE' })]
    d.dealHistory = [
      history(1, 5, 'NEW', 'bad'),
      history(2, 5, 'GHOST', '2024-01-01T00:00:00+03:00'),
      { ...history(3, 5, 'NEW', '2024-01-01T00:00:00+03:00'), OWNER_ID: null as unknown as number },
    ]
    const data = dumpToCrmData(d)
    expect(data.deals.map((x) => x.id)).toEqual([4, 5])
    expect(data.deals[0].createdAt).toBe(Date.parse('2024-03-01T00:00:00+03:00'))
    expect(data.deals[1]).toMatchObject({ stageId: 'C9:GHOST', semantic: 'P', amount: 0 })
    expect(data.leads).toHaveLength(1)
    expect(data.dealEvents.map((e) => e.id)).toEqual([2])
    const kinds = data.problems.map((p) => `${p.table}:${p.kind}:${p.dropped ? 'dropped' : 'kept'}`).sort()
    expect(kinds).toEqual([
      'dealHistory:bad date:dropped',
      'dealHistory:missing id:dropped',
      'dealHistory:unknown stage:kept',
      'deals:bad amount:kept',
      'deals:bad date:dropped',
      'deals:bad date:kept',
      'deals:missing id:dropped',
      'deals:missing id:dropped',
      'deals:unknown stage:kept',
      'leads:unknown stage:kept',
    ])
  })

  it('reads lead semantics and closing dates', () => {
    const d = portal()
    d.leads = [
      lead('1', { STATUS_ID: 'JUNK', STATUS_SEMANTIC_ID: 'F', DATE_CLOSED: '2024-01-20T00:00:00+00:00' }),
      lead('2'),
    ]
    d.leadHistory = [
      {
        ID: 9,
        TYPE_ID: 1,
        OWNER_ID: 1,
        CREATED_TIME: '2024-01-05T10:00:00+03:00',
        STATUS_ID: 'NEW',
        STATUS_SEMANTIC_ID: 'P',
      },
    ]
    const data = dumpToCrmData(d)
    expect(data.leads[0]).toMatchObject({ semantic: 'F', closedAt: Date.UTC(2024, 0, 20) })
    expect(data.leads[1].closedAt).toBeNull()
    expect(data.leadEvents).toEqual([
      {
        id: 9,
        ownerId: 1,
        typeId: 1,
        stageId: 'NEW',
        categoryId: -1,
        semantic: 'P',
        at: Date.parse('2024-01-05T10:00:00+03:00'),
      },
    ])
  })
})

describe('touches', () => {
  it('maps activity types and providers to touch kinds', () => {
    expect(activityKind({ TYPE_ID: '2', PROVIDER_ID: 'VOXIMPLANT_CALL' })).toBe('call')
    expect(activityKind({ TYPE_ID: '4', PROVIDER_ID: 'CRM_EMAIL' })).toBe('email')
    expect(activityKind({ TYPE_ID: '1', PROVIDER_ID: 'CRM_MEETING' })).toBe('meeting')
    expect(activityKind({ TYPE_ID: '3', PROVIDER_ID: 'CRM_TASKS_TASK' })).toBe('task')
    expect(activityKind({ TYPE_ID: '6', PROVIDER_ID: 'CRM_SMS' })).toBe('sms')
    expect(activityKind({ TYPE_ID: '6', PROVIDER_ID: 'IMOPENLINES_SESSION' })).toBe('sms')
    expect(activityKind({ TYPE_ID: '6', PROVIDER_ID: 'REST_APP_WHATSAPP' })).toBe('sms')
    expect(activityKind({ TYPE_ID: '6', PROVIDER_ID: 'CRM_TODO' })).toBe('other')
    expect(activityKind({ TYPE_ID: '5', PROVIDER_ID: '' })).toBe('other')
  })

  it('resolves bindings, call durations, orphan calls and CRM tasks', () => {
    const d = portal()
    d.activities = [
      activity('10', {
        BINDINGS: [
          { OWNER_TYPE_ID: '2', OWNER_ID: '1' },
          { OWNER_TYPE_ID: '3', OWNER_ID: '5' },
          { OWNER_TYPE_ID: '2', OWNER_ID: '1' },
        ],
      }),
      activity('11', {
        TYPE_ID: '4',
        PROVIDER_ID: 'CRM_EMAIL',
        DIRECTION: '1',
        OWNER_TYPE_ID: '1',
        OWNER_ID: '8',
        COMPLETED: 'N',
      }),
      activity('12', {
        TYPE_ID: '3',
        PROVIDER_ID: 'CRM_TASKS_TASK',
        ASSOCIATED_ENTITY_ID: '77',
        OWNER_TYPE_ID: '2',
        OWNER_ID: '1',
      }),
      activity('13', { CREATED: '', START_TIME: 'garbage' }),
    ]
    d.calls = [
      call('1', '10', '95'),
      call('2', null, '30', { CRM_ENTITY_TYPE: 'COMPANY', CRM_ENTITY_ID: '3', CALL_TYPE: '2' }),
    ]
    d.tasks = [task('77', ['D_1']), task('78', ['D_1', 'CO_3', 'X_1', 'L_abc']), task('79', [])]
    const data = dumpToCrmData(d)
    const byId = new Map(data.touches.map((t) => [t.id, t]))
    expect([...byId.keys()].sort((a, b) => a - b)).toEqual([-156, -5, 10, 11, 12])
    expect(byId.get(10)).toMatchObject({
      kind: 'call',
      direction: 'out',
      durationSec: 95,
      dealIds: [1],
      contactIds: [5],
      at: Date.parse('2024-01-12T08:30:00+03:00'),
    })
    expect(byId.get(11)).toMatchObject({
      kind: 'email',
      direction: 'in',
      leadIds: [8],
      completed: false,
      at: Date.parse('2024-01-12T09:00:00+03:00'),
    })
    expect(byId.get(-5)).toMatchObject({ kind: 'call', direction: 'in', durationSec: 30, companyIds: [3] })
    expect(byId.get(-156)).toMatchObject({
      kind: 'task',
      dealIds: [1],
      companyIds: [3],
      responsibleId: 2,
      completed: false,
    })
    expect(data.problems).toEqual([
      expect.objectContaining({ table: 'activities', rowId: '13', kind: 'bad date', dropped: true }),
    ])
  })
  it('shares frozen binding lists: one empty list, one list per single owner (half a million touches weigh on the heap)', () => {
    const d = portal()
    d.activities = [
      activity('10', { OWNER_TYPE_ID: '2', OWNER_ID: '1' }),
      activity('11', { OWNER_TYPE_ID: '1', OWNER_ID: '8' }),
      activity('12', { OWNER_TYPE_ID: '2', OWNER_ID: '1' }),
      activity('14', {
        BINDINGS: [
          { OWNER_TYPE_ID: '2', OWNER_ID: '1' },
          { OWNER_TYPE_ID: '2', OWNER_ID: '2' },
        ],
      }),
    ]
    const data = dumpToCrmData(d)
    const [a, b, c, both] = [...data.touches].sort((x, y) => x.id - y.id)
    expect(a.dealIds).toEqual([1])
    expect(b.leadIds).toEqual([8])
    expect(a.leadIds).toEqual([])
    expect(both.dealIds).toEqual([1, 2])
    // One list object for every empty binding of every touch, and nobody can fill it for all of them.
    expect(a.leadIds).toBe(b.dealIds)
    expect(a.companyIds).toBe(b.contactIds)
    expect(Object.isFrozen(a.leadIds)).toBe(true)
    // Touches of one owner share its list, frozen for the same reason; longer lists are their own.
    expect(a.dealIds).toBe(c.dealIds)
    expect(Object.isFrozen(a.dealIds)).toBe(true)
    expect(Object.isFrozen(both.dealIds)).toBe(false)
  })
  it('rebuilds touches with every field in one literal: no telephony code where none was given', () => {
    const d = portal()
    d.activities = [activity('10', {}), activity('11', { TYPE_ID: '4', PROVIDER_ID: 'CRM_EMAIL' })]
    d.calls = [call('1', '10', '95'), call('2', null, '30', { CRM_ENTITY_TYPE: 'COMPANY', CRM_ENTITY_ID: '3' })]
    const byId = new Map(dumpToCrmData(d).touches.map((t) => [t.id, t]))
    expect('callFailedCode' in byId.get(11)!).toBe(false)
    expect(Object.keys(byId.get(10)!)).toEqual([
      'id',
      'kind',
      'direction',
      'at',
      'durationSec',
      'callFailedCode',
      'responsibleId',
      'completed',
      'dealIds',
      'leadIds',
      'contactIds',
      'companyIds',
    ])
    expect(Object.keys(byId.get(-5)!)).toEqual(Object.keys(byId.get(10)!))
  })
})

describe('rows repeated in a hand-written dump', () => {
  it('keeps the first row of an id, in id order or not ("7" and "07" are two ids, as the set reads them)', () => {
    for (const ids of [
      ['1', '2', '2', '3'],
      ['3', '1', '3'],
      ['7', '07'],
    ]) {
      const d = portal()
      d.deals = ids.map((id, i) => deal(id, { TITLE: `row ${i}` }))
      const titles = dumpToCrmData(d).deals.map((x) => x.title)
      const firstOfEach = ids.map((id, i) => [id, i] as const).filter(([id], i) => ids.indexOf(id) === i)
      expect(titles.sort()).toEqual(firstOfEach.map(([, i]) => `row ${i}`).sort())
    }
  })
})
