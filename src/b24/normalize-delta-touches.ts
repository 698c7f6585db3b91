/**
 * The touches a delta changes (normalize-delta.ts): those of the touched activities, calls and
 * tasks, and of the rows that read them — the activity a call names (an activity touch reads its
 * call's statistics row), the calls that name an activity (a call is a touch of its own only
 * without an activity touch), the task a TYPE_ID 3 activity stands for (a task is a touch only
 * without such an activity).
 */
import type { ActivityRow, CallRow, TaskRow } from './wire'
import type { Touch } from '../engine/types'
import { ProblemLog } from './normalize-problems'
import { activityTouch, orphanCallTouch, OwnerLists, taskTouch } from './normalize-touches'
import { numericKey, type DumpAfter, type WireRow } from './dump-after'
import type { TableName } from './tables'
import { wireId, wireIdFast } from './wire-values'
import { reread, type DeltaScope, type TimedRows } from './normalize-delta-scope'

export function deltaTouches(scope: DeltaScope): TimedRows<Touch> {
  return new TouchRun(scope).run()
}

/** One delta's touches, read into `out`. */
class TouchRun {
  private readonly out: TimedRows<Touch> = { put: [], gone: [] }
  private readonly owners = new OwnerLists()

  constructor(private readonly scope: DeltaScope) {}

  run(): TimedRows<Touch> {
    const { view } = this.scope
    const activities = new Set(view.touched('activities'))
    const calls = new Set(view.touched('calls'))
    const tasks = new Set(view.touched('tasks'))
    addActivitiesCallsName(view, calls, activities)
    addTasksActivitiesStandFor(view, tasks)
    const callOf = callsOfActivities(view, activities, calls)
    const activityTouches = this.activities(activities, callOf)
    this.calls(calls, activities, activityTouches)
    this.tasks(tasks)
    return this.out
  }

  /** The activities' touches; returns the ids of those that are a touch after the delta. */
  private activities(ids: Set<number>, callOf: Map<number, CallRow>): Set<number> {
    const touches = new Set<number>()
    for (const id of ids) {
      const call = callOf.get(id)
      const touch = this.reread('activities', id, (row, log, after) =>
        activityTouch(row as unknown as ActivityRow, after ? call : undefined, log, this.owners),
      )
      if (touch) touches.add(id)
    }
    return touches
  }

  /** The calls' own touches: none for a call whose activity is a touch after the delta. */
  private calls(ids: Set<number>, activities: Set<number>, activityTouches: Set<number>): void {
    const ownedByActivity = (activity: number | null) =>
      activity !== null && (activities.has(activity) ? activityTouches.has(activity) : this.isActivityTouch(activity))
    for (const id of ids)
      this.reread('calls', id, (row, log, after) =>
        after && ownedByActivity(wireId(row.CRM_ACTIVITY_ID))
          ? null
          : orphanCallTouch(row as unknown as CallRow, log, this.owners),
      )
  }

  /** The tasks' touches: a task a TYPE_ID 3 activity stands for after the delta is counted as one. */
  private tasks(ids: Set<number>): void {
    const counted = tasksAsActivities(this.scope.view, ids)
    for (const id of ids)
      this.reread('tasks', id, (row, log, after) =>
        taskTouch(row as unknown as TaskRow, after && counted.has(id), log, this.owners),
      )
  }

  private reread(
    table: TableName,
    id: number,
    touchOf: (row: WireRow, log: ProblemLog, after: boolean) => Touch | null,
  ) {
    return reread(this.scope, table, id, this.out, (row, ctx, after) => touchOf(row, ctx.log, after))
  }

  /** Whether an activity the delta left alone is a touch (its call row does not decide that). */
  private isActivityTouch(id: number): boolean {
    const row = this.scope.view.now('activities', id)
    return (
      row !== undefined &&
      activityTouch(row as unknown as ActivityRow, undefined, new ProblemLog(), this.owners) !== null
    )
  }
}

/** The activities the calls name, before or after the delta (their touch reads the call). */
function addActivitiesCallsName(view: DumpAfter, calls: Set<number>, activities: Set<number>): void {
  for (const id of calls)
    for (const row of [view.old('calls', id), view.now('calls', id)]) {
      const activity = wireId(row?.CRM_ACTIVITY_ID)
      if (activity !== null) activities.add(activity)
    }
}

/** The tasks the touched TYPE_ID 3 activities stand for, before or after the delta. */
function addTasksActivitiesStandFor(view: DumpAfter, tasks: Set<number>): void {
  for (const id of view.touched('activities'))
    for (const row of [view.old('activities', id), view.now('activities', id)])
      if (row && String(row.TYPE_ID) === '3') {
        const task = wireId(row.ASSOCIATED_ENTITY_ID)
        if (task !== null) tasks.add(task)
      }
}

/**
 * One walk of the calls after the delta: each activity's call (the last one naming it, as the
 * full normalisation's map keeps); the calls naming one of the activities join `calls`.
 */
function callsOfActivities(view: DumpAfter, activities: Set<number>, calls: Set<number>): Map<number, CallRow> {
  const callOf = new Map<number, CallRow>()
  if (activities.size === 0) return callOf
  view.forEach('calls', (r) => {
    const activity = wireIdFast(r.CRM_ACTIVITY_ID)
    if (activity === null || !activities.has(activity)) return
    callOf.set(activity, r as unknown as CallRow)
    calls.add(numericKey('calls', r))
  })
  return callOf
}

/** Of these tasks, those a TYPE_ID 3 activity after the delta stands for (one walk of the activities). */
function tasksAsActivities(view: DumpAfter, tasks: ReadonlySet<number>): Set<number> {
  const counted = new Set<number>()
  if (tasks.size === 0) return counted
  view.forEach('activities', (r) => {
    if (String(r.TYPE_ID) !== '3') return
    const task = wireIdFast(r.ASSOCIATED_ENTITY_ID)
    if (task !== null && tasks.has(task)) counted.add(task)
  })
  return counted
}
