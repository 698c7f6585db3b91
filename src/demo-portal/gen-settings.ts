/**
 * The settings an admin of the generated portal would have saved (app.option `flSettings`):
 * its city and loss-reason fields, the report currency and the stage roles of both pipelines —
 * booked, no-show, held and contract. The contact center has no "held" stage (the visit and
 * the signature are one step), so there its contract stage is the held consultation too.
 */
import { serializeSettings, defaultSettings, type SyncSettings } from '../b24/settings'
import { PIPELINES, type StageRole } from './gen-catalog'
import { CITY_FIELD, LOSS_REASON_FIELD } from './gen-dictionaries'

function stagesWith(role: StageRole): string[] {
  return PIPELINES.flatMap((pl) => pl.process.filter((s) => s.role === role).map((s) => s.id))
}

export function demoSettings(): SyncSettings {
  const base = defaultSettings()
  const held = PIPELINES.flatMap((pl) => {
    const own = pl.process.filter((s) => s.role === 'held')
    return (own.length ? own : pl.process.filter((s) => s.role === 'contract')).map((s) => s.id)
  })
  return {
    ...base,
    cityField: CITY_FIELD,
    leadCityField: CITY_FIELD,
    lossReasonField: LOSS_REASON_FIELD,
    currency: 'RUB',
    analytics: {
      ...base.analytics,
      consultationStageIds: stagesWith('booked'),
      noShowStageIds: stagesWith('noshow'),
      heldStageIds: held,
      contractStageIds: stagesWith('contract'),
    },
  }
}

/** What the generated portal's app.option storage holds once the app is installed. */
export function demoAppOptions(): Record<string, string> {
  return { flSettings: serializeSettings(demoSettings()) }
}
