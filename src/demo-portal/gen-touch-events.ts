/**
 * When managers touch a customer: the first reaction to a new deal (its speed is a trait of
 * the manager), calls and messages while the deal sits in a stage, the consultation itself,
 * contract paperwork, reminders planned into the future. Appends to the context's touch columns.
 */
import type { StageRole } from './gen-catalog'
import type { GenContext } from './gen-context'
import { DAY, HOUR, MINUTE } from './gen-time'
import { TOUCH, workingTime } from './gen-touches'

export interface TouchOwner {
  ownerType: number
  dealId: number
  leadId: number
  contactId: number
  responsible: number
}

/**
 * Adds one touch; returns its time, or -1 when it would fall after `now` and was dropped.
 * `planned` touches lie in the future and are not completed.
 */
export function addTouch(
  ctx: GenContext,
  owner: TouchOwner,
  kind: number,
  at: number,
  direction = 0,
  planned = false,
  notBefore = 0,
): number {
  const { random, now } = ctx
  if (!planned && at >= now) return -1
  let end = at
  let duration = 0
  let result = 0
  if (kind === TOUCH.call || kind === TOUCH.callWithoutActivity) {
    direction = direction || (random.chance(0.75) ? 2 : 1)
    if (!planned && random.chance(direction === 2 ? 0.26 : 0.09)) result = direction === 2 ? random.int(2, 4) : 1
    else duration = Math.round(Math.min(3600, Math.max(8, random.logNormal(140, 0.85))))
    end = at + duration * 1000
  } else if (kind === TOUCH.meeting) end = at + HOUR
  else if (kind === TOUCH.task) end = at + random.int(2, 48) * HOUR
  else if (kind === TOUCH.email) direction = direction || (random.chance(0.7) ? 2 : 1)
  // A planned touch was scheduled a little before now, never before its owner existed.
  const created = planned ? Math.max(ctx.start, notBefore, now - random.between(0.1, 3) * DAY) : at
  ctx.touches.push({
    created,
    start: at,
    end,
    kind,
    direction,
    duration,
    result,
    subject: random.int(0, 11),
    responsible: owner.responsible,
    ownerType: owner.ownerType,
    dealId: owner.dealId,
    leadId: owner.leadId,
    contactId: owner.contactId,
    completed: planned ? 0 : 1,
  })
  return at
}

/** Touches expected while a deal sits in a stage of the given role (mean count and mix). */
const STAGE_TOUCHES: Record<StageRole, { mean: number; kinds: readonly number[] }> = {
  new: { mean: 0.3, kinds: [TOUCH.call, TOUCH.call, TOUCH.sms] },
  qualify: { mean: 0.75, kinds: [TOUCH.call, TOUCH.call, TOUCH.call, TOUCH.email, TOUCH.sms, TOUCH.task] },
  booked: { mean: 0.55, kinds: [TOUCH.sms, TOUCH.sms, TOUCH.call, TOUCH.email] },
  noshow: { mean: 1.1, kinds: [TOUCH.call, TOUCH.call, TOUCH.call, TOUCH.sms, TOUCH.task] },
  held: { mean: 0.7, kinds: [TOUCH.call, TOUCH.email, TOUCH.task, TOUCH.call] },
  contract: { mean: 0.6, kinds: [TOUCH.email, TOUCH.call, TOUCH.task, TOUCH.sms] },
}

/** Touches inside [from, to) while the deal is in a stage of `role`; returns the latest time. */
export function touchesInStage(
  ctx: GenContext,
  owner: TouchOwner,
  role: StageRole,
  from: number,
  to: number,
  skill: number,
): number {
  const { random } = ctx
  const plan = STAGE_TOUCHES[role]
  const count = random.poisson(plan.mean * (0.7 + 0.5 * skill))
  let last = -1
  for (let k = 0; k < count; k++) {
    const at = workingTime(from + random.next() * Math.max(to - from, MINUTE))
    if (at >= to) continue
    last = Math.max(last, addTouch(ctx, owner, random.pick(plan.kinds), at))
  }
  return last
}

/** The first reaction to a new deal or lead; slow managers are slow. */
export function firstTouch(ctx: GenContext, owner: TouchOwner, created: number, medianMinutes: number): number {
  const { random } = ctx
  if (random.chance(0.05)) return -1
  const at = workingTime(created + Math.max(1, random.logNormal(medianMinutes, 1)) * MINUTE)
  const kind = random.chance(0.78) ? TOUCH.call : random.chance(0.5) ? TOUCH.sms : TOUCH.email
  return addTouch(ctx, owner, kind, at, 2)
}
