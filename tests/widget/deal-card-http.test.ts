/**
 * The deal-card widget's data path against the demo portal over HTTP through the real SDK:
 * two requests, the deal's own history and touches exactly as the portal holds them, and
 * norms from the pipeline sample that agree with the same figures computed from the dump.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connectToken } from '../../src/b24/connect'
import { loadDealCard } from '../../src/b24/deal-card-loader'
import { dealCard, stageNorms } from '../../src/engine/deal-card'
import { generatePortal } from '../../src/demo-portal/generator'
import { startPortal, type RunningPortal } from '../../src/demo-portal/server'
import type { PortalDump } from '../../src/b24/wire'

let portal: RunningPortal
let dump: PortalDump

beforeAll(async () => {
  dump = generatePortal({ seed: 5, deals: 300 })
  portal = await startPortal({ dump, admins: [1], rate: 100, burst: 500 })
})

afterAll(async () => {
  await portal?.close()
})

async function client(userId = 1) {
  return connectToken(portal.url, {
    accessToken: portal.issueToken(userId).accessToken,
    restriction: { burstLimit: 500, drainRate: 100 },
  })
}

function openDealWithHistory(): { id: number; category: number } {
  const counts = new Map<number, number>()
  for (const h of dump.dealHistory) counts.set(h.OWNER_ID, (counts.get(h.OWNER_ID) ?? 0) + 1)
  const deal = dump.deals.find((d) => d.CLOSED === 'N' && (counts.get(Number(d.ID)) ?? 0) >= 2)!
  return { id: Number(deal.ID), category: Number(deal.CATEGORY_ID) }
}

describe('loadDealCard', () => {
  it('loads a deal in two requests, with its own history and touches as stored', async () => {
    const c = await client()
    const { id, category } = openDealWithHistory()
    const before = c.requests
    const data = await loadDealCard(c, id)
    expect(c.requests - before).toBe(2)

    const own = dump.dealHistory.filter((h) => h.OWNER_ID === id).sort((a, b) => a.ID - b.ID)
    expect(data.events.map((e) => e.stageId)).toEqual(own.map((h) => h.STAGE_ID))
    const acts = dump.activities.filter((a) => a.OWNER_TYPE_ID === '2' && a.OWNER_ID === String(id))
    expect(data.touches.map((t) => t.id).sort((a, b) => a - b)).toEqual(
      acts
        .map((a) => Number(a.ID))
        .sort((a, b) => a - b)
        .slice(0, 50),
    )
    expect(data.stages.every((s) => s.categoryId === category)).toBe(true)
    expect(data.sampleEvents.every((e) => e.categoryId === category)).toBe(true)
    expect(data.sampleDeals.length).toBeGreaterThan(0)
    expect(data.managerName).toBeTruthy()

    const card = dealCard(data)
    expect(card.path.map((s) => s.stageId)).toEqual(own.map((h) => h.STAGE_ID))
    expect(card.path.at(-1)!.current).toBe(true)
  })

  it("gives a deal without its own source its lead's source, still in two requests", async () => {
    const c = await client()
    const { id } = openDealWithHistory()
    const lead = dump.leads.find(
      (l) => l.SOURCE_ID && l.SOURCE_ID !== dump.deals.find((d) => d.ID === String(id))?.SOURCE_ID,
    )!
    portal.mutate.updateDeal(id, { SOURCE_ID: null, LEAD_ID: lead.ID })
    const before = c.requests
    const data = await loadDealCard(c, id)
    expect(c.requests - before).toBe(2)
    expect(data.deal.sourceId).toBe(lead.SOURCE_ID)
  })

  it('takes the norms from the newest stage moves of the pipeline', async () => {
    const c = await client()
    const { id, category } = openDealWithHistory()
    const data = await loadDealCard(c, id, { historyPages: 4 })
    const newest = dump.dealHistory
      .filter((h) => h.CATEGORY_ID === category)
      .sort((a, b) => b.ID - a.ID)
      .slice(0, 200)
    expect(data.sampleEvents.map((e) => e.id)).toEqual(newest.map((h) => h.ID))
    const expected = stageNorms(data.sampleEvents)
    expect(expected.size).toBeGreaterThan(0)
    const card = dealCard(data)
    for (const step of card.path) if (step.norm) expect(step.norm).toEqual(expected.get(step.stageId))
  })

  it('closed deals come from the same pipeline and count for manager and team', async () => {
    const c = await client()
    const { id, category } = openDealWithHistory()
    const data = await loadDealCard(c, id)
    const closed = dump.deals.filter((d) => d.CLOSED === 'Y' && Number(d.CATEGORY_ID) === category)
    expect(data.sampleDeals.length).toBe(Math.min(closed.length, 16 * 50))
    const card = dealCard(data)
    const won = closed.filter((d) => d.STAGE_SEMANTIC_ID === 'S').length
    expect(card.team.won).toBe(won)
    expect(card.team.won + card.team.lost).toBe(closed.length)
  })

  it('explains a deal that does not exist', async () => {
    const c = await client()
    await expect(loadDealCard(c, 999_999)).rejects.toThrow(/999999|not found|Not found/i)
  })
})

describe('loadDealCard on a portal whose settings name no-show stages', () => {
  it('reads the branch stages from the settings in the same two requests', async () => {
    const installed = await startPortal({ dump, admins: [1], rate: 100, burst: 500, installed: true })
    try {
      const c = await connectToken(installed.url, {
        accessToken: installed.issueToken(1).accessToken,
        restriction: { burstLimit: 500, drainRate: 100 },
      })
      const before = c.requests
      const data = await loadDealCard(c, openDealWithHistory().id)
      expect(c.requests - before).toBe(2)
      expect(data.branchStageIds).toEqual(['UC_7NQ2ZB', 'C1:EXECUTING'])
    } finally {
      await installed.close()
    }
  })

  it('a portal with no settings stored has none (the card still loads)', async () => {
    const data = await loadDealCard(await client(), openDealWithHistory().id)
    expect(data.branchStageIds).toEqual([])
  })
})
