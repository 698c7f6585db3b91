/**
 * The report as one flat table for CSV: every figure becomes a row
 * (section, pipeline, stage, key, name, measure, value).
 *
 * The walk is generic over the report's JSON so that a new engine field shows up in the CSV
 * without touching this file:
 * - an object with a numeric `categoryId` fills the `pipeline` column;
 * - a record keyed by stage id (`stages`, churn `cohort`/`flow`) fills `stage`;
 * - list items and other keyed records add their identity (`key`, `managerId`, `cityId`,
 *   `sourceId`, `month`, `from>to`, …) to `key`, joined by "/" when nested (split key / reason);
 * - the remaining field names, joined by ".", form `measure` (e.g. `splits.city.stats.median`);
 * - a list of numbers (chart series) gives one row per bucket, keyed by the bucket's label.
 * Text labels (`name`, `order`, ids already in a column) are not repeated as measures.
 *
 * Significance rides along instead of becoming rows: a row's `changes` record (engine
 * changes.ts, keyed by field path) and a KPI's own `significant`/`p`/`smallSample` mark the
 * figure they belong to (`FlatRow.change`).
 */

export type FlatValue = number | string | boolean | null

/** The significance of a figure's change (engine significance.ts); absent when none was attached. */
export interface FlatChange {
  significant: boolean | null
  p: number | null
  smallSample: boolean
}

export interface FlatRow {
  section: string
  pipeline: string
  stage: string
  key: string
  name: string
  measure: string
  value: FlatValue
  change?: FlatChange
}

interface Ctx {
  section: string
  pipeline: string
  stage: string
  keys: string[]
  name: string
  measure: string[]
  /** Chart bucket labels: a value list of a series is keyed by its bucket's label. */
  labels: string[] | null
  /** Changes still to place, keyed by field path relative to the value being walked. */
  pending: Map<string, Obj>
  /** The change of the figure being walked (when it is a number). */
  change: Obj | null
}

type Obj = Record<string, unknown>

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v)

/** Fields that only label a row (they are in the pipeline/stage/key/name columns already). */
const LABEL_FIELDS = new Set([
  'name',
  'key',
  'categoryId',
  'order',
  'managerId',
  'cityId',
  'sourceId',
  'userId',
  'stageId',
])

/** Fields whose object value is a record keyed by ids (stage ids, reason ids), not by field names. */
const KEYED_FIELDS = new Set(['stages', 'reasons'])

/** Identity of a list item: the first id-like field present. */
function identity(el: Obj, index: number): string {
  for (const f of ['key', 'managerId', 'cityId', 'sourceId', 'userId', 'id']) {
    const v = el[f]
    if (typeof v === 'string' || typeof v === 'number') return typeof el.day === 'string' ? `${v}/${el.day}` : String(v)
  }
  if (typeof el.from === 'string' && typeof el.to === 'string') return `${el.from}>${el.to}`
  if (typeof el.month === 'string') return el.month
  if (typeof el.name === 'string') return el.name
  return String(index)
}

/** A record whose every value is a named object (e.g. churn rows keyed by stage). */
function isNamedRecord(o: Obj): boolean {
  const vals = Object.values(o)
  return vals.length > 0 && vals.every((v) => isObj(v) && typeof v.name === 'string')
}

function flatChange(c: Obj | null): FlatChange | undefined {
  if (!c || !('significant' in c)) return undefined
  return {
    significant: typeof c.significant === 'boolean' ? c.significant : null,
    p: typeof c.p === 'number' ? c.p : null,
    smallSample: c.smallSample === true,
  }
}

/** Changes an object carries for its own fields: its `changes` record, or itself when it is a KPI. */
function ownChanges(o: Obj, inherited: Map<string, Obj>): Map<string, Obj> {
  const out = new Map(inherited)
  if (isObj(o.changes)) for (const [path, c] of Object.entries(o.changes)) if (isObj(c)) out.set(path, c)
  if ('significant' in o && 'value' in o && 'previous' in o) out.set('value', o)
  return out
}

/** The part of `pending` below field f, and f's own change. */
function descend(pending: Map<string, Obj>, f: string): { pending: Map<string, Obj>; change: Obj | null } {
  const below = new Map<string, Obj>()
  let change: Obj | null = null
  for (const [path, c] of pending) {
    if (path === f) change = c
    else if (path.startsWith(`${f}.`)) below.set(path.slice(f.length + 1), c)
  }
  return { pending: below, change }
}

const NONE = new Map<string, Obj>()

export function flattenSection(section: string, value: unknown, stageIds: ReadonlySet<string>): FlatRow[] {
  const out: FlatRow[] = []
  const emit = (ctx: Ctx, v: FlatValue) => {
    const change = typeof v === 'number' ? flatChange(ctx.change) : undefined
    out.push({
      section: ctx.section,
      pipeline: ctx.pipeline,
      stage: ctx.stage,
      key: ctx.keys.join('/'),
      name: ctx.name,
      measure: ctx.measure.join('.'),
      value: v,
      ...(change ? { change } : {}),
    })
  }
  const enterKeyed = (ctx: Ctx, k: string): Ctx =>
    stageIds.has(k) && ctx.stage === '' ? { ...ctx, stage: k } : { ...ctx, keys: [...ctx.keys, k] }

  const walkObject = (o: Obj, ctx0: Ctx): void => {
    let ctx = ctx0
    if (typeof o.categoryId === 'number') ctx = { ...ctx, pipeline: String(o.categoryId) }
    if (typeof o.name === 'string') ctx = { ...ctx, name: o.name }
    if (Array.isArray(o.labels) && o.labels.every((l) => typeof l === 'string' || l === null))
      ctx = { ...ctx, labels: o.labels as string[] }
    const pending = ownChanges(o, ctx.pending)
    for (const [f, v] of Object.entries(o)) {
      if (LABEL_FIELDS.has(f) || f === 'changes') continue
      if (isObj(v) && (KEYED_FIELDS.has(f) || isNamedRecord(v))) {
        const measure = [...ctx.measure, ...(KEYED_FIELDS.has(f) ? [] : [f])]
        for (const [k, item] of Object.entries(v))
          walk(item, enterKeyed({ ...ctx, measure, pending: NONE, change: null }, k))
        continue
      }
      walk(v, { ...ctx, measure: [...ctx.measure, f], ...descend(pending, f) })
    }
  }

  const walkArray = (a: unknown[], ctx0: Ctx): void => {
    const ctx = { ...ctx0, pending: NONE, change: null }
    if (a.every((x) => typeof x === 'string')) {
      emit(ctx, a.join(' '))
      return
    }
    a.forEach((el, i) => {
      if (isObj(el)) {
        const isPipeline = typeof el.categoryId === 'number' && ctx.pipeline === ''
        walk(el, isPipeline ? ctx : { ...ctx, keys: [...ctx.keys, identity(el, i)] })
      } else {
        walk(el, { ...ctx, keys: [...ctx.keys, ctx.labels?.[i] ?? String(i)] })
      }
    })
  }

  function walk(v: unknown, ctx: Ctx): void {
    if (Array.isArray(v)) walkArray(v, ctx)
    else if (isObj(v)) walkObject(v, ctx)
    else if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean' || v === null) emit(ctx, v)
  }

  walk(value, {
    section,
    pipeline: '',
    stage: '',
    keys: [],
    name: '',
    measure: [],
    labels: null,
    pending: NONE,
    change: null,
  })
  return out
}

/** Identity of a figure, for matching the comparison period's row to the current one. */
export function rowId(r: FlatRow): string {
  return [r.section, r.pipeline, r.stage, r.key, r.measure].join('\u0001')
}
