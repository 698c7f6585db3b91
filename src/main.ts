/**
 * The one entry every placement opens (index.html): connect to the Bitrix24 window, then mount
 * what the placement asks for — the install wizard, the deal-card tab, or the report (DEFAULT,
 * CRM_ANALYTICS_MENU and anything unknown).
 */
import { connectFrame } from './b24/connect'
import { framePlacementContext, frameUi } from './b24/frame-ui'
import { syncAll } from './sync/sync'
import { IdbCache } from './sync/idb-cache'
import { loadInputs } from './b24/storage'
import { enforceStorageRights } from './b24/storage-rights'
import { readSettings } from './b24/install'
import { loadClientNames } from './b24/client-names'
import type { B24Client } from './b24/client'
import type { CrmData } from './engine/types'
import { notedPatch, notePatch } from './engine/patch'
import type { SyncProgressInfo } from './app/services/host'
import { pickLanguage, translate } from './app/i18n'
import { mountReport } from '../placement/report'
import { fitFrameToContent } from './app/services/fit-frame'
import type { ReportHost, ReportSnapshot } from './app/services/host'

/** `?view=settings|budget|plan`: the settings and input pages, opened from the report's header. */
function settingsView(search: string): 'settings' | 'budget' | 'plan' | null {
  const view = new URLSearchParams(search).get('view')
  return view === 'settings' || view === 'budget' || view === 'plan' ? view : null
}

/** A "back to the report" bar above the settings page; returns the element to mount it in. */
function withBackLink(el: HTMLElement, lang: string): HTMLElement {
  const bar = document.createElement('div')
  bar.className = 'fl-noprint'
  bar.style.padding = '12px 16px 0'
  const back = document.createElement('a')
  back.className = 'fl-btn'
  back.dataset.testid = 'back-to-report'
  back.href = location.pathname
  back.style.textDecoration = 'none'
  back.style.display = 'inline-block'
  back.textContent = translate(pickLanguage(lang), 'app.backToReport')
  bar.appendChild(back)
  const body = document.createElement('div')
  el.replaceChildren(bar, body)
  return body
}

function showFatal(el: HTMLElement, message: string): void {
  el.innerHTML = ''
  const box = document.createElement('div')
  box.setAttribute('role', 'alert')
  box.dataset.testid = 'fatal-error'
  box.style.cssText = 'font: 15px/1.5 system-ui, sans-serif; padding: 32px; max-width: 640px; color: #333'
  // textContent: the message may quote portal text.
  box.textContent = message
  el.appendChild(box)
}

/**
 * Cache first, then the delta (src/sync), plus the manual inputs (budgets, plans) from app
 * storage. Budgets failing to load must not hide the funnel: the report then shows no spend.
 */
async function loadReportData(
  client: B24Client,
  opening: Promise<IdbCache>,
  lang: string,
  onProgress: (p: SyncProgressInfo) => void,
  options: Parameters<ReportHost['loadCrmData']>[1],
): Promise<CrmData> {
  const { onCached, onRecent, recentSince } = options
  const cache = await opening
  // Inputs and settings first: the cached report shown meanwhile then already has its spend,
  // and the admin's choices (city and loss-reason fields, currency, stage roles) shape the tables.
  const [inputs, settings] = await Promise.all([
    loadInputs(client).catch(() => ({ budgets: [], plans: [] })),
    readSettings(client).catch(() => undefined),
  ])
  let cached: { raw: CrmData; shown: CrmData } | null = null
  const result = await syncAll(client, cache, {
    portal: { language: lang },
    settings,
    recentSince,
    onRecent: onRecent ? (data, pending) => onRecent({ ...data, ...inputs }, [...pending]) : undefined,
    onProgress: (p) =>
      onProgress({
        done: p.loaded,
        total: p.estimatedTotal,
        label: p.phase,
        requests: p.requests,
        pending: p.tables.filter((t) => !t.done).map((t) => t.table),
        etaMs: p.etaMs ?? null,
      }),
    onCached: onCached
      ? (data) => {
          cached = { raw: data, shown: { ...data, ...inputs } }
          onCached(cached.shown)
        }
      : undefined,
  })
  // The delta changed nothing: hand back the object already shown, so the report keeps the
  // engine's loaded data instead of posting it to the worker again.
  const same = cached as { raw: CrmData; shown: CrmData } | null
  if (same && same.raw === result.data) return same.shown
  const shown = { ...result.data, ...inputs }
  // The delta was spliced into the cached data by a patch: the same patch turns what is shown.
  const patch = same && notedPatch(same.raw, result.data)
  if (same && patch) notePatch(same.shown, shown, patch)
  return shown
}

async function start(): Promise<void> {
  const el = document.getElementById('app')
  if (!el) return
  let client: B24Client
  performance.mark('fl:start')
  try {
    client = await connectFrame()
    performance.mark('fl:connected')
  } catch (e) {
    showFatal(el, e instanceof Error ? e.message : String(e))
    return
  }
  const ui = await frameUi()
  const ctx = await framePlacementContext(location.href, client)
  // Every placement but the report (which sizes itself) keeps the frame as tall as its content.
  const fitFrame = () => fitFrameToContent(el, (h) => ui.fitWindow(h))
  if (ctx.installMode) {
    const { mountInstall } = await import('../placement/install')
    mountInstall(el, ctx)
    fitFrame()
    return
  }
  const settingsTab = settingsView(location.search)
  if (settingsTab) {
    const { mountInstall } = await import('../placement/install')
    mountInstall(withBackLink(el, ui.lang), ctx, settingsTab)
    fitFrame()
    return
  }
  if (ui.placement === 'CRM_DEAL_DETAIL_TAB') {
    const { mountDealTab } = await import('../placement/deal-tab')
    mountDealTab(el, ctx)
    fitFrame()
    return
  }
  // One database per portal user holds both the rows and the last report (src/sync/idb-cache.ts).
  const opening = IdbCache.open(client.memberId, client.userId)
  const snapshotSlot = 'last-report'
  const host: ReportHost = {
    portalLanguage: ui.lang,
    openDeal: (id) => ui.openDeal(id),
    openClient: (c) => ui.openClient(c),
    clientNames: (ids) => loadClientNames(client, ids),
    fitWindow: (height) => ui.fitWindow(height),
    scrollParentToTop: () => ui.scrollParentTo(0),
    // A full page load: the settings page is another app (install wizard, budget grids).
    openSettings: () => location.assign(`${location.pathname}?view=budget`),
    ...(client.isAdmin
      ? { enforceStorageRights: async () => (await enforceStorageRights(client)).reset.map((r) => r.entity) }
      : {}),
    loadSnapshot: async () => (await opening).readSnapshot<ReportSnapshot>(snapshotSlot),
    saveSnapshot: async (snapshot) => (await opening).writeSnapshot(snapshotSlot, snapshot),
    loadCrmData: (onProgress, options) => loadReportData(client, opening, ui.lang, onProgress, options),
  }
  mountReport(el, host)
}

void start()
