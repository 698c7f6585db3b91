/**
 * One deal's life: its walk through the pipeline (forward with the odd skipped stage, no-shows
 * and re-bookings, a few backward moves, losses, re-opened losses, a few moves from the contact
 * center into sales), its stage-history events, its touches, and finally its crm.deal.list row.
 */
import type { DealRow } from '../b24/wire'
import {
  BASE_ADVANCE, CITIES, DELETED_SALES_STAGE, LOSS_REASONS, MONTH_CONVERSION, ROLE_MEDIAN_DAYS, SALES_PIPELINE,
  UNKNOWN_CENTER_STAGE, USD_RATE, type PipelineSpec, type StageRole,
} from './gen-catalog'
import type { GenContext } from './gen-context'
import { CITY_FIELD, LOSS_REASON_FIELD } from './gen-dictionaries'
import type { DealPlan, LeadPlan } from './gen-plan'
import { DAY, HOUR, localParts, wireDate, wireDay } from './gen-time'
import { addTouch, firstTouch, touchesInStage, type TouchOwner } from './gen-touch-events'
import { OWNER, TOUCH, workingTime } from './gen-touches'

type Outcome = 'open' | 'won' | 'lost'

interface WalkStep {
  stage: string
  time: number
  type: number
  category: number
  /** Process role, or null for final stages and stages the walker does not model. */
  role: StageRole | null
  semantic: 0 | 1 | 2
}

const COURSES = ['Английский для взрослых', 'Английский для детей', 'Подготовка к ЕГЭ', 'IELTS', 'Немецкий язык', 'Китайский язык', 'Испанский язык', 'Программирование для школьников']
const PRICES = [18900, 24900, 32000, 36000, 48000, 52000, 64000, 89000, 120000]
const ODD_TITLES = ['<b>VIP</b> клиент "Ёлка" & Co', '<img src=x onerror=alert(1)> Иванов', "O'Brien \u2014 \u{1F393} English"]
const SURNAMES = ['Иванов', 'Кузнецова', 'Смирнов', 'Попова', 'Соколов', 'Лебедева', 'Новиков', 'Морозова', 'Волков', 'Зайцева', 'Павлов', 'Семёнова']

export function walkDeal(ctx: GenContext, plan: DealPlan, dealId: number, leads: LeadPlan[]): DealRow {
  const { random, now } = ctx
  const manager = plan.manager
  const steps: WalkStep[] = []
  let pipeline = plan.pipeline
  let idx = 0
  let t = plan.created
  let outcome: Outcome = 'open'
  let lossRole: StageRole | null = null
  let reopened = false
  const push = (stage: string, time: number, type: number, role: StageRole | null, semantic: 0 | 1 | 2): void => {
    steps.push({ stage, time, type, category: pipeline.id, role, semantic })
  }
  push(pipeline.process[0].id, t, 1, pipeline.process[0].role, 0)
  const conversion = CITIES[plan.city].conversion * manager.skill * MONTH_CONVERSION[localParts(plan.created).month]
  const advance = (role: StageRole): number =>
    clamp(BASE_ADVANCE[role] * (plan.channel.stage[role] ?? 1) * conversion, 0.05, 0.95)
  const roleAt = (role: StageRole): number => pipeline.process.findIndex((s) => s.role === role)

  for (let guard = 0; guard < 40; guard++) {
    const role = pipeline.process[idx].role
    let wait = random.logNormal(ROLE_MEDIAN_DAYS[role] * DAY, 0.9)
    if (random.chance(0.03)) wait *= random.between(5, 15) // the deal got stuck
    const next = Math.max(workingTime(t + wait), t + 1000)
    if (next >= now) break
    let target = -1
    let lost = false
    if (role === 'booked') {
      const noShow = roleAt('noshow')
      if (random.chance(0.1 / conversion)) lost = true // cancelled before the visit
      else if (noShow >= 0 && random.chance(plan.channel.noShow * (1.5 - manager.skill * 0.5))) target = noShow
      else {
        target = noShow + 1
        // The contact center has no "held" stage: the visit and the signature are one step.
        if (pipeline.process[target]?.role !== 'held' && !random.chance(advance('held'))) lost = true
        else if (pipeline === SALES_PIPELINE && next < ctx.start + 120 * DAY && random.chance(ctx.rates.deletedStage)) {
          push(DELETED_SALES_STAGE, t + (next - t) / 2, 2, null, 0)
        }
      }
    } else if (role === 'noshow') {
      const x = random.next()
      if (x < 0.42) target = roleAt('booked') // re-booked: a backward move
      else if (x < 0.55) target = idx + 1 // came later after all
      else lost = true
    } else if (random.chance(advance(role))) {
      target = idx + 1
      if (role === 'new' && random.chance(plan.channel.id === 'WORD_OF_MOUTH' ? 0.3 : 0.08)) target = idx + 2
      if (role === 'held' && random.chance(0.05)) target = pipeline.process.length // paid at once
      if (pipeline.id === 1 && role === 'qualify' && random.chance(ctx.rates.pipelineChange)) {
        pipeline = SALES_PIPELINE
        idx = roleAt('qualify')
        push(pipeline.process[idx].id, next, 5, 'qualify', 0)
        t = next
        continue
      }
    } else if (idx >= 2 && random.chance(0.07)) {
      target = idx - 1
      if (pipeline.process[target].role === 'noshow') target--
    } else lost = true

    if (lost) {
      const failure = random.chance(0.8) ? pipeline.lose : pipeline.apology
      push(failure.id, next, 3, null, 2)
      outcome = 'lost'
      lossRole = role
      t = next
      if (reopened || !random.chance(ctx.rates.reopen)) break
      const back = workingTime(next + random.logNormal(12 * DAY, 0.8))
      if (back >= now) break
      reopened = true
      idx = role === 'noshow' ? roleAt('booked') : Math.max(idx, 1)
      push(pipeline.process[idx].id, back, 2, pipeline.process[idx].role, 0)
      outcome = 'open'
      lossRole = null
      t = back
      continue
    }
    if (target >= pipeline.process.length) {
      push(pipeline.won.id, next, 3, null, 1)
      outcome = 'won'
      t = next
      break
    }
    idx = target
    push(pipeline.process[idx].id, next, 2, pipeline.process[idx].role, 0)
    t = next
  }
  if (outcome === 'open' && pipeline.id === 1 && ctx.unknownStageBudget > 0 && plan.created > now - 90 * DAY && random.chance(0.5)) {
    const at = t + (now - t) * random.between(0.2, 0.8)
    if (at > t + 1000) {
      ctx.unknownStageBudget--
      push(UNKNOWN_CENTER_STAGE, at, 2, null, 0)
      t = at
    }
  }
  const withHistory = !random.chance(ctx.rates.noHistory)
  if (withHistory) recordSteps(ctx, dealId, steps)
  const owner: TouchOwner = { ownerType: OWNER.deal, dealId, leadId: 0, contactId: plan.contactId, responsible: plan.assignedId }
  const lastTouch = dealTouches(ctx, plan, owner, steps, outcome)
  return dealRow(ctx, plan, dealId, leads, steps, outcome, lossRole, pipeline, lastTouch, reopened)
}

function recordSteps(ctx: GenContext, dealId: number, steps: WalkStep[]): void {
  for (const s of steps) {
    ctx.dealEvents.push({ owner: dealId, time: s.time, type: s.type, stage: ctx.stages.id(s.stage), category: s.category, semantic: s.semantic })
  }
}

function dealTouches(ctx: GenContext, plan: DealPlan, owner: TouchOwner, steps: WalkStep[], outcome: Outcome): number {
  const { random, now } = ctx
  let last = -1
  if (plan.lead < 0 && random.chance(0.2)) {
    // The customer called before the deal existed: that call sits on the contact.
    addTouch(ctx, { ...owner, ownerType: OWNER.contact }, TOUCH.call, plan.created - random.between(2, 90) * 60_000, 1)
  }
  if (random.chance(0.01)) addTouch(ctx, owner, TOUCH.callWithoutActivity, plan.created + random.between(1, 48) * HOUR, 1)
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
  if (outcome === 'won') last = Math.max(last, addTouch(ctx, owner, TOUCH.email, end.time + random.between(1, 20) * HOUR, 2))
  if (outcome === 'open' && random.chance(0.6)) {
    const kind = random.pick([TOUCH.call, TOUCH.task, TOUCH.meeting])
    addTouch(ctx, owner, kind, workingTime(now + random.between(0.2, 7) * DAY), 2, true, end.time)
  }
  return last
}

function dealRow(ctx: GenContext, plan: DealPlan, dealId: number, leads: LeadPlan[], steps: WalkStep[], outcome: Outcome,
  lossRole: StageRole | null, pipeline: PipelineSpec, lastTouch: number, reopened: boolean): DealRow {
  const { random, now, dict } = ctx
  const end = steps[steps.length - 1]
  const moved = end.time
  const modified = random.chance(0.3) ? Math.min(now - 1000, moved + random.between(0.1, 120) * HOUR) : moved
  const closed = outcome !== 'open'
  const semantic = outcome === 'won' ? 'S' : outcome === 'lost' ? 'F' : 'P'
  const usd = random.chance(0.05)
  const city = CITIES[plan.city]
  let amount = Math.round((random.pick(PRICES) * city.price) / 100) * 100
  if (random.chance(0.2)) amount *= 1 - random.int(5, 15) / 100
  if (usd) amount /= Number(USD_RATE)
  const fromLead = plan.lead >= 0
  const utm = random.pick(plan.channel.utm)
  const user = String(plan.assignedId)
  const contact = `${random.pick(SURNAMES)} ${String.fromCharCode(0x410 + random.int(0, 31))}.`
  const title = random.chance(ctx.rates.oddTitle) ? random.pick(ODD_TITLES) : `${random.pick(COURSES)} — ${contact}`
  const cityEmpty = random.chance(plan.pipeline.id === 0 ? 0.08 : 0.02)
  let lossReason: string | null = null
  if (outcome === 'lost' && lossRole !== null && random.chance(0.85)) {
    const weights = LOSS_REASONS.map((r) => r.at[lossRole as StageRole] ?? 0)
    lossReason = dict.lossReasonItemIds[pickIndex(random.next(), weights)]
  }
  return {
    ID: String(dealId),
    TITLE: title,
    TYPE_ID: random.chance(0.85) ? 'SALE' : random.chance(0.6) ? 'COMPLEX' : 'SERVICES',
    CATEGORY_ID: String(pipeline.id),
    STAGE_ID: end.stage,
    STAGE_SEMANTIC_ID: semantic,
    IS_NEW: outcome === 'open' && steps.length === 1 ? 'Y' : 'N',
    IS_RETURN_CUSTOMER: plan.repeatCustomer ? 'Y' : 'N',
    IS_REPEATED_APPROACH: reopened ? 'Y' : 'N',
    PROBABILITY: null,
    CURRENCY_ID: usd ? 'USD' : 'RUB',
    OPPORTUNITY: amount.toFixed(2),
    IS_MANUAL_OPPORTUNITY: 'Y',
    TAX_VALUE: '0.00',
    LEAD_ID: fromLead ? String(leads[plan.lead].id) : null,
    COMPANY_ID: '0',
    CONTACT_ID: String(plan.contactId),
    QUOTE_ID: null,
    BEGINDATE: wireDay(plan.created),
    // An open deal's CLOSEDATE is the planned date; a closed one's is the day it closed.
    CLOSEDATE: wireDay(closed ? moved : plan.created + 14 * DAY),
    ASSIGNED_BY_ID: user,
    CREATED_BY_ID: user,
    MODIFY_BY_ID: user,
    DATE_CREATE: wireDate(plan.created),
    DATE_MODIFY: wireDate(modified),
    OPENED: 'Y',
    CLOSED: closed ? 'Y' : 'N',
    COMMENTS: null,
    ADDITIONAL_INFO: null,
    LOCATION_ID: null,
    // A converted deal sometimes leaves its source empty: the lead's source then applies.
    SOURCE_ID: fromLead && random.chance(0.15) ? null : plan.channel.id,
    SOURCE_DESCRIPTION: null,
    ORIGINATOR_ID: null,
    ORIGIN_ID: null,
    MOVED_BY_ID: user,
    MOVED_TIME: wireDate(moved),
    LAST_ACTIVITY_TIME: lastTouch > 0 ? wireDate(lastTouch) : null,
    LAST_ACTIVITY_BY: lastTouch > 0 ? user : null,
    UTM_SOURCE: utm,
    UTM_MEDIUM: utm === null ? null : plan.channel.utmMedium,
    UTM_CAMPAIGN: utm === null ? null : `${plan.channel.id.toLowerCase()}_${localParts(plan.created).month < 6 ? 'spring' : 'autumn'}`,
    UTM_CONTENT: null,
    UTM_TERM: null,
    [CITY_FIELD]: cityEmpty ? null : dict.dealCityItemIds[plan.city],
    [LOSS_REASON_FIELD]: lossReason,
  }
}

function pickIndex(x: number, weights: number[]): number {
  const total = weights.reduce((a, b) => a + b, 0)
  let acc = 0
  for (let i = 0; i < weights.length; i++) {
    acc += weights[i] / total
    if (x < acc) return i
  }
  return weights.length - 1
}

function clamp(x: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, x))
}
