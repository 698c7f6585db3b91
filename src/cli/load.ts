/**
 * Where the CLI's CRM data comes from: a dump file (readDump + dumpToCrmData, the same
 * normalisation the app runs) or a live portal over an inbound webhook (the app's sync layer).
 */
import { dumpToCrmData } from '../b24/normalize'
import { readDump } from '../demo-portal/gen-dump-io'
import type { CrmData } from '../engine/types'
import type { ClientIds, ClientNames } from '../b24/client-names'
import type { SyncSettings } from '../b24/settings'
import { FunnelLensError } from '../errors'
import { UsageError, type CliOptions } from './args'
import { readSettingsFile, unknownRoleStages } from './settings-file'
import { loadFromWebhook } from './webhook'

/** The data source (a dump file) cannot be read: the data's problem, exit code 1. */
export class DataSourceError extends FunnelLensError {
  constructor(message: string, cause?: unknown) {
    super('DATA_SOURCE', message, 'DataSourceError', { cause })
  }
}

export interface LoadedData {
  data: CrmData
  /** Webhook only: looks up client names the data does not carry. */
  clientNames?: (ids: ClientIds) => Promise<ClientNames>
}

function fromDump(path: string, settings: SyncSettings | undefined): LoadedData {
  let dump
  try {
    dump = readDump(path)
  } catch (err) {
    throw new DataSourceError((err as Error).message, err)
  }
  return { data: dumpToCrmData(dump, settings) }
}

export async function loadCrmData(opts: CliOptions): Promise<LoadedData> {
  // Read before the data: a bad settings file costs one line, not a portal round trip.
  const settings = opts.settingsPath ? readSettingsFile(opts.settingsPath) : undefined
  const loaded =
    opts.source.kind === 'dump'
      ? fromDump(opts.source.path, settings)
      : await loadFromWebhook(opts.source.url, {
          cacheDir: opts.cacheDir,
          timeZone: opts.timeZone,
          settings,
        })
  if (settings) {
    const unknown = unknownRoleStages(settings, new Set(loaded.data.stages.map((s) => s.id)))
    if (unknown.length)
      throw new UsageError(
        `--settings ${opts.settingsPath}: the portal has no stage ${unknown.join(', ')} (a settings file of another portal?)`,
      )
  }
  return loaded
}
