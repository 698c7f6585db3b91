/**
 * Who comes when: creation times with seasonality, weekly rhythm, growth and office hours;
 * which branch, channel, pipeline and manager each deal gets; which leads convert into it.
 * Ids are given in creation order afterwards, as a real portal's auto-increment would.
 */
import {
  CHANNELS,
  CITIES,
  CONTACT_CENTER_PIPELINE,
  MONTH_DEMAND,
  SALES_PIPELINE,
  type ChannelProfile,
  type PipelineSpec,
} from './gen-catalog'
import { orderByTime } from './gen-columns'
import type { GenContext } from './gen-context'
import type { StaffMember } from './gen-people'
import { WeightedPicker } from './gen-random'
import { DAY, HOUR, MINUTE, localParts, startOfLocalDay } from './gen-time'

export interface DealPlan {
  created: number
  pipeline: PipelineSpec
  city: number
  channel: ChannelProfile
  manager: StaffMember
  /** ASSIGNED_BY_ID: the manager, or a since-deleted user for a few deals. */
  assignedId: number
  /** Index into NetworkPlan.leads, -1 when the deal was created directly. */
  lead: number
  contactId: number
  repeatCustomer: boolean
}

export interface LeadPlan {
  id: number
  created: number
  city: number
  channel: ChannelProfile
  manager: StaffMember
  /** Index into NetworkPlan.deals when the lead was converted, else -1. */
  deal: number
}

export interface NetworkPlan {
  deals: DealPlan[]
  /** In id order (ids are index + 1). */
  leads: LeadPlan[]
}

const WEEKDAY_DEMAND = [0.55, 1.15, 1.1, 1.05, 1.05, 0.95, 0.7]
const HOUR_WEIGHTS = [
  0.08, 0.05, 0.03, 0.03, 0.03, 0.05, 0.1, 0.2, 0.4, 0.8, 1.2, 1.4, 1.4, 1.2, 1.2, 1.2, 1.2, 1.3, 1.3, 1.1, 0.8, 0.5,
  0.3, 0.15,
]

export function planNetwork(ctx: GenContext, dealCount: number): NetworkPlan {
  const { random } = ctx
  const cityPicker = new WeightedPicker(
    CITIES.map((_, i) => i),
    CITIES.map((c) => c.weight),
  )
  const salesChannels = new WeightedPicker(
    CHANNELS,
    CHANNELS.map((c) => c.salesWeight),
  )
  const centerChannels = new WeightedPicker(
    CHANNELS,
    CHANNELS.map((c) => c.centerWeight),
  )
  const created = creationTimes(ctx, dealCount)
  const deals: DealPlan[] = []
  const leadDrafts: Omit<LeadPlan, 'id'>[] = []
  let contacts = 0
  for (let i = 0; i < dealCount; i++) {
    const at = created[i]
    const center = random.chance(0.25)
    const city = cityPicker.pick(random)
    const channel = (center ? centerChannels : salesChannels).pick(random)
    const manager = center ? random.pick(ctx.staff.operators) : activeManager(ctx, city, at)
    const assignedId = random.chance(ctx.rates.deletedUser) ? random.pick(ctx.staff.deletedUserIds) : manager.id
    const repeatCustomer = i > 50 && random.chance(0.06)
    const contactId = repeatCustomer ? deals[random.int(0, i - 1)].contactId : ++contacts
    let lead = -1
    if (!repeatCustomer && random.chance(center ? 0.35 : 0.6)) {
      const lag = Math.max(10 * MINUTE, random.logNormal(1.2 * DAY, 1.1))
      lead =
        leadDrafts.push({
          created: at - lag,
          city,
          channel,
          manager: center ? manager : leadOwner(ctx, city, at - lag),
          deal: i,
        }) - 1
    }
    deals.push({
      created: at,
      pipeline: center ? CONTACT_CENTER_PIPELINE : SALES_PIPELINE,
      city,
      channel,
      manager,
      assignedId,
      lead,
      contactId,
      repeatCustomer,
    })
  }
  // Leads that never became deals: about 1.5 leads per deal in all, junk-prone channels
  // over-represented (that is what makes them junk-prone).
  const leadChannels = new WeightedPicker(
    CHANNELS,
    CHANNELS.map((c) => (c.salesWeight + c.centerWeight) * (0.3 + 1.7 * c.junk)),
  )
  const extra = Math.max(0, Math.round(dealCount * 1.5) - leadDrafts.length)
  const extraCreated = creationTimes(ctx, extra)
  for (let i = 0; i < extra; i++) {
    const at = extraCreated[i]
    const city = cityPicker.pick(random)
    leadDrafts.push({
      created: at,
      city,
      channel: leadChannels.pick(random),
      manager: leadOwner(ctx, city, at),
      deal: -1,
    })
  }
  const times = Float64Array.from(leadDrafts, (l) => l.created)
  const leads: LeadPlan[] = []
  for (const index of orderByTime(times, times.length)) {
    const draft = leadDrafts[index]
    const plan: LeadPlan = { id: leads.length + 1, ...draft }
    if (plan.deal >= 0) deals[plan.deal].lead = leads.length
    leads.push(plan)
  }
  return { deals, leads }
}

/** Sorted creation instants between start and now, shaped by season, weekday, hour and growth. */
function creationTimes(ctx: GenContext, count: number): Float64Array {
  const { random, start, now } = ctx
  const span = now - start
  const hours = new WeightedPicker(
    HOUR_WEIGHTS.map((_, h) => h),
    HOUR_WEIGHTS,
  )
  const maxWeight = Math.max(...MONTH_DEMAND) * 1.2 * Math.max(...WEEKDAY_DEMAND)
  const out = new Float64Array(count)
  let filled = 0
  while (filled < count) {
    const t = start + random.next() * span
    const { month, weekday } = localParts(t)
    const weight = MONTH_DEMAND[month] * (0.8 + (0.4 * (t - start)) / span) * WEEKDAY_DEMAND[weekday]
    if (random.next() * maxWeight >= weight) continue
    const at = startOfLocalDay(t) + hours.pick(random) * HOUR + random.int(0, 3599) * 1000
    if (at > start && at < now) out[filled++] = at
  }
  return out.sort()
}

function activeManager(ctx: GenContext, city: number, at: number): StaffMember {
  const all = ctx.staff.byCity[city]
  const active = all.filter((m) => m.hiredAt <= at && at < m.firedAt)
  return ctx.random.pick(active.length > 0 ? active : all)
}

function leadOwner(ctx: GenContext, city: number, at: number): StaffMember {
  return ctx.random.chance(0.3) ? ctx.random.pick(ctx.staff.operators) : activeManager(ctx, city, at)
}
