/**
 * The one error family of Funnel Lens, after the Bitrix24 SDK's `SdkError`: every error the app
 * throws on purpose carries a stable `code` that code and tests branch on, and a message written
 * for the person who reads it. Each layer has its own subclasses (b24: RestError, ConnectError;
 * sync: LoaderError, AbortedError; engine: QueryError; app: EngineError; CLI: UsageError,
 * DataSourceError, InternalError; demo portal: PortalRestError, FaultSpecError). No imports: the
 * engine may use it.
 */
export class FunnelLensError extends Error {
  constructor(
    readonly code: string,
    message: string,
    /** Class name set explicitly: a minified build renames classes. */
    name = 'FunnelLensError',
    options?: { cause?: unknown },
  ) {
    super(message, options)
    this.name = name
  }
}
