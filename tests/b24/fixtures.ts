/** Small hand-made wire rows in the exact shapes of rest.md (strings for numbers, Y/N, ISO dates). */
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
import { emptyDump as emptyPortalDump } from '../../src/b24/wire'

export function status(
  entity: string,
  statusId: string,
  sort: number,
  semantics: 'S' | 'F' | null,
  name = statusId,
): StatusRow {
  return {
    ID: String(sort),
    ENTITY_ID: entity,
    STATUS_ID: statusId,
    NAME: name,
    NAME_INIT: '',
    SORT: String(sort),
    SYSTEM: 'N',
    CATEGORY_ID: null,
    COLOR: '#000000',
    SEMANTICS: semantics,
  }
}

export function deal(id: string, over: Partial<DealRow> = {}): DealRow {
  return {
    ID: id,
    TITLE: `Deal ${id}`,
    TYPE_ID: 'SALE',
    CATEGORY_ID: '0',
    STAGE_ID: 'NEW',
    STAGE_SEMANTIC_ID: 'P',
    IS_NEW: 'N',
    IS_RETURN_CUSTOMER: 'N',
    IS_REPEATED_APPROACH: 'N',
    PROBABILITY: null,
    CURRENCY_ID: 'RUB',
    OPPORTUNITY: '1000.00',
    IS_MANUAL_OPPORTUNITY: 'N',
    TAX_VALUE: '0.00',
    LEAD_ID: null,
    COMPANY_ID: '0',
    CONTACT_ID: null,
    QUOTE_ID: null,
    BEGINDATE: '2024-01-01T00:00:00+03:00',
    CLOSEDATE: '2024-02-01T00:00:00+03:00',
    ASSIGNED_BY_ID: '1',
    CREATED_BY_ID: '1',
    MODIFY_BY_ID: '1',
    DATE_CREATE: '2024-01-10T10:00:00+03:00',
    DATE_MODIFY: '2024-01-11T10:00:00+03:00',
    OPENED: 'Y',
    CLOSED: 'N',
    COMMENTS: null,
    ADDITIONAL_INFO: null,
    LOCATION_ID: null,
    SOURCE_ID: 'WEB',
    SOURCE_DESCRIPTION: null,
    ORIGINATOR_ID: null,
    ORIGIN_ID: null,
    MOVED_BY_ID: '1',
    MOVED_TIME: '2024-01-11T10:00:00+03:00',
    LAST_ACTIVITY_TIME: null,
    LAST_ACTIVITY_BY: null,
    UTM_SOURCE: null,
    UTM_MEDIUM: null,
    UTM_CAMPAIGN: null,
    UTM_CONTENT: null,
    UTM_TERM: null,
    ...over,
  }
}

export function lead(id: string, over: Partial<LeadRow> = {}): LeadRow {
  return {
    ID: id,
    TITLE: `Lead ${id}`,
    NAME: null,
    LAST_NAME: null,
    STATUS_ID: 'NEW',
    STATUS_SEMANTIC_ID: 'P',
    SOURCE_ID: 'CALL',
    CURRENCY_ID: 'RUB',
    OPPORTUNITY: '0.00',
    ASSIGNED_BY_ID: '1',
    CREATED_BY_ID: '1',
    MODIFY_BY_ID: '1',
    DATE_CREATE: '2024-01-05T10:00:00+03:00',
    DATE_MODIFY: '2024-01-05T10:00:00+03:00',
    DATE_CLOSED: '',
    CONTACT_ID: null,
    COMPANY_ID: null,
    OPENED: 'Y',
    IS_RETURN_CUSTOMER: 'N',
    MOVED_TIME: null,
    UTM_SOURCE: null,
    UTM_MEDIUM: null,
    UTM_CAMPAIGN: null,
    UTM_CONTENT: null,
    UTM_TERM: null,
    ...over,
  }
}

export function history(
  id: number,
  owner: number,
  stage: string,
  at: string,
  semantic: 'P' | 'S' | 'F' = 'P',
  categoryId = 0,
): StageHistoryRow {
  return {
    ID: id,
    TYPE_ID: 2,
    OWNER_ID: owner,
    CREATED_TIME: at,
    CATEGORY_ID: categoryId,
    STAGE_ID: stage,
    STAGE_SEMANTIC_ID: semantic,
  }
}

export function user(id: string, deps: number[], name = `User${id}`): UserRow {
  return {
    ID: id,
    ACTIVE: true,
    NAME: name,
    LAST_NAME: 'Test',
    SECOND_NAME: '',
    WORK_POSITION: '',
    PERSONAL_CITY: '',
    TIME_ZONE: '',
    UF_DEPARTMENT: deps,
    USER_TYPE: 'employee',
    IS_ONLINE: 'N',
    DATE_REGISTER: '2020-01-01T00:00:00+03:00',
  }
}

export function enumField(name: string, items: [string, string][]): UserFieldRow {
  return {
    ID: '1',
    ENTITY_ID: 'CRM_DEAL',
    FIELD_NAME: name,
    USER_TYPE_ID: 'enumeration',
    XML_ID: null,
    SORT: '100',
    MULTIPLE: 'N',
    MANDATORY: 'N',
    SHOW_FILTER: 'N',
    SHOW_IN_LIST: 'Y',
    EDIT_IN_LIST: 'Y',
    IS_SEARCHABLE: 'N',
    SETTINGS: [],
    LIST: items.map(([ID, VALUE], i) => ({ ID, SORT: String(i * 10), VALUE, DEF: 'N' as const, XML_ID: ID })),
  }
}

export function activity(id: string, over: Partial<ActivityRow> = {}): ActivityRow {
  return {
    ID: id,
    OWNER_ID: '1',
    OWNER_TYPE_ID: '2',
    TYPE_ID: '2',
    PROVIDER_ID: 'VOXIMPLANT_CALL',
    PROVIDER_TYPE_ID: 'CALL',
    ASSOCIATED_ENTITY_ID: '0',
    SUBJECT: 'Call',
    CREATED: '2024-01-12T09:00:00+03:00',
    LAST_UPDATED: '2024-01-12T09:00:00+03:00',
    START_TIME: '2024-01-12T08:30:00+03:00',
    END_TIME: '2024-01-12T08:40:00+03:00',
    DEADLINE: '2024-01-12T08:30:00+03:00',
    COMPLETED: 'Y',
    STATUS: '2',
    RESPONSIBLE_ID: '1',
    PRIORITY: '2',
    DIRECTION: '2',
    AUTHOR_ID: '1',
    EDITOR_ID: '1',
    SETTINGS: [],
    PROVIDER_PARAMS: [],
    ...over,
  }
}

export function call(id: string, activityId: string | null, duration: string, over: Partial<CallRow> = {}): CallRow {
  return {
    ID: id,
    PORTAL_USER_ID: '1',
    PORTAL_NUMBER: 'reg1',
    PHONE_NUMBER: '+70000000000',
    CALL_ID: `c${id}`,
    CALL_CATEGORY: 'external',
    CALL_DURATION: duration,
    CALL_START_DATE: '2024-01-12T08:30:00+03:00',
    CALL_FAILED_CODE: '200',
    CALL_FAILED_REASON: '',
    CRM_ENTITY_TYPE: 'CONTACT',
    CRM_ENTITY_ID: '5',
    CRM_ACTIVITY_ID: activityId,
    CALL_TYPE: '1',
    COST: '0.0000',
    COST_CURRENCY: 'RUB',
    ...over,
  }
}

export function task(id: string, refs: string[], over: Partial<TaskRow> = {}): TaskRow {
  return {
    id,
    title: `Task ${id}`,
    createdDate: '2024-01-13T10:00:00+03:00',
    changedDate: '2024-01-13T10:00:00+03:00',
    closedDate: null,
    deadline: null,
    responsibleId: '2',
    createdBy: '1',
    status: '2',
    ufCrmTask: refs,
    ...over,
  }
}

export function emptyDump(): PortalDump {
  return emptyPortalDump({ domain: 'test.bitrix24.ru', memberId: 'm1', timeZone: 'Europe/Moscow', language: 'ru' })
}
