/**
 * Clients of the generated portal: a contact row for every CONTACT_ID the deals name, and
 * companies for some of them (corporate training: several employees of one company sign up,
 * so a company has repeat deals through different contacts). Deals of a contact that works for
 * a company get its COMPANY_ID (metrics.md "Client": the company wins over the contact).
 *
 * Draws come from a stream of their own, so adding clients leaves every other row as it was.
 */
import type { CompanyRow, ContactRow, DealRow } from '../b24/wire'
import { Random } from './gen-random'
import { MINUTE, wireDate } from './gen-time'

/** First names with the grammatical gender their surname takes (0 male, 1 female). */
const FIRST_NAMES: [string, 0 | 1][] = [
  ['Анна', 1],
  ['Иван', 0],
  ['Мария', 1],
  ['Сергей', 0],
  ['Ольга', 1],
  ['Дмитрий', 0],
  ['Елена', 1],
  ['Алексей', 0],
  ['Наталья', 1],
  ['Павел', 0],
]
const LAST_NAMES: [string, string][] = [
  ['Иванов', 'Иванова'],
  ['Петров', 'Петрова'],
  ['Смирнов', 'Смирнова'],
  ['Кузнецов', 'Кузнецова'],
  ['Попов', 'Попова'],
  ['Соколов', 'Соколова'],
  ['Лебедев', 'Лебедева'],
  ['Новиков', 'Новикова'],
]
const COMPANY_WORDS = ['Альфа', 'Север', 'Технопром', 'Восток', 'СтройИнвест', 'Меридиан', 'Гранит', 'Вектор']
const COMPANY_FORMS = ['ООО', 'АО', 'ИП']
/** Portal text is untrusted: one company name that looks like HTML. */
const ODD_COMPANY = '<b>ООО</b> "Рога & Копыта" <img src=x onerror=alert(2)>'

/** Share of sales contacts that come from a company, and of those, the share that join a known one. */
const CORPORATE_SHARE = 0.15
const KNOWN_COMPANY_SHARE = 0.55

export interface GeneratedClients {
  companies: CompanyRow[]
  contacts: ContactRow[]
}

/** Sets COMPANY_ID on the deal rows (in place) and returns the company and contact rows. */
export function generateClients(seed: number, deals: DealRow[]): GeneratedClients {
  const random = new Random(seed ^ 0x0c11e575)
  const companyOfContact = new Map<string, number>()
  const contacts = new Map<string, ContactRow>()
  const companies: CompanyRow[] = []
  for (const deal of deals) {
    const contactId = deal.CONTACT_ID
    if (contactId === null || contactId === '0') continue
    if (!contacts.has(contactId)) {
      contacts.set(contactId, {
        ID: contactId,
        ...contactName(random),
        ASSIGNED_BY_ID: deal.ASSIGNED_BY_ID,
        DATE_CREATE: wireDate(Date.parse(deal.DATE_CREATE) - random.int(1, 120) * MINUTE),
        DATE_MODIFY: deal.DATE_CREATE,
      })
      if (deal.CATEGORY_ID === '0' && random.chance(CORPORATE_SHARE)) {
        const known = companies.length > 0 && random.chance(KNOWN_COMPANY_SHARE)
        if (!known) companies.push(companyRow(random, companies.length + 1, deal))
        companyOfContact.set(contactId, known ? random.int(1, companies.length) : companies.length)
      }
    }
    const company = companyOfContact.get(contactId)
    if (company !== undefined) deal.COMPANY_ID = String(company)
  }
  return { companies, contacts: [...contacts.values()].sort((a, b) => Number(a.ID) - Number(b.ID)) }
}

function contactName(random: Random): { NAME: string; LAST_NAME: string } {
  const [first, gender] = random.pick(FIRST_NAMES)
  return { NAME: first, LAST_NAME: random.pick(LAST_NAMES)[gender] }
}

function companyRow(random: Random, id: number, deal: DealRow): CompanyRow {
  const title =
    id === 3 ? ODD_COMPANY : `${random.pick(COMPANY_FORMS)} «${random.pick(COMPANY_WORDS)}-${random.int(1, 99)}»`
  return {
    ID: String(id),
    TITLE: title,
    ASSIGNED_BY_ID: deal.ASSIGNED_BY_ID,
    DATE_CREATE: wireDate(Date.parse(deal.DATE_CREATE) - random.int(1, 600) * MINUTE),
    DATE_MODIFY: deal.DATE_CREATE,
  }
}
