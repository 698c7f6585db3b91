/**
 * One deal's life: its walk through the pipeline (forward with the odd skipped stage, no-shows
 * and re-bookings, a few backward moves, losses, re-opened losses, a few moves from the contact
 * center into sales), its stage-history events and its touches; gen-deal-row.ts makes the row.
 */
import type { DealRow } from '../b24/wire'
import {
  BASE_ADVANCE,
  CITIES,
  DELETED_SALES_STAGE,
  MONTH_CONVERSION,
  ROLE_MEDIAN_DAYS,
  SALES_PIPELINE,
  UNKNOWN_CENTER_STAGE,
  type PipelineSpec,
  type StageRole,
} from './gen-catalog'
import type { GenContext } from './gen-context'
import { dealRow } from './gen-deal-row'
import type { DealPlan, LeadPlan } from './gen-plan'
import { DAY, HOUR, localParts } from './gen-time'
import { addTouch, firstTouch, touchesInStage, type TouchOwner } from './gen-touch-events'
import { OWNER, TOUCH, workingTime } from './gen-touches'

export type Outcome = 'open' | 'won' | 'lost'

export interface WalkStep {
  stage: string
  time: number
  type: number
  category: number
  /** Process role, or null for final stages and stages the walker does not model. */
  role: StageRole | null
  semantic: 0 | 1 | 2
}

export function walkDeal(ctx: GenContext, plan: DealPlan, dealId: number, leads: LeadPlan[]): DealRow {
  const walk = new DealWalk(ctx, plan)
  walk.run()
  const withHistory = !ctx.random.chance(ctx.rates.noHistory)
  if (withHistory) recordSteps(ctx, dealId, walk.steps)
  const owner: TouchOwner = {
    ownerType: OWNER.deal,
    dealId,
    leadId: 0,
    contactId: plan.contactId,
    responsible: plan.assignedId,
  }
  const lastTouch = dealTouches(ctx, plan, owner, walk.steps, walk.outcome)
  return dealRow(ctx, plan, dealId, leads, walk, lastTouch)
}

/** What happens at the end of a wait in a stage: go to a stage index (length = won), lose, or change pipeline. */
type Move = { to: number } | 'lost' | 'pipeline'

/** The walk of one deal through its pipeline(s), one decision per stage visit. */
export class DealWalk {
  readonly steps: WalkStep[] = []
  pipeline: PipelineSpec
  outcome: Outcome = 'open'
  lossRole: StageRole | null = null
  reopened = false
  private idx = 0
  private t: number
  private readonly conversion: number

  constructor(
    private readonly ctx: GenContext,
    private readonly plan: DealPlan,
  ) {
    this.pipeline = plan.pipeline
    this.t = plan.created
    this.conversion =
      CITIES[plan.city].conversion * plan.manager.skill * MONTH_CONVERSION[localParts(plan.created).month]
    this.push(this.pipeline.process[0].id, this.t, 1, this.pipeline.process[0].role, 0)
  }

  run(): void {
    const { random, now } = this.ctx
    for (let guard = 0; guard < 40; guard++) {
      const role = this.pipeline.process[this.idx].role
      let wait = random.logNormal(ROLE_MEDIAN_DAYS[role] * DAY, 0.9)
      if (random.chance(0.03)) wait *= random.between(5, 15) // the deal got stuck
      const next = Math.max(workingTime(this.t + wait), this.t + 1000)
      if (next >= now) break
      const move = this.decide(role, next)
      if (move === 'pipeline') this.changePipeline(next)
      else if (move === 'lost') {
        if (!this.lose(role, next)) break
      } else if (move.to >= this.pipeline.process.length) {
        this.push(this.pipeline.won.id, next, 3, null, 1)
        this.outcome = 'won'
        this.t = next
        break
      } else this.moveTo(move.to, next, 2)
    }
    this.maybeUnknownStage()
  }

  private decide(role: StageRole, next: number): Move {
    const { random, rates, start } = this.ctx
    const { channel, manager } = this.plan
    const process = this.pipeline.process
    if (role === 'booked') {
      const noShow = this.roleAt('noshow')
      if (random.chance(0.1 / this.conversion)) return 'lost' // cancelled before the visit
      if (noShow >= 0 && random.chance(channel.noShow * (1.5 - manager.skill * 0.5))) return { to: noShow }
      const to = noShow + 1
      // The contact center has no "held" stage: the visit and the signature are one step.
      if (process[to]?.role !== 'held' && !random.chance(this.advance('held'))) return 'lost'
      if (this.pipeline === SALES_PIPELINE && next < start + 120 * DAY && random.chance(rates.deletedStage)) {
        this.push(DELETED_SALES_STAGE, this.t + (next - this.t) / 2, 2, null, 0)
      }
      return { to }
    }
    if (role === 'noshow') {
      const x = random.next()
      if (x < 0.42) return { to: this.roleAt('booked') } // re-booked: a backward move
      return x < 0.55 ? { to: this.idx + 1 } : 'lost' // came later after all, or gone
    }
    if (random.chance(this.advance(role))) {
      let to = this.idx + 1
      if (role === 'new' && random.chance(channel.id === 'WORD_OF_MOUTH' ? 0.3 : 0.08)) to = this.idx + 2
      if (role === 'held' && random.chance(0.05)) to = process.length // paid at once
      if (this.pipeline.id === 1 && role === 'qualify' && random.chance(rates.pipelineChange)) return 'pipeline'
      return { to }
    }
    if (this.idx >= 2 && random.chance(0.07)) {
      const back = this.idx - 1
      return { to: process[back].role === 'noshow' ? back - 1 : back }
    }
    return 'lost'
  }

  /** Moves to a failure stage; a few lost deals are re-opened later. Returns false when the walk ends. */
  private lose(role: StageRole, next: number): boolean {
    const { random, rates, now } = this.ctx
    const failure = random.chance(0.8) ? this.pipeline.lose : this.pipeline.apology
    this.push(failure.id, next, 3, null, 2)
    this.outcome = 'lost'
    this.lossRole = role
    this.t = next
    if (this.reopened || !random.chance(rates.reopen)) return false
    const back = workingTime(next + random.logNormal(12 * DAY, 0.8))
    if (back >= now) return false
    this.reopened = true
    this.outcome = 'open'
    this.lossRole = null
    this.moveTo(role === 'noshow' ? this.roleAt('booked') : Math.max(this.idx, 1), back, 2)
    return true
  }

  /** A contact-center deal handed over to sales: TYPE_ID 5 into the sales pipeline. */
  private changePipeline(next: number): void {
    this.pipeline = SALES_PIPELINE
    this.moveTo(this.roleAt('qualify'), next, 5)
  }

  /** Two open contact-center deals end in a stage crm.status.list does not know. */
  private maybeUnknownStage(): void {
    const { random, now } = this.ctx
    if (this.outcome !== 'open' || this.pipeline.id !== 1 || this.ctx.unknownStageBudget <= 0) return
    if (this.plan.created <= now - 90 * DAY || !random.chance(0.5)) return
    const at = workingTime(this.t + (now - this.t) * random.between(0.2, 0.8))
    if (at <= this.t + 1000 || at >= now) return
    this.ctx.unknownStageBudget--
    this.push(UNKNOWN_CENTER_STAGE, at, 2, null, 0)
    this.t = at
  }

  private moveTo(index: number, at: number, type: number): void {
    this.idx = index
    this.push(this.pipeline.process[index].id, at, type, this.pipeline.process[index].role, 0)
    this.t = at
  }

  private push(stage: string, time: number, type: number, role: StageRole | null, semantic: 0 | 1 | 2): void {
    this.steps.push({ stage, time, type, category: this.pipeline.id, role, semantic })
  }

  private advance(role: StageRole): number {
    return clamp(BASE_ADVANCE[role] * (this.plan.channel.stage[role] ?? 1) * this.conversion, 0.05, 0.95)
  }

  private roleAt(role: StageRole): number {
    return this.pipeline.process.findIndex((s) => s.role === role)
  }
}

function recordSteps(ctx: GenContext, dealId: number, steps: WalkStep[]): void {
  for (const s of steps) {
    ctx.dealEvents.push({
      owner: dealId,
      time: s.time,
      type: s.type,
      stage: ctx.stages.id(s.stage),
      category: s.category,
      semantic: s.semantic,
    })
  }
}

function dealTouches(ctx: GenContext, plan: DealPlan, owner: TouchOwner, steps: WalkStep[], outcome: Outcome): number {
  const { random, now } = ctx
  let last = -1
  if (plan.lead < 0 && random.chance(0.2)) {
    // The customer called before the deal existed: that call sits on the contact.
    addTouch(ctx, { ...owner, ownerType: OWNER.contact }, TOUCH.call, plan.created - random.between(2, 90) * 60_000, 1)
  }
  if (random.chance(0.01))
    addTouch(ctx, owner, TOUCH.callWithoutActivity, plan.created + random.between(1, 48) * HOUR, 1)
  last = Math.max(last, firstTouch(ctx, owner, plan.created, plan.manager.firstTouchMinutes))
  for (let k = 0; k < steps.length; k++) {
    const step = steps[k]
    if (step.role === 'held' || step.role === 'contract') {
      const kind = step.role === 'held' ? TOUCH.meeting : TOUCH.task
      last = Math.max(last, addTouch(ctx, owner, kind, Math.max(step.time - HOUR, plan.created)))
    }
    if (step.role === null) continue
    const until = k + 1 < steps.length ? steps[k + 1].time : Math.min(now, step.time + 25 * DAY)
    last = Math.max(last, touchesInStage(ctx, owner, step.role, step.time, until, plan.manager.skill))
  }
  const end = steps[steps.length - 1]
  if (outcome === 'won')
    last = Math.max(last, addTouch(ctx, owner, TOUCH.email, end.time + random.between(1, 20) * HOUR, 2))
  if (outcome === 'open' && random.chance(0.6)) {
    const kind = random.pick([TOUCH.call, TOUCH.task, TOUCH.meeting])
    addTouch(ctx, owner, kind, workingTime(now + random.between(0.2, 7) * DAY), 2, true, end.time)
  }
  return last
}

function clamp(x: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, x))
}
