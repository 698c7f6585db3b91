/**
 * `select` of legacy list methods (crm-deal-list.md): `*` = all standard single-valued fields,
 * `UF_*` = all custom single-valued fields, names pick fields; default is `*` + `UF_*`.
 * Multiple user fields and fields such as BINDINGS come only when named. ID always comes back.
 */
import type { Json } from './params'

export interface SelectPlan {
  star: boolean
  ufStar: boolean
  named: string[]
}

export function selectPlan(select: Json | undefined): SelectPlan {
  const list = Array.isArray(select)
    ? select.map(String)
    : select !== null && typeof select === 'object'
      ? Object.values(select).map(String)
      : typeof select === 'string' && select !== ''
        ? [select]
        : []
  if (list.length === 0) return { star: true, ufStar: true, named: [] }
  return {
    star: list.includes('*'),
    ufStar: list.includes('UF_*'),
    named: list.filter((f) => f !== '*' && f !== 'UF_*'),
  }
}

export interface ProjectOptions {
  /** User fields with MULTIPLE = Y (not covered by UF_*). */
  multipleUf?: Set<string>
  /** Standard fields returned only when named. */
  namedOnly?: Set<string>
  idField?: string
}

export function project(row: object, plan: SelectPlan, opts: ProjectOptions = {}): Record<string, unknown> {
  const src = row as Record<string, unknown>
  const idField = opts.idField ?? 'ID'
  const out: Record<string, unknown> = {}
  if (!plan.star && !plan.ufStar) {
    if (idField in src) out[idField] = src[idField]
    for (const f of plan.named) if (f in src) out[f] = src[f]
    return out
  }
  const named = new Set(plan.named)
  for (const k in src) {
    const isUf = k.startsWith('UF_')
    const take = isUf
      ? (plan.ufStar && !opts.multipleUf?.has(k)) || named.has(k)
      : (plan.star && !opts.namedOnly?.has(k)) || named.has(k) || k === idField
    if (take) out[k] = src[k]
  }
  return out
}
