/**
 * Names of the few clients a report shows (its top clients), asked for by id instead of syncing
 * every company and contact: one batch with crm.company.list and crm.contact.list filtered by
 * `@ID`, selecting only TITLE / NAME, LAST_NAME (rest.md §4.12). At most 50 ids of each kind
 * (one page each). A refused command (no rights to contacts) leaves those names out.
 */
import type { NamedItem } from '../engine/types'
import type { AppRest } from './app-rest'
import type { CompanyRow, ContactRow } from './wire'
import { companyName, contactName } from './normalize'
import { wireId } from './wire-values'

export interface ClientIds {
  companies: number[]
  contacts: number[]
}

export interface ClientNames {
  companies: NamedItem<number>[]
  contacts: NamedItem<number>[]
}

const PAGE = 50

function named<R extends { ID: unknown }>(rows: unknown, nameOf: (r: R) => string | null): NamedItem<number>[] {
  if (!Array.isArray(rows)) return []
  const out: NamedItem<number>[] = []
  for (const r of rows as R[]) {
    const id = wireId(r?.ID)
    const name = r ? nameOf(r) : null
    if (id !== null && name !== null) out.push({ id, name })
  }
  return out
}

export async function loadClientNames(rest: AppRest, ids: ClientIds): Promise<ClientNames> {
  const companies = [...new Set(ids.companies)].slice(0, PAGE)
  const contacts = [...new Set(ids.contacts)].slice(0, PAGE)
  const commands: Record<string, [string, Record<string, unknown>]> = {}
  if (companies.length)
    commands.companies = ['crm.company.list', { filter: { '@ID': companies }, select: ['ID', 'TITLE'] }]
  if (contacts.length)
    commands.contacts = ['crm.contact.list', { filter: { '@ID': contacts }, select: ['ID', 'NAME', 'LAST_NAME'] }]
  if (!Object.keys(commands).length) return { companies: [], contacts: [] }
  const replies = await rest.batch(commands)
  const rows = (name: string) => (replies[name]?.ok ? replies[name].result : [])
  return {
    companies: named<CompanyRow>(rows('companies'), companyName),
    contacts: named<ContactRow>(rows('contacts'), contactName),
  }
}
