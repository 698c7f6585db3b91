/** Shared state of one generator run: the random stream, the clock, and the column stores. */
import { ColumnTable, StringTable } from './gen-columns'
import type { Dictionaries } from './gen-dictionaries'
import type { Staff } from './gen-people'
import type { Random } from './gen-random'
import { createTouchTable, type TouchColumn } from './gen-touches'

export type EventColumn = 'owner' | 'time' | 'type' | 'stage' | 'category' | 'semantic'
export const SEMANTIC_CODES = ['P', 'S', 'F'] as const

/** How often the rare wire oddities occur; floors keep a few of each even in small dumps. */
export interface RareRates {
  noHistory: number
  pipelineChange: number
  reopen: number
  deletedUser: number
  deletedStage: number
  oddTitle: number
}

export interface GenContext {
  random: Random
  now: number
  start: number
  staff: Staff
  dict: Dictionaries
  rates: RareRates
  stages: StringTable
  dealEvents: ColumnTable<EventColumn>
  leadEvents: ColumnTable<EventColumn>
  touches: ColumnTable<TouchColumn>
  /** Open contact-center deals still allowed to land in the unknown stage. */
  unknownStageBudget: number
}

export function createContext(
  random: Random,
  now: number,
  start: number,
  staff: Staff,
  dict: Dictionaries,
  deals: number,
): GenContext {
  const n = Math.max(deals, 1)
  const events = (): ColumnTable<EventColumn> =>
    new ColumnTable<EventColumn>(
      { owner: 'i32', time: 'f64', type: 'u8', stage: 'u16', category: 'u8', semantic: 'u8' },
      4096,
    )
  return {
    random,
    now,
    start,
    staff,
    dict,
    rates: {
      noHistory: rate(0.03, 6 / n, 0.1),
      pipelineChange: rate(0.02, 40 / n, 0.3),
      reopen: rate(0.03, 12 / n, 0.2),
      deletedUser: rate(0.001, 4 / n, 0.05),
      deletedStage: rate(0.04, 30 / n, 0.3),
      oddTitle: rate(0.0003, 2 / n, 0.02),
    },
    stages: new StringTable(),
    dealEvents: events(),
    leadEvents: events(),
    touches: createTouchTable(),
    unknownStageBudget: 2,
  }
}

/** The usual rate, raised so a small dump still shows a few cases, capped for tiny dumps. */
function rate(usual: number, fewCases: number, cap: number): number {
  return Math.min(cap, Math.max(usual, fewCases))
}
