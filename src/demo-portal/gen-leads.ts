/**
 * Leads of the generated portal: converted ones (their deal carries LEAD_ID; the lead closes
 * as CONVERTED when the deal is created), junk (more of it from street ads and social
 * networks), and leads still in work or left stale. Each gets a stage history and a few touches.
 */
import type { DealRow, LeadRow } from '../b24/wire'
import type { GenContext } from './gen-context'
import { CITY_FIELD, LOSS_REASON_FIELD } from './gen-dictionaries'
import type { LeadPlan, NetworkPlan } from './gen-plan'
import { DAY, wireDate } from './gen-time'
import { addTouch, firstTouch, type TouchOwner } from './gen-touch-events'
import { OWNER, TOUCH, workingTime } from './gen-touches'

const FIRST_NAMES = [
  'Анна',
  'Игорь',
  'Мария',
  'Олег',
  'Светлана',
  'Пётр',
  'Дарья',
  'Руслан',
  'Алия',
  'Тимур',
  'Ольга',
  'Вадим',
]
const LAST_NAMES = [
  'Ковалёв',
  'Белова',
  'Гусев',
  'Комарова',
  'Титов',
  'Киселёва',
  'Ефимов',
  'Осипова',
  'Карпов',
  'Мухаметова',
]

/**
 * Junk reasons as managers type them: one reason in several spellings, some worth a new call
 * ("не дозвонились", "перезвонить позже"), some not; '' leaves the field empty (the lead's junk
 * status is its reason then). Picked by lead id, not by a random draw, so that adding them left
 * every other generated figure as it was.
 */
const JUNK_REASONS = [
  'Не дозвонились',
  'не дозвонились ',
  'Перезвонить позже',
  'Дубль',
  'Спам',
  'Не целевой',
  'НЕ ЦЕЛЕВОЙ',
  'Подумает, перезвонить через месяц',
  '',
]

export function walkLeads(ctx: GenContext, plan: NetworkPlan, deals: DealRow[]): LeadRow[] {
  return plan.leads.map((lead) =>
    walkLead(ctx, lead, lead.deal >= 0 ? deals[lead.deal] : null, lead.deal >= 0 ? plan.deals[lead.deal].created : 0),
  )
}

function walkLead(ctx: GenContext, lead: LeadPlan, deal: DealRow | null, convertedAt: number): LeadRow {
  const { random, now } = ctx
  const steps: [string, number, number, 0 | 1 | 2][] = [['NEW', lead.created, 1, 0]]
  const owner: TouchOwner = {
    ownerType: OWNER.lead,
    dealId: 0,
    leadId: lead.id,
    contactId: 0,
    responsible: lead.manager.id,
  }
  const first = firstTouch(ctx, owner, lead.created, lead.manager.firstTouchMinutes)
  const limit = deal ? convertedAt : now
  if (first > 0 && first < limit) steps.push(['IN_PROCESS', first, 2, 0])
  let closedAt = 0
  if (deal) {
    if (random.chance(0.3))
      addTouch(ctx, owner, TOUCH.call, workingTime(lead.created + (convertedAt - lead.created) * random.next()), 0)
    steps.push(['CONVERTED', convertedAt, 3, 1])
    closedAt = convertedAt
  } else {
    const after = Math.max(first, lead.created) + random.logNormal(3 * DAY, 0.9)
    for (let k = random.chance(0.6) ? 1 : 0; k > 0; k--)
      addTouch(
        ctx,
        owner,
        random.chance(0.8) ? TOUCH.call : TOUCH.sms,
        workingTime(lead.created + (after - lead.created) * random.next()),
        2,
      )
    if (after < now) {
      if (random.chance(0.3 + lead.channel.junk)) {
        steps.push(['JUNK', after, 3, 2])
        closedAt = after
      } else if (random.chance(0.5)) steps.push(['PROCESSED', after, 2, 0])
    }
  }
  for (const [stage, time, type, semantic] of steps) {
    ctx.leadEvents.push({ owner: lead.id, time, type, stage: ctx.stages.id(stage), category: 0, semantic })
  }
  const [status, moved, , semantic] = steps[steps.length - 1]
  const female = random.chance(0.55)
  const lastName = random.pick(LAST_NAMES)
  return {
    ID: String(lead.id),
    TITLE: `Заявка: ${lead.channel.name}`,
    NAME: random.pick(FIRST_NAMES),
    LAST_NAME: female && !lastName.endsWith('а') ? lastName + 'а' : lastName,
    STATUS_ID: status,
    STATUS_SEMANTIC_ID: semantic === 1 ? 'S' : semantic === 2 ? 'F' : 'P',
    SOURCE_ID: lead.channel.id,
    CURRENCY_ID: 'RUB',
    OPPORTUNITY: '0.00',
    ASSIGNED_BY_ID: String(lead.manager.id),
    CREATED_BY_ID: String(lead.manager.id),
    MODIFY_BY_ID: String(lead.manager.id),
    DATE_CREATE: wireDate(lead.created),
    DATE_MODIFY: wireDate(moved),
    DATE_CLOSED: closedAt > 0 ? wireDate(closedAt) : '',
    CONTACT_ID: deal ? deal.CONTACT_ID : null,
    COMPANY_ID: '0',
    OPENED: 'Y',
    IS_RETURN_CUSTOMER: 'N',
    MOVED_TIME: wireDate(moved),
    UTM_SOURCE: deal ? deal.UTM_SOURCE : random.pick(lead.channel.utm),
    UTM_MEDIUM: deal ? deal.UTM_MEDIUM : null,
    UTM_CAMPAIGN: deal ? deal.UTM_CAMPAIGN : null,
    UTM_CONTENT: null,
    UTM_TERM: null,
    [CITY_FIELD]: random.chance(0.06) ? null : ctx.dict.leadCityItemIds[lead.city],
    [LOSS_REASON_FIELD]: semantic === 2 ? JUNK_REASONS[lead.id % JUNK_REASONS.length] : '',
  }
}
