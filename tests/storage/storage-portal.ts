/** The demo portal the app-storage HTTP tests run against, and SDK clients for its users. */
import { connectToken } from '../../src/b24/connect'
import type { B24Client } from '../../src/b24/client'
import { generatePortal } from '../../src/demo-portal/generator'
import { startPortal, type RunningPortal } from '../../src/demo-portal/server'

export interface StoragePortal {
  portal: RunningPortal
  /** A client signed in as `userId`, its own rate limit set to the portal's so it never waits on itself. */
  clientFor(userId: number): Promise<B24Client>
}

/** A generated portal (seed 7) whose admins are users 1 and 2, answering `rate` calls a second after `burst`. */
export async function startStoragePortal(
  deals: number,
  limits: { rate: number; burst: number },
): Promise<StoragePortal> {
  const portal = await startPortal({ dump: generatePortal({ seed: 7, deals }), admins: [1, 2], ...limits })
  const clientFor = (userId: number) =>
    connectToken(portal.url, {
      accessToken: portal.issueToken(userId).accessToken,
      restriction: { burstLimit: limits.burst, drainRate: limits.rate },
    })
  return { portal, clientFor }
}
