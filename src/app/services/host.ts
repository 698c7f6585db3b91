/**
 * What the report needs from the Bitrix24 window around it. main.ts builds this from
 * src/b24 (the only code that touches the SDK) and src/sync; the app never imports either.
 */
import type { CrmData, NamedItem, Pipeline, PortalInfo, Stage, User } from '../../engine/types'
import type { Report, ReportQuery } from './engine-api'

/**
 * The last report shown, kept by the host for this portal AND user only (never shared: it holds
 * that user's figures), so a reopen can show it before any row is read. Names the filter bar
 * needs come with it; the deals do not.
 */
export interface ReportSnapshot {
  query: ReportQuery
  report: Report
  portal: PortalInfo
  dictionaries: {
    pipelines: Pipeline[]
    stages: Stage[]
    cities: NamedItem[]
    sources: NamedItem[]
    users: User[]
    /** absent in snapshots saved before the loss-reason filter */
    lossReasons?: NamedItem[]
  }
  /** epoch ms when the data behind it was synced */
  syncedAt: number
}

export interface SyncProgressInfo {
  /** rows or steps done so far */
  done: number
  /** null while the total is not known yet */
  total: number | null
  /** what is being loaded now, e.g. "crm.deal.list" */
  label: string
  /** REST requests this sync has made so far (a batch of 50 pages counts once) */
  requests?: number
  /** backfill: tables still loading ('deals', 'activities'…) and the estimated ms left (null: unknown) */
  pending?: string[]
  etaMs?: number | null
}

export interface ReportHost {
  /** the portal language as the frame reported it (b24.getLang()) */
  portalLanguage: string
  /** opens a deal card in the Bitrix24 slider */
  openDeal(dealId: number): Promise<void>
  /** opens a company or contact card in the Bitrix24 slider (optional: tests may go without) */
  openClient?(client: { type: 'company' | 'contact'; id: number }): Promise<void>
  /**
   * Names of the few clients a report shows (crm.company.list / crm.contact.list by id): client
   * names are not synced. Optional: without it the report names clients by their ids.
   */
  clientNames?(ids: { companies: number[]; contacts: number[] }): Promise<{
    companies: NamedItem<number>[]
    contacts: NamedItem<number>[]
  }>
  /** tells the parent window the frame's content is now `height` px tall */
  fitWindow(height: number): void
  /**
   * Scrolls the portal page so the top of the frame is in view: the frame is as tall as its
   * content, so an overlay at the frame's top (the drill-down) may be above the portal viewport.
   */
  scrollParentToTop(): void
  /** leaves the report for the settings, budgets and plans page */
  openSettings(): void
  /**
   * Admins only: checks the budget/plan storages' rights, resets any that are not the app's and
   * returns the storages it reset (empty when all was well). Absent for other users.
   */
  enforceStorageRights?(): Promise<string[]>
  /**
   * Syncs the CRM (cache first, then the delta). `onCached` receives the cached data at once on
   * a warm reopen, before any request, so the report shows while the delta runs. When the
   * delta changed nothing, the promise resolves to that very object (the engine keeps it).
   */
  /** The snapshot saved last for this portal user, or null (optional: tests may go without). */
  loadSnapshot?(): Promise<ReportSnapshot | null>
  saveSnapshot?(snapshot: ReportSnapshot): Promise<void>
  loadCrmData(
    onProgress: (p: SyncProgressInfo) => void,
    options: {
      force: boolean
      onCached?: (data: CrmData) => void
      /**
       * Cold open, period first: the rows created or changed since this instant (epoch ms) load
       * first and go to `onRecent`, in two stages: the period's deals (and what the first chart
       * needs) with `pending` naming the period's tables still loading ('activities', 'calls'…),
       * then the whole period with `pending` empty. Each stage starts once what `onRecent`
       * returned has settled; the older rows are backfilled last, before the promise resolves.
       */
      recentSince?: number
      onRecent?: (data: CrmData, pending: string[]) => void | Promise<void>
    },
  ): Promise<CrmData>
}
