/**
 * Installation and settings (rest.md §8–§9.3): what the wizard offers the admin, and the
 * one-time work — storages, placements, settings — before `installFinish()`.
 *
 * Every step is idempotent, so the same code serves the first install, a re-install and an
 * upgrade: existing storages and bindings are detected, stored settings are read, upgraded
 * to the current schema and written back with the admin's changes.
 */
import { replyOf, type AppRest, type RestParams } from './app-rest'
import { bindPlacements, type BindReport, type Language } from './placements'
import { SETTINGS_OPTION, parseSettings, serializeSettings, storedSettingsVersion, type SyncSettings } from './settings'
import { ensureStorages, type StorageCheck } from './storage'
import { enforceStorageRights, type RightsMismatch } from './storage-rights'
import type { CategoryRow, CurrencyRow, StageHistoryRow, StatusRow, UserFieldRow } from './wire'
import { branchCandidates, type BranchCandidate } from '../engine/branch'
import { DAY_MS } from '../engine/periods'
import { withGuessedRoles } from './role-guess'
import { wireDate, wireId, wireInt } from './wire-values'

export interface FieldChoice {
  name: string
  label: string
  type: string
}

export interface StageChoice {
  id: string
  name: string
  pipeline: string
  categoryId: number
  sort: number
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
  /** Stages the recent history suggests as branch stages (metrics.md "Branch stages"). */
  branchCandidates: BranchCandidate[]
}

/** Pages of stage history (50 events each) sampled for the branch-stage suggestions. */
export const HISTORY_SAMPLE_PAGES = 40
/**
 * The sample is every event from this many days back, oldest first: a contiguous window holds
 * the whole path of each deal created in it up to the window's end (a skip is never faked), and
 * deals created two months ago have had time to reach the later stages.
 */
export const HISTORY_SAMPLE_DAYS = 60

function historySample(replies: Record<string, { ok: boolean; result?: unknown }>) {
  const events = []
  for (let p = 0; p < HISTORY_SAMPLE_PAGES; p++) {
    const r = replies[`h${p}`]
    if (!r?.ok) continue
    const rows = Array.isArray(r.result) ? r.result : ((r.result as { items?: unknown[] } | null)?.items ?? [])
    for (const row of rows as StageHistoryRow[]) {
      const id = wireId(row.ID)
      const ownerId = wireId(row.OWNER_ID)
      const at = wireDate(row.CREATED_TIME)
      if (id === null || ownerId === null || at === null || !row.STAGE_ID) continue
      events.push({ id, ownerId, typeId: wireInt(row.TYPE_ID) ?? 2, stageId: row.STAGE_ID, at })
    }
  }
  return events
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

/**
 * Everything the wizard asks about, in two batch requests: the first also samples stage history
 * (from `HISTORY_SAMPLE_DAYS` before `now`) for the branch-stage suggestions; a failed page only
 * thins the sample.
 */
export async function loadInstallChoices(rest: AppRest, lang: Language, now = Date.now()): Promise<InstallChoices> {
  const since = new Date(now - HISTORY_SAMPLE_DAYS * DAY_MS).toISOString()
  const history: Record<string, [string, RestParams]> = {}
  for (let p = 0; p < HISTORY_SAMPLE_PAGES; p++) {
    history[`h${p}`] = [
      'crm.stagehistory.list',
      { entityTypeId: 2, filter: { '>=CREATED_TIME': since }, order: { ID: 'ASC' }, start: p * 50 },
    ]
  }
  const first = await rest.batch({
    dealFields: ['crm.deal.userfield.list', { filter: { LANG: lang } }],
    leadFields: ['crm.lead.userfield.list', { filter: { LANG: lang } }],
    currencies: ['crm.currency.list', {}],
    categories: ['crm.category.list', { entityTypeId: 2 }],
    settings: ['app.option.get', { option: SETTINGS_OPTION }],
    ...history,
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
      categoryId: c.id,
      sort: wireInt(s.SORT) ?? 0,
      semantic: semanticOf(s),
    })),
  )
  const rawSettings = first.settings.ok ? first.settings.result : null
  const storedVersion = storedSettingsVersion(rawSettings)
  const stored = withCurrency(parseSettings(rawSettings), replyOf<CurrencyRow[]>(first, 'currencies'))
  const a = stored.analytics
  const noRoles = [a.consultationStageIds, a.noShowStageIds, a.heldStageIds, a.contractStageIds].every((l) => !l.length)
  // Nothing chosen yet: start from the roles the stage names make obvious (always editable).
  const settings = storedVersion === 0 || noRoles ? { ...stored, analytics: withGuessedRoles(a, stages) } : stored
  return {
    dealFields: fieldChoices(replyOf<UserFieldRow[]>(first, 'dealFields')),
    leadFields: fieldChoices(replyOf<UserFieldRow[]>(first, 'leadFields')),
    currencies: replyOf<CurrencyRow[]>(first, 'currencies').map((c) => ({
      code: c.CURRENCY,
      name: c.FULL_NAME || c.CURRENCY,
      base: c.BASE === 'Y',
    })),
    stages,
    settings,
    storedVersion,
    branchCandidates: branchCandidates(historySample(first), stages),
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
  /** Storages found with someone else's rights (e.g. created by an employee before install), now reset. */
  rightsReset: RightsMismatch[]
  placements: BindReport
  settingsVersion: number
}

/**
 * The one-time work of installation (also safe to run again): storages, placements,
 * settings. The caller then calls `installFinish()` (only in install mode).
 */
export async function runInstall(
  rest: AppRest,
  opts: { handler: string; lang: Language; settings: SyncSettings },
): Promise<InstallReport> {
  const storages = await ensureStorages(rest)
  const rights = await enforceStorageRights(rest)
  const placements = await bindPlacements(rest, opts.handler, opts.lang)
  await saveSettings(rest, opts.settings)
  return { storages, rightsReset: rights.reset, placements, settingsVersion: opts.settings.version }
}
