/** Test helpers: a demo portal on an ephemeral port and a client reaching it through the SDK. */
import { startPortal, type RunningPortal, type PortalOptions } from '../../src/demo-portal/server'
import { generatePortal } from '../../src/demo-portal/generator'
import { connectWebhook, connectToken } from '../../src/b24/connect'
import type { B24Client, ClientOptions } from '../../src/b24/client'
import type { PortalDump } from '../../src/b24/wire'

/** Fast pacing for tests: the limiter logic still runs, it just drains quickly. */
export const FAST: ClientOptions = {
  restriction: { burstLimit: 1000, drainRate: 1000, sdkMaxRetries: 2, sdkRetryDelayMs: 20 },
  retry: { maxAttempts: 8, baseDelayMs: 20, maxDelayMs: 200 },
}

const dumps = new Map<string, PortalDump>()

/** Generated once per (seed, deals) and cloned, so tests can mutate their portal freely. */
export function demoDump(seed: number, deals: number): PortalDump {
  const key = `${seed}:${deals}`
  if (!dumps.has(key)) dumps.set(key, generatePortal({ seed, deals }))
  return structuredClone(dumps.get(key)!)
}

export async function portalWith(dump: PortalDump, opts: Partial<PortalOptions> = {}): Promise<RunningPortal> {
  return startPortal({ dump, rate: 1000, burst: 1000, ...opts })
}

export function webhookClient(portal: RunningPortal, userId = 1, opts: ClientOptions = FAST): Promise<B24Client> {
  return connectWebhook(`${portal.url}/rest/${userId}/demo/`, { ...opts, memberId: 'demo' })
}

export function tokenClient(portal: RunningPortal, userId = 1, opts: ClientOptions = FAST): Promise<B24Client> {
  const t = portal.issueToken(userId)
  let refresh = t.refreshToken
  return connectToken(portal.url, {
    ...opts,
    memberId: 'demo',
    accessToken: t.accessToken,
    refreshAuth: async () => {
      const fresh = portal.refreshToken(refresh)
      if (!fresh) throw new Error('refresh refused')
      refresh = fresh.refreshToken
      return { accessToken: fresh.accessToken, expiresInSec: fresh.expiresIn }
    },
  })
}
