/**
 * entity.* app data storage (rest.md §8.2). Rights per storage: `{"U1":"X","AU":"R"}`; R reads,
 * W also writes items, X also changes the storage, its rights and properties. The creator gets
 * X; portal admins act with X. Items keep TIMESTAMP_X / MODIFIED_BY current so clients can see
 * concurrent edits.
 */
import { accessDenied, PortalRestError } from '../envelope'
import { isObject, type Json, type JsonObject } from '../params'
import { parseFilter, parseOrder, runList } from '../query'
import { define, type CallContext } from '../registry'
import type { AccessLevel, EntityItem, EntityStorage } from '../store'
import { Table } from '../table'
import { formatInZone } from '../tz'
import { requireAppContext } from './app'

const RANK: Record<AccessLevel, number> = { R: 1, W: 2, X: 3 }

function normalizeAccess(value: Json | undefined): Record<string, AccessLevel> {
  const out: Record<string, AccessLevel> = {}
  if (!isObject(value)) return out
  for (const [code, level] of Object.entries(value)) {
    const l = String(level).toUpperCase()
    if (l === 'R' || l === 'W' || l === 'X') out[code] = l
  }
  return out
}

export function accessLevel(ctx: CallContext, storage: EntityStorage): number {
  if (ctx.portal.isAdmin(ctx.auth.userId)) return RANK.X
  let best = 0
  for (const [code, level] of Object.entries(storage.ACCESS)) {
    const applies =
      code === `U${ctx.auth.userId}` ||
      code === 'AU' ||
      (code === 'G1' && ctx.portal.isAdmin(ctx.auth.userId)) ||
      code === 'G2'
    if (applies) best = Math.max(best, RANK[level])
  }
  return best
}

function need(ctx: CallContext, storage: EntityStorage, level: AccessLevel): void {
  if (accessLevel(ctx, storage) < RANK[level]) throw accessDenied()
}

function entityCode(ctx: CallContext): string {
  const code = (ctx.params.string('ENTITY') ?? '').trim()
  if (!code)
    throw new PortalRestError(400, 'ERROR_ARGUMENT', "Argument 'ENTITY' is null or empty", { argument: 'ENTITY' })
  return code
}

function findStorage(ctx: CallContext): EntityStorage {
  const s = ctx.portal.store.entity(entityCode(ctx))
  if (!s) throw new PortalRestError(400, 'ERROR_ENTITY_NOT_FOUND', 'Entity not found')
  return s
}

function entityContext(ctx: CallContext): void {
  requireAppContext(ctx)
}

const MAX_CODE = 13

function describe(s: EntityStorage): Record<string, unknown> {
  return { ID: s.ID, IBLOCK_TYPE_ID: 'rest_entity', ENTITY: s.ENTITY, NAME: s.NAME }
}

define('entity.add', 'entity', (ctx) => {
  entityContext(ctx)
  const code = entityCode(ctx)
  if (!/^[A-Za-z0-9_]+$/.test(code))
    throw new PortalRestError(400, 'ERROR_ARGUMENT', 'Entity code contains invalid characters')
  if (code.length > MAX_CODE)
    throw new PortalRestError(400, 'ERROR_ARGUMENT', `Entity code is too long. Max length is ${MAX_CODE} characters.`)
  const name = (ctx.params.string('NAME') ?? '').trim()
  if (!name) throw new PortalRestError(400, 'ERROR_ARGUMENT', "Argument 'NAME' is null or empty", { argument: 'NAME' })
  const data = ctx.portal.store.data
  if (data.entities.some((e) => e.ENTITY === code))
    throw new PortalRestError(400, 'ERROR_ENTITY_ALREADY_EXISTS', 'Entity already exists')
  const access = normalizeAccess(ctx.params.get('ACCESS'))
  access[`U${ctx.auth.userId}`] = 'X'
  data.entities.push({
    ID: String(data.nextIblockId++),
    ENTITY: code,
    NAME: name,
    ACCESS: access,
    properties: [],
    items: [],
  })
  ctx.portal.store.save()
  return { result: true }
})

define('entity.get', 'entity', (ctx) => {
  entityContext(ctx)
  if (ctx.params.string('ENTITY')) {
    const s = findStorage(ctx)
    need(ctx, s, 'R')
    return { result: describe(s) }
  }
  return { result: ctx.portal.store.data.entities.filter((s) => accessLevel(ctx, s) >= RANK.R).map(describe) }
})

define('entity.update', 'entity', (ctx) => {
  entityContext(ctx)
  const s = findStorage(ctx)
  need(ctx, s, 'X')
  const name = ctx.params.string('NAME')
  if (name) s.NAME = name
  if (ctx.params.has('ACCESS'))
    s.ACCESS = { ...normalizeAccess(ctx.params.get('ACCESS')), [`U${ctx.auth.userId}`]: 'X' }
  const renamed = ctx.params.string('ENTITY_NEW')
  if (renamed) {
    if (ctx.portal.store.entity(renamed))
      throw new PortalRestError(400, 'ERROR_ENTITY_ALREADY_EXISTS', 'Entity already exists')
    s.ENTITY = renamed
  }
  ctx.portal.store.save()
  return { result: true }
})

define('entity.delete', 'entity', (ctx) => {
  entityContext(ctx)
  const s = findStorage(ctx)
  need(ctx, s, 'X')
  const data = ctx.portal.store.data
  data.entities = data.entities.filter((e) => e !== s)
  ctx.portal.store.save()
  return { result: true }
})

define('entity.rights', 'entity', (ctx) => {
  entityContext(ctx)
  const s = ctx.portal.store.entity(entityCode(ctx))
  if (!s) return { result: null }
  if (ctx.params.has('ACCESS')) {
    need(ctx, s, 'X')
    s.ACCESS = { ...normalizeAccess(ctx.params.get('ACCESS')), [`U${ctx.auth.userId}`]: 'X' }
    ctx.portal.store.save()
  } else need(ctx, s, 'R')
  return { result: s.ACCESS }
})

// ---- items ----------------------------------------------------------------------------------

function itemView(s: EntityStorage, item: EntityItem): Record<string, unknown> {
  const { PROPERTY_VALUES, ...fields } = item
  const out: Record<string, unknown> = { ...fields, ID: String(item.ID), ENTITY: s.ENTITY }
  if (s.properties.length) {
    const values: Record<string, Json> = {}
    for (const p of s.properties) values[p.PROPERTY] = PROPERTY_VALUES[p.PROPERTY] ?? null
    out.PROPERTY_VALUES = values
  }
  return out
}

function propertyValues(s: EntityStorage, value: Json | undefined, into: Record<string, Json>): void {
  if (!isObject(value)) return
  for (const [code, v] of Object.entries(value)) {
    if (!s.properties.some((p) => p.PROPERTY === code)) continue // unknown codes are ignored
    into[code] = v === null || typeof v === 'object' ? v : String(v)
  }
}

function applyItemFields(ctx: CallContext, s: EntityStorage, item: EntityItem): void {
  const p = ctx.params
  const text = (name: string): string | undefined => p.string(name)
  if (text('NAME') !== undefined) item.NAME = text('NAME') as string
  if (text('SORT') !== undefined) item.SORT = text('SORT') as string
  if (text('CODE') !== undefined) item.CODE = text('CODE') as string
  if (text('ACTIVE') !== undefined) item.ACTIVE = text('ACTIVE') === 'N' ? 'N' : 'Y'
  if (text('PREVIEW_TEXT') !== undefined) item.PREVIEW_TEXT = text('PREVIEW_TEXT') as string
  if (text('DETAIL_TEXT') !== undefined) item.DETAIL_TEXT = text('DETAIL_TEXT') as string
  if (text('DATE_ACTIVE_FROM') !== undefined) item.DATE_ACTIVE_FROM = text('DATE_ACTIVE_FROM') as string
  if (text('DATE_ACTIVE_TO') !== undefined) item.DATE_ACTIVE_TO = text('DATE_ACTIVE_TO') as string
  if (text('SECTION') !== undefined) item.SECTION = text('SECTION') as string
  propertyValues(s, p.get('PROPERTY_VALUES'), item.PROPERTY_VALUES)
  item.TIMESTAMP_X = formatInZone(ctx.now, ctx.portal.timeZone)
  item.MODIFIED_BY = String(ctx.auth.userId)
}

define('entity.item.add', 'entity', (ctx) => {
  entityContext(ctx)
  const s = findStorage(ctx)
  need(ctx, s, 'W')
  const data = ctx.portal.store.data
  const now = formatInZone(ctx.now, ctx.portal.timeZone)
  const item: EntityItem = {
    ID: data.nextItemId++,
    TIMESTAMP_X: now,
    MODIFIED_BY: String(ctx.auth.userId),
    DATE_CREATE: now,
    CREATED_BY: String(ctx.auth.userId),
    ACTIVE: 'Y',
    DATE_ACTIVE_FROM: '',
    DATE_ACTIVE_TO: '',
    SORT: '500',
    NAME: '',
    PREVIEW_PICTURE: null,
    PREVIEW_TEXT: null,
    DETAIL_PICTURE: null,
    DETAIL_TEXT: null,
    CODE: null,
    SECTION: null,
    PROPERTY_VALUES: {},
  }
  applyItemFields(ctx, s, item)
  s.items.push(item)
  ctx.portal.store.save()
  return { result: item.ID }
})

function findItem(ctx: CallContext, s: EntityStorage): EntityItem {
  const raw = ctx.params.get('ID')
  if (raw === undefined || raw === null || raw === '')
    throw new PortalRestError(400, 'ERROR_ARGUMENT', "Argument 'ID' is null or empty", { argument: 'ID' })
  const item = s.items.find((i) => i.ID === Number(raw))
  if (!item) throw new PortalRestError(400, 'ERROR_ITEM_NOT_FOUND', 'Item not found')
  return item
}

define('entity.item.update', 'entity', (ctx) => {
  entityContext(ctx)
  const s = findStorage(ctx)
  need(ctx, s, 'W')
  const item = findItem(ctx, s)
  applyItemFields(ctx, s, item)
  ctx.portal.store.save()
  return { result: true }
})

define('entity.item.delete', 'entity', (ctx) => {
  entityContext(ctx)
  const s = findStorage(ctx)
  need(ctx, s, 'W')
  const item = findItem(ctx, s)
  s.items = s.items.filter((i) => i !== item)
  ctx.portal.store.save()
  return { result: true }
})

/** entity.item.get: SORT (default ID ASC), FILTER over item fields and PROPERTY_<CODE>. */
define('entity.item.get', 'entity', (ctx) => {
  entityContext(ctx)
  const s = findStorage(ctx)
  need(ctx, s, 'R')
  const views = s.items.map((i) => itemView(s, i))
  const table = new Table(views, (v) => Number(v.ID))
  const get = (row: object, field: string): unknown => {
    const r = row as Record<string, unknown>
    if (field.startsWith('PROPERTY_'))
      return (r.PROPERTY_VALUES as Record<string, unknown> | undefined)?.[field.slice(9)]
    return r[field]
  }
  const filter = ctx.params.get('FILTER')
  const sort = ctx.params.get('SORT')
  const order = parseOrder(isObject(sort) ? sort : { ID: 'ASC' })
  const page = runList({
    table,
    idField: 'ID',
    conditions: parseFilter(isObject(filter) ? (filter as JsonObject) : {}),
    order,
    start: ctx.params.start(),
    timeZone: ctx.portal.timeZone,
    get,
  })
  return { result: page.rows, total: page.total, ...(page.next !== undefined ? { next: page.next } : {}) }
})

define('entity.item.property.add', 'entity', (ctx) => {
  entityContext(ctx)
  const s = findStorage(ctx)
  need(ctx, s, 'X')
  const code = (ctx.params.string('PROPERTY') ?? '').trim()
  if (!code)
    throw new PortalRestError(400, 'ERROR_ARGUMENT', "Argument 'PROPERTY' is null or empty", { argument: 'PROPERTY' })
  if (/^\d/.test(code)) throw new PortalRestError(400, 'ERROR_ARGUMENT', 'Property code must not start with a digit')
  const type = (ctx.params.string('TYPE') ?? 'S').toUpperCase()
  if (type === 'L') throw new PortalRestError(400, 'ERROR_UNSUPPORTED_PROPERTY_TYPE', 'Unsupported property type')
  if (type !== 'S' && type !== 'N' && type !== 'F')
    throw new PortalRestError(400, 'ERROR_ARGUMENT', 'Wrong entity item property type')
  if (s.properties.some((p) => p.PROPERTY === code))
    throw new PortalRestError(400, 'ERROR_PROPERTY_ALREADY_EXISTS', 'Property already exists')
  s.properties.push({
    PROPERTY: code,
    NAME: ctx.params.string('NAME') ?? code,
    TYPE: type,
    SORT: ctx.params.string('SORT') ?? '100',
  })
  ctx.portal.store.save()
  return { result: true }
})

define('entity.item.property.get', 'entity', (ctx) => {
  entityContext(ctx)
  const s = findStorage(ctx)
  need(ctx, s, 'R')
  const code = ctx.params.string('PROPERTY')
  if (code) {
    const p = s.properties.find((x) => x.PROPERTY === code)
    if (!p) throw new PortalRestError(400, 'ERROR_PROPERTY_NOT_FOUND', 'Property not found')
    return { result: p }
  }
  return { result: s.properties }
})
