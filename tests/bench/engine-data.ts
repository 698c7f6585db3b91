/**
 * A seeded generator of a big CrmData straight in domain form for the engine benchmark
 * (no REST wire round trip, so 100k deals / ~1M stage events / ~500k touches build in seconds).
 * Shapes follow a sales network: two pipelines, 32 cities, 8 sources, 100 managers, two years.
 * Each deal's history is a walk with skips and backward moves; stage events of one deal are
 * strictly increasing in time and history IDs follow time, as on a real portal.
 */
import type { CrmData, Deal, Lead, Semantic, StageEvent, Touch, TouchKind } from '../../src/engine/types'
import { mulberry32 } from '../../src/demo-portal/gen-random'

const DAY = 86_400_000
const MINUTE = 60_000
export const BENCH_END = Date.parse('2026-11-20T09:00:00Z')
const HISTORY_DAYS = 730

export const BENCH_PIPELINES = [
  {
    id: 0,
    process: ['NEW', 'QUALIFY', 'MEET', 'PROPOSAL', 'NEGOTIATE', 'CONTRACT'],
    won: 'WON',
    lost: ['LOSE', 'APOLOGY'],
  },
  { id: 1, process: ['C1:NEW', 'C1:TRIAL', 'C1:OFFER'], won: 'C1:WON', lost: ['C1:LOSE'] },
]
export const BENCH_SOURCES = ['ADS', 'WEB', 'CALL', 'EMAIL', 'PARTNER', 'RECOMMEND', 'EXPO', 'OTHER']
export const BENCH_CITIES = Array.from({ length: 32 }, (_, i) => String(101 + i))
const MANAGERS = Array.from({ length: 100 }, (_, i) => i + 1)
const REASONS = ['1', '2', '3', '4', '5', '6']
const KINDS: TouchKind[] = ['call', 'email', 'sms', 'meeting', 'task']
/** One shared empty binding list (the engine only reads them); keeps 500k touches lighter. */
const NONE: number[] = []

export interface BenchSizes {
  deals: number
  leads: number
  touchesPerDeal: number
}

export function generateBenchData(seed: number, sizes: BenchSizes): CrmData {
  const r = mulberry32(seed)
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]
  const start = BENCH_END - HISTORY_DAYS * DAY
  // Sources convert differently, so the source × stage matrix is not flat.
  const sourceDrop = BENCH_SOURCES.map((_, i) => 0.025 + 0.01 * i)
  const data: CrmData = {
    portal: { memberId: 'bench', domain: 'bench.example', timeZone: 'Europe/Moscow', currency: 'RUB', language: 'en' },
    pipelines: [],
    stages: [],
    leadStatuses: [
      { id: 'NEW', name: 'New', sort: 10, semantic: 'P' },
      { id: 'IN_PROCESS', name: 'In process', sort: 20, semantic: 'P' },
      { id: 'CONVERTED', name: 'Converted', sort: 30, semantic: 'S' },
      { id: 'JUNK', name: 'Junk', sort: 40, semantic: 'F' },
    ],
    sources: BENCH_SOURCES.map((id) => ({ id, name: `Source ${id}` })),
    cities: BENCH_CITIES.map((id) => ({ id, name: `City ${id}` })),
    lossReasons: REASONS.map((id) => ({ id, name: `Reason ${id}` })),
    users: MANAGERS.map((id) => ({ id, name: `Manager ${id}`, active: id % 17 !== 0, departmentIds: [1 + (id % 32)] })),
    departments: Array.from({ length: 33 }, (_, i) => ({
      id: i + 1,
      name: i === 0 ? 'Company' : `Branch ${i}`,
      parentId: i === 0 ? null : 1,
    })),
    currencies: [{ code: 'RUB', rate: 1, base: true }],
    deals: [],
    leads: [],
    dealEvents: [],
    leadEvents: [],
    touches: [],
    budgets: [],
    plans: [],
    settings: {
      consultationStageIds: ['MEET'],
      heldStageIds: [],
      branchStageIds: [],
      noShowStageIds: [],
      contractStageIds: ['CONTRACT'],
      workingHours: { start: 9, end: 18, days: [1, 2, 3, 4, 5] },
    },
  }
  for (const pl of BENCH_PIPELINES) {
    const ids = [...pl.process, pl.won, ...pl.lost]
    data.pipelines.push({ id: pl.id, name: `Pipeline ${pl.id}`, sort: pl.id * 10, stageIds: ids })
    ids.forEach((id, i) =>
      data.stages.push({
        id,
        categoryId: pl.id,
        name: `Stage ${id}`,
        sort: (i + 1) * 10,
        color: null,
        semantic: i < pl.process.length ? 'P' : id === pl.won ? 'S' : 'F',
      }),
    )
  }
  const events: StageEvent[] = []
  let touchId = 1
  for (let id = 1; id <= sizes.deals; id++) {
    const pl = r() < 0.75 ? BENCH_PIPELINES[0] : BENCH_PIPELINES[1]
    const src = Math.floor(r() * BENCH_SOURCES.length)
    const created = start + Math.floor(r() * (HISTORY_DAYS - 1) * DAY)
    let t = created
    let st = 0
    let semantic: Semantic = 'P'
    let stageId = pl.process[0]
    events.push({ id: 0, ownerId: id, typeId: 1, stageId, categoryId: pl.id, semantic: 'P', at: t })
    for (let step = 0; step < 40; step++) {
      t += MINUTE + Math.floor(-Math.log(1 - r()) * 2.5 * DAY)
      if (t >= BENCH_END) break
      const u = r()
      if (u < sourceDrop[src]) {
        semantic = 'F'
        stageId = pick(pl.lost)
      } else if (u < sourceDrop[src] + 0.44 && st > 0) {
        st--
        stageId = pl.process[st]
      } else {
        st = Math.min(st + (r() < 0.12 ? 2 : 1), pl.process.length)
        if (st === pl.process.length) {
          semantic = 'S'
          stageId = pl.won
        } else stageId = pl.process[st]
      }
      events.push({ id: 0, ownerId: id, typeId: semantic === 'P' ? 2 : 3, stageId, categoryId: pl.id, semantic, at: t })
      if (semantic !== 'P') break
    }
    const manager = pick(MANAGERS)
    const deal: Deal = {
      id,
      title: `Deal ${id}`,
      categoryId: pl.id,
      stageId,
      semantic,
      createdAt: created,
      modifiedAt: t,
      movedAt: Math.min(t, BENCH_END),
      closedAt: semantic === 'P' ? null : t,
      closed: semantic !== 'P',
      amount: Math.round(5_000 + r() * 200_000),
      currency: 'RUB',
      sourceId: BENCH_SOURCES[src],
      utmSource: r() < 0.5 ? `utm-${src % 4}` : null,
      assignedById: manager,
      leadId: null,
      contactId: id,
      companyId: null,
      cityId: pick(BENCH_CITIES),
      lossReasonId: semantic === 'F' ? pick(REASONS) : null,
    }
    data.deals.push(deal)
    const life = Math.max(MINUTE, Math.min(t, BENCH_END) - created)
    const touches = Math.floor(r() * (2 * sizes.touchesPerDeal + 1))
    for (let k = 0; k < touches; k++) {
      const kind = pick(KINDS)
      const touch: Touch = {
        id: touchId++,
        kind,
        direction: kind === 'call' ? (r() < 0.3 ? 'in' : 'out') : null,
        at: created + Math.floor(r() * life),
        durationSec: kind === 'call' ? Math.floor(r() * 600) : null,
        responsibleId: manager,
        completed: true,
        dealIds: [id],
        leadIds: NONE,
        contactIds: [id],
        companyIds: NONE,
      }
      data.touches.push(touch)
    }
  }
  events.sort((a, b) => a.at - b.at || a.ownerId - b.ownerId)
  events.forEach((e, i) => (e.id = i + 1))
  data.dealEvents = events
  data.touches.sort((a, b) => a.at - b.at || a.id - b.id)
  for (let id = 1; id <= sizes.leads; id++) {
    const created = start + Math.floor(r() * (HISTORY_DAYS - 1) * DAY)
    const u = r()
    const semantic: Semantic = u < 0.3 ? 'S' : u < 0.55 ? 'F' : 'P'
    const lead: Lead = {
      id,
      title: `Lead ${id}`,
      statusId: semantic === 'S' ? 'CONVERTED' : semantic === 'F' ? 'JUNK' : 'NEW',
      semantic,
      createdAt: created,
      modifiedAt: created,
      closedAt: semantic === 'P' ? null : created + DAY,
      amount: 0,
      currency: 'RUB',
      sourceId: pick(BENCH_SOURCES),
      utmSource: null,
      assignedById: pick(MANAGERS),
      cityId: pick(BENCH_CITIES),
      contactId: null,
    }
    data.leads.push(lead)
  }
  for (const src of BENCH_SOURCES) {
    for (let m = 1; m <= 12; m++)
      data.budgets.push({
        sourceId: src,
        cityId: null,
        month: `2026-${String(m).padStart(2, '0')}`,
        amount: 100_000,
        currency: 'RUB',
      })
  }
  return data
}
