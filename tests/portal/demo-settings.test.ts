/**
 * The generated portal comes with the settings an admin would have saved: once the app is
 * installed, app.option `flSettings` holds the stage roles of both pipelines (gen-settings.ts);
 * before installation there is nothing stored (the wizard's first install).
 */
import { afterAll, describe, expect, it } from 'vitest'
import { connectToken } from '../../src/b24/connect'
import { readSettings } from '../../src/b24/install'
import { SETTINGS_OPTION } from '../../src/b24/settings'
import { generatePortal } from '../../src/demo-portal/generator'
import { demoSettings } from '../../src/demo-portal/gen-settings'
import { startPortal, type RunningPortal } from '../../src/demo-portal/server'

const open: RunningPortal[] = []
afterAll(async () => {
  await Promise.all(open.map((p) => p.close()))
})

async function client(installed: boolean) {
  const portal = await startPortal({ dump: generatePortal({ seed: 5, deals: 20 }), installed, rate: 100, burst: 500 })
  open.push(portal)
  return connectToken(portal.url, { accessToken: portal.issueToken(4).accessToken })
}

describe('demo portal settings', () => {
  it('an installed demo portal serves the generated stage roles through app.option.get', async () => {
    const rest = await client(true)
    const settings = await readSettings(rest)
    expect(settings).toEqual(demoSettings())
    expect(settings.analytics.noShowStageIds).toEqual(['UC_7NQ2ZB', 'C1:EXECUTING'])
  })

  it('a portal where the app is not installed yet has no stored settings', async () => {
    const rest = await client(false)
    expect(await rest.call('app.option.get', { option: SETTINGS_OPTION })).toBeNull()
  })
})
