/**
 * The app's part of the error family (src/errors.ts): the report engine, which runs in a Web
 * Worker, cannot answer yet (no data loaded), stopped, or failed a request. The worker sends
 * only its message across, so a failed request carries ENGINE_FAILED, not the engine's own code.
 */
import { FunnelLensError } from '../errors'

export type EngineErrorCode = 'ENGINE_NOT_READY' | 'ENGINE_STOPPED' | 'ENGINE_FAILED'

export class EngineError extends FunnelLensError {
  constructor(code: EngineErrorCode, message: string) {
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
