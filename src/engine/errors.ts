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
