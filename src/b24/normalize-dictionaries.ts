/**
 * Dictionaries: pipelines and their stages, lead statuses, sources, user-field enumerations,
 * users, departments, currencies.
 */
import type { CategoryRow, CurrencyRow, DepartmentRow, StatusRow, UserFieldRow, UserRow } from './wire'
import type { Currency, Department, LeadStatus, NamedItem, Pipeline, Semantic, Stage, User } from '../engine/types'
import type { ProblemLog } from './normalize-problems'
import { wireId, wireInt, wireNumber, wireText } from './wire-values'

/** crm.status.list SEMANTICS: null means "in progress"; EXTRA.SEMANTICS is the fallback. */
export function statusSemantic(row: StatusRow): Semantic {
  if (row.SEMANTICS === 'S' || row.SEMANTICS === 'F') return row.SEMANTICS
  const extra = row.EXTRA?.SEMANTICS
  if (extra === 'success') return 'S'
  if (extra === 'failure' || extra === 'apology') return 'F'
  return 'P'
}

/** DEAL_STAGE is the default pipeline (0); DEAL_STAGE_7 is pipeline 7; anything else is not a deal stage. */
export function dealStageCategory(entityId: string): number | null {
  if (entityId === 'DEAL_STAGE') return 0
  const m = /^DEAL_STAGE_(\d+)$/.exec(entityId)
  return m ? Number(m[1]) : null
}

const SEMANTIC_RANK: Record<Semantic, number> = { P: 0, S: 1, F: 2 }

/** metrics.md "Stage order": process stages by SORT, then success, then failure. */
export function funnelOrder<T extends { semantic: Semantic; sort: number; id: string }>(items: T[]): T[] {
  return [...items].sort(
    (a, b) =>
      SEMANTIC_RANK[a.semantic] - SEMANTIC_RANK[b.semantic] ||
      a.sort - b.sort ||
      (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  )
}

export function dealStages(statuses: StatusRow[], log: ProblemLog): Stage[] {
  const stages: Stage[] = []
  const seen = new Set<string>()
  for (const row of statuses) {
    const categoryId = dealStageCategory(String(row.ENTITY_ID ?? ''))
    if (categoryId === null) continue
    const id = wireText(row.STATUS_ID)
    if (id === null) {
      log.add('statuses', row.ID, 'missing id', `${row.ENTITY_ID} row without STATUS_ID`, true)
      continue
    }
    if (seen.has(id)) continue
    seen.add(id)
    stages.push({
      id,
      categoryId,
      name: wireText(row.NAME) ?? id,
      sort: wireInt(row.SORT) ?? 0,
      semantic: statusSemantic(row),
      color: wireText(row.COLOR),
    })
  }
  return stages
}

export function pipelines(categories: CategoryRow[], stages: Stage[]): Pipeline[] {
  const byId = new Map<number, Pipeline>()
  for (const c of categories) {
    const id = typeof c.id === 'number' ? c.id : wireInt(c.id)
    if (id === null || byId.has(id)) continue
    byId.set(id, {
      id,
      name: wireText(c.name) ?? `#${id}`,
      sort: typeof c.sort === 'number' ? c.sort : (wireInt(c.sort) ?? 0),
      stageIds: [],
    })
  }
  // A pipeline whose stages exist but whose category row is missing (no right to read it, or a
  // portal without crm.category.list) still gets a funnel.
  for (const s of stages) {
    if (!byId.has(s.categoryId))
      byId.set(s.categoryId, {
        id: s.categoryId,
        name: s.categoryId === 0 ? 'General' : `#${s.categoryId}`,
        sort: 0,
        stageIds: [],
      })
  }
  for (const p of byId.values()) p.stageIds = funnelOrder(stages.filter((s) => s.categoryId === p.id)).map((s) => s.id)
  return [...byId.values()].sort((a, b) => a.sort - b.sort || a.id - b.id)
}

export function leadStatuses(statuses: StatusRow[]): LeadStatus[] {
  const out = statuses
    .filter((r) => r.ENTITY_ID === 'STATUS' && wireText(r.STATUS_ID) !== null)
    .map((r) => ({
      id: wireText(r.STATUS_ID)!,
      name: wireText(r.NAME) ?? String(r.STATUS_ID),
      sort: wireInt(r.SORT) ?? 0,
      semantic: statusSemantic(r),
    }))
  return funnelOrder(out)
}

export function sources(statuses: StatusRow[]): NamedItem[] {
  return statuses
    .filter((r) => r.ENTITY_ID === 'SOURCE' && wireText(r.STATUS_ID) !== null)
    .sort((a, b) => (wireInt(a.SORT) ?? 0) - (wireInt(b.SORT) ?? 0))
    .map((r) => ({ id: wireText(r.STATUS_ID)!, name: wireText(r.NAME) ?? String(r.STATUS_ID) }))
}

/** Enumeration items of one user field, id → text (crm.deal.userfield.list LIST). */
export function enumItems(fields: UserFieldRow[], fieldName: string | null): NamedItem[] {
  if (!fieldName) return []
  const field = fields.find((f) => f.FIELD_NAME === fieldName)
  if (!field || !Array.isArray(field.LIST)) return []
  return field.LIST.filter((i) => wireText(i.ID) !== null).map((i) => ({
    id: wireText(i.ID)!,
    name: wireText(i.VALUE) ?? String(i.ID),
  }))
}

export function users(rows: UserRow[], log: ProblemLog): User[] {
  const out: User[] = []
  for (const r of rows) {
    const id = wireId(r.ID)
    if (id === null) {
      log.add('users', r.ID, 'missing id', `user without a valid ID (${String(r.ID)})`, true)
      continue
    }
    const name = [wireText(r.NAME), wireText(r.LAST_NAME)].filter(Boolean).join(' ')
    const deps = Array.isArray(r.UF_DEPARTMENT)
      ? r.UF_DEPARTMENT.map((d) => wireId(d)).filter((d): d is number => d !== null)
      : []
    out.push({
      id,
      name: name || `#${id}`,
      active: r.ACTIVE !== false && (r.ACTIVE as unknown) !== 'N',
      departmentIds: deps,
    })
  }
  return out
}

export function departments(rows: DepartmentRow[], log: ProblemLog): Department[] {
  const out: Department[] = []
  for (const r of rows) {
    const id = wireId(r.ID)
    if (id === null) {
      log.add('departments', r.ID, 'missing id', `department without a valid ID (${String(r.ID)})`, true)
      continue
    }
    out.push({ id, name: wireText(r.NAME) ?? `#${id}`, parentId: wireId(r.PARENT) })
  }
  return out
}

/** rate = AMOUNT / AMOUNT_CNT: units of base currency per one unit (crm.currency.list). */
export function currencies(rows: CurrencyRow[], log: ProblemLog): Currency[] {
  const out: Currency[] = []
  for (const r of rows) {
    const code = wireText(r.CURRENCY)
    const amount = wireNumber(r.AMOUNT)
    const count = wireNumber(r.AMOUNT_CNT) ?? 1
    if (code === null || amount === null || amount <= 0 || count <= 0) {
      log.add(
        'currencies',
        r.CURRENCY,
        'bad rate',
        `currency ${String(r.CURRENCY)}: AMOUNT=${String(r.AMOUNT)} AMOUNT_CNT=${String(r.AMOUNT_CNT)}`,
        true,
      )
      continue
    }
    out.push({ code, rate: amount / count, base: r.BASE === 'Y' })
  }
  return out
}
