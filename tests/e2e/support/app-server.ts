/**
 * Serves the app (and the SDK probe fixture) with Vite's dev server through its JS API, using
 * the repo's vite.config.ts. Dev mode beats `vite build` + static on a 2-core CI box: only the
 * modules a page asks for are transformed. File watching and HMR are off: other people edit
 * the checkout while tests run, and a reload in the middle of a test would be noise.
 */
import { createServer, type ViteDevServer } from 'vite'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url))

export interface AppServer {
  /** Origin + '/', e.g. http://127.0.0.1:41234/ — the app's index.html. */
  url: string
  origin: string
  close(): Promise<void>
}

export async function startAppServer(): Promise<AppServer> {
  const vite: ViteDevServer = await createServer({
    configFile: `${REPO_ROOT}vite.config.ts`,
    root: REPO_ROOT,
    // A separate cache from `npm run demo`, so the two never rewrite each other's optimised deps.
    cacheDir: `${REPO_ROOT}node_modules/.vite-e2e`,
    logLevel: 'warn',
    clearScreen: false,
    server: { host: '127.0.0.1', port: 0, strictPort: false, hmr: false, watch: null },
    // Pre-bundle the SDK and the app's deps up front: a dependency discovered mid-test makes
    // Vite reload the page.
    optimizeDeps: { entries: ['index.html', 'install.html', 'tests/e2e/fixtures/*.html'] },
  })
  await vite.listen()
  const address = vite.httpServer?.address() as AddressInfo | null
  if (!address) throw new Error('Vite dev server did not start listening')
  const origin = `http://127.0.0.1:${address.port}`
  return { url: `${origin}/`, origin, close: () => vite.close() }
}
