import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { syncAll } from '../../src/sync/sync'
import { MemoryCache } from '../../src/sync/cache'
import { RestError } from '../../src/b24/client'
import type { RunningPortal } from '../../src/demo-portal/server'
import type { PortalDump } from '../../src/b24/wire'
import type { NormalizedCrmData } from '../../src/b24/normalize'
import { demoDump, portalWith, tokenClient, webhookClient } from './portal'

function tables(data: NormalizedCrmData) {
  const { portal: _portal, ...rest } = data
  return rest
}

describe('sync through portal faults', () => {
  let dump: PortalDump
  let portal: RunningPortal
  let clean: NormalizedCrmData

  beforeAll(async () => {
    dump = demoDump(4, 250)
    portal = await portalWith(dump)
    clean = (await syncAll(await webhookClient(portal), new MemoryCache('demo:1'))).data
  })
  afterAll(() => portal?.close())

  // Faults land on whole HTTP requests (a batch is one): requests 2 and 4 of the sync fail.
  it.each(['500', '503', 'drop'] as const)('rides out %s and loses or doubles nothing', async (kind) => {
    const client = await webhookClient(portal)
    portal.stats.reset()
    portal.setFaults(`at=2:${kind},4:${kind}`)
    try {
      const result = await syncAll(client, new MemoryCache('demo:1'), { batchSize: 10 })
      expect(portal.stats.faults[kind]).toBe(2)
      expect(tables(result.data)).toEqual(tables(clean))
      expect(client.requests).toBeGreaterThanOrEqual(result.requests)
    } finally {
      portal.setFaults(null)
    }
  })

  it('refreshes an expired token (401 expired_token) and carries on', async () => {
    const client = await tokenClient(portal)
    portal.stats.reset()
    portal.setFaults('at=1:expired,3:expired')
    let expired = false
    try {
      const result = await syncAll(client, new MemoryCache('demo:1'), {
        batchSize: 10,
        onProgress: (p) => {
          // And once for real: every token the portal issued stops working mid-sync.
          if (!expired && p.phase === 'full' && p.requests >= 5) {
            expired = true
            portal.expireTokens()
          }
        },
      })
      expect(portal.stats.faults.expired).toBe(2)
      expect(expired).toBe(true)
      expect(tables(result.data)).toEqual(tables(clean))
    } finally {
      portal.setFaults(null)
    }
  })

  it('gives up with a clear message after bounded attempts, keeps what it loaded, and resumes later', async () => {
    const client = await webhookClient(portal, 1, {
      restriction: { burstLimit: 1000, drainRate: 1000, sdkMaxRetries: 1 },
      retry: { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 20 },
    })
    const cache = new MemoryCache('demo:1')
    let broken = false
    const failure = await syncAll(client, cache, {
      batchSize: 10,
      onProgress: (p) => {
        if (!broken && p.phase === 'full' && p.loaded > 0) {
          broken = true
          portal.setFaults('500=1')
        }
      },
    }).catch((e: unknown) => e)
    portal.setFaults(null)
    expect(failure).toBeInstanceOf(RestError)
    expect((failure as RestError).message).toMatch(/kept failing after 3 attempts.*INTERNAL_SERVER_ERROR.*kept/)
    const meta = await cache.readMeta()
    expect(Object.values(meta!.load!.jobs).reduce((n, s) => n + (s?.loaded ?? 0), 0)).toBeGreaterThan(0)
    const resumed = await syncAll(await webhookClient(portal), cache)
    expect(resumed.mode).toBe('resume')
    expect(tables(resumed.data)).toEqual(tables(clean))
  })
})
