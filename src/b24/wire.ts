/**
 * Bitrix24 REST rows exactly as they travel on the wire (../shared/docs/rest.md §1.6):
 * legacy CRM methods send numbers as strings and booleans as "Y"/"N"; crm.stagehistory.list
 * and crm.category.list send JSON numbers; tasks are camelCase with string ids; dates are
 * ISO 8601 with the portal's offset. Nothing here is normalised: src/b24/normalize does that.
 *
 * This file imports nothing, so the demo portal (Node) and the app share it as types only.
 */

export type YN = 'Y' | 'N'
/** ISO 8601 with offset, e.g. "2024-09-02T18:37:18+02:00"; "" for an empty date. */
export type WireDate = string

/** crm.deal.list row (select ["*", "UF_*"]). Unset FKs are null; COMPANY_ID "0" when none. */
export interface DealRow {
  ID: string
  TITLE: string | null
  TYPE_ID: string | null
  CATEGORY_ID: string
  STAGE_ID: string
  STAGE_SEMANTIC_ID: 'P' | 'S' | 'F'
  IS_NEW: YN
  IS_RETURN_CUSTOMER: YN
  IS_REPEATED_APPROACH: YN
  PROBABILITY: string | null
  CURRENCY_ID: string
  OPPORTUNITY: string
  IS_MANUAL_OPPORTUNITY: YN
  TAX_VALUE: string
  LEAD_ID: string | null
  COMPANY_ID: string | null
  CONTACT_ID: string | null
  QUOTE_ID: string | null
  BEGINDATE: WireDate
  CLOSEDATE: WireDate
  ASSIGNED_BY_ID: string
  CREATED_BY_ID: string
  MODIFY_BY_ID: string
  DATE_CREATE: WireDate
  DATE_MODIFY: WireDate
  OPENED: YN
  CLOSED: YN
  COMMENTS: string | null
  ADDITIONAL_INFO: string | null
  LOCATION_ID: string | null
  SOURCE_ID: string | null
  SOURCE_DESCRIPTION: string | null
  ORIGINATOR_ID: string | null
  ORIGIN_ID: string | null
  MOVED_BY_ID: string | null
  MOVED_TIME: WireDate | null
  LAST_ACTIVITY_TIME: WireDate | null
  LAST_ACTIVITY_BY: string | null
  UTM_SOURCE: string | null
  UTM_MEDIUM: string | null
  UTM_CAMPAIGN: string | null
  UTM_CONTENT: string | null
  UTM_TERM: string | null
  /** User fields: enumeration values are the list item id as a string; unset → null or "". */
  [uf: `UF_CRM_${string}`]: string | string[] | number | boolean | null
}

/** crm.lead.list row. */
export interface LeadRow {
  ID: string
  TITLE: string | null
  NAME: string | null
  LAST_NAME: string | null
  STATUS_ID: string
  STATUS_SEMANTIC_ID: 'P' | 'S' | 'F'
  SOURCE_ID: string | null
  CURRENCY_ID: string
  OPPORTUNITY: string
  ASSIGNED_BY_ID: string
  CREATED_BY_ID: string
  MODIFY_BY_ID: string
  DATE_CREATE: WireDate
  DATE_MODIFY: WireDate
  DATE_CLOSED: WireDate
  CONTACT_ID: string | null
  COMPANY_ID: string | null
  OPENED: YN
  IS_RETURN_CUSTOMER: YN
  MOVED_TIME: WireDate | null
  UTM_SOURCE: string | null
  UTM_MEDIUM: string | null
  UTM_CAMPAIGN: string | null
  UTM_CONTENT: string | null
  UTM_TERM: string | null
  [uf: `UF_CRM_${string}`]: string | string[] | number | boolean | null
}

/** crm.stagehistory.list item (inside result.items); JSON numbers. */
export interface StageHistoryRow {
  ID: number
  TYPE_ID: number
  OWNER_ID: number
  CREATED_TIME: WireDate
  /** Deals only. */
  CATEGORY_ID?: number
  STAGE_ID?: string
  STAGE_SEMANTIC_ID?: 'P' | 'S' | 'F'
  /** Leads only. */
  STATUS_ID?: string
  STATUS_SEMANTIC_ID?: 'P' | 'S' | 'F'
}

/** crm.status.list row (all dictionaries: STATUS, SOURCE, DEAL_STAGE, DEAL_STAGE_n, …). */
export interface StatusRow {
  ID: string
  ENTITY_ID: string
  STATUS_ID: string
  NAME: string
  NAME_INIT: string
  SORT: string
  SYSTEM: YN
  CATEGORY_ID: string | null
  COLOR: string | null
  SEMANTICS: 'S' | 'F' | null
  /** Only for STATUS, DEAL_STAGE, DEAL_STAGE_n, QUOTE_STATUS. */
  EXTRA?: { SEMANTICS: 'process' | 'success' | 'failure' | 'apology'; COLOR: string }
}

/** crm.category.list item (inside result.categories); JSON numbers. */
export interface CategoryRow {
  id: number
  name: string
  sort: number
  entityTypeId: number
  isDefault: YN
  originId?: string
  originatorId?: string
}

/** crm.deal.userfield.list / crm.lead.userfield.list row. */
export interface UserFieldRow {
  ID: string
  ENTITY_ID: string
  FIELD_NAME: string
  USER_TYPE_ID: string
  XML_ID: string | null
  SORT: string
  MULTIPLE: YN
  MANDATORY: YN
  SHOW_FILTER: string
  SHOW_IN_LIST: YN
  EDIT_IN_LIST: YN
  IS_SEARCHABLE: YN
  SETTINGS: Record<string, unknown> | []
  /** Labels only when filter.LANG is given. */
  EDIT_FORM_LABEL?: string
  LIST_COLUMN_LABEL?: string
  LIST_FILTER_LABEL?: string
  LIST?: { ID: string; SORT: string; VALUE: string; DEF: YN; XML_ID: string }[]
}

/** user.get row. */
export interface UserRow {
  ID: string
  ACTIVE: boolean
  NAME: string
  LAST_NAME: string
  SECOND_NAME: string
  EMAIL?: string
  WORK_POSITION: string
  PERSONAL_CITY: string
  WORK_CITY?: string
  TIME_ZONE: string
  UF_DEPARTMENT: number[]
  USER_TYPE: string
  IS_ONLINE: YN
  DATE_REGISTER: WireDate
}

/** department.get row. */
export interface DepartmentRow {
  ID: string
  NAME: string
  SORT: number
  PARENT?: string
  UF_HEAD?: string
}

/** crm.activity.list row (select includes BINDINGS where the app needs them). */
export interface ActivityRow {
  ID: string
  OWNER_ID: string
  OWNER_TYPE_ID: string
  TYPE_ID: string
  PROVIDER_ID: string
  PROVIDER_TYPE_ID: string | null
  ASSOCIATED_ENTITY_ID: string
  SUBJECT: string
  CREATED: WireDate
  LAST_UPDATED: WireDate
  START_TIME: WireDate
  END_TIME: WireDate
  DEADLINE: WireDate
  COMPLETED: YN
  STATUS: string
  RESPONSIBLE_ID: string
  PRIORITY: string
  DIRECTION: string
  AUTHOR_ID: string
  EDITOR_ID: string
  SETTINGS: Record<string, unknown> | []
  PROVIDER_PARAMS: Record<string, unknown> | []
  BINDINGS?: { OWNER_TYPE_ID: string; OWNER_ID: string }[]
}

/** voximplant.statistic.get row. */
export interface CallRow {
  ID: string
  PORTAL_USER_ID: string
  PORTAL_NUMBER: string
  PHONE_NUMBER: string
  CALL_ID: string
  CALL_CATEGORY: string
  CALL_DURATION: string
  CALL_START_DATE: WireDate
  CALL_FAILED_CODE: string
  CALL_FAILED_REASON: string
  CRM_ENTITY_TYPE: 'CONTACT' | 'COMPANY' | 'LEAD' | null
  CRM_ENTITY_ID: string | null
  CRM_ACTIVITY_ID: string | null
  /** "1" outgoing, "2" incoming, "3" incoming redirected, "4" callback, "5" informational. */
  CALL_TYPE: string
  COST: string
  COST_CURRENCY: string
}

/** tasks.task.list item (inside result.tasks): camelCase, string ids. */
export interface TaskRow {
  id: string
  title: string
  createdDate: WireDate
  changedDate: WireDate
  closedDate: WireDate | null
  deadline: WireDate | null
  responsibleId: string
  createdBy: string
  status: string
  /** Only when UF_CRM_TASK is selected: ["D_123", "L_7", "C_5", …]. */
  ufCrmTask?: string[]
}

/** crm.currency.list row. */
export interface CurrencyRow {
  CURRENCY: string
  AMOUNT_CNT: string
  AMOUNT: string
  SORT: string
  BASE: YN
  FULL_NAME: string
  LID: string
  FORMAT_STRING: string
  DEC_POINT: string
  THOUSANDS_SEP: string
  DECIMALS: string
  DATE_UPDATE: WireDate
}

/**
 * A portal dump: every table as the REST API returns its rows. The demo portal serves it
 * (`npm run portal -- --dump FILE`), the generator writes it, the CLI reads it
 * (`npm run report -- --dump FILE`), and a real portal can be recorded into it.
 */
/** crm.company.list row, as far as the app selects it (ID, TITLE). */
export interface CompanyRow {
  ID: string
  TITLE: string | null
  ASSIGNED_BY_ID?: string
  DATE_CREATE?: WireDate
  DATE_MODIFY?: WireDate
}

/** crm.contact.list row, as far as the app selects it (ID, NAME, LAST_NAME). */
export interface ContactRow {
  ID: string
  NAME: string | null
  LAST_NAME: string | null
  ASSIGNED_BY_ID?: string
  DATE_CREATE?: WireDate
  DATE_MODIFY?: WireDate
}

export interface PortalDump {
  format: 'funnel-lens-dump/1'
  portal: {
    domain: string
    memberId: string
    /** IANA zone the portal renders dates in, e.g. "Europe/Moscow". */
    timeZone: string
    language: string
  }
  deals: DealRow[]
  leads: LeadRow[]
  dealHistory: StageHistoryRow[]
  leadHistory: StageHistoryRow[]
  statuses: StatusRow[]
  dealCategories: CategoryRow[]
  dealUserFields: UserFieldRow[]
  leadUserFields: UserFieldRow[]
  users: UserRow[]
  departments: DepartmentRow[]
  activities: ActivityRow[]
  calls: CallRow[]
  tasks: TaskRow[]
  currencies: CurrencyRow[]
  /**
   * Funnel Lens's own app.option values (`flSettings`: a JSON string) as an admin saved them;
   * the generator sets them and the demo portal serves them once the app is installed.
   */
  appOptions?: Record<string, string>
  /**
   * Client names (optional): the generator and recorded dumps carry them; the app does not sync
   * them but asks the portal for the few it shows (src/b24/client-names.ts).
   */
  companies?: CompanyRow[]
  contacts?: ContactRow[]
}

/** The row tables every dump carries, in the order a dump file lists them. */
export const DUMP_ROW_TABLES = [
  'deals',
  'leads',
  'dealHistory',
  'leadHistory',
  'statuses',
  'dealCategories',
  'dealUserFields',
  'leadUserFields',
  'users',
  'departments',
  'activities',
  'calls',
  'tasks',
  'currencies',
] as const satisfies readonly (keyof PortalDump)[]

/** A dump of the portal with every row table empty: the cache reader and tests fill in what they have. */
export function emptyDump(portal: PortalDump['portal']): PortalDump {
  const tables = Object.fromEntries(DUMP_ROW_TABLES.map((table) => [table, []]))
  return { format: 'funnel-lens-dump/1', portal, ...tables } as PortalDump
}
