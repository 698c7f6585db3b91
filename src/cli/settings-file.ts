/**
 * `--settings FILE`: the app's settings for the command line — the JSON exactly as the app
 * stores it in app.option `flSettings` (src/b24/settings.ts), e.g. copied from the settings
 * page or from a demo dump's `appOptions.flSettings`. An inbound webhook cannot read app
 * options (they need an application context), so without this file the CLI reports with the
 * defaults: no stage roles, hence no branch stages and no consultation figures.
 */
import { readFileSync } from 'node:fs'
import { parseSettings, type SyncSettings } from '../b24/settings'
import { UsageError } from './args'

export function readSettingsFile(path: string): SyncSettings {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (err) {
    throw new UsageError(`--settings ${path}: cannot read the file (${(err as NodeJS.ErrnoException).code ?? 'error'})`)
  }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (err) {
    throw new UsageError(`--settings ${path} is not JSON: ${(err as Error).message}`)
  }
  // The stored option is a JSON string; a file may hold that string itself or the object in it.
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value)
    } catch {
      throw new UsageError(`--settings ${path} holds a string that is not settings JSON`)
    }
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new UsageError(
      `--settings ${path} must hold the settings object, e.g. {"analytics": {"noShowStageIds": […]}}`,
    )
  }
  return parseSettings(value)
}

/** Role stage ids the portal does not have: a settings file from another portal, or a typo. */
export function unknownRoleStages(settings: SyncSettings, stageIds: ReadonlySet<string>): string[] {
  const a = settings.analytics
  const ids = [
    ...a.consultationStageIds,
    ...a.noShowStageIds,
    ...a.heldStageIds,
    ...a.contractStageIds,
    ...a.branchStageIds,
  ]
  return [...new Set(ids.filter((id) => !stageIds.has(id)))]
}
