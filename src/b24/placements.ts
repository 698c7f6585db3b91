/**
 * Where Funnel Lens shows up in Bitrix24 (rest.md §9), binding and unbinding those places,
 * and the context a placement entry receives.
 *
 * DEFAULT (the app page and its left-menu item) comes with the app itself and is not bound
 * with placement.bind; CRM_ANALYTICS_MENU and CRM_DEAL_DETAIL_TAB are. Every handler is the
 * app's own index.html: the app dispatches on the placement code it is opened with.
 */
import { initializeB24Frame, type B24Frame } from '@bitrix24/b24jssdk'
import type { AppRest } from './app-rest'
import { connectFrame, type FrameOptions } from './connect'

export type Language = 'en' | 'ru' | 'uk'

export interface PlacementSpec {
  code: string
  title: Record<Language, string>
  description: Record<Language, string>
}

export const BOUND_PLACEMENTS: readonly PlacementSpec[] = [
  {
    code: 'CRM_ANALYTICS_MENU',
    title: {
      en: 'Funnel Lens: where deals are lost',
      ru: 'Funnel Lens: где теряются сделки',
      uk: 'Funnel Lens: де втрачаються угоди',
    },
    description: {
      en: 'Funnels, churn by stage, sources, ROI, managers and forecast',
      ru: 'Воронки, отток по этапам, источники, ROI, менеджеры и прогноз',
      uk: 'Воронки, відтік за етапами, джерела, ROI, менеджери та прогноз',
    },
  },
  {
    code: 'CRM_DEAL_DETAIL_TAB',
    title: { en: 'Deal health', ru: 'Здоровье сделки', uk: 'Стан угоди' },
    description: {
      en: 'Time in each stage against the norm, touches and risks',
      ru: 'Время на этапах против нормы, касания и риски',
      uk: 'Час на етапах проти норми, дотики та ризики',
    },
  },
]

/** Bitrix24 language ids: Ukrainian is "ua"; Belarusian and Kazakh readers get Russian. */
export function pickLang(lang: string | null | undefined): Language {
  const code = (lang ?? '').toLowerCase().slice(0, 2)
  if (code === 'ua' || code === 'uk') return 'uk'
  if (code === 'ru' || code === 'by' || code === 'be' || code === 'kz') return 'ru'
  return 'en'
}

/** LANG_ALL keys are Bitrix24 language ids, where Ukrainian is "ua". */
const BITRIX_LANG_ID: Record<Language, string> = { en: 'en', ru: 'ru', uk: 'ua' }

/**
 * The handler every placement opens: the app's index.html next to the page we run in
 * (install.html during installation), without Bitrix24's query parameters.
 */
export function appHandlerUrl(pageHref: string): string {
  const u = new URL(pageHref)
  u.search = ''
  u.hash = ''
  u.pathname = u.pathname.replace(/[^/]*\.html$/, 'index.html')
  if (u.pathname.endsWith('/')) u.pathname += 'index.html'
  return u.href
}

export function bindParams(spec: PlacementSpec, handler: string, lang: Language): Record<string, unknown> {
  return {
    PLACEMENT: spec.code,
    HANDLER: handler,
    TITLE: spec.title[lang],
    DESCRIPTION: spec.description[lang],
    LANG_ALL: Object.fromEntries(
      (['en', 'ru', 'uk'] as Language[]).map((l) => [
        BITRIX_LANG_ID[l],
        { TITLE: spec.title[l], DESCRIPTION: spec.description[l] },
      ]),
    ),
  }
}

interface BoundRow {
  placement: string
  handler: string
}

export interface BindReport {
  bound: string[]
  alreadyBound: string[]
  /** Old handlers replaced (the app was uploaded again under another address). */
  rebound: string[]
}

/**
 * Binds every placement once: existing bindings with the same handler are kept, ones that
 * point elsewhere are replaced, so re-install never duplicates a tab or a menu item.
 */
export async function bindPlacements(rest: AppRest, handler: string, lang: Language): Promise<BindReport> {
  const current = await rest.call<BoundRow[] | Record<string, BoundRow>>('placement.get')
  const rows = Array.isArray(current) ? current : Object.values(current ?? {})
  const report: BindReport = { bound: [], alreadyBound: [], rebound: [] }
  const cmds: Record<string, [string, Record<string, unknown>]> = {}
  for (const spec of BOUND_PLACEMENTS) {
    const mine = rows.filter((r) => r.placement === spec.code)
    if (mine.some((r) => r.handler === handler)) {
      report.alreadyBound.push(spec.code)
      continue
    }
    mine.forEach((r, i) => {
      cmds[`unbind_${spec.code}_${i}`] = ['placement.unbind', { PLACEMENT: spec.code, HANDLER: r.handler }]
      report.rebound.push(spec.code)
    })
    cmds[`bind_${spec.code}`] = ['placement.bind', bindParams(spec, handler, lang)]
    report.bound.push(spec.code)
  }
  if (Object.keys(cmds).length > 0) {
    const replies = await rest.batch(cmds)
    for (const r of Object.values(replies)) if (!r.ok) throw r.error!
  }
  return report
}

/**
 * Removes every binding of the app's placements (the "Uninstall" action in settings) and
 * returns how many bindings went. The portal's `count` rises once per found binding and once
 * per removal (rest.md §9.1), hence the halving.
 */
export async function unbindPlacements(rest: AppRest): Promise<number> {
  const cmds = Object.fromEntries(
    BOUND_PLACEMENTS.map((p) => [
      p.code,
      ['placement.unbind', { PLACEMENT: p.code }] as [string, Record<string, unknown>],
    ]),
  )
  const replies = await rest.batch(cmds)
  let count = 0
  for (const r of Object.values(replies)) {
    if (!r.ok) throw r.error!
    count += Number((r.result as { count?: number } | null)?.count ?? 0)
  }
  return Math.ceil(count / 2)
}

/** What a placement entry (placement/*.ts) receives. */
export interface PlacementContext {
  rest: AppRest
  /** DEFAULT, CRM_ANALYTICS_MENU, CRM_DEAL_DETAIL_TAB, … */
  placement: string
  /** PLACEMENT_OPTIONS as the portal sent them (deal tab: `ID` as a string). */
  options: Readonly<Record<string, unknown>>
  isAdmin: boolean
  lang: Language
  /** Opened as the installation wizard (INSTALL = true). */
  installMode: boolean
  /** `installFinish()`: Bitrix24 then treats the app as installed and reopens it. */
  finishInstall(): Promise<void>
  /** The URL placements should open (index.html of this app). */
  handlerUrl: string
}

/** `rest` is the B24Client from connect.ts: the one REST facade, with its retries and request counts. */
export function placementContextFromFrame(b24: B24Frame, pageHref: string, rest: AppRest): PlacementContext {
  return {
    rest,
    placement: b24.placement.placement || 'DEFAULT',
    options: (b24.placement.options ?? {}) as Record<string, unknown>,
    isAdmin: rest.isAdmin,
    lang: pickLang(b24.getLang()),
    installMode: b24.isInstallMode,
    finishInstall: () => b24.installFinish() as Promise<void>,
    handlerUrl: appHandlerUrl(pageHref),
  }
}

/**
 * Connects inside the Bitrix24 window and describes the placement we were opened in. REST
 * goes through the sync layer's B24Client (pacing, retries, request counts); placement,
 * language and install mode come from the same SDK frame, which the SDK caches.
 */
export async function connectPlacement(pageHref: string, options: FrameOptions = {}): Promise<PlacementContext> {
  const client = await connectFrame(options)
  const b24 = await initializeB24Frame()
  return placementContextFromFrame(b24, pageHref, client)
}

/** PLACEMENT_OPTIONS.view that asks index.html for the settings page (budgets, plans, settings). */
export const SETTINGS_VIEW = 'settings'

export function wantsSettings(options: Readonly<Record<string, unknown>>): boolean {
  return options.view === SETTINGS_VIEW
}

/**
 * Opens the app's settings page in a Bitrix24 slider: the app itself again, with
 * PLACEMENT_OPTIONS `{ view: "settings" }` (sdk.md §6.3). Resolves when the slider closes.
 */
export async function openSettingsInSlider(): Promise<void> {
  const b24 = await initializeB24Frame()
  await b24.slider.openSliderAppPage({ view: SETTINGS_VIEW, bx24_width: 1280, bx24_title: 'Funnel Lens' })
}
