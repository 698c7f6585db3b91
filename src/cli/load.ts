/**
 * Where the CLI's CRM data comes from: a dump file (readDump + dumpToCrmData, the same
 * normalisation the app runs) or a live portal over an inbound webhook (the app's sync layer).
 */
import { dumpToCrmData } from '../b24/normalize'
import { readDump } from '../demo-portal/gen-dump-io'
import type { CrmData } from '../engine/types'
import type { CliOptions } from './args'
import { loadFromWebhook } from './webhook'

export class LoadError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'LoadError'
  }
}

export interface LoadedData {
  data: CrmData
}

function fromDump(path: string): LoadedData {
  let dump
  try {
    dump = readDump(path)
  } catch (err) {
    throw new LoadError((err as Error).message)
  }
  return { data: dumpToCrmData(dump) }
}

export async function loadCrmData(opts: CliOptions): Promise<LoadedData> {
  if (opts.source.kind === 'dump') return fromDump(opts.source.path)
  return { data: await loadFromWebhook(opts.source.url, { cacheDir: opts.cacheDir, timeZone: opts.timeZone }) }
}
