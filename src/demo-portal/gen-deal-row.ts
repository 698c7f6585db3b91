/**
 * A walked deal as a crm.deal.list row: title, amount and currency, flags, dates (CLOSEDATE is
 * the planned date while open), source and UTM, city and loss-reason enumeration values.
 */
import type { DealRow } from '../b24/wire'
import { CITIES, LOSS_REASONS, USD_RATE, type StageRole } from './gen-catalog'
import type { GenContext } from './gen-context'
import { CITY_FIELD, LOSS_REASON_FIELD } from './gen-dictionaries'
import type { DealPlan, LeadPlan } from './gen-plan'
import { DAY, HOUR, localParts, wireDate, wireDay } from './gen-time'

const COURSES = [
  'Английский для взрослых',
  'Английский для детей',
  'Подготовка к ЕГЭ',
  'IELTS',
  'Немецкий язык',
  'Китайский язык',
  'Испанский язык',
  'Программирование для школьников',
]
const PRICES = [18900, 24900, 32000, 36000, 48000, 52000, 64000, 89000, 120000]
/**
 * A first-name initial: the letters А–Я that begin names (no Й, Ъ, Ы, Ь), the common ones twice,
 * 32 in all so the generator draws the same numbers as before and every seeded figure stays.
 */
const INITIALS = 'АБВГДЕЖЗИКЛМНОПРСТУФХЦЧШЩЭЮЯАВЕИ'
const ODD_TITLES = [
  '<b>VIP</b> клиент "Ёлка" & Co',
  '<img src=x onerror=alert(1)> Иванов',
  "O'Brien \u2014 \u{1F393} English",
]
const SURNAMES = [
  'Иванов',
  'Кузнецова',
  'Смирнов',
  'Попова',
  'Соколов',
  'Лебедева',
  'Новиков',
  'Морозова',
  'Волков',
  'Зайцева',
  'Павлов',
  'Семёнова',
]

/**
 * What a finished walk tells its row (gen-deal-walk.ts's DealWalk has this shape; structural, so
 * the walker can import this file without this file importing the walker).
 */
export interface WalkedDeal {
  steps: readonly { stage: string; time: number }[]
  outcome: 'open' | 'won' | 'lost'
  lossRole: StageRole | null
  pipeline: { id: number }
  reopened: boolean
}

export function dealRow(
  ctx: GenContext,
  plan: DealPlan,
  dealId: number,
  leads: LeadPlan[],
  walk: WalkedDeal,
  lastTouch: number,
): DealRow {
  const { random, now, dict } = ctx
  const { steps, outcome, lossRole, pipeline, reopened } = walk
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
  const contact = `${random.pick(SURNAMES)} ${INITIALS[random.int(0, INITIALS.length - 1)]}.`
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
    UTM_CAMPAIGN:
      utm === null
        ? null
        : `${plan.channel.id.toLowerCase()}_${localParts(plan.created).month < 6 ? 'spring' : 'autumn'}`,
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
