/**
 * Touches (metrics.md "Touch"): CRM activities, telephony rows and CRM-bound tasks.
 *
 * Ids: activities keep their own id. Task touches get -2·taskId and calls that have no
 * activity get -(2·callId + 1), so the three sources never collide.
 */
import type { ActivityRow, CallRow, TaskRow } from './wire'
import type { Touch, TouchKind } from '../engine/types'
import type { ProblemLog } from './normalize-problems'
import { isBadDate, wireDate, wireId, wireInt, wireText } from './wire-values'
import { NO_MEMO, type Memo } from './normalize-memo'

/** crm.enum.ownertype: 1 lead, 2 deal, 3 contact, 4 company. */
const OWNER_KEYS: Record<number, 'leadIds' | 'dealIds' | 'contactIds' | 'companyIds'> = {
  1: 'leadIds',
  2: 'dealIds',
  3: 'contactIds',
  4: 'companyIds',
}

/** UF_CRM_TASK prefixes (rest.md §4 abbreviations). */
const TASK_PREFIX: Record<string, 'leadIds' | 'dealIds' | 'contactIds' | 'companyIds'> = {
  L: 'leadIds',
  D: 'dealIds',
  C: 'contactIds',
  CO: 'companyIds',
}

export function activityKind(row: Pick<ActivityRow, 'TYPE_ID' | 'PROVIDER_ID'>): TouchKind {
  switch (String(row.TYPE_ID)) {
    case '1':
      return 'meeting'
    case '2':
      return 'call'
    case '3':
      return 'task'
    case '4':
      return 'email'
    case '6':
      return /SMS|WHATSAPP|IMOPENLINES/i.test(String(row.PROVIDER_ID ?? '')) ? 'sms' : 'other'
    default:
      return 'other'
  }
}

function direction(v: unknown): 'in' | 'out' | null {
  const d = String(v ?? '')
  return d === '1' ? 'in' : d === '2' ? 'out' : null
}

/** The one binding list every touch without owners of a kind shares (frozen: it must never be pushed to). */
const NO_OWNERS: number[] = Object.freeze([]) as unknown as number[]

/**
 * The binding lists of one normalisation. Half a million touches × four lists weighed on the heap
 * (engine bench, issue 11.3): empty lists are the shared frozen NO_OWNERS; a one-owner list (nearly
 * all of them) is shared by every touch bound to that owner and frozen too; a longer list is a new
 * list exactly as long as it holds — made by concat, since `[...list, id]`, like push, leaves a
 * 17-slot backing store (208 instead of 72 bytes for two owners). Lists are never changed.
 */
export class OwnerLists {
  private readonly single = new Map<number, number[]>()

  /** `list` with `id` added (the same list when it holds `id` already). */
  with(list: number[], id: number): number[] {
    if (list.includes(id)) return list
    if (list.length > 0) return list.concat(id)
    let one = this.single.get(id)
    if (!one) this.single.set(id, (one = Object.freeze([id]) as number[]))
    return one
  }
}

function addOwner(
  t: Pick<Touch, 'dealIds' | 'leadIds' | 'contactIds' | 'companyIds'>,
  key: keyof typeof t,
  id: number,
  owners: OwnerLists,
) {
  t[key] = owners.with(t[key], id)
}

function bind(
  t: Pick<Touch, 'dealIds' | 'leadIds' | 'contactIds' | 'companyIds'>,
  ownerType: unknown,
  ownerId: unknown,
  owners: OwnerLists,
): void {
  const key = OWNER_KEYS[wireInt(ownerType) ?? -1]
  const id = wireId(ownerId)
  if (key && id !== null) addOwner(t, key, id, owners)
}

/** Call durations by activity id (voximplant.statistic.get CRM_ACTIVITY_ID). */
function callsByActivity(calls: CallRow[]): Map<number, CallRow> {
  const m = new Map<number, CallRow>()
  for (const c of calls) {
    const a = wireId(c.CRM_ACTIVITY_ID)
    if (a !== null) m.set(a, c)
  }
  return m
}

export function activityTouches(
  activities: ActivityRow[],
  calls: CallRow[],
  log: ProblemLog,
  memo: Memo = NO_MEMO,
  context: object = memo.context(''),
  owners: OwnerLists = new OwnerLists(),
): Touch[] {
  const callOf = callsByActivity(calls)
  const out: Touch[] = []
  for (const a of activities) {
    // A call activity reads its telephony row: a remembered touch holds for the same row only.
    const call = callOf.get(wireId(a.ID) ?? -1)
    const touch = memo.row(a, context, call, log, () => activityTouch(a, call, log, owners))
    if (touch !== null) out.push(touch)
  }
  return out
}

export function activityTouch(
  a: ActivityRow,
  call: CallRow | undefined,
  log: ProblemLog,
  owners: OwnerLists,
): Touch | null {
  const id = wireId(a.ID)
  if (id === null) {
    log.add('activities', a.ID, 'missing id', `activity without a valid ID (${String(a.ID)})`, true)
    return null
  }
  const kind = activityKind(a)
  const timed = kind === 'call' || kind === 'meeting'
  const first = timed ? a.START_TIME : a.CREATED
  const second = timed ? a.CREATED : a.START_TIME
  const firstAt = wireDate(first)
  const at = firstAt ?? wireDate(second)
  if (at === null) {
    log.add('activities', a.ID, 'bad date', `activity ${a.ID}: no readable START_TIME/CREATED (${String(first)})`, true)
    return null
  }
  if (firstAt === null && isBadDate(first))
    log.add(
      'activities',
      a.ID,
      'bad date',
      `activity ${a.ID}: unreadable ${timed ? 'START_TIME' : 'CREATED'} "${String(first)}"`,
      false,
    )
  const withCall = kind === 'call' && call !== undefined
  const own = direction(a.DIRECTION)
  const dir = withCall && own === null ? callDirection(call.CALL_TYPE) : own
  const durationSec = withCall ? wireInt(call.CALL_DURATION) : null
  const responsibleId = wireId(a.RESPONSIBLE_ID) ?? 0
  const completed = a.COMPLETED === 'Y'
  // Fields written out (an object spread costs a third of the loop over half a million rows), and
  // the telephony code is in the literal when known, never added afterwards: a field added to a
  // built object goes to a separate property store, one more object per call touch.
  const touch: Touch = withCall
    ? {
        id,
        kind,
        direction: dir,
        at,
        durationSec,
        callFailedCode: wireText(call.CALL_FAILED_CODE),
        responsibleId,
        completed,
        dealIds: NO_OWNERS,
        leadIds: NO_OWNERS,
        contactIds: NO_OWNERS,
        companyIds: NO_OWNERS,
      }
    : {
        id,
        kind,
        direction: dir,
        at,
        durationSec,
        responsibleId,
        completed,
        dealIds: NO_OWNERS,
        leadIds: NO_OWNERS,
        contactIds: NO_OWNERS,
        companyIds: NO_OWNERS,
      }
  if (Array.isArray(a.BINDINGS) && a.BINDINGS.length > 0)
    for (const b of a.BINDINGS) bind(touch, b.OWNER_TYPE_ID, b.OWNER_ID, owners)
  else bind(touch, a.OWNER_TYPE_ID, a.OWNER_ID, owners)
  return touch
}

/** CALL_TYPE 1 outgoing, 2/3 incoming, 4 callback (we call back: out), 5 informational (out). */
function callDirection(callType: unknown): 'in' | 'out' | null {
  const t = String(callType ?? '')
  if (t === '2' || t === '3') return 'in'
  if (t === '1' || t === '4' || t === '5') return 'out'
  return null
}

/** Telephony rows that no activity stands for: they still are touches of their contact/company/lead. */
export function orphanCallTouches(
  calls: CallRow[],
  activityIds: ReadonlySet<number>,
  log: ProblemLog,
  memo: Memo = NO_MEMO,
  context: object = memo.context(''),
  owners: OwnerLists = new OwnerLists(),
): Touch[] {
  const out: Touch[] = []
  for (const c of calls) {
    const activity = wireId(c.CRM_ACTIVITY_ID)
    if (activity !== null && activityIds.has(activity)) continue
    const touch = memo.row(c, context, 'orphan call', log, () => orphanCallTouch(c, log, owners))
    if (touch !== null) out.push(touch)
  }
  return out
}

const CALL_OWNER_TYPES: Record<string, number> = { LEAD: 1, CONTACT: 3, COMPANY: 4 }

export function orphanCallTouch(c: CallRow, log: ProblemLog, owners: OwnerLists): Touch | null {
  const id = wireId(c.ID)
  const at = wireDate(c.CALL_START_DATE)
  if (id === null || at === null) {
    log.add(
      'calls',
      c.ID,
      id === null ? 'missing id' : 'bad date',
      `call ${String(c.ID)}: CALL_START_DATE "${String(c.CALL_START_DATE)}"`,
      true,
    )
    return null
  }
  const touch: Touch = {
    id: -(2 * id + 1),
    kind: 'call',
    direction: callDirection(c.CALL_TYPE),
    at,
    durationSec: wireInt(c.CALL_DURATION),
    callFailedCode: wireText(c.CALL_FAILED_CODE),
    responsibleId: wireId(c.PORTAL_USER_ID) ?? 0,
    completed: String(c.CALL_FAILED_CODE ?? '') === '200',
    dealIds: NO_OWNERS,
    leadIds: NO_OWNERS,
    contactIds: NO_OWNERS,
    companyIds: NO_OWNERS,
  }
  bind(touch, CALL_OWNER_TYPES[String(c.CRM_ENTITY_TYPE)], c.CRM_ENTITY_ID, owners)
  return touch
}

/**
 * Tasks bound to CRM entities (ufCrmTask "D_123", "L_7", "C_5", "CO_9"). A task that is also
 * present as a TYPE_ID 3 activity (ASSOCIATED_ENTITY_ID = task id) is counted once, as the activity.
 */
export function taskTouches(
  tasks: TaskRow[],
  activities: ActivityRow[],
  log: ProblemLog,
  memo: Memo = NO_MEMO,
  context: object = memo.context(''),
  owners: OwnerLists = new OwnerLists(),
): Touch[] {
  const asActivity = new Set<number>()
  for (const a of activities)
    if (String(a.TYPE_ID) === '3') {
      const t = wireId(a.ASSOCIATED_ENTITY_ID)
      if (t !== null) asActivity.add(t)
    }
  const out: Touch[] = []
  for (const t of tasks) {
    const counted = asActivity.has(wireId(t.id) ?? -1)
    const touch = memo.row(t, context, counted, log, () => taskTouch(t, counted, log, owners))
    if (touch !== null) out.push(touch)
  }
  return out
}

/** `asActivity`: the task is counted as its activity already. */
export function taskTouch(t: TaskRow, asActivity: boolean, log: ProblemLog, owners: OwnerLists): Touch | null {
  const id = wireId(t.id)
  if (id === null) {
    log.add('tasks', t.id, 'missing id', `task without a valid id (${String(t.id)})`, true)
    return null
  }
  if (asActivity || !Array.isArray(t.ufCrmTask) || t.ufCrmTask.length === 0) return null
  const touch: Touch = {
    id: -2 * id,
    kind: 'task',
    direction: null,
    at: 0,
    durationSec: null,
    responsibleId: wireId(t.responsibleId) ?? 0,
    completed: String(t.status) === '5' || wireDate(t.closedDate) !== null,
    dealIds: NO_OWNERS,
    leadIds: NO_OWNERS,
    contactIds: NO_OWNERS,
    companyIds: NO_OWNERS,
  }
  for (const ref of t.ufCrmTask) {
    const m = /^([A-Z]+)_(\d+)$/.exec(String(ref))
    const key = m ? TASK_PREFIX[m[1]] : undefined
    const owner = m ? wireId(m[2]) : null
    if (key && owner !== null) addOwner(touch, key, owner, owners)
  }
  if (touch.dealIds.length + touch.leadIds.length + touch.contactIds.length + touch.companyIds.length === 0) return null
  const at = wireDate(t.createdDate)
  if (at === null) {
    log.add('tasks', t.id, 'bad date', `task ${t.id}: createdDate "${String(t.createdDate)}"`, true)
    return null
  }
  touch.at = at
  return touch
}
