/**
 * Installation and settings (rest.md §8–§9.3): what the wizard offers the admin, and the
 * one-time work — storages, placements, settings — before `installFinish()`.
 *
 * Every step is idempotent, so the same code serves the first install, a re-install and an
 * upgrade: existing storages and bindings are detected, stored settings are read, upgraded
 * to the current schema and written back with the admin's changes.
 */
import { replyOf, type AppRest, type RestParams } from './app-rest'
import { bindPlacements, type BindReport, type Lang } from './placements'
import { SETTINGS_OPTION, parseSettings, serializeSettings, storedSettingsVersion, type SyncSettings } from './settings'
import { ensureStorages, type StorageCheck } from './storage'
import type { CategoryRow, CurrencyRow, StatusRow, UserFieldRow } from './wire'

export interface FieldChoice {
  name: string
  label: string
  type: string
}

export interface StageChoice {
  id: string
  name: string
  pipeline: string
  semantic: 'P' | 'S' | 'F'
}

export interface InstallChoices {
  dealFields: FieldChoice[]
  leadFields: FieldChoice[]
  currencies: { code: string; name: string; base: boolean }[]
  stages: StageChoice[]
  settings: SyncSettings
  /** Schema version of what was stored (0: nothing stored yet — a first install). */
  storedVersion: number
}

function fieldChoices(rows: UserFieldRow[]): FieldChoice[] {
  return rows
    .filter((r) => ['string', 'enumeration', 'crm_status', 'iblock_element', 'iblock_section'].includes(r.USER_TYPE_ID))
    .map((r) => ({
      name: r.FIELD_NAME,
      label: r.EDIT_FORM_LABEL || r.LIST_COLUMN_LABEL || r.FIELD_NAME,
      type: r.USER_TYPE_ID,
    }))
}

function stageEntity(categoryId: number): string {
  return categoryId === 0 ? 'DEAL_STAGE' : `DEAL_STAGE_${categoryId}`
}

function semanticOf(s: StatusRow): 'P' | 'S' | 'F' {
  const sem = s.EXTRA?.SEMANTICS ?? (s.SEMANTICS === 'S' ? 'success' : s.SEMANTICS === 'F' ? 'failure' : 'process')
  return sem === 'success' ? 'S' : sem === 'failure' || sem === 'apology' ? 'F' : 'P'
}

/** Everything the wizard asks about, in two batch requests. */
export async function loadInstallChoices(rest: AppRest, lang: Lang): Promise<InstallChoices> {
  const first = await rest.batch({
    dealFields: ['crm.deal.userfield.list', { filter: { LANG: lang } }],
    leadFields: ['crm.lead.userfield.list', { filter: { LANG: lang } }],
    currencies: ['crm.currency.list', {}],
    categories: ['crm.category.list', { entityTypeId: 2 }],
    settings: ['app.option.get', { option: SETTINGS_OPTION }],
  })
  const categories = (replyOf<{ categories: CategoryRow[] }>(first, 'categories').categories ?? []).slice(0, 50)
  if (!categories.some((c) => c.id === 0))
    categories.unshift({ id: 0, name: 'General', sort: 0, entityTypeId: 2, isDefault: 'Y' })
  const stageCmds: Record<string, [string, RestParams]> = Object.fromEntries(
    categories.map((c) => [
      `c${c.id}`,
      ['crm.status.list', { filter: { ENTITY_ID: stageEntity(c.id) }, order: { SORT: 'ASC' } }],
    ]),
  )
  const stageReplies = await rest.batch(stageCmds)
  const stages: StageChoice[] = categories.flatMap((c) =>
    replyOf<StatusRow[]>(stageReplies, `c${c.id}`).map((s) => ({
      id: s.STATUS_ID,
      name: s.NAME,
      pipeline: c.name,
      semantic: semanticOf(s),
    })),
  )
  const rawSettings = first.settings.ok ? first.settings.result : null
  return {
    dealFields: fieldChoices(replyOf<UserFieldRow[]>(first, 'dealFields')),
    leadFields: fieldChoices(replyOf<UserFieldRow[]>(first, 'leadFields')),
    currencies: replyOf<CurrencyRow[]>(first, 'currencies').map((c) => ({
      code: c.CURRENCY,
      name: c.FULL_NAME || c.CURRENCY,
      base: c.BASE === 'Y',
    })),
    stages,
    settings: withCurrency(parseSettings(rawSettings), replyOf<CurrencyRow[]>(first, 'currencies')),
    storedVersion: storedSettingsVersion(rawSettings),
  }
}

/** An empty report currency becomes the portal's base currency. */
function withCurrency(s: SyncSettings, currencies: CurrencyRow[]): SyncSettings {
  if (s.currency && currencies.some((c) => c.CURRENCY === s.currency)) return s
  const base = currencies.find((c) => c.BASE === 'Y') ?? currencies[0]
  return { ...s, currency: base?.CURRENCY ?? '' }
}

/** Settings for the report and the sync layer; defaults when nothing is stored yet. */
export async function readSettings(rest: AppRest): Promise<SyncSettings> {
  return parseSettings(await rest.call('app.option.get', { option: SETTINGS_OPTION }))
}

export async function saveSettings(rest: AppRest, settings: SyncSettings): Promise<void> {
  await rest.call('app.option.set', { options: { [SETTINGS_OPTION]: serializeSettings(settings) } })
}

export interface InstallReport {
  storages: StorageCheck
  placements: BindReport
  settingsVersion: number
}

/**
 * The one-time work of installation (also safe to run again): storages, placements,
 * settings. The caller then calls `installFinish()` (only in install mode).
 */
export async function runInstall(
  rest: AppRest,
  opts: { handler: string; lang: Lang; settings: SyncSettings },
): Promise<InstallReport> {
  const storages = await ensureStorages(rest)
  const placements = await bindPlacements(rest, opts.handler, opts.lang)
  await saveSettings(rest, opts.settings)
  return { storages, placements, settingsVersion: opts.settings.version }
}
