/** The engine's part of the error family (src/errors.ts): a query or an argument it cannot answer. */
import { FunnelLensError } from '../errors'

export type QueryErrorCode =
  | 'BAD_QUERY'
  | 'BAD_DATE'
  | 'BAD_PERIOD'
  | 'BAD_TIME_ZONE'
  /** A drill reference that addresses no figure (a missing field, an unknown section or step). */
  | 'BAD_DRILL'
  /** A pipeline, stage, stage pair or client the data does not have. */
  | 'UNKNOWN_PIPELINE'
  | 'UNKNOWN_STAGE'
  | 'UNKNOWN_STAGE_PAIR'
  | 'UNKNOWN_CLIENT'
  /** A figure of the comparison period asked of a query compared with nothing. */
  | 'NO_COMPARISON'

/** A report query it cannot answer, with a message naming the field and what is allowed. */
export class QueryError extends FunnelLensError {
  constructor(code: QueryErrorCode, message: string) {
    super(code, message, 'QueryError')
  }
}

export type EngineStateErrorCode =
  /** A report or drill asked before any data was loaded. */
  | 'NO_DATA'
  /** A drill asked before any report (it takes the last report's query). */
  | 'NO_QUERY'
  /** A patch computed against other data than the engine holds. */
  | 'STALE_PATCH'
  /** A message the engine does not know. */
  | 'BAD_MESSAGE'
  /** A patch, report or drill while a table-by-table load is half done (the page waits for `loaded`). */
  | 'LOADING'
  /** A load message out of order: a table without loadBegin, an unknown table, one sent twice, one missing. */
  | 'BAD_LOAD'

/** A request the engine's worker cannot serve in its present state (the page then loads or waits). */
export class EngineStateError extends FunnelLensError {
  constructor(code: EngineStateErrorCode, message: string) {
    super(code, message, 'EngineStateError')
  }
}
