/**
 * CRM_DEAL_DETAIL_TAB: the deal-card widget. Bitrix24 passes the deal id as a string in
 * PLACEMENT_OPTIONS.ID (rest.md §9.2); the widget makes two batch requests (no full sync).
 */
import { createApp, type App } from 'vue'
import DealHealth from '../src/app/widgets/DealHealth.vue'
import { loadDealCard } from '../src/b24/deal-card-loader'
import { RestError } from '../src/b24/app-rest'
import type { PlacementContext } from '../src/b24/placements'
import '../src/app/styles/app.css'

export function dealIdFrom(options: Readonly<Record<string, unknown>>): number | null {
  const raw = options.ID ?? options.id
  const id = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\d+$/.test(raw.trim()) ? Number(raw) : NaN
  return Number.isSafeInteger(id) && id > 0 ? id : null
}

export function mountDealTab(el: Element, ctx: PlacementContext, onPainted?: (ms: number) => void): App {
  const dealId = dealIdFrom(ctx.options)
  const load = () =>
    dealId === null
      ? Promise.reject(
          new RestError('placement', 'NO_DEAL', 'this tab was opened without a deal id (PLACEMENT_OPTIONS.ID)', 400),
        )
      : loadDealCard(ctx.rest, dealId)
  const app = createApp(DealHealth, { load, lang: ctx.lang, onPainted })
  app.mount(el)
  return app
}
