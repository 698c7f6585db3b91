/**
 * Branch-stage suggestions for the settings form: stages that most deals reaching the next
 * stage never entered, from a sample of stage history.
 */
import { describe, expect, it } from 'vitest'
import { branchCandidates } from '../../src/engine/branch'

const stages = [
  { id: 'NEW', categoryId: 0, sort: 10, semantic: 'P' as const },
  { id: 'BOOKED', categoryId: 0, sort: 20, semantic: 'P' as const },
  { id: 'NOSHOW', categoryId: 0, sort: 30, semantic: 'P' as const },
  { id: 'HELD', categoryId: 0, sort: 40, semantic: 'P' as const },
  { id: 'WON', categoryId: 0, sort: 50, semantic: 'S' as const },
  { id: 'LOSE', categoryId: 0, sort: 60, semantic: 'F' as const },
]
let id = 1
function history(owner: number, path: string[], created = true) {
  return path.map((stageId, i) => ({ id: id++, ownerId: owner, typeId: i === 0 && created ? 1 : 2, stageId, at: i }))
}

describe('branch candidates', () => {
  it('suggests a stage most deals reaching the next stage never entered, with the share', () => {
    const events = [
      ...[1, 2, 3, 4, 5, 6, 7, 8].flatMap((o) => history(o, ['NEW', 'BOOKED', 'HELD', 'WON'])),
      ...[9, 10].flatMap((o) => history(o, ['NEW', 'BOOKED', 'NOSHOW', 'BOOKED', 'HELD'])),
      ...[11, 12].flatMap((o) => history(o, ['NEW', 'BOOKED', 'NOSHOW', 'LOSE'])),
    ]
    expect(branchCandidates(events, stages)).toEqual([
      { stageId: 'NOSHOW', nextStageId: 'HELD', reachedNext: 10, skipped: 8, share: 0.8 },
    ])
    // Fewer deals than the minimum: no suggestion.
    expect(branchCandidates(events, stages, 11)).toEqual([])
  })

  it('a stage half of them skipped is not "most"; histories cut by the sample do not count', () => {
    const events = [
      ...[1, 2, 3, 4, 5].flatMap((o) => history(o, ['NEW', 'BOOKED', 'HELD'])),
      ...[6, 7, 8, 9, 10].flatMap((o) => history(o, ['NEW', 'BOOKED', 'NOSHOW', 'HELD'])),
      ...[11, 12, 13].flatMap((o) => history(o, ['BOOKED', 'HELD'], false)),
    ]
    expect(branchCandidates(events, stages)).toEqual([])
  })
})
