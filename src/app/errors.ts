/**
 * The app's part of the error family (src/errors.ts): the report engine, which runs in a Web
 * Worker, cannot answer yet (no data loaded), stopped, or failed a request. A failed request is
 * ENGINE_FAILED; the engine's own code (QueryError's, EngineStateError's) comes along as `engineCode`.
 */
import { FunnelLensError } from '../errors'

export type EngineErrorCode = 'ENGINE_NOT_READY' | 'ENGINE_STOPPED' | 'ENGINE_FAILED'

export class EngineError extends FunnelLensError {
  constructor(
    code: EngineErrorCode,
    message: string,
    /** The code the engine threw in the worker, when it threw one of the family. */
    readonly engineCode: string | null = null,
  ) {
    super(code, message, 'EngineError')
  }
}

/** A figure clicked before the engine has the data: the user only has to wait. */
export function engineNotReady(): EngineError {
  return new EngineError(
    'ENGINE_NOT_READY',
    'The report engine is not ready yet; wait for the data to load and click again.',
  )
}
