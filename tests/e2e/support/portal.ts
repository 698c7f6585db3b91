/**
 * A small generated demo portal for browser tests, serving the host page on its own origin.
 * Port 0, memory-only storage: nothing leaks between runs.
 */
import { generatePortal } from '../../../src/demo-portal/generator'
import { hostRoutes } from '../../../src/demo-portal/host/routes'
import { startPortal, type RunningPortal } from '../../../src/demo-portal/server'

export interface TestPortalOptions {
  /** The app's URL as the host page should frame it. */
  appUrl: string
  /** Deals to generate (small: the machine has 2 cores). Default 300. */
  deals?: number
  seed?: number
  /** Where the generated history ends (ISO with offset); default: the generator's pinned date. */
  now?: string
  installed?: boolean
  admins?: number[]
  /** Users whose CRM role shows only the deals assigned to them. */
  ownDealsOnly?: number[]
}

export const WEBHOOK_SECRET = 'e2e-secret'

export async function startTestPortal(opts: TestPortalOptions): Promise<RunningPortal> {
  const dump = generatePortal({ seed: opts.seed ?? 20261123, deals: opts.deals ?? 300, now: opts.now })
  return startPortal({
    dump,
    port: 0,
    installed: opts.installed ?? true,
    admins: opts.admins,
    ownDealsOnly: opts.ownDealsOnly,
    webhookSecret: WEBHOOK_SECRET,
    // Tests make a few hundred calls at most; the real 2/s pacing is exercised in the portal's own tests.
    rate: 1000,
    burst: 1000,
    extraRoutes: hostRoutes({ appUrl: opts.appUrl }),
  })
}

export interface RestAnswer<T = unknown> {
  status: number
  result?: T
  total?: number
  next?: number
  error?: string
  error_description?: string
}

/** Calls the portal over REST with an inbound webhook (`/rest/<user>/<secret>/<method>`), as an integrator would. */
export async function webhookCall<T = unknown>(
  portal: RunningPortal,
  method: string,
  params: Record<string, unknown> = {},
  userId = 1,
): Promise<RestAnswer<T>> {
  const res = await fetch(`${portal.url}/rest/${userId}/${WEBHOOK_SECRET}/${method}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(params),
  })
  return { status: res.status, ...((await res.json()) as Omit<RestAnswer<T>, 'status'>) }
}
