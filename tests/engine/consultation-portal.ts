/**
 * A hand-made consultation pipeline (time zone +03:00, period March 2024):
 * NEW → BOOKED → NOSHOW (the no-show role: a branch stage) → HELD → CONTRACT → WON (S) | LOSE (F).
 *
 *  id  history (hourly from 10:00 on March <id>)        what it tests
 *  1   NEW, BOOKED, HELD, WON                           a booked → held deal never reaches NOSHOW
 *  2   NEW, BOOKED, NOSHOW, BOOKED, HELD                re-booking: NOSHOW reached, no back-move
 *  3   NEW, BOOKED, NOSHOW, LOSE                        no-show then lost: the loss stage is NOSHOW
 *  4   NEW, NOSHOW                                      a branch stage entered directly implies BOOKED
 *  5   NEW, CONTRACT                                    a skip implies BOOKED and HELD, not NOSHOW
 *  6   NEW, BOOKED, HELD, BOOKED, LOSE                  back-move: loss stage BOOKED
 *  7   NEW, BOOKED, LOSE                                lost while booked
 *  8   NEW, BOOKED, HELD, NOSHOW, LOSE                  held, then no-show (a back-move), lost there
 */
import type { CrmData, Semantic } from '../../src/engine/types'
import { addDeal, at, portal } from './builders'

export const STAGES = ['NEW', 'BOOKED', 'NOSHOW', 'HELD', 'CONTRACT']
export const Q = {
  from: '2024-03-01',
  to: '2024-03-31',
  compare: 'none' as const,
  now: at('2024-04-15T12:00:00+03:00'),
}
const h = (day: number, hour = 12) =>
  `2024-03-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00+03:00`

/** With `branch` false the no-show role is unset (the old rule). */
export function consultationPortal(branch = true): CrmData {
  const data = portal({
    pipelines: [
      {
        id: 0,
        name: 'School',
        stages: [
          ...STAGES.map((id) => ({ id })),
          { id: 'WON', semantic: 'S' as Semantic },
          { id: 'LOSE', semantic: 'F' as Semantic },
        ],
      },
    ],
  })
  if (branch) data.settings.noShowStageIds = ['NOSHOW']
  const deal = (id: number, stages: string[]) =>
    addDeal(data, {
      id,
      stageId: stages[stages.length - 1],
      created: h(id),
      history: stages.map((s, i) => [s, h(id, 10 + i)]),
    })
  deal(1, ['NEW', 'BOOKED', 'HELD', 'WON'])
  deal(2, ['NEW', 'BOOKED', 'NOSHOW', 'BOOKED', 'HELD'])
  deal(3, ['NEW', 'BOOKED', 'NOSHOW', 'LOSE'])
  deal(4, ['NEW', 'NOSHOW'])
  deal(5, ['NEW', 'CONTRACT'])
  deal(6, ['NEW', 'BOOKED', 'HELD', 'BOOKED', 'LOSE'])
  deal(7, ['NEW', 'BOOKED', 'LOSE'])
  deal(8, ['NEW', 'BOOKED', 'HELD', 'NOSHOW', 'LOSE'])
  return data
}
