/**
 * The installation wizard and the admin's settings page: settings, ad budgets, plans.
 * install.html mounts it when Bitrix24 installs the zip; the app's index.html can mount it
 * too (install mode, or a "Settings" link) — `mountInstall(el, ctx)`.
 */
import { createApp, type App } from 'vue'
import InstallApp from '../src/app/install/InstallApp.vue'
import { connectPlacement, type PlacementContext } from '../src/b24/placements'
import { frameUi } from '../src/b24/frame-ui'
import { fitFrameToContent } from '../src/app/services/fit-frame'
import '../src/app/styles/app.css'

export function mountInstall(el: Element, ctx: PlacementContext, initialTab?: 'settings' | 'budget' | 'plan'): App {
  const app = createApp(InstallApp, { ctx, initialTab })
  app.mount(el)
  return app
}

/**
 * install.html's entry: connect to the Bitrix24 window, then mount and keep the frame as tall as
 * the wizard; a clear message if that fails.
 */
export async function startInstallPage(el: HTMLElement): Promise<void> {
  try {
    mountInstall(el, await connectPlacement(location.href))
    const ui = await frameUi()
    fitFrameToContent(el, (h) => ui.fitWindow(h))
  } catch (err) {
    const p = document.createElement('p')
    p.className = 'fl-app'
    p.setAttribute('role', 'alert')
    p.textContent = (err as Error).message || String(err)
    el.replaceChildren(p)
  }
}
