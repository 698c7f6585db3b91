/**
 * A small hand-made portal dump for the demo-portal contract tests, plus HTTP helpers.
 * 120 deals (three 50-row pages), Europe/Berlin time zone (+01:00 winter, +02:00 summer).
 */
import type {
  ActivityRow,
  CallRow,
  DealRow,
  LeadRow,
  PortalDump,
  StageHistoryRow,
  StatusRow,
  TaskRow,
  UserFieldRow,
  UserRow,
} from '../../src/b24/wire'

export const TZ = 'Europe/Berlin'

function status(
  entity: string,
  id: string,
  name: string,
  sort: number,
  semantics: 'S' | 'F' | null,
  cat: string | null,
  n: number,
): StatusRow {
  return {
    ID: String(n),
    ENTITY_ID: entity,
    STATUS_ID: id,
    NAME: name,
    NAME_INIT: '',
    SORT: String(sort),
    SYSTEM: 'N',
    CATEGORY_ID: cat,
    COLOR: '#39A8EF',
    SEMANTICS: semantics,
    EXTRA: { SEMANTICS: semantics === 'S' ? 'success' : semantics === 'F' ? 'failure' : 'process', COLOR: '#39A8EF' },
  }
}

function user(id: number, name: string, active = true, dept = 1): UserRow {
  return {
    ID: String(id),
    ACTIVE: active,
    NAME: name,
    LAST_NAME: `Test${id}`,
    SECOND_NAME: '',
    WORK_POSITION: 'Manager',
    PERSONAL_CITY: id % 2 ? 'Berlin' : 'Hamburg',
    TIME_ZONE: '',
    UF_DEPARTMENT: [dept],
    USER_TYPE: 'employee',
    IS_ONLINE: 'N',
    DATE_REGISTER: '2023-01-01T00:00:00+01:00',
  }
}

const pad = (n: number): string => String(n).padStart(2, '0')

/** Deal n: created 2024-01-(n%28+1) … ; assigned to users 1..3 round robin. */
export function deal(n: number): DealRow {
  const month = (n % 12) + 1
  const day = (n % 28) + 1
  const offset = month >= 4 && month <= 10 ? '+02:00' : '+01:00'
  const created = `2024-${pad(month)}-${pad(day)}T10:00:00${offset}`
  const won = n % 5 === 0
  const lost = n % 7 === 0 && !won
  const category = n % 4 === 0 ? '1' : '0'
  const prefix = category === '1' ? 'C1:' : ''
  return {
    ID: String(n),
    TITLE: n % 10 === 3 ? `Special deal ${n}` : `Deal ${n}`,
    TYPE_ID: 'SALE',
    CATEGORY_ID: category,
    STAGE_ID: `${prefix}${won ? 'WON' : lost ? 'LOSE' : 'NEW'}`,
    STAGE_SEMANTIC_ID: won ? 'S' : lost ? 'F' : 'P',
    IS_NEW: 'N',
    IS_RETURN_CUSTOMER: 'N',
    IS_REPEATED_APPROACH: 'N',
    PROBABILITY: null,
    CURRENCY_ID: 'EUR',
    OPPORTUNITY: `${n * 100}.00`,
    IS_MANUAL_OPPORTUNITY: 'N',
    TAX_VALUE: '0.00',
    LEAD_ID: null,
    COMPANY_ID: '0',
    CONTACT_ID: null,
    QUOTE_ID: null,
    BEGINDATE: created,
    CLOSEDATE: created,
    ASSIGNED_BY_ID: String((n % 3) + 1),
    CREATED_BY_ID: '1',
    MODIFY_BY_ID: '1',
    DATE_CREATE: created,
    DATE_MODIFY: created,
    OPENED: 'Y',
    CLOSED: won || lost ? 'Y' : 'N',
    COMMENTS: null,
    ADDITIONAL_INFO: null,
    LOCATION_ID: null,
    SOURCE_ID: n % 2 ? 'WEB' : 'CALL',
    SOURCE_DESCRIPTION: null,
    ORIGINATOR_ID: null,
    ORIGIN_ID: null,
    MOVED_BY_ID: '1',
    MOVED_TIME: created,
    LAST_ACTIVITY_TIME: created,
    LAST_ACTIVITY_BY: '1',
    UTM_SOURCE: n % 3 ? 'google' : null,
    UTM_MEDIUM: null,
    UTM_CAMPAIGN: null,
    UTM_CONTENT: null,
    UTM_TERM: null,
    UF_CRM_CITY: n % 2 ? '101' : '102',
    UF_CRM_TAGS: ['7', '8'],
  }
}

function lead(n: number): LeadRow {
  const created = `2024-02-${pad(n)}T09:00:00+01:00`
  return {
    ID: String(n),
    TITLE: `Lead ${n}`,
    NAME: 'Ann',
    LAST_NAME: null,
    STATUS_ID: n % 3 === 0 ? 'CONVERTED' : 'NEW',
    STATUS_SEMANTIC_ID: n % 3 === 0 ? 'S' : 'P',
    SOURCE_ID: 'WEB',
    CURRENCY_ID: 'EUR',
    OPPORTUNITY: '0.00',
    ASSIGNED_BY_ID: String((n % 3) + 1),
    CREATED_BY_ID: '1',
    MODIFY_BY_ID: '1',
    DATE_CREATE: created,
    DATE_MODIFY: created,
    DATE_CLOSED: '',
    CONTACT_ID: null,
    COMPANY_ID: '0',
    OPENED: 'Y',
    IS_RETURN_CUSTOMER: 'N',
    MOVED_TIME: created,
    UTM_SOURCE: null,
    UTM_MEDIUM: null,
    UTM_CAMPAIGN: null,
    UTM_CONTENT: null,
    UTM_TERM: null,
  }
}

function activity(n: number): ActivityRow {
  const t = `2024-03-${pad((n % 28) + 1)}T12:00:00+01:00`
  const dealId = (n % 30) + 1
  return {
    ID: String(1000 + n),
    OWNER_ID: String(dealId),
    OWNER_TYPE_ID: '2',
    TYPE_ID: '2',
    PROVIDER_ID: 'VOXIMPLANT_CALL',
    PROVIDER_TYPE_ID: 'CALL',
    ASSOCIATED_ENTITY_ID: '0',
    SUBJECT: `Call ${n}`,
    CREATED: t,
    LAST_UPDATED: t,
    START_TIME: t,
    END_TIME: t,
    DEADLINE: t,
    COMPLETED: 'Y',
    STATUS: '2',
    RESPONSIBLE_ID: String((dealId % 3) + 1),
    PRIORITY: '2',
    DIRECTION: '2',
    AUTHOR_ID: '1',
    EDITOR_ID: '1',
    SETTINGS: [],
    PROVIDER_PARAMS: [],
    BINDINGS:
      n === 1
        ? [
            { OWNER_TYPE_ID: '2', OWNER_ID: String(dealId) },
            { OWNER_TYPE_ID: '1', OWNER_ID: '5' },
          ]
        : undefined,
  }
}

const userFields: UserFieldRow[] = [
  {
    ID: '11',
    ENTITY_ID: 'CRM_DEAL',
    FIELD_NAME: 'UF_CRM_CITY',
    USER_TYPE_ID: 'enumeration',
    XML_ID: null,
    SORT: '100',
    MULTIPLE: 'N',
    MANDATORY: 'N',
    SHOW_FILTER: 'E',
    SHOW_IN_LIST: 'Y',
    EDIT_IN_LIST: 'Y',
    IS_SEARCHABLE: 'N',
    SETTINGS: { DISPLAY: 'LIST' },
    EDIT_FORM_LABEL: 'City',
    LIST_COLUMN_LABEL: 'City',
    LIST_FILTER_LABEL: 'City',
    LIST: [
      { ID: '101', SORT: '10', VALUE: 'Berlin', DEF: 'N', XML_ID: 'ber' },
      { ID: '102', SORT: '20', VALUE: 'Hamburg', DEF: 'N', XML_ID: 'ham' },
    ],
  },
  {
    ID: '12',
    ENTITY_ID: 'CRM_DEAL',
    FIELD_NAME: 'UF_CRM_TAGS',
    USER_TYPE_ID: 'enumeration',
    XML_ID: null,
    SORT: '200',
    MULTIPLE: 'Y',
    MANDATORY: 'N',
    SHOW_FILTER: 'E',
    SHOW_IN_LIST: 'Y',
    EDIT_IN_LIST: 'Y',
    IS_SEARCHABLE: 'N',
    SETTINGS: [],
    LIST: [
      { ID: '7', SORT: '10', VALUE: 'vip', DEF: 'N', XML_ID: 'vip' },
      { ID: '8', SORT: '20', VALUE: 'promo', DEF: 'N', XML_ID: 'promo' },
    ],
  },
]

export function makeDump(dealCount = 120): PortalDump {
  const deals = Array.from({ length: dealCount }, (_, i) => deal(i + 1))
  const dealHistory: StageHistoryRow[] = []
  for (const d of deals) {
    dealHistory.push({
      ID: dealHistory.length + 1,
      TYPE_ID: 1,
      OWNER_ID: Number(d.ID),
      CREATED_TIME: d.DATE_CREATE,
      CATEGORY_ID: Number(d.CATEGORY_ID),
      STAGE_ID: d.CATEGORY_ID === '1' ? 'C1:NEW' : 'NEW',
      STAGE_SEMANTIC_ID: 'P',
    })
    if (d.STAGE_SEMANTIC_ID !== 'P') {
      dealHistory.push({
        ID: dealHistory.length + 1,
        TYPE_ID: 3,
        OWNER_ID: Number(d.ID),
        CREATED_TIME: d.MOVED_TIME ?? d.DATE_CREATE,
        CATEGORY_ID: Number(d.CATEGORY_ID),
        STAGE_ID: d.STAGE_ID,
        STAGE_SEMANTIC_ID: d.STAGE_SEMANTIC_ID,
      })
    }
  }
  const leads = Array.from({ length: 10 }, (_, i) => lead(i + 1))
  const leadHistory: StageHistoryRow[] = leads.map((l, i) => ({
    ID: i + 1,
    TYPE_ID: 1,
    OWNER_ID: Number(l.ID),
    CREATED_TIME: l.DATE_CREATE,
    STATUS_ID: 'NEW',
    STATUS_SEMANTIC_ID: 'P',
  }))
  const calls: CallRow[] = Array.from({ length: 5 }, (_, i) => ({
    ID: String(i + 1),
    PORTAL_USER_ID: String((i % 3) + 1),
    PORTAL_NUMBER: 'reg1',
    PHONE_NUMBER: `+4930000${i}`,
    CALL_ID: `call${i}`,
    CALL_CATEGORY: 'external',
    CALL_DURATION: String(30 * i),
    CALL_START_DATE: `2024-03-0${i + 1}T10:00:00+01:00`,
    CALL_FAILED_CODE: i === 2 ? '304' : '200',
    CALL_FAILED_REASON: '',
    CRM_ENTITY_TYPE: 'LEAD',
    CRM_ENTITY_ID: String(i + 1),
    CRM_ACTIVITY_ID: String(1001 + i),
    CALL_TYPE: i % 2 ? '2' : '1',
    COST: '0.0000',
    COST_CURRENCY: 'EUR',
  }))
  const tasks: TaskRow[] = Array.from({ length: 5 }, (_, i) => ({
    id: String(i + 1),
    title: `Task ${i + 1}`,
    createdDate: `2024-03-0${i + 1}T10:00:00+01:00`,
    changedDate: `2024-03-0${i + 1}T10:00:00+01:00`,
    closedDate: null,
    deadline: null,
    responsibleId: String((i % 3) + 1),
    createdBy: '1',
    status: i % 2 ? '5' : '2',
    ufCrmTask: [`D_${i + 1}`, 'L_1'],
  }))
  return {
    format: 'funnel-lens-dump/1',
    portal: { domain: 'demo.example', memberId: 'member-demo', timeZone: TZ, language: 'en' },
    deals,
    leads,
    dealHistory,
    leadHistory,
    statuses: [
      status('DEAL_STAGE', 'NEW', 'New', 10, null, null, 1),
      status('DEAL_STAGE', 'WON', 'Won', 60, 'S', null, 2),
      status('DEAL_STAGE', 'LOSE', 'Lost', 70, 'F', null, 3),
      status('DEAL_STAGE_1', 'C1:NEW', 'New', 10, null, '1', 4),
      status('DEAL_STAGE_1', 'C1:WON', 'Won', 60, 'S', '1', 5),
      status('DEAL_STAGE_1', 'C1:LOSE', 'Lost', 70, 'F', '1', 6),
      status('STATUS', 'NEW', 'New', 10, null, null, 7),
      status('STATUS', 'CONVERTED', 'Converted', 60, 'S', null, 8),
      status('STATUS', 'JUNK', 'Junk', 70, 'F', null, 9),
      { ...status('SOURCE', 'WEB', 'Web', 10, null, null, 10), EXTRA: undefined },
      { ...status('SOURCE', 'CALL', 'Call', 20, null, null, 11), EXTRA: undefined },
    ].map((s) => {
      if (s.EXTRA === undefined) delete s.EXTRA
      return s
    }),
    dealCategories: [
      { id: 1, name: 'Wholesale', sort: 200, entityTypeId: 2, isDefault: 'N', originId: '', originatorId: '' },
      { id: 0, name: 'General', sort: 300, entityTypeId: 2, isDefault: 'Y' },
    ],
    dealUserFields: userFields,
    leadUserFields: [],
    users: [user(1, 'Ada'), user(2, 'Bob'), user(3, 'Cid', true, 3), user(4, 'Dan', false)],
    departments: [
      { ID: '1', NAME: 'Company', SORT: 500 },
      { ID: '3', NAME: 'Sales', SORT: 500, PARENT: '1' },
    ],
    activities: Array.from({ length: 60 }, (_, i) => activity(i + 1)),
    calls,
    tasks,
    currencies: [
      {
        CURRENCY: 'EUR',
        AMOUNT_CNT: '1',
        AMOUNT: '1.0000',
        SORT: '100',
        BASE: 'Y',
        FULL_NAME: 'Euro',
        LID: 'en',
        FORMAT_STRING: '# €',
        DEC_POINT: '.',
        THOUSANDS_SEP: ' ',
        DECIMALS: '2',
        DATE_UPDATE: '2024-01-01T00:00:00+01:00',
      },
      {
        CURRENCY: 'USD',
        AMOUNT_CNT: '1',
        AMOUNT: '0.9000',
        SORT: '200',
        BASE: 'N',
        FULL_NAME: 'US Dollar',
        LID: 'en',
        FORMAT_STRING: '$#',
        DEC_POINT: '.',
        THOUSANDS_SEP: ',',
        DECIMALS: '2',
        DATE_UPDATE: '2024-01-01T00:00:00+01:00',
      },
    ],
  }
}

export interface Reply {
  status: number
  body: Record<string, unknown> & {
    result?: unknown
    total?: number
    next?: number
    time?: Record<string, unknown>
    error?: unknown
    error_description?: string
  }
}

/** POSTs JSON to `${base}/${method}` the way the SDK does (with a bx24_request_id query). */
export async function post(base: string, method: string, params: Record<string, unknown> = {}): Promise<Reply> {
  const res = await fetch(`${base}/${method}?bx24_request_id=test&bx24_sdk_ver=2.2.0`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(params),
  })
  return { status: res.status, body: (await res.json()) as Reply['body'] }
}

export const TIME_KEYS = [
  'start',
  'finish',
  'duration',
  'processing',
  'date_start',
  'date_finish',
  'operating_reset_at',
  'operating',
]
