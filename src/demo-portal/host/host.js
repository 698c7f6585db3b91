// The page that plays the Bitrix24 parent window: it frames the app for one placement and
// answers the SDK's postMessage protocol the way a portal page does (shared/docs/sdk.md §1).
// Same origin as the demo portal's REST API, so DOMAIN, the frame name and REST all agree.
import { parseFrameMessage, formatReply, newAppSid, frameName } from './protocol.js'
import { createPortalApi } from './portal-api.js'
import { wireSliderControls } from './slider.js'
import { commands, stageName } from './commands.js'

const PLACEMENTS = ['DEFAULT', 'CRM_ANALYTICS_MENU', 'CRM_DEAL_DETAIL_TAB']
const LANGS = ['en', 'ru', 'uk']

const settings = readSettings(new URLSearchParams(location.search))
const appUrl = resolveAppUrl()
const appOrigin = appUrl.origin

/** Every message in and out, for people (console) and tests (window.__hostLog). */
const hostLog = []
window.__hostLog = hostLog
const started = performance.now()
function record(entry) {
  hostLog.push({ at: Math.round(performance.now() - started), ...entry })
}

const api = createPortalApi(settings.user)
/** @type {Array<ReturnType<typeof newFrameContext>>} */
const frames = []
let sliderFrames = 0

const host = {
  settings,
  api,
  options: { app: {}, user: {} },
  sessionReady: null,
  setStatus,
  createAppFrame,
  forgetFrame,
  reloadFrame,
  leaveInstallMode,
}

host.sessionReady = startSession()
renderChrome()
wireSliderControls()
window.addEventListener('message', onMessage)
host.sessionReady.then(
  (mount) => mount && mountMainFrame(),
  (err) => {
    record({ dir: 'host', command: 'session', error: err.message })
    setStatus(`The demo portal refused a session for user ${settings.user}: ${err.message}`, true)
  },
)

/** The user's token, stored options and the install flag, before the app frame exists; false = no frame. */
async function startSession() {
  await api.issueToken()
  const { installed, appOptions, userOptions } = api.session
  host.options = { app: { ...appOptions }, user: { ...userOptions } }
  // Like Bitrix24: an admin opening an app whose install is not finished gets the installer.
  if (settings.install === 'auto') settings.install = !installed && api.auth.isAdmin
  record({ dir: 'host', command: 'session', payload: { userId: settings.user, isAdmin: api.auth.isAdmin, installed } })
  if (!installed && !settings.install && !api.auth.isAdmin) {
    setStatus(
      'The application is not fully installed yet: an administrator has to open it once to finish the installation.',
    )
    return false
  }
  return true
}

function readSettings(q) {
  const pick = (name, allowed, fallback) => (allowed.includes(q.get(name)) ? q.get(name) : fallback)
  const digits = (name, fallback) => (/^\d{1,9}$/.test(q.get(name) ?? '') ? q.get(name) : fallback)
  return {
    placement: pick('placement', PLACEMENTS, 'DEFAULT'),
    deal: digits('deal', '1'),
    user: Number(digits('user', '1')),
    lang: pick('lang', LANGS, 'en'),
    /** '1' install mode, '0' normal mode, absent: install mode while an admin has not finished it. */
    install: q.get('install') === '1' ? true : q.get('install') === '0' ? false : 'auto',
    appPath: q.get('appPath'),
  }
}

/** The app's handler URL; `appPath` may pick another page of the same app server (tests' probe page). */
function resolveAppUrl() {
  const base = new URL(document.querySelector('meta[name="funnel-lens-app-url"]').content)
  if (!settings.appPath) return base
  const url = new URL(settings.appPath, base)
  if (url.origin !== base.origin) throw new Error(`appPath must stay on ${base.origin}`)
  return url
}

function placementOptions() {
  const id = settings.deal
  switch (settings.placement) {
    case 'CRM_DEAL_DETAIL_TAB':
      // ID is a string on the wire (rest.md §9.2).
      return { ID: id, URI: `/crm/deal/details/${id}/?any=details%2F${id}%2F&IFRAME=Y&IFRAME_TYPE=SIDE_SLIDER` }
    case 'CRM_ANALYTICS_MENU':
      return { URI: '/report/analytics/?IFRAME=Y&IFRAME_TYPE=SIDE_SLIDER' }
    default:
      return {}
  }
}

function newFrameContext(id, { placement, placementOptions, install }) {
  const appSid = newAppSid()
  const iframe = document.createElement('iframe')
  // The SDK reads only window.name (sdk.md §1.1); it must be set before the frame navigates.
  iframe.name = frameName(location.host, location.protocol === 'https:', appSid)
  iframe.dataset.appFrame = id
  iframe.title = 'Funnel Lens'
  // Bitrix24 also puts these in the handler's query string; the SDK ignores them.
  const src = new URL(appUrl)
  src.searchParams.set('DOMAIN', location.host)
  src.searchParams.set('PROTOCOL', location.protocol === 'https:' ? '1' : '0')
  src.searchParams.set('LANG', settings.lang)
  src.searchParams.set('APP_SID', appSid)
  iframe.src = src.href
  return {
    id,
    iframe,
    appSid,
    placement,
    placementOptions,
    install,
    firstRun: install,
    initialised: false,
    bindings: [],
  }
}

function createAppFrame(spec) {
  const frame = newFrameContext(`slider-${++sliderFrames}`, spec)
  frames.push(frame)
  record({
    dir: 'host',
    frame: frame.id,
    command: 'frame',
    payload: { src: frame.iframe.src, placement: spec.placement },
  })
  return frame
}

function forgetFrame(frame) {
  const i = frames.indexOf(frame)
  if (i >= 0) frames.splice(i, 1)
}

function mountMainFrame() {
  const old = frames.find((f) => f.id === 'main')
  if (old) forgetFrame(old)
  const frame = newFrameContext('main', {
    placement: settings.placement,
    placementOptions: placementOptions(),
    install: settings.install,
  })
  frames.push(frame)
  record({
    dir: 'host',
    frame: 'main',
    command: 'frame',
    payload: { src: frame.iframe.src, placement: settings.placement },
  })
  document.getElementById('appframe-holder').replaceChildren(frame.iframe)
}

function reloadFrame(frame) {
  if (frame.id === 'main') return mountMainFrame()
  frame.iframe.src = frame.iframe.src // reloads the frame
}

/** After setInstallFinish Bitrix24 reopens the app in normal mode. */
function leaveInstallMode() {
  settings.install = false
  const q = new URLSearchParams(location.search)
  q.delete('install')
  history.replaceState(null, '', `${location.pathname}?${q}`)
  document.getElementById('ctl-install').checked = false
  mountMainFrame()
}

function onMessage(event) {
  const frame = frames.find((f) => f.iframe.contentWindow === event.source)
  if (!frame) return // not one of our app frames
  if (event.origin !== appOrigin) {
    record({ dir: 'drop', frame: frame.id, reason: `origin ${event.origin}` })
    return
  }
  const msg = parseFrameMessage(event.data)
  if (!msg) {
    record({ dir: 'drop', frame: frame.id, reason: 'not an SDK command', payload: event.data })
    return
  }
  if (msg.appSid && msg.appSid !== frame.appSid) {
    record({ dir: 'drop', frame: frame.id, reason: `APP_SID ${msg.appSid}`, command: msg.command })
    return
  }
  record({ dir: 'in', frame: frame.id, command: msg.command, key: msg.key, params: msg.params })
  void answer(frame, msg)
}

async function answer(frame, msg) {
  const handler = commands[msg.command]
  let payload = true
  try {
    // Unknown commands get an ack, as the SDK may wait for any reply.
    payload = handler ? await handler(host, frame, msg) : true
  } catch (err) {
    record({ dir: 'host', frame: frame.id, command: msg.command, error: err.message })
    setStatus(`${msg.command} failed: ${err.message}`, true)
    if (msg.command === 'getInitData') return // no session: the app cannot run; the status says why
    payload = msg.command === 'openPath' ? { result: 'error', errorCode: 'PATH_NOT_AVAILABLE' } : false
  }
  const data = formatReply(msg.key, payload)
  frame.iframe.contentWindow?.postMessage(data, appOrigin)
  record({ dir: 'out', frame: frame.id, command: msg.command, key: msg.key, payload })
}

function setStatus(text, isError = false) {
  const el = document.getElementById('host-status')
  el.textContent = text
  el.classList.toggle('hoststatus--error', isError)
}

function hostHref(placement) {
  const q = new URLSearchParams({ placement, deal: settings.deal, user: String(settings.user), lang: settings.lang })
  if (settings.appPath) q.set('appPath', settings.appPath)
  return `/host.html?${q}`
}

function renderChrome() {
  document.documentElement.lang = settings.lang
  document.getElementById('portal-name').textContent = location.host
  for (const item of document.querySelectorAll('.leftmenu__item[data-placement]')) {
    item.href = hostHref(item.dataset.placement)
    item.classList.toggle('leftmenu__item--active', item.dataset.placement === settings.placement)
  }
  document.getElementById('ctl-placement').value = settings.placement
  document.getElementById('ctl-deal').value = settings.deal
  document.getElementById('ctl-user').value = String(settings.user)
  document.getElementById('ctl-lang').value = settings.lang
  document.getElementById('ctl-install').checked = settings.install === true
  if (settings.appPath) {
    const keep = document.createElement('input')
    keep.type = 'hidden'
    keep.name = 'appPath'
    keep.value = settings.appPath
    document.getElementById('controls').append(keep)
  }
  const crumbs = { DEFAULT: 'Applications', CRM_ANALYTICS_MENU: 'CRM › Analytics', CRM_DEAL_DETAIL_TAB: 'CRM › Deals' }
  document.getElementById('breadcrumbs').textContent = crumbs[settings.placement]
  const title = settings.placement === 'CRM_DEAL_DETAIL_TAB' ? `Deal #${settings.deal}` : 'Funnel Lens'
  document.getElementById('pagetitle').textContent = title
  if (settings.placement === 'CRM_DEAL_DETAIL_TAB') void renderDealCard()
  void renderUserBadge()
}

async function renderDealCard() {
  document.getElementById('dealcard').hidden = false
  const titleEl = document.getElementById('dealcard-title')
  titleEl.textContent = `Deal #${settings.deal}`
  try {
    await host.sessionReady
    const rows = await api.rest('crm.deal.list', { filter: { ID: settings.deal }, select: ['ID', 'TITLE', 'STAGE_ID'] })
    const deal = Array.isArray(rows) ? rows[0] : null
    if (!deal) {
      titleEl.textContent = `Deal #${settings.deal} is not on this portal`
      return
    }
    titleEl.textContent = deal.TITLE || `Deal #${settings.deal}`
    document.getElementById('dealcard-stage').textContent = await stageName(host, deal.STAGE_ID)
  } catch (err) {
    record({ dir: 'host', command: 'dealCard', error: err.message })
  }
}

async function renderUserBadge() {
  const badge = document.getElementById('user-badge')
  badge.textContent = `user #${settings.user}`
  try {
    await host.sessionReady
    const rows = await api.rest('user.get', { ID: String(settings.user) })
    const user = Array.isArray(rows) ? rows[0] : null
    const name = user ? `${user.NAME ?? ''} ${user.LAST_NAME ?? ''}`.trim() : ''
    badge.textContent = `${name || `user #${settings.user}`}${api.auth.isAdmin ? ' · admin' : ''}`
  } catch (err) {
    record({ dir: 'host', command: 'userBadge', error: err.message })
  }
}
