/**
 * The viewer's rights hold for touches too (issue 10.10, 8.7): a manager whose CRM role shows
 * only their own records syncs through the demo portal, which narrows calls
 * (voximplant.statistic.get, telephony "own") and tasks (tasks.task.list: own tasks and those
 * of the departments one heads) as Bitrix24 does; the engine then reports only that manager's
 * call figures. The admin's sync of the same portal is the control.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { syncAll } from '../../src/sync/sync'
import { MemoryCache } from '../../src/sync/cache'
import { buildReport, prepare, type ReportQuery } from '../../src/engine'
import type { CrmData } from '../../src/engine/types'
import type { RunningPortal } from '../../src/demo-portal/server'
import type { PortalDump } from '../../src/b24/wire'
import { demoDump, portalWith, tokenClient } from './portal'

let dump: PortalDump
let portal: RunningPortal
let viewer: number
let admin: CrmData
let restricted: CrmData

const QUERY: ReportQuery = {
  from: '2024-11-21',
  to: '2026-11-20',
  compare: 'none',
  now: Date.parse('2026-11-20T12:00:00+03:00'),
}

/** The manager with the most calls who heads no department (so "own" is exactly their rows). */
function busiestPlainManager(d: PortalDump): number {
  const heads = new Set(d.departments.map((x) => Number(x.UF_HEAD ?? 0)))
  const calls = new Map<number, number>()
  for (const c of d.calls) calls.set(Number(c.PORTAL_USER_ID), (calls.get(Number(c.PORTAL_USER_ID)) ?? 0) + 1)
  const [best] = [...calls].filter(([u]) => u !== 1 && !heads.has(u)).sort((a, b) => b[1] - a[1])
  return best[0]
}

async function syncAs(userId: number): Promise<CrmData> {
  return (await syncAll(await tokenClient(portal, userId), new MemoryCache(`demo:${userId}`))).data
}

beforeAll(async () => {
  dump = demoDump(5, 300)
  viewer = busiestPlainManager(dump)
  portal = await portalWith(structuredClone(dump), { ownDealsOnly: [viewer] })
  admin = await syncAs(1)
  restricted = await syncAs(viewer)
})
afterAll(() => portal?.close())

describe('a restricted manager syncs only the touches the portal lets them see', () => {
  it('calls and e-mails are the viewer’s own; the admin sees the whole team’s', () => {
    for (const kind of ['call', 'email'] as const) {
      const mine = restricted.touches.filter((t) => t.kind === kind)
      const all = admin.touches.filter((t) => t.kind === kind)
      expect(mine.length).toBeGreaterThan(0)
      expect(mine.every((t) => t.responsibleId === viewer)).toBe(true)
      expect(all.some((t) => t.responsibleId !== viewer)).toBe(true)
      expect(mine.length).toBe(all.filter((t) => t.responsibleId === viewer).length)
    }
  })

  it('tasks are those the viewer is responsible for or created', () => {
    const created = new Set(dump.tasks.filter((t) => Number(t.createdBy) === viewer).map((t) => -2 * Number(t.id)))
    const tasks = restricted.touches.filter((t) => t.kind === 'task')
    expect(tasks.every((t) => t.responsibleId === viewer || created.has(t.id))).toBe(true)
    expect(admin.touches.some((t) => t.kind === 'task' && t.responsibleId !== viewer && !created.has(t.id))).toBe(true)
  })

  it('the report shows call figures for the viewer only', () => {
    const callers = (data: CrmData) =>
      buildReport(prepare(data), QUERY)
        .managers.filter((m) => m.calls.count > 0)
        .map((m) => Number(m.managerId))
    expect(callers(restricted)).toEqual([viewer])
    expect(callers(admin).length).toBeGreaterThan(1)
  })
})
