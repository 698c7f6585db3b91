/**
 * Demo-portal speed on a big portal: 100k deals, 1M stage-history rows. Prints timings of
 * the requests the app's sync sends (50-command batches of `start=-1` ID-window pages).
 * Run: `npm run bench -- portal` (or npx tsx tests/bench/portal.ts).
 */
import type { StageHistoryRow } from '../../src/b24/wire'
import { startPortal } from '../../src/demo-portal/server'
import { deal, makeDump } from '../portal/fixture'

const DEALS = 100_000
const HISTORY_PER_DEAL = 10

async function timeIt(label: string, runs: number, fn: () => Promise<unknown>): Promise<number> {
  await fn() // warm-up (indexes, JIT)
  const samples: number[] = []
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now()
    await fn()
    samples.push(performance.now() - t0)
  }
  samples.sort((a, b) => a - b)
  const median = samples[Math.floor(samples.length / 2)]
  console.log(
    `${label.padEnd(58)} median ${median.toFixed(1)} ms  (min ${samples[0].toFixed(1)}, max ${samples[samples.length - 1].toFixed(1)}, n=${runs})`,
  )
  return median
}

export async function run(): Promise<void> {
  const t0 = performance.now()
  const dump = makeDump(0)
  dump.deals = Array.from({ length: DEALS }, (_, i) => deal(i + 1))
  const history: StageHistoryRow[] = new Array(DEALS * HISTORY_PER_DEAL)
  for (let i = 0; i < history.length; i++) {
    history[i] = {
      ID: i + 1,
      TYPE_ID: 2,
      OWNER_ID: Math.floor(i / HISTORY_PER_DEAL) + 1,
      CREATED_TIME: '2024-05-01T10:00:00+02:00',
      CATEGORY_ID: 0,
      STAGE_ID: 'NEW',
      STAGE_SEMANTIC_ID: 'P',
    }
  }
  dump.dealHistory = history
  const portal = await startPortal({ dump, port: 0, rate: 1e9, burst: 1e9 })
  console.log(
    `portal with ${DEALS} deals and ${history.length} history rows up in ${(performance.now() - t0).toFixed(0)} ms`,
  )
  const hook = `${portal.url}/rest/1/demo`
  const call = async (method: string, body: unknown): Promise<unknown> => {
    const res = await fetch(`${hook}/${method}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    })
    return res.json()
  }
  const windows = (from: number, select: string): string[] =>
    Array.from(
      { length: 50 },
      (_, i) =>
        `crm.deal.list?order[ID]=ASC&filter[>=ID]=${from + i * 50}&filter[<ID]=${from + (i + 1) * 50}&start=-1${select}`,
    )
  await timeIt('batch: 50 × crm.deal.list start=-1, all fields', 15, () =>
    call('batch', { halt: 0, cmd: windows(40_001, '') }),
  )
  await timeIt('batch: 50 × crm.deal.list start=-1, 6 fields', 15, () =>
    call('batch', {
      halt: 0,
      cmd: windows(
        40_001,
        '&select[]=ID&select[]=STAGE_ID&select[]=OPPORTUNITY&select[]=ASSIGNED_BY_ID&select[]=DATE_CREATE&select[]=UF_CRM_CITY',
      ),
    }),
  )
  await timeIt('batch: 50 × crm.stagehistory.list >ID window start=-1', 15, () =>
    call('batch', {
      halt: 0,
      cmd: Array.from(
        { length: 50 },
        (_, i) => `crm.stagehistory.list?entityTypeId=2&order[ID]=ASC&filter[>ID]=${500_000 + i * 50}&start=-1`,
      ),
    }),
  )
  const byOwner = (): Promise<unknown> =>
    call('batch', {
      halt: 0,
      cmd: Array.from(
        { length: 50 },
        (_, i) =>
          `crm.stagehistory.list?entityTypeId=2&start=-1&${Array.from({ length: 5 }, (_, k) => `filter[@OWNER_ID][]=${60_000 + i * 5 + k}`).join('&')}`,
      ),
    })
  const cold = performance.now()
  await byOwner()
  console.log(
    `${'first @OWNER_ID batch (builds the OWNER_ID index)'.padEnd(58)} ${(performance.now() - cold).toFixed(1)} ms`,
  )
  await timeIt('batch: 50 × crm.stagehistory.list @OWNER_ID (5 deals each)', 15, byOwner)
  await timeIt('crm.deal.list offset page 1000 (counts total)', 15, () =>
    call('crm.deal.list', { start: 50_000, select: ['ID'] }),
  )
  await timeIt('crm.deal.list >DATE_MODIFY scan (delta sync)', 5, () =>
    call('crm.deal.list', {
      filter: { '>DATE_MODIFY': '2024-12-20' },
      select: ['ID'],
      start: -1,
      order: { ID: 'ASC' },
    }),
  )
  await timeIt('crm.deal.list order OPPORTUNITY DESC (scan + sort)', 5, () =>
    call('crm.deal.list', { order: { OPPORTUNITY: 'DESC' }, select: ['ID'] }),
  )
  await portal.close()
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop() ?? '')) {
  run().catch((e: unknown) => {
    console.error(e)
    process.exit(1)
  })
}
