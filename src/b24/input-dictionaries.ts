/**
 * Names the budget and plan editors need: sources, cities, managers and currencies, in one
 * batch (plus one more when the portal has more than 50 active users).
 *
 * City ids match the sync layer's `Deal.cityId`: the city field's enumeration item id when a
 * city field is set, else "dep:<department id>" (the manager's department).
 */
import { replyOf, type AppRest, type RestParams } from './app-rest'
import type { SyncSettings } from './settings'
import type { CurrencyRow, DepartmentRow, StatusRow, UserFieldRow, UserRow } from './wire'

export interface Named {
  id: string
  name: string
}

export interface InputDictionaries {
  sources: Named[]
  cities: Named[]
  managers: Named[]
  currencies: string[]
  baseCurrency: string
}

function userName(u: UserRow): string {
  return [u.NAME, u.LAST_NAME].filter((x) => x && x.trim()).join(' ') || `#${u.ID}`
}

export async function loadInputDictionaries(
  rest: AppRest,
  settings: Pick<SyncSettings, 'cityField' | 'currency'>,
): Promise<InputDictionaries> {
  const cmds: Record<string, [string, RestParams]> = {
    sources: ['crm.status.list', { filter: { ENTITY_ID: 'SOURCE' }, order: { SORT: 'ASC' } }],
    currencies: ['crm.currency.list', {}],
    users: ['user.get', { FILTER: { ACTIVE: true }, sort: 'ID', order: 'ASC', start: 0 }],
  }
  if (settings.cityField) cmds.cityField = ['crm.deal.userfield.list', { filter: { FIELD_NAME: settings.cityField } }]
  else cmds.departments = ['department.get', { sort: 'ID', order: 'ASC' }]
  const replies = await rest.batch(cmds)

  const users = [...replyOf<UserRow[]>(replies, 'users')]
  const total = replies.users.total
  if (total > users.length) {
    const more: Record<string, [string, RestParams]> = {}
    for (let s = 50; s < Math.min(total, 50 * 50); s += 50)
      more[`u${s}`] = ['user.get', { FILTER: { ACTIVE: true }, sort: 'ID', order: 'ASC', start: s }]
    const pages = await rest.batch(more)
    for (const n of Object.keys(more)) users.push(...replyOf<UserRow[]>(pages, n))
  }

  let cities: Named[] = []
  if (settings.cityField) {
    const field = replyOf<UserFieldRow[]>(replies, 'cityField')[0]
    cities = (field?.LIST ?? []).map((i) => ({ id: i.ID, name: i.VALUE }))
  } else {
    cities = replyOf<DepartmentRow[]>(replies, 'departments').map((d) => ({ id: `dep:${d.ID}`, name: d.NAME }))
  }
  const currencyRows = replyOf<CurrencyRow[]>(replies, 'currencies')
  const base = currencyRows.find((c) => c.BASE === 'Y')?.CURRENCY ?? currencyRows[0]?.CURRENCY ?? 'USD'
  return {
    sources: replyOf<StatusRow[]>(replies, 'sources').map((s) => ({ id: s.STATUS_ID, name: s.NAME })),
    cities,
    managers: users.map((u) => ({ id: String(u.ID), name: userName(u) })),
    currencies: currencyRows.map((c) => c.CURRENCY),
    baseCurrency:
      settings.currency && currencyRows.some((c) => c.CURRENCY === settings.currency) ? settings.currency : base,
  }
}
