/**
 * Touches of the generated portal: crm.activity.list rows (calls, e-mails, SMS, meetings,
 * tasks) with BINDINGS, the voximplant.statistic.get rows behind call activities, and the
 * tasks.task.list rows behind task activities. Collected in columns during the deal walk,
 * then ordered by creation time, which fixes every id like a real auto-increment.
 */
import type { ActivityRow, CallRow, TaskRow } from '../b24/wire'
import { ColumnTable, orderByTime } from './gen-columns'
import { HOUR, wireDate } from './gen-time'

export const TOUCH = { meeting: 1, call: 2, task: 3, email: 4, sms: 6, callWithoutActivity: 9 } as const
export const OWNER = { lead: 1, deal: 2, contact: 3 } as const

/** CALL_FAILED_CODE / CALL_FAILED_REASON pairs; index 0 is a connected call. */
export const CALL_RESULTS: readonly [string, string][] = [
  ['200', ''],
  ['304', 'Missed call'],
  ['486', 'Busy'],
  ['480', 'Temporarily unavailable'],
  ['603-S', 'Call cancelled'],
]

const SUBJECTS: Record<number, readonly string[]> = {
  [TOUCH.meeting]: ['Консультация в филиале', 'Пробное занятие', 'Встреча с методистом'],
  [TOUCH.task]: ['Перезвонить клиенту', 'Подготовить договор', 'Подобрать группу', 'Отправить расписание'],
  [TOUCH.email]: ['Расписание занятий', 'Договор и счёт', 'Программа курса', 'Re: вопрос по оплате'],
  [TOUCH.sms]: ['Напоминание о консультации', 'Ссылка на оплату', 'Адрес филиала'],
}

export type TouchColumn =
  | 'created'
  | 'start'
  | 'end'
  | 'kind'
  | 'direction'
  | 'duration'
  | 'result'
  | 'subject'
  | 'responsible'
  | 'ownerType'
  | 'dealId'
  | 'leadId'
  | 'contactId'
  | 'completed'

export function createTouchTable(): ColumnTable<TouchColumn> {
  return new ColumnTable<TouchColumn>(
    {
      created: 'f64',
      start: 'f64',
      end: 'f64',
      kind: 'u8',
      direction: 'u8',
      duration: 'i32',
      result: 'u8',
      subject: 'u8',
      responsible: 'i32',
      ownerType: 'u8',
      dealId: 'i32',
      leadId: 'i32',
      contactId: 'i32',
      completed: 'u8',
    },
    4096,
  )
}

export interface TouchTables {
  activities: ActivityRow[]
  calls: CallRow[]
  tasks: TaskRow[]
}

/** Turns the collected touches into wire rows, ids in creation order. */
export function materializeTouches(table: ColumnTable<TouchColumn>): TouchTables {
  const c = (k: TouchColumn) => table.col(k)
  const created = c('created') as Float64Array
  const start = c('start'),
    end = c('end'),
    kind = c('kind'),
    direction = c('direction')
  const subject = c('subject'),
    responsible = c('responsible'),
    ownerType = c('ownerType')
  const dealId = c('dealId'),
    leadId = c('leadId'),
    contactId = c('contactId'),
    completed = c('completed')
  const activities: ActivityRow[] = []
  const calls: CallRow[] = []
  const tasks: TaskRow[] = []
  const bindings = new BindingCache()
  for (const i of orderByTime(created, table.length)) {
    const k = kind[i]
    const isCall = k === TOUCH.call || k === TOUCH.callWithoutActivity
    const done = completed[i] === 1
    const startDate = wireDate(start[i])
    const responsibleId = idString(responsible[i])
    let activityId: string | null = null
    if (k !== TOUCH.callWithoutActivity) {
      activityId = String(activities.length + 1)
      const createdDate = created[i] === start[i] ? startDate : wireDate(created[i])
      const endDate = wireDate(end[i])
      const taskId = k === TOUCH.task ? String(tasks.length + 1) : '0'
      const owners = bindings.get(ownerType[i], dealId[i], leadId[i], contactId[i])
      activities.push({
        ID: activityId,
        OWNER_ID: owners[0].OWNER_ID,
        OWNER_TYPE_ID: idString(ownerType[i]),
        TYPE_ID: idString(k),
        PROVIDER_ID: PROVIDERS[k][0],
        PROVIDER_TYPE_ID: PROVIDERS[k][1],
        ASSOCIATED_ENTITY_ID: taskId,
        SUBJECT: isCall
          ? direction[i] === 1
            ? 'Incoming call'
            : 'Outgoing call'
          : SUBJECTS[k][subject[i] % SUBJECTS[k].length],
        CREATED: createdDate,
        LAST_UPDATED: done ? endDate : createdDate,
        START_TIME: startDate,
        END_TIME: endDate,
        DEADLINE: k === TOUCH.task ? endDate : startDate,
        COMPLETED: done ? 'Y' : 'N',
        STATUS: done ? '2' : '1',
        RESPONSIBLE_ID: responsibleId,
        PRIORITY: '2',
        DIRECTION: idString(direction[i]),
        AUTHOR_ID: responsibleId,
        EDITOR_ID: responsibleId,
        SETTINGS: PHP_EMPTY_ARRAY,
        PROVIDER_PARAMS: PHP_EMPTY_ARRAY,
        BINDINGS: owners,
      })
      if (k === TOUCH.task) {
        const owner = dealId[i] > 0 ? `D_${dealId[i]}` : leadId[i] > 0 ? `L_${leadId[i]}` : `C_${contactId[i]}`
        tasks.push({
          id: taskId,
          title: SUBJECTS[k][subject[i] % SUBJECTS[k].length],
          createdDate,
          changedDate: done ? endDate : createdDate,
          closedDate: done ? endDate : null,
          deadline: endDate,
          responsibleId,
          createdBy: responsibleId,
          status: done ? '5' : '2',
          ufCrmTask: [owner],
        })
      }
    }
    if (isCall && done) calls.push(callRow(calls.length + 1, i, activityId, startDate, table))
  }
  return { activities, calls, tasks }
}

const PROVIDERS: Record<number, [string, string | null]> = {
  [TOUCH.meeting]: ['CRM_MEETING', 'MEETING'],
  [TOUCH.call]: ['VOXIMPLANT_CALL', 'CALL'],
  [TOUCH.task]: ['CRM_TASKS_TASK', 'TASK'],
  [TOUCH.email]: ['CRM_EMAIL', 'EMAIL'],
  [TOUCH.sms]: ['CRM_SMS', 'SMS'],
}

/** PHP's empty array on the wire; one frozen instance shared by every row (read-only data). */
const PHP_EMPTY_ARRAY = Object.freeze([]) as unknown as []

const SMALL_IDS = Array.from({ length: 10_000 }, (_, i) => String(i))

/** Shares the strings of small ids (users, type codes) across rows: less heap for big dumps. */
function idString(n: number): string {
  return n >= 0 && n < SMALL_IDS.length ? SMALL_IDS[n] : String(n)
}

type Binding = { OWNER_TYPE_ID: string; OWNER_ID: string }

/**
 * All activities of one owner carry equal BINDINGS, so they share one frozen array: the JSON
 * is the same and a 100k-deal portal allocates ~1.5M fewer objects.
 */
class BindingCache {
  private readonly byOwner = [
    new Map<number, Binding[]>(),
    new Map<number, Binding[]>(),
    new Map<number, Binding[]>(),
    new Map<number, Binding[]>(),
  ]

  get(ownerType: number, deal: number, lead: number, contact: number): Binding[] {
    const key = ownerType === OWNER.lead ? lead : ownerType === OWNER.contact ? contact : deal
    const map = this.byOwner[ownerType]
    let list = map.get(key)
    if (list === undefined) {
      list = ownerType === OWNER.deal ? [binding('2', deal), binding('3', contact)] : [binding(String(ownerType), key)]
      map.set(key, Object.freeze(list) as Binding[])
    }
    return list
  }
}

function binding(type: string, id: number): Binding {
  return Object.freeze({ OWNER_TYPE_ID: type, OWNER_ID: String(id) })
}

function callRow(
  id: number,
  i: number,
  activityId: string | null,
  startDate: string,
  table: ColumnTable<TouchColumn>,
): CallRow {
  const contact = table.col('contactId')[i]
  const lead = table.col('leadId')[i]
  const [code, reason] = CALL_RESULTS[table.col('result')[i]]
  const seconds = table.col('duration')[i]
  const party = contact > 0 ? contact : lead
  const unix = Math.floor(table.col('start')[i] / 1000)
  // Calls know contacts and leads only (rest.md §5): a deal is reached through the activity.
  const entityType = activityId === null ? null : contact > 0 ? 'CONTACT' : 'LEAD'
  return {
    ID: String(id),
    PORTAL_USER_ID: idString(table.col('responsible')[i]),
    PORTAL_NUMBER: 'reg' + (100 + (table.col('responsible')[i] % 40)),
    PHONE_NUMBER: phoneOf(party > 0 ? party : id),
    CALL_ID: `externalCall.${((id * 2654435761) >>> 0).toString(16).padStart(8, '0')}.${unix}`,
    CALL_CATEGORY: 'external',
    CALL_DURATION: String(seconds),
    CALL_START_DATE: startDate,
    CALL_FAILED_CODE: code,
    CALL_FAILED_REASON: reason,
    CRM_ENTITY_TYPE: entityType,
    CRM_ENTITY_ID: entityType === null ? null : String(party),
    CRM_ACTIVITY_ID: activityId,
    CALL_TYPE: table.col('direction')[i] === 1 ? '2' : '1',
    COST: (Math.ceil(seconds / 60) * 1.2).toFixed(4),
    COST_CURRENCY: 'RUB',
  }
}

function phoneOf(id: number): string {
  return '+79' + String((id * 7919 + 12_345_678) % 1_000_000_000).padStart(9, '0')
}

/** Keeps generated touches inside a working day (09:00–21:00 portal time). */
export function workingTime(ms: number): number {
  const offset = 3 * HOUR
  const day = Math.floor((ms + offset) / (24 * HOUR))
  const hour = ((ms + offset) % (24 * HOUR)) / HOUR
  if (hour >= 9 && hour < 21) return ms
  const nextMorning = (hour < 9 ? day : day + 1) * 24 * HOUR - offset + 9 * HOUR
  return nextMorning + (((ms % HOUR) + HOUR) % HOUR)
}
