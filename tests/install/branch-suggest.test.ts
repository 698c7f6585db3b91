/**
 * The wizard's choices on a generated portal over HTTP (real SDK): stage roles guessed from the
 * stage names on a first install, and the branch stages the recent history suggests.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connectToken } from '../../src/b24/connect'
import type { B24Client } from '../../src/b24/client'
import { loadInstallChoices, saveSettings } from '../../src/b24/install'
import { generatePortal } from '../../src/demo-portal/generator'
import { demoSettings } from '../../src/demo-portal/gen-settings'
import { startPortal, type RunningPortal } from '../../src/demo-portal/server'

/** The generated history ends here (the sample window is counted back from `now`). */
const NOW = Date.parse('2026-11-20T12:00:00+03:00')
let portal: RunningPortal
let admin: B24Client

beforeAll(async () => {
  portal = await startPortal({ dump: generatePortal({ seed: 3, deals: 4000 }), admins: [1], rate: 100, burst: 500 })
  admin = await connectToken(portal.url, {
    accessToken: portal.issueToken(1).accessToken,
    restriction: { burstLimit: 500, drainRate: 100 },
  })
})

afterAll(async () => {
  await portal?.close()
})

describe('install choices: stage roles and branch suggestions', () => {
  it('a first install starts from the roles the stage names make obvious', async () => {
    const c = await loadInstallChoices(admin, 'en', NOW)
    expect(c.storedVersion).toBe(0)
    const demo = demoSettings().analytics
    expect(c.settings.analytics.consultationStageIds).toEqual(demo.consultationStageIds)
    expect(c.settings.analytics.noShowStageIds).toEqual(demo.noShowStageIds)
    expect(c.settings.analytics.contractStageIds).toEqual(demo.contractStageIds)
    // The contact center has no stage named "held": only the sales one is guessed.
    expect(c.settings.analytics.heldStageIds).toEqual(['EXECUTING'])
    expect(c.settings.analytics.branchStageIds).toEqual([])
  })

  it('suggests the no-show stages as branches, with the share of deals that skipped them', async () => {
    const c = await loadInstallChoices(admin, 'en', NOW)
    const ids = c.branchCandidates.map((x) => x.stageId)
    expect(ids).toContain('UC_7NQ2ZB')
    for (const x of c.branchCandidates) {
      expect(x.share).toBeGreaterThan(0.5)
      expect(x.reachedNext).toBeGreaterThanOrEqual(10)
    }
    const noShow = c.branchCandidates.find((x) => x.stageId === 'UC_7NQ2ZB')!
    expect(noShow.nextStageId).toBe('EXECUTING')
    // Main-path stages are not suggested.
    expect(ids).not.toContain('PREPAYMENT_INVOICE')
    expect(ids).not.toContain('EXECUTING')
  })

  it('stored roles win over the guesses, even an emptied one', async () => {
    const c = await loadInstallChoices(admin, 'en', NOW)
    const chosen = { ...c.settings, analytics: { ...c.settings.analytics, heldStageIds: [], branchStageIds: ['X'] } }
    await saveSettings(admin, chosen)
    const again = await loadInstallChoices(admin, 'en', NOW)
    expect(again.storedVersion).toBe(1)
    expect(again.settings.analytics.heldStageIds).toEqual([])
    expect(again.settings.analytics.branchStageIds).toEqual(['X'])
  })
})
