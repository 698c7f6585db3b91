/**
 * The Bitrix24 window's UI services the report needs: the portal language, opening a deal card
 * in the slider, and resizing the frame to its content. Kept here because only src/b24 may
 * import the SDK; the app receives plain functions.
 */
import { initializeB24Frame, type B24Frame } from '@bitrix24/b24jssdk'
import { placementContextFromFrame, type PlacementContext } from './placements'
import type { AppRest } from './app-rest'

export interface FrameUi {
  /** b24.getLang(): "ru", "en", "ua", … as the portal says it */
  lang: string
  /** PLACEMENT code the frame was opened with ("DEFAULT" when none) */
  placement: string
  openDeal(dealId: number): Promise<void>
  /** opens a company or contact card in the slider */
  openClient(client: { type: 'company' | 'contact'; id: number }): Promise<void>
  /** sizes the frame to `height` px (the content), keeping the width fluid */
  fitWindow(height?: number): void
  /** scrolls the portal page to `top` px (the frame's own top is at 0 of its content) */
  scrollParentTo(top: number): void
}

/** Company and contact card paths on the portal (rest.md §10). */
export function clientPath(client: { type: 'company' | 'contact'; id: number }): string {
  return `/crm/${client.type}/details/${Math.trunc(client.id)}/`
}

/** Deal card path on the portal (rest.md §10). */
export function dealPath(dealId: number): string {
  return `/crm/deal/details/${Math.trunc(dealId)}/`
}

export function frameUiFrom(b24: B24Frame): FrameUi {
  let lastHeight = 0
  return {
    lang: b24.getLang() ?? 'en',
    placement: b24.placement.placement || 'DEFAULT',
    async openDeal(dealId) {
      // openPath resolves when the slider closes; a rejection carries the portal's error code.
      await b24.slider.openPath(b24.slider.getUrl(dealPath(dealId)))
    },
    async openClient(client) {
      await b24.slider.openPath(b24.slider.getUrl(clientPath(client)))
    },
    scrollParentTo(top) {
      void b24.parent.scrollParentWindow(Math.max(0, Math.round(top)))
    },
    fitWindow(contentHeight) {
      // SDK fitWindow() measures documentElement.scrollHeight, which never drops below the
      // frame's current height: a shorter page would keep the taller frame. Send the content's
      // own height with the same "100%" width fitWindow uses (sdk.md §1.5 resizeWindow).
      const height = Math.ceil(contentHeight ?? document.documentElement.scrollHeight)
      if (height <= 0 || height === lastHeight) return
      lastHeight = height
      void b24.parent.message.send('resizeWindow', { width: '100%', height, isSafely: true })
    },
  }
}

/** The SDK caches the frame: after connectFrame() this returns the same, already initialised one. */
export async function frameUi(): Promise<FrameUi> {
  return frameUiFrom(await initializeB24Frame())
}

/** The placement context (install wizard, deal tab) of the cached frame. */
export async function framePlacementContext(pageHref: string, rest: AppRest): Promise<PlacementContext> {
  return placementContextFromFrame(await initializeB24Frame(), pageHref, rest)
}
