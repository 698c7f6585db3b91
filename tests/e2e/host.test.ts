/**
 * The host page against the real @bitrix24/b24jssdk: a probe page (tests/e2e/fixtures/probe.ts)
 * runs the SDK inside the host page's frame in headless chromium, and every assertion is about
 * what crossed postMessage or HTTP between the SDK, the host page and the demo portal.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Frame, Request } from 'playwright-core'
import type { DealRow } from '../../src/b24/wire'
import type { ProbeInit } from './fixtures/probe'
import { startE2E, type E2E } from './support/env'
import { waitFor, type HostLogEntry, type HostOptions, type HostSession } from './support/host-page'
import { webhookCall } from './support/portal'

const PROBE = '/tests/e2e/fixtures/probe.html'
/** CRM text is untrusted: a CRM user may type markup into a deal title. */
const HOSTILE_DEAL = 12
const HOSTILE_TITLE = '<img src=x onerror="window.__xss=1"><b>VIP</b> клиент "Ёлка" & Co'

let e2e: E2E

beforeAll(async () => {
  e2e = await startE2E({ deals: 300 })
  e2e.portal.mutate.updateDeal(HOSTILE_DEAL, { TITLE: HOSTILE_TITLE })
})

async function noMarkupRendered(host: HostSession, container: string): Promise<void> {
  expect(await host.page.locator(`${container} img, ${container} b`).count()).toBe(0)
  expect(await host.page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined()
}

afterAll(async () => {
  await e2e?.stop()
})

async function openProbe(opts: HostOptions = {}): Promise<{ host: HostSession; frame: Frame; init: ProbeInit }> {
  const host = await e2e.openHost({ appPath: PROBE, ...opts })
  const frame = await host.appFrame()
  const init = await probeReady(frame)
  return { host, frame, init }
}

async function probeReady(frame: Frame): Promise<ProbeInit> {
  await frame.waitForFunction(() => 'probe' in window, undefined, { timeout: 20_000 })
  return frame.evaluate(() => window.probe.ready)
}

function initReply(log: HostLogEntry[], frame = 'main'): Record<string, unknown> {
  const out = log.find((e) => e.dir === 'out' && e.command === 'getInitData' && e.frame === frame)
  if (!out) throw new Error('the host never answered getInitData')
  return out.payload as Record<string, unknown>
}

/** REST requests the browser sent to the portal, with the `auth` token in their JSON body. */
function watchRest(
  host: HostSession,
  portalUrl: string,
): Array<{ method: string; auth: unknown; status: Promise<number> }> {
  const seen: Array<{ method: string; auth: unknown; status: Promise<number> }> = []
  host.page.on('request', (req: Request) => {
    const url = new URL(req.url())
    if (!req.url().startsWith(`${portalUrl}/rest/`) || req.method() !== 'POST') return
    let body: Record<string, unknown> = {}
    try {
      body = req.postDataJSON() ?? {}
    } catch {
      // non-JSON body: not an SDK call
    }
    seen.push({
      method: decodeURIComponent(url.pathname.slice('/rest/'.length)),
      auth: body.auth,
      status: req.response().then((r) => r?.status() ?? 0),
    })
  })
  return seen
}

describe('host page ⇄ real SDK frame protocol', () => {
  it('completes the handshake: the SDK gets init data of the right types from the frame name origin', async () => {
    const { host, frame, init } = await openProbe({ user: 1, lang: 'ru' })
    const reply = initReply(await host.hostLog())

    expect(init.placement).toBe('DEFAULT')
    expect(init.isAdmin).toBe(true)
    expect(init.lang).toBe('ru')
    expect(init.isInstallMode).toBe(false)
    expect(init.accessToken).toBe(reply.AUTH_ID)
    expect(init.targetOrigin).toBe(e2e.portal.url)
    // The SDK's own traps (sdk.md §1.6): strings, real booleans, objects.
    expect(reply).toMatchObject({
      DOMAIN: new URL(e2e.portal.url).host,
      PROTOCOL: '0',
      PATH: '/rest/',
      IS_ADMIN: true,
      INSTALL: false,
      FIRST_RUN: false,
    })
    expect(typeof reply.AUTH_EXPIRES).toBe('string')
    expect(Number(reply.AUTH_EXPIRES)).toBeGreaterThan(3000)
    expect(reply.USER_OPTIONS).toEqual({})
    // window.name carries the same APP_SID the SDK signs its messages with.
    const name = await frame.evaluate(() => window.name)
    const [domain, protocol, sid] = name.split('|')
    expect([domain, protocol]).toEqual([new URL(e2e.portal.url).host, '0'])
    const inbound = (await host.hostLog()).find((e) => e.dir === 'in' && e.command === 'getInitData')
    expect(inbound).toBeDefined()
    expect(sid).toMatch(/^[0-9a-f]{32}$/)
    await host.screenshot('host-default')
    await host.close()
  })

  it('tells the SDK a non-admin is not an admin (IS_ADMIN false, a real boolean)', async () => {
    const { host, init } = await openProbe({ user: 2 })
    expect(init.isAdmin).toBe(false)
    expect(initReply(await host.hostLog()).IS_ADMIN).toBe(false)
    await host.close()
  })

  it('sends a REST call to the portal with the issued token and gets the portal’s data', async () => {
    const { host, frame, init } = await openProbe()
    const rest = watchRest(host, e2e.portal.url)
    const before = e2e.portal.stats.byMethod['crm.deal.list'] ?? 0

    const call = await frame.evaluate(() => window.probe.call('crm.deal.list', { select: ['ID', 'TITLE'], start: 0 }))
    const expected = await webhookCall<DealRow[]>(e2e.portal, 'crm.deal.list', { select: ['ID', 'TITLE'], start: 0 })

    expect(call.ok, call.error).toBe(true)
    expect(call.result).toEqual(expected.result)
    expect((call.result as DealRow[]).length).toBe(50)
    const sent = rest.filter((r) => r.method === 'crm.deal.list')
    expect(sent).toHaveLength(1)
    expect(sent[0].auth).toBe(init.accessToken)
    expect(await sent[0].status).toBe(200)
    expect(e2e.portal.stats.byMethod['crm.deal.list']).toBe(before + 2) // ours + the webhook's
    await host.close()
  })

  it('refreshes an expired token through refreshAuth and retries the call with the new token', async () => {
    const { host, frame, init } = await openProbe()
    const rest = watchRest(host, e2e.portal.url)
    const oldToken = init.accessToken

    e2e.portal.expireTokens()
    const call = await frame.evaluate(() => window.probe.call('crm.deal.list', { select: ['ID'], start: 0 }))

    expect(call.ok, call.error).toBe(true)
    const refresh = await host.waitForLog({ dir: 'out', command: 'refreshAuth' })
    const newToken = (refresh.payload as { AUTH_ID: string }).AUTH_ID
    expect(newToken).toBeTruthy()
    expect(newToken).not.toBe(oldToken)
    const sent = rest.filter((r) => r.method === 'crm.deal.list')
    expect(sent.map((r) => r.auth)).toEqual([oldToken, newToken])
    expect(await sent[0].status).toBe(401)
    expect(await sent[1].status).toBe(200)
    expect((await frame.evaluate(() => window.probe.info())).accessToken).toBe(newToken)
    await host.close()
  })

  it('gives a deal tab its deal: PLACEMENT_OPTIONS.ID and the card header, as text', async () => {
    const dealId = HOSTILE_DEAL
    const deal = (await webhookCall<DealRow>(e2e.portal, 'crm.deal.get', { id: dealId })).result as DealRow
    const { host, init } = await openProbe({ placement: 'CRM_DEAL_DETAIL_TAB', deal: dealId })

    expect(init.placement).toBe('CRM_DEAL_DETAIL_TAB')
    expect(init.placementOptions.ID).toBe(String(dealId))
    const title = await waitFor(
      'deal card title',
      () => host.page.textContent('#dealcard-title'),
      (t) => t === deal.TITLE,
    )
    expect(title).toBe(HOSTILE_TITLE)
    await noMarkupRendered(host, '#dealcard')
    await host.screenshot('host-deal-tab')
    await host.close()
  })

  it('openPath slides in a panel with the deal’s title, stage and amount; closing answers {result:"close"}', async () => {
    const dealId = HOSTILE_DEAL
    const deal = (await webhookCall<DealRow>(e2e.portal, 'crm.deal.get', { id: dealId })).result as DealRow
    const { host, frame } = await openProbe()

    await frame.evaluate((id) => {
      ;(window as unknown as { opened: Promise<unknown> }).opened = window.probe.openPath(`/crm/deal/details/${id}/`)
    }, dealId)
    const title = await waitFor(
      'slider deal title',
      () => host.page.textContent('#slider dd[data-field="title"]'),
      (t) => !!t,
    )
    expect(await host.page.isVisible('#slider-panel')).toBe(true)
    expect(title).toBe(HOSTILE_TITLE)
    await noMarkupRendered(host, '#slider')
    expect(await host.page.textContent('#slider dd[data-field="stage"]')).toContain(deal.STAGE_ID)
    const amount = (await host.page.textContent('#slider dd[data-field="amount"]')) ?? ''
    expect(amount.replace(/\D/g, '')).toBe(String(Math.trunc(Number(deal.OPPORTUNITY))))
    expect(amount).toContain(deal.CURRENCY_ID)
    const inbound = await host.waitForLog({ dir: 'in', command: 'openPath' })
    expect(inbound.params).toMatchObject({ path: expect.stringContaining(`/crm/deal/details/${dealId}/`) })
    await host.screenshot('host-open-path')

    await host.page.click('#slider-close')
    const result = await frame.evaluate(() => (window as unknown as { opened: Promise<unknown> }).opened)
    expect(result).toEqual({ isOpenAtNewWindow: false, isClose: true })
    expect(await host.page.isVisible('#slider-panel')).toBe(false)
    const out = await host.waitForLog({ dir: 'out', command: 'openPath' })
    expect(out.payload).toEqual({ result: 'close' })
    await host.close()
  })

  it('resizes the frame: resizeWindow sets its height, fitWindow follows the content at full width', async () => {
    const { host, frame } = await openProbe()
    const iframe = 'iframe[data-app-frame="main"]'
    const heightOf = () => host.page.$eval(iframe, (el) => (el as HTMLIFrameElement).getBoundingClientRect().height)
    expect(Math.round(await heightOf())).not.toBe(777)

    await frame.evaluate(() => window.probe.resize(640, 777))
    await waitFor('frame height 777', heightOf, (h) => Math.round(h) === 777)

    await frame.evaluate(() => window.probe.fit(1500))
    const fit = await host.waitForLog(
      { dir: 'in', command: 'resizeWindow', frame: 'main' },
      20_000,
      (await host.waitForLog({ dir: 'out', command: 'resizeWindow' })).at,
    )
    const sent = fit.params as { width: string; height: number }
    expect(sent.width).toBe('100%')
    expect(sent.height).toBeGreaterThan(1500)
    await waitFor(`frame height ${sent.height}`, heightOf, (h) => Math.round(h) === sent.height)
    const widths = await host.page.$eval(iframe, (el) => ({
      frame: el.getBoundingClientRect().width,
      holder: (el.parentElement as HTMLElement).getBoundingClientRect().width,
    }))
    expect(widths.frame).toBe(widths.holder)
    await host.close()
  })

  it('keeps app and user options in the portal: the next session’s init data and app.option.get see them', async () => {
    const first = await openProbe()
    await first.frame.evaluate(() => window.probe.setAppOption('e2eTheme', { dark: true, size: 3 }))
    await first.frame.evaluate(() => window.probe.setUserOption('e2eLastTab', 'sources'))
    await first.host.waitForLog({ dir: 'out', command: 'setUserOption' })
    const viaRest = await first.frame.evaluate(() => window.probe.call('app.option.get', { option: 'e2eTheme' }))
    expect(viaRest.ok, viaRest.error).toBe(true)
    expect(viaRest.result).toEqual({ dark: true, size: 3 })
    await first.host.close()

    const second = await openProbe()
    expect(await second.frame.evaluate(() => window.probe.appOption('e2eTheme'))).toEqual({ dark: true, size: 3 })
    expect(await second.frame.evaluate(() => window.probe.userOption('e2eLastTab'))).toBe('sources')
    await second.host.close()
  })

  it('runs the install flow: INSTALL/FIRST_RUN for an admin, setInstallFinish flips app.info INSTALLED', async () => {
    e2e.portal.setInstalled(false)
    try {
      const { host, frame, init } = await openProbe() // no install param: the admin gets the installer
      expect(init.isInstallMode).toBe(true)
      expect(init.isFirstRun).toBe(true)
      await host.waitForLog({ dir: 'out', command: 'setInstall' })

      const before = await frame.evaluate(() => window.probe.call('app.info'))
      expect((before.result as { INSTALLED: boolean }).INSTALLED).toBe(false)
      const finishedAt = (await host.hostLog()).at(-1)?.at ?? 0
      await frame.evaluate(() => window.probe.installFinish())
      await host.waitForLog({ dir: 'out', command: 'setInstallFinish' })

      // Bitrix24 reopens the app out of install mode.
      const reopened = await host.waitForLog({ dir: 'out', command: 'getInitData' }, 20_000, finishedAt)
      expect(reopened.payload).toMatchObject({ INSTALL: false, FIRST_RUN: false })
      const reloaded = await host.appFrame()
      await probeReady(reloaded)
      const after = await reloaded.evaluate(() => window.probe.call('app.info'))
      expect((after.result as { INSTALLED: boolean }).INSTALLED).toBe(true)
      await host.close()
    } finally {
      e2e.portal.setInstalled(true)
    }
  })

  it('opens the app in a slider with openApplication; closeApplication from it answers the opener', async () => {
    const { host, frame } = await openProbe()
    await frame.evaluate(() => {
      ;(window as unknown as { opened: Promise<unknown> }).opened = window.probe.openApplication({
        dealId: '42',
        bx24_title: 'Loss drill-down',
      })
    })
    const handle = await host.page.waitForSelector('#slider iframe[data-app-frame="slider-1"]')
    const child = await handle.contentFrame()
    if (!child) throw new Error('no slider frame')
    const childInit = await probeReady(child)
    expect(childInit.placementOptions).toEqual({ dealId: '42' })
    expect(await host.page.textContent('#slider-title')).toBe('Loss drill-down')

    await child.evaluate(() => void window.probe.closeApplication())
    await frame.evaluate(() => (window as unknown as { opened: Promise<unknown> }).opened)
    expect(await host.page.isVisible('#slider-panel')).toBe(false)
    await host.close()
  })

  it('reads params that contain ":" (setTitle), since the wire string is split from both ends', async () => {
    const { host, frame } = await openProbe()
    const title = 'Funnel: Q3 vs Q2 — 12:30 <b>not bold</b>'
    await frame.evaluate((t) => window.probe.setTitle(t), title)
    await waitFor(
      'page title',
      () => host.page.textContent('#pagetitle'),
      (t) => t === title,
    )
    expect(await host.page.locator('#pagetitle b').count()).toBe(0)
    await host.close()
  })

  it('drops messages that do not carry the frame’s APP_SID', async () => {
    const { host, frame } = await openProbe()
    await frame.evaluate((origin) => parent.postMessage('getInitData:forgedKey:NOT_THE_SID', origin), e2e.portal.url)
    const drop = await host.waitForLog({ dir: 'drop' })
    expect(drop.reason).toContain('APP_SID')
    expect((await host.hostLog()).some((e) => e.key === 'forgedKey')).toBe(false)
    await host.close()
  })
})

describe('host routes on the portal', () => {
  it('serves the page with the app URL filled in, its modules, and nothing else from its folder', async () => {
    const page = await fetch(`${e2e.portal.url}/host.html`)
    expect(page.status).toBe(200)
    expect(page.headers.get('content-type')).toContain('text/html')
    expect(await page.text()).toContain(`<meta name="funnel-lens-app-url" content="${e2e.app.url}">`)

    const script = await fetch(`${e2e.portal.url}/host/protocol.js`)
    expect(script.status).toBe(200)
    expect(script.headers.get('content-type')).toContain('text/javascript')

    for (const path of [
      '/host/routes.ts',
      '/host/../server.ts',
      '/host/%2e%2e/server.ts',
      '/host/host.html',
      '/host/nope.js',
    ]) {
      const res = await fetch(`${e2e.portal.url}${path}`)
      expect(res.status, path).toBe(404)
      await res.body?.cancel()
    }
  })
})
