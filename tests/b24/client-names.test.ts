/**
 * Client names over HTTP: the demo portal serves crm.company.list / crm.contact.list in the
 * legacy wire format (string ids, 50 per page, select, `@ID`), and loadClientNames asks for
 * exactly the ids a report shows, in one batch.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunningPortal } from '../../src/demo-portal/server'
import { loadClientNames } from '../../src/b24/client-names'
import type { PortalDump } from '../../src/b24/wire'
import { demoDump, portalWith, webhookClient } from '../sync/portal'

let portal: RunningPortal
let dump: PortalDump

beforeAll(async () => {
  dump = demoDump(5, 400)
  // User 2 only sees CRM rows assigned to them.
  portal = await portalWith(dump, { ownDealsOnly: [2] })
})
afterAll(() => portal?.close())

describe('crm.company.list / crm.contact.list on the demo portal', () => {
  it('pages 50 rows with string ids, total and next; select trims the row', async () => {
    const c = await webhookClient(portal)
    const reply = await c.callFull<Record<string, unknown>[]>('crm.contact.list', { select: ['ID', 'NAME'] })
    expect(reply.result).toHaveLength(50)
    expect(reply.total).toBe(dump.contacts!.length)
    expect(Object.keys(reply.result[0]).sort()).toEqual(['ID', 'NAME'])
    expect(typeof reply.result[0].ID).toBe('string')
    const companies = await c.callFull<Record<string, unknown>[]>('crm.company.list', {
      filter: { '@ID': [2, 3] },
      select: ['ID', 'TITLE'],
    })
    expect(companies.result.map((r) => r.ID)).toEqual(['2', '3'])
    expect(companies.result[1].TITLE).toBe(dump.companies![2].TITLE)
  })

  it('a user limited to their own rows sees only their clients', async () => {
    const c = await webhookClient(portal, 2)
    const rows = await c.sdkCallList('crm.contact.list', { select: ['ID', 'ASSIGNED_BY_ID'] })
    expect(rows.length).toBe(dump.contacts!.filter((r) => r.ASSIGNED_BY_ID === '2').length)
    expect(rows.every((r) => (r as { ASSIGNED_BY_ID: string }).ASSIGNED_BY_ID === '2')).toBe(true)
  })
})

describe('loadClientNames', () => {
  it('names the asked companies and contacts in one request', async () => {
    const c = await webhookClient(portal)
    const before = c.requests
    const names = await loadClientNames(c, { companies: [1, 3, 999_999], contacts: [2, 2, 5] })
    expect(c.requests - before).toBe(1)
    expect(names.companies).toEqual([
      { id: 1, name: dump.companies![0].TITLE },
      { id: 3, name: dump.companies![2].TITLE },
    ])
    const contact = (id: number) => dump.contacts!.find((r) => r.ID === String(id))!
    expect(names.contacts).toEqual([2, 5].map((id) => ({ id, name: `${contact(id).NAME} ${contact(id).LAST_NAME}` })))
  })

  it('asks nothing when there is nothing to name', async () => {
    const c = await webhookClient(portal)
    const before = c.requests
    expect(await loadClientNames(c, { companies: [], contacts: [] })).toEqual({ companies: [], contacts: [] })
    expect(c.requests).toBe(before)
  })
})
