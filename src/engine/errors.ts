/** The engine's part of the error family (src/errors.ts): a query or an argument it cannot answer. */
import { FunnelLensError } from '../errors'

export type QueryErrorCode = 'BAD_QUERY' | 'BAD_DATE' | 'BAD_PERIOD' | 'BAD_TIME_ZONE'

/** A report query it cannot answer, with a message naming the field and what is allowed. */
export class QueryError extends FunnelLensError {
  constructor(code: QueryErrorCode, message: string) {
    super(code, message, 'QueryError')
  }
}
