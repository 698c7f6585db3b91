/**
 * The install flow against the demo portal over HTTP through the real SDK: choices for the
 * wizard, a first install, a re-install that duplicates nothing and keeps data, settings
 * round-trip and upgrade, uninstall, and a non-admin who is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connectToken } from '../../src/b24/connect'
import type { B24Client } from '../../src/b24/client'
import { budgetKey } from '../../src/b24/input-cells'
import { loadInstallChoices, readSettings, runInstall, saveSettings } from '../../src/b24/install'
import { BOUND_PLACEMENTS, appHandlerUrl, pickLang, unbindPlacements } from '../../src/b24/placements'
import { SETTINGS_OPTION, defaultSettings } from '../../src/b24/settings'
import { BUDGET_STORAGE, loadInputs, readStorage, saveEdits } from '../../src/b24/storage'
import { generatePortal } from '../../src/demo-portal/generator'
import { startPortal, type RunningPortal } from '../../src/demo-portal/server'

let portal: RunningPortal
let admin: B24Client
let manager: B24Client
const HANDLER = 'http://127.0.0.1:5173/index.html'

beforeAll(async () => {
  portal = await startPortal({ dump: generatePortal({ seed: 11, deals: 40 }), admins: [1], rate: 100, burst: 500 })
  const fast = { burstLimit: 500, drainRate: 100 }
  admin = await connectToken(portal.url, { accessToken: portal.issueToken(1).accessToken, restriction: fast })
  manager = await connectToken(portal.url, { accessToken: portal.issueToken(4).accessToken, restriction: fast })
})

afterAll(async () => {
  await portal?.close()
})

type Bound = { placement: string; handler: string; title: string; langAll: Record<string, { TITLE: string }> }

describe('install', () => {
  it('offers the portal fields, currencies and every pipeline stage', async () => {
    const c = await loadInstallChoices(admin, 'en')
    expect(c.storedVersion).toBe(0)
    expect(c.dealFields.map((f) => f.name)).toEqual(expect.arrayContaining(['UF_CRM_CITY', 'UF_CRM_LOSS_REASON']))
    expect(c.currencies.map((x) => x.code)).toContain(c.settings.currency)
    expect(c.currencies.find((x) => x.base)?.code).toBe(c.settings.currency)
    const pipelines = new Set(c.stages.map((s) => s.pipeline))
    expect(pipelines.size).toBe(2)
    expect(c.stages.some((s) => s.id.startsWith('C1:'))).toBe(true)
    expect(c.stages.filter((s) => s.semantic === 'S').length).toBeGreaterThanOrEqual(2)
  })

  it('binds the placements with titles in three languages, creates storages and stores settings', async () => {
    const settings = {
      ...defaultSettings(),
      cityField: 'UF_CRM_CITY',
      lossReasonField: 'UF_CRM_LOSS_REASON',
      currency: 'RUB',
    }
    const report = await runInstall(admin, { handler: HANDLER, lang: 'ru', settings })
    expect(report.placements.bound.sort()).toEqual(['CRM_ANALYTICS_MENU', 'CRM_DEAL_DETAIL_TAB'])
    expect(report.storages.created.sort()).toEqual(['flbudget', 'flplan'])
    const bound = await admin.call<Bound[]>('placement.get')
    expect(bound.map((b) => [b.placement, b.handler]).sort()).toEqual([
      ['CRM_ANALYTICS_MENU', HANDLER],
      ['CRM_DEAL_DETAIL_TAB', HANDLER],
    ])
    const tab = bound.find((b) => b.placement === 'CRM_DEAL_DETAIL_TAB')!
    expect(tab.title).toBe('Здоровье сделки')
    // Bitrix24's language id for Ukrainian is "ua".
    expect(Object.keys(tab.langAll).sort()).toEqual(['en', 'ru', 'ua'])
    expect(tab.langAll.ua.TITLE).toBe('Стан угоди')
    expect((await readSettings(manager)).cityField).toBe('UF_CRM_CITY')
  })

  it('re-install keeps data and duplicates nothing; a moved app is re-bound', async () => {
    const base = await readStorage(admin, BUDGET_STORAGE)
    await saveEdits(
      admin,
      BUDGET_STORAGE,
      base,
      new Map([[budgetKey('WEB', null, '2026-05'), { amount: '10', currency: 'RUB' }]]),
      new Set(['RUB']),
    )
    const again = await runInstall(admin, { handler: HANDLER, lang: 'en', settings: await readSettings(admin) })
    expect(again.placements).toEqual({
      bound: [],
      alreadyBound: ['CRM_ANALYTICS_MENU', 'CRM_DEAL_DETAIL_TAB'],
      rebound: [],
    })
    expect(again.storages.created).toEqual([])
    expect((await admin.call<Bound[]>('placement.get')).length).toBe(2)
    expect((await loadInputs(manager)).budgets).toHaveLength(1)

    const moved = 'http://127.0.0.1:5173/v2/index.html'
    const upgrade = await runInstall(admin, { handler: moved, lang: 'en', settings: await readSettings(admin) })
    expect(upgrade.placements.rebound.sort()).toEqual(['CRM_ANALYTICS_MENU', 'CRM_DEAL_DETAIL_TAB'])
    const bound = await admin.call<Bound[]>('placement.get')
    expect(bound.map((b) => b.handler)).toEqual([moved, moved])
  })

  it("upgrades settings written by an older version and keeps the admin's choices", async () => {
    await admin.call('app.option.set', {
      options: { [SETTINGS_OPTION]: JSON.stringify({ version: 0, cityField: 'UF_CRM_CITY', currency: 'USD' }) },
    })
    const choices = await loadInstallChoices(admin, 'en')
    expect(choices.storedVersion).toBe(0)
    expect(choices.settings).toMatchObject({ cityField: 'UF_CRM_CITY', currency: 'USD', version: 1 })
    await saveSettings(admin, choices.settings)
    expect((await loadInstallChoices(admin, 'en')).storedVersion).toBe(1)
  })

  it('a non-admin cannot install or change settings', async () => {
    await expect(
      runInstall(manager, { handler: HANDLER, lang: 'en', settings: defaultSettings() }),
    ).rejects.toMatchObject({ code: 'ACCESS_DENIED' })
    await expect(saveSettings(manager, defaultSettings())).rejects.toMatchObject({
      code: expect.stringMatching(/ACCESS|Access/),
    })
  })

  it('uninstall unbinds every placement and keeps the stored inputs', async () => {
    expect(await unbindPlacements(admin)).toBe(BOUND_PLACEMENTS.length)
    expect(await admin.call<Bound[]>('placement.get')).toEqual([])
    expect((await loadInputs(admin)).budgets).toHaveLength(1)
  })
})

describe('pickLang', () => {
  it('maps Bitrix24 language ids to the three the app speaks', () => {
    expect([pickLang('ua'), pickLang('ru'), pickLang('kz'), pickLang('de'), pickLang(null)]).toEqual([
      'uk',
      'ru',
      'ru',
      'en',
      'en',
    ])
  })
})

describe('appHandlerUrl', () => {
  it('points every placement at index.html next to the page', () => {
    expect(appHandlerUrl('https://cdn.example/app_local/abc/install.html?DOMAIN=x&APP_SID=1')).toBe(
      'https://cdn.example/app_local/abc/index.html',
    )
    expect(appHandlerUrl('http://127.0.0.1:5173/?DOMAIN=x')).toBe('http://127.0.0.1:5173/index.html')
  })
})
