/**
 * App-level methods (rest.md §8.1, §9): server.time, app.info, app/user options, placements,
 * scope, method.get. Application-context methods refuse webhooks the way the Bitrix rest module
 * does: AccessException → 403 ACCESS_DENIED "Access denied! Application context required";
 * placement.* → 403 WRONG_AUTH_TYPE.
 */
import { accessDenied, PortalRestError, wrongAuthType } from '../envelope'
import { isObject, type JsonObject } from '../params'
import type { PlacementBinding } from '../store'
import { formatInZone } from '../tz'
import { define, methods, type CallContext } from '../registry'

export const APP_SCOPES = ['crm', 'department', 'entity', 'placement', 'task', 'telephony', 'user_brief']

export function requireAppContext(ctx: CallContext): void {
  if (ctx.auth.kind !== 'oauth') throw accessDenied('Application context required')
}

function requireAdmin(ctx: CallContext): void {
  if (!ctx.portal.isAdmin(ctx.auth.userId)) throw accessDenied('Administrator authorization required')
}

define('server.time', 'basic', (ctx) => ({ result: formatInZone(ctx.now, ctx.portal.timeZone) }))

define('app.info', 'basic', (ctx) => {
  const license = `${ctx.portal.dump.portal.language || 'en'}_selfhosted`
  // A webhook (password auth) gets scope + license, as CRestProvider::appInfo does.
  if (ctx.auth.kind === 'webhook') return { result: { SCOPE: APP_SCOPES, LICENSE: license } }
  return {
    result: {
      ID: 1,
      CODE: 'local.funnellens',
      VERSION: 1,
      STATUS: 'L',
      INSTALLED: ctx.portal.store.data.installed,
      PAYMENT_EXPIRED: 'N',
      DAYS: null,
      LANGUAGE_ID: ctx.portal.dump.portal.language || 'en',
      LICENSE: license,
    },
  }
})

/** `options` or, when absent, every top-level parameter (CRestProvider::appOptionSet). */
function optionsParam(ctx: CallContext): JsonObject {
  const given = ctx.params.get('options')
  const options = given === undefined ? ctx.params.without('auth') : given
  if (!isObject(options) || Object.keys(options).length === 0)
    throw new PortalRestError(400, 'ARGUMENT_NULL', "Argument 'options' is null or empty")
  return options
}

function readOption(ctx: CallContext, all: JsonObject): { result: unknown } {
  const name = ctx.params.string('option')
  if (name === undefined) return { result: Object.keys(all).length ? all : [] }
  return { result: name in all ? all[name] : null }
}

define('app.option.get', 'basic', (ctx) => {
  requireAppContext(ctx)
  return readOption(ctx, ctx.portal.store.data.appOptions)
})

define('app.option.set', 'basic', (ctx) => {
  requireAppContext(ctx)
  const options = optionsParam(ctx)
  requireAdmin(ctx)
  Object.assign(ctx.portal.store.data.appOptions, options)
  ctx.portal.store.save()
  return { result: true }
})

define('user.option.get', 'basic', (ctx) => {
  requireAppContext(ctx)
  return readOption(ctx, ctx.portal.store.data.userOptions[String(ctx.auth.userId)] ?? {})
})

define('user.option.set', 'basic', (ctx) => {
  requireAppContext(ctx)
  const options = optionsParam(ctx)
  const key = String(ctx.auth.userId)
  ctx.portal.store.data.userOptions[key] = { ...(ctx.portal.store.data.userOptions[key] ?? {}), ...options }
  ctx.portal.store.save()
  return { result: true }
})

define('scope', 'basic', () => ({ result: APP_SCOPES }))

define('method.get', 'basic', (ctx) => {
  const name = (ctx.params.string('name') ?? '').toLowerCase()
  const def = methods.get(name)
  const available = !!def && (def.scope === 'basic' || APP_SCOPES.includes(def.scope))
  return { result: { isExisting: !!def, isAvailable: available } }
})

// ---- placements -------------------------------------------------------------------------

const KNOWN_PLACEMENTS = [
  'DEFAULT',
  'LEFT_MENU',
  'REST_APP_URI',
  'PAGE_BACKGROUND_WORKER',
  'USER_PROFILE_MENU',
  'USER_PROFILE_TOOLBAR',
  'TELEPHONY_ANALYTICS_MENU',
  'BI_ANALYTICS_MENU',
  'CRM_ANALYTICS_MENU',
  'CRM_ANALYTICS_TOOLBAR',
  'CRM_FUNNELS_TOOLBAR',
]
const CRM_PLACEMENT =
  /^CRM_(DEAL|LEAD|CONTACT|COMPANY|QUOTE|SMART_INVOICE|ORDER|ACTIVITY|DYNAMIC_\d+)_(DETAIL_TAB|LIST_MENU|LIST_TOOLBAR|DETAIL_ACTIVITY|DETAIL_TOOLBAR|ACTIVITY_TIMELINE_MENU|DOCUMENTGENERATOR_BUTTON|ROBOT_DESIGNER_TOOLBAR|FUNNELS_TOOLBAR)$/

function requirePlacementContext(ctx: CallContext, admin: boolean): void {
  if (ctx.auth.kind !== 'oauth') throw wrongAuthType()
  if (admin) requireAdmin(ctx)
}

function placementCode(ctx: CallContext): string {
  const code = (ctx.params.string('PLACEMENT') ?? '').trim().toUpperCase()
  if (!code)
    throw new PortalRestError(400, 'ERROR_ARGUMENT', "Argument 'PLACEMENT' is null or empty", { argument: 'PLACEMENT' })
  return code
}

define('placement.bind', 'placement', (ctx) => {
  requirePlacementContext(ctx, true)
  const placement = placementCode(ctx)
  if (!KNOWN_PLACEMENTS.includes(placement) && !CRM_PLACEMENT.test(placement)) {
    throw new PortalRestError(400, 'ERROR_PLACEMENT_NOT_FOUND', 'Placement not found')
  }
  const handler = (ctx.params.string('HANDLER') ?? '').trim()
  if (!handler)
    throw new PortalRestError(400, 'ERROR_ARGUMENT', "Argument 'HANDLER' is null or empty", { argument: 'HANDLER' })
  let url: URL
  try {
    url = new URL(handler)
  } catch {
    throw new PortalRestError(400, 'ERROR_WRONG_HANDLER_URL', 'Wrong handler URL')
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new PortalRestError(400, 'ERROR_UNSUPPORTED_PROTOCOL', 'Unsupported event handler protocol')
  const userId = Number(ctx.params.get('USER_ID') ?? 0) || 0
  const list = ctx.portal.store.data.placements
  if (list.some((p) => p.placement === placement && p.handler === handler && p.userId === userId)) {
    throw new PortalRestError(400, 'ERROR_HANDLER_ALREADY_EXIST', 'Handler already binded')
  }
  const options = ctx.params.get('OPTIONS')
  const langAll = ctx.params.get('LANG_ALL')
  const binding: PlacementBinding = {
    placement,
    userId,
    handler,
    options: isObject(options) ? options : [],
    title: ctx.params.string('TITLE') ?? '',
    description: ctx.params.string('DESCRIPTION') ?? '',
    groupName: ctx.params.string('GROUP_NAME') ?? '',
    langAll: isObject(langAll) ? langAll : [],
  }
  list.push(binding)
  ctx.portal.store.save()
  return { result: true }
})

define('placement.unbind', 'placement', (ctx) => {
  requirePlacementContext(ctx, true)
  const placement = placementCode(ctx)
  const handler = ctx.params.string('HANDLER')
  const userId = ctx.params.get('USER_ID')
  const store = ctx.portal.store.data
  const keep: PlacementBinding[] = []
  let count = 0
  for (const p of store.placements) {
    const hit =
      p.placement === placement &&
      (handler === undefined || p.handler === handler) &&
      (userId === undefined || p.userId === Number(userId))
    if (hit)
      count += 2 // one for the found record, one for its removal (placement-unbind.md)
    else keep.push(p)
  }
  store.placements = keep
  ctx.portal.store.save()
  return { result: { count } }
})

define('placement.get', 'placement', (ctx) => {
  requirePlacementContext(ctx, true)
  return { result: ctx.portal.store.data.placements.map((p) => ({ ...p })) }
})

define('placement.list', 'placement', (ctx) => {
  requirePlacementContext(ctx, false)
  return {
    result: [
      ...KNOWN_PLACEMENTS.filter((p) => p !== 'DEFAULT'),
      'CRM_DEAL_DETAIL_TAB',
      'CRM_DEAL_LIST_MENU',
      'CRM_DEAL_LIST_TOOLBAR',
      'CRM_DEAL_DETAIL_ACTIVITY',
      'CRM_LEAD_DETAIL_TAB',
      'CRM_LEAD_LIST_MENU',
    ],
  }
})
