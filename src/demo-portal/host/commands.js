// How the host answers each SDK command (shared/docs/sdk.md §1.5). Replies that the SDK waits
// for without a timeout (getInitData, setInstall, setInstallFinish, openPath, openApplication,
// closeApplication) are always sent, even when the work behind them fails, so the app never hangs.
import { secondsLeft } from './portal-api.js'
import { openSlider, closeSlider } from './slider.js'

const DEAL_PATH = /^\/crm\/deal\/details\/(\d+)\/?$/
const CLIENT_PATH = /^\/crm\/(company|contact)\/details\/(\d+)\/?$/

/** The 15 init-data fields the SDK reads (sdk.md §1.6), with the types it needs. */
export function initData(host, frame) {
  const auth = host.api.auth
  return {
    DOMAIN: location.host,
    PROTOCOL: location.protocol === 'https:' ? '1' : '0',
    PATH: '/rest/',
    LANG: host.settings.lang,
    AUTH_ID: auth.accessToken,
    AUTH_EXPIRES: String(secondsLeft(auth)),
    REFRESH_ID: auth.refreshToken,
    MEMBER_ID: auth.memberId,
    IS_ADMIN: auth.isAdmin === true,
    APP_OPTIONS: { ...host.options.app },
    USER_OPTIONS: { ...host.options.user },
    PLACEMENT: frame.placement,
    PLACEMENT_OPTIONS: { ...frame.placementOptions },
    INSTALL: frame.install === true,
    FIRST_RUN: frame.firstRun === true,
  }
}

function authReply(auth) {
  return { AUTH_ID: auth.accessToken, REFRESH_ID: auth.refreshToken, AUTH_EXPIRES: String(secondsLeft(auth)) }
}

/** @returns {Record<string, (host, frame, msg) => Promise<unknown> | unknown>} value = reply payload */
export const commands = {
  async getInitData(host, frame) {
    await host.sessionReady
    frame.firstRun = frame.firstRun && !frame.initialised
    frame.initialised = true
    return initData(host, frame)
  },

  async refreshAuth(host) {
    return authReply(await host.api.refresh())
  },

  async setAppOption(host, _frame, msg) {
    return saveOption(host, 'app', msg.params)
  },

  async setUserOption(host, _frame, msg) {
    return saveOption(host, 'user', msg.params)
  },

  resizeWindow(host, frame, msg) {
    const { width, height } = msg.params ?? {}
    const h = Number(height)
    if (Number.isFinite(h) && h > 0) frame.iframe.style.height = `${Math.ceil(h)}px`
    // fitWindow sends width "100%"; a number is pixels, never wider than the work area.
    const w = Number(width)
    frame.iframe.style.width = Number.isFinite(w) && w > 0 ? `min(${Math.ceil(w)}px, 100%)` : '100%'
    return true
  },

  setTitle(host, frame, msg) {
    const title = msg.params && typeof msg.params.title === 'string' ? msg.params.title : ''
    if (frame.id === 'main') {
      document.getElementById('pagetitle').textContent = title
      document.title = title
    } else {
      document.getElementById('slider-title').textContent = title
    }
    return true
  },

  setScroll(host, frame, msg) {
    const y = Number(msg.params && msg.params.scroll)
    if (Number.isFinite(y)) window.scrollTo(0, y)
    return true
  },

  async openPath(host, _frame, msg) {
    const raw = msg.params && typeof msg.params.path === 'string' ? msg.params.path : String(msg.params ?? '')
    let url
    try {
      url = new URL(raw, location.origin)
    } catch {
      return { result: 'error', errorCode: 'PATH_NOT_AVAILABLE' }
    }
    // BX24.openPath opens same-portal paths only (rest.md §10).
    if (url.origin !== location.origin) return { result: 'error', errorCode: 'PATH_NOT_AVAILABLE' }
    const deal = DEAL_PATH.exec(url.pathname)
    const client = CLIENT_PATH.exec(url.pathname)
    const kind = client ? (client[1] === 'company' ? 'Company' : 'Contact') : null
    await openSlider({
      label: deal ? 'CRM · Deal' : kind ? `CRM · ${kind}` : 'Portal page',
      title: deal ? `Deal #${deal[1]}` : kind ? `${kind} #${client[2]}` : url.pathname,
      path: url.pathname + url.search,
      width: Number(msg.params && msg.params.width) || undefined,
      fields: deal
        ? dealFields(host, deal[1])
        : client
          ? clientFields(host, client[1], client[2])
          : Promise.resolve([['Page', 'This demo portal shows deal, company and contact pages only.']]),
    })
    return { result: 'close' }
  },

  async openApplication(host, _frame, msg) {
    const params = msg.params && typeof msg.params === 'object' ? msg.params : {}
    const placementOptions = {}
    for (const [k, v] of Object.entries(params)) if (!k.startsWith('bx24_')) placementOptions[k] = v
    const child = host.createAppFrame({ placement: 'DEFAULT', placementOptions, install: false })
    await openSlider({
      label: typeof params.bx24_label === 'string' ? params.bx24_label : 'Application',
      title: typeof params.bx24_title === 'string' ? params.bx24_title : 'Funnel Lens',
      width: Number(params.bx24_width) || undefined,
      frame: child.iframe,
    })
    host.forgetFrame(child)
    return undefined
  },

  closeApplication(host, frame) {
    // Answer first: the frame is gone once the slider closes.
    if (frame.id !== 'main') queueMicrotask(closeSlider)
    else host.setStatus('The application asked to close.')
    return true
  },

  setInstall() {
    return true
  },

  async setInstallFinish(host, frame) {
    try {
      await host.api.finishInstall()
      host.setStatus('Installation finished.')
    } catch (err) {
      host.setStatus(`Could not mark the app installed: ${err.message}`, true)
    }
    // Bitrix24 then reloads the application out of install mode.
    if (frame.install) setTimeout(() => host.leaveInstallMode(), 300)
    return true
  },

  placementBindEvent(host, frame, msg) {
    // The SDK takes the first reply as the bind ack; events would follow under the same key.
    frame.bindings.push({ event: msg.params && msg.params.event, key: msg.key })
    return true
  },

  getInterface() {
    return { command: [], event: [] }
  },

  reloadWindow(host, frame) {
    setTimeout(() => host.reloadFrame(frame), 0)
    return true
  },
}

async function saveOption(host, scope, params) {
  const name = params && typeof params.name === 'string' ? params.name : ''
  if (!name) return false
  const value = params.value
  host.options[scope][name] = value
  try {
    await host.api.saveOption(scope, name, value)
  } catch (err) {
    host.setStatus(`Could not save the ${scope} option "${name}": ${err.message}`, true)
  }
  return true
}

/** Title, stage and amount of a deal, read over the portal's REST as the user. */
async function dealFields(host, id) {
  const rows = await host.api.rest('crm.deal.list', {
    filter: { ID: id },
    select: ['ID', 'TITLE', 'STAGE_ID', 'OPPORTUNITY', 'CURRENCY_ID', 'ASSIGNED_BY_ID'],
  })
  const deal = Array.isArray(rows) ? rows[0] : null
  if (!deal) return [['Deal', `No deal #${id} on this portal.`]]
  const stage = await stageName(host, deal.STAGE_ID)
  const amount = Number(deal.OPPORTUNITY)
  const fields = [
    ['Title', deal.TITLE ?? ''],
    ['Stage', stage],
    [
      'Amount',
      `${Number.isFinite(amount) ? amount.toLocaleString(host.settings.lang) : deal.OPPORTUNITY} ${deal.CURRENCY_ID ?? ''}`.trim(),
    ],
  ]
  if (deal.ASSIGNED_BY_ID) fields.push(['Responsible', `user #${deal.ASSIGNED_BY_ID}`])
  return fields
}

/** A company or contact card: its name (as text) from crm.company.list / crm.contact.list. */
async function clientFields(host, type, id) {
  const select = type === 'company' ? ['ID', 'TITLE'] : ['ID', 'NAME', 'LAST_NAME']
  const rows = await host.api.rest(`crm.${type}.list`, { filter: { ID: id }, select })
  const row = Array.isArray(rows) ? rows[0] : null
  if (!row) return [[type === 'company' ? 'Company' : 'Contact', `No ${type} #${id} on this portal.`]]
  const name = type === 'company' ? (row.TITLE ?? '') : [row.NAME, row.LAST_NAME].filter(Boolean).join(' ')
  return [[type === 'company' ? 'Title' : 'Name', name]]
}

export async function stageName(host, stageId) {
  try {
    const rows = await host.api.rest('crm.status.list', { filter: { STATUS_ID: stageId } })
    const row = Array.isArray(rows) ? rows.find((r) => r.STATUS_ID === stageId) : null
    return row ? `${row.NAME} (${stageId})` : stageId
  } catch {
    return stageId
  }
}
