/**
 * Data-quality summary: what the engine had to guess or leave out. It is data-wide (not cut by
 * the period or the filters) so the user sees how far every figure can be trusted.
 */

export interface QualityCounts {
  deals: number
  leads: number
  dealEvents: number
  touches: number
  /** Deals with no stage history: creation at the first stage and the current stage at MOVED_TIME/DATE_MODIFY stand in. */
  reconstructed: number
  /** Deals whose history did not end at their current stage: the current stage was appended at MOVED_TIME/DATE_MODIFY. */
  historyPatched: number
  /** Deals whose history shows another pipeline (counted in their current pipeline only). */
  pipelineChanged: number
  /** Deals that left a won or lost stage for an open one at least once. */
  reopened: number
  /** Lost deals with no process stage before the loss (counted as lost at the first stage). */
  lostWithoutProcessStage: number
  /** Stage events whose stage id is not in any pipeline (ignored). */
  unknownStageEvents: number
  /** Stage events of deals that are not in the data (ignored). */
  orphanEvents: number
  /** Deals whose current stage id is unknown (in no stage row). */
  unknownCurrentStage: number
  /** Deals in a pipeline that is not in the data (left out of every figure). */
  unknownPipeline: number
  /** Deals without a valid DATE_CREATE (never in a period's cohort). */
  missingCreateDate: number
  /** Deals whose responsible user is not among the users (deleted). */
  unknownUsers: number
  /** Deals whose responsible user is inactive (fired). */
  inactiveUsers: number
  /** Deals whose history moves back to an earlier process stage at least once. */
  backwardMoves: number
  /** Currency codes with no rate (amounts taken 1:1). */
  unknownCurrencies: string[]
  /** Set when the portal's time zone could not be read: periods are then cut in UTC. */
  timeZoneProblem: string | null
}

export function emptyQuality(): QualityCounts {
  return {
    deals: 0,
    leads: 0,
    dealEvents: 0,
    touches: 0,
    reconstructed: 0,
    historyPatched: 0,
    pipelineChanged: 0,
    reopened: 0,
    lostWithoutProcessStage: 0,
    unknownStageEvents: 0,
    orphanEvents: 0,
    unknownCurrentStage: 0,
    unknownPipeline: 0,
    missingCreateDate: 0,
    unknownUsers: 0,
    inactiveUsers: 0,
    backwardMoves: 0,
    unknownCurrencies: [],
    timeZoneProblem: null,
  }
}

export type QualitySection = QualityCounts

export function qualitySection(q: QualityCounts): QualitySection {
  return { ...q, unknownCurrencies: [...q.unknownCurrencies] }
}
