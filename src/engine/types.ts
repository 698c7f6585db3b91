/**
 * Domain tables: what the sync layer hands to the analytics engine.
 *
 * Everything Bitrix24-specific about the wire (string numbers, "Y"/"N", ISO dates with
 * offsets, PHP empty arrays) is gone by the time rows reach these shapes: src/b24 and
 * src/sync normalise once. The engine imports nothing but this file and its own siblings,
 * so it runs the same in a Web Worker, in Node (CLI, tests, benchmarks) and in the browser.
 *
 * Times are epoch milliseconds (UTC instants). The portal's time zone lives in
 * `PortalInfo.timeZone` and is applied only where calendar periods and buckets are cut.
 */

/** Stage semantics as Bitrix24 reports them: P in progress, S success (won), F failure (lost). */
export type Semantic = 'P' | 'S' | 'F'

export interface PortalInfo {
  /** Bitrix24 member id (cache key part); "demo" on the demo portal. */
  memberId: string
  domain: string
  /**
   * IANA zone when known (settings or `profile`), else a fixed offset like "+03:00"
   * read from the portal's own timestamps.
   */
  timeZone: string
  /** Report currency (settings; defaults to the portal's base currency). */
  currency: string
  /** Portal language: ru | en | uk | … */
  language: string
}

export interface Pipeline {
  id: number
  name: string
  sort: number
  /** Stage ids in funnel order (metrics.md "Stage order"): process by SORT, then success, then failure. */
  stageIds: string[]
}

export interface Stage {
  /** STAGE_ID as on the wire: "NEW", "C1:NEW", … */
  id: string
  categoryId: number
  name: string
  sort: number
  semantic: Semantic
  color: string | null
}

/** Lead statuses (crm.status.list ENTITY_ID=STATUS). */
export interface LeadStatus {
  id: string
  name: string
  sort: number
  semantic: Semantic
}

export interface NamedItem<K = string> {
  id: K
  name: string
}

export interface Deal {
  id: number
  title: string
  categoryId: number
  stageId: string
  semantic: Semantic
  createdAt: number
  modifiedAt: number
  /** MOVED_TIME: when the deal entered its current stage (null if the portal did not say). */
  movedAt: number | null
  /** CLOSEDATE when CLOSED = Y, else null. */
  closedAt: number | null
  closed: boolean
  /** OPPORTUNITY in `currency`. */
  amount: number
  currency: string
  /** SOURCE_ID; a deal with none takes its lead's (metrics.md "Sources"). Null when neither has one. */
  sourceId: string | null
  /** UTM_SOURCE as the portal holds it (the report groups it into channels, drill rows show it raw). */
  utmSource: string | null
  assignedById: number
  leadId: number | null
  contactId: number | null
  companyId: number | null
  /** City key: the settings' city field value, else the manager's department id as "dep:<id>". */
  cityId: string | null
  /** Loss-reason key: an enumeration item id or a case-folded text (string/list fields); null when unset. */
  lossReasonId: string | null
  /**
   * CLOSEDATE's calendar day 'YYYY-MM-DD' as the portal wrote it (the date the user picked; for an
   * open deal its expected close date). Absent or null when the portal gave none.
   */
  expectedCloseDay?: string | null
}

export interface Lead {
  id: number
  title: string
  statusId: string
  semantic: Semantic
  createdAt: number
  modifiedAt: number
  closedAt: number | null
  amount: number
  currency: string
  sourceId: string | null
  utmSource: string | null
  assignedById: number
  cityId: string | null
  contactId: number | null
  /**
   * Junk leads: the reason key (an enumeration item id, a case-folded text, or "status:<STATUS_ID>"
   * for a failure status without a reason field value), named in `CrmData.lossReasons`.
   */
  lossReasonId?: string | null
}

/**
 * One row of crm.stagehistory.list. TYPE_ID: 1 created, 2 moved to an intermediate stage,
 * 3 moved to a final stage, 5 pipeline changed.
 */
export interface StageEvent {
  id: number
  ownerId: number
  typeId: number
  /** STAGE_ID for deals, STATUS_ID for leads. */
  stageId: string
  /** Deals only; -1 for leads. */
  categoryId: number
  semantic: Semantic
  at: number
}

export type TouchKind = 'call' | 'email' | 'sms' | 'meeting' | 'task' | 'other'

export interface Touch {
  /** Activity id, or "call:<id>" / "task:<id>" ids mapped to negative numbers by the sync layer. */
  id: number
  kind: TouchKind
  direction: 'in' | 'out' | null
  /** Start (calls, meetings) or creation (others), metrics.md "Touch". */
  at: number
  /** Calls only: seconds. */
  durationSec: number | null
  /** Calls only: telephony CALL_FAILED_CODE ("200" answered, "304" missed, …) when a statistics row is known. */
  callFailedCode?: string | null
  responsibleId: number
  completed: boolean
  /** Bindings resolved by the sync layer: all owners this touch is bound to. */
  dealIds: number[]
  leadIds: number[]
  contactIds: number[]
  companyIds: number[]
}

export interface User {
  id: number
  name: string
  active: boolean
  departmentIds: number[]
}

export interface Department {
  id: number
  name: string
  parentId: number | null
}

export interface Currency {
  code: string
  /** Units of base currency per one unit of this currency (AMOUNT / AMOUNT_CNT). */
  rate: number
  base: boolean
}

/** Manual input: ad spend for one source in one city (null = all cities) for one month. */
export interface Budget {
  sourceId: string
  cityId: string | null
  /** "YYYY-MM" */
  month: string
  amount: number
  currency: string
}

/** Manual input: a manager's plan for one month. */
export interface Plan {
  userId: number
  /** "YYYY-MM" */
  month: string
  amount: number
  currency: string
  deals: number
}

/** Admin settings that give meaning to portal-specific stages and fields. */
export interface AnalyticsSettings {
  /** Stage ids (any pipeline) meaning "consultation booked" (the booked role). */
  consultationStageIds: string[]
  /** Stage ids meaning "no-show": always branch stages (metrics.md "Branch stages"). */
  noShowStageIds: string[]
  /** Stage ids meaning "consultation held". */
  heldStageIds: string[]
  /** Stage ids meaning "contract signed". */
  contractStageIds: string[]
  /** Further branch stages an admin marked: reached only by an actual entry. */
  branchStageIds: string[]
  /** Working hours for idle-gap metrics, e.g. { start: 9, end: 18, days: [1,2,3,4,5] } (ISO weekday). */
  workingHours: { start: number; end: number; days: number[] }
  /**
   * UTM channel → the spellings that mean it (case-insensitive). Absent → the engine's defaults
   * (channels.ts DEFAULT_SOURCE_ALIASES); an empty map merges spellings by case only.
   */
  sourceAliases?: Record<string, string[]>
}

/**
 * A malformed portal row met while normalising (src/b24/normalize.ts): kept with a default
 * (`dropped: false`) or left out. The report's data-quality block can count them by table/kind.
 */
export interface DataProblem {
  /** PortalDump table: "deals", "dealHistory", "activities", … */
  table: string
  /** The row's id as on the wire; null when the id itself was missing. */
  rowId: string | null
  /** Stable kind for counting: "missing id", "bad date", "unknown stage", "bad amount", … */
  kind: string
  /** Human detail: the field and the value that was wrong (portal text: never render as HTML). */
  detail: string
  dropped: boolean
}

/** Everything the engine needs; produced by src/sync (app, CLI) or by tests. */
export interface CrmData {
  portal: PortalInfo
  pipelines: Pipeline[]
  stages: Stage[]
  leadStatuses: LeadStatus[]
  sources: NamedItem[]
  cities: NamedItem[]
  lossReasons: NamedItem[]
  users: User[]
  departments: Department[]
  currencies: Currency[]
  deals: Deal[]
  leads: Lead[]
  dealEvents: StageEvent[]
  leadEvents: StageEvent[]
  touches: Touch[]
  budgets: Budget[]
  plans: Plan[]
  settings: AnalyticsSettings
  /**
   * Client names (metrics.md "Client"): companies by TITLE, contacts by NAME LAST_NAME. Optional:
   * without them clients are named by their ids.
   */
  companies?: NamedItem<number>[]
  contacts?: NamedItem<number>[]
  /** Rows the sync layer had to fix or leave out (absent when the data came from elsewhere). */
  problems?: DataProblem[]
}
