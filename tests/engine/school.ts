/**
 * A consultation pipeline for table tests (metrics.md "Consultations"): NEW → QUAL → BOOKED →
 * NOSHOW → HELD → CONTRACT → WON / LOSE, with the booked, no-show, held and contract roles set.
 */
import type { CrmData, Semantic } from '../../src/engine/types'
import { portal } from './builders'

/** NEW → QUAL → BOOKED → NOSHOW → HELD → CONTRACT → WON / LOSE, with the four roles set. */
export function school(): CrmData {
  const data = portal({
    pipelines: [
      {
        id: 0,
        name: 'School',
        stages: [
          { id: 'NEW' },
          { id: 'QUAL' },
          { id: 'BOOKED' },
          { id: 'NOSHOW' },
          { id: 'HELD' },
          { id: 'CONTRACT' },
          { id: 'WON', semantic: 'S' as Semantic },
          { id: 'LOSE', semantic: 'F' as Semantic },
        ],
      },
    ],
  })
  data.cities = [
    { id: 'MSK', name: 'Moscow' },
    { id: 'SPB', name: 'St Petersburg' },
  ]
  Object.assign(data.settings, {
    consultationStageIds: ['BOOKED'],
    noShowStageIds: ['NOSHOW'],
    heldStageIds: ['HELD'],
    contractStageIds: ['CONTRACT'],
  })
  return data
}
