/**
 * Manual inputs (ad budgets, manager plans) as storage records, and their validation.
 *
 * One record per cell key: a budget is (source, city, month), a plan is (manager, month).
 * Values stay as exact decimal strings ("1234.50") until they reach the report, so no
 * float rounding creeps in between the grid and app storage.
 */
import type { Budget, Plan } from '../engine/types'

export type InputKind = 'budget' | 'plan'

/** Field values of one record; null means "not set". */
export type RecordValues = Record<string, string | null>

export interface InputRecord {
  key: string
  values: RecordValues
}

export const BUDGET_FIELDS = ['amount', 'currency'] as const
export const PLAN_FIELDS = ['amount', 'deals', 'currency'] as const

export function budgetKey(sourceId: string, cityId: string | null, month: string): string {
  return ['budget', sourceId, cityId ?? '', month].map(encodeURIComponent).join('|')
}

export function planKey(userId: number, month: string): string {
  return ['plan', String(userId), month].map(encodeURIComponent).join('|')
}

export interface ParsedKey {
  kind: InputKind
  sourceId?: string
  cityId?: string | null
  userId?: number
  month: string
}

/** Inverse of budgetKey/planKey; null for anything else (never throws on foreign items). */
export function parseKey(key: string): ParsedKey | null {
  let parts: string[]
  try {
    parts = key.split('|').map(decodeURIComponent)
  } catch {
    return null
  }
  if (parts[0] === 'budget' && parts.length === 4 && parts[1] !== '' && isMonth(parts[3])) {
    return { kind: 'budget', sourceId: parts[1], cityId: parts[2] === '' ? null : parts[2], month: parts[3] }
  }
  if (parts[0] === 'plan' && parts.length === 3 && /^[1-9]\d*$/.test(parts[1]) && isMonth(parts[2])) {
    return { kind: 'plan', userId: Number(parts[1]), month: parts[2] }
  }
  return null
}

export function isMonth(s: string): boolean {
  const m = /^(\d{4})-(\d{2})$/.exec(s)
  if (!m) return false
  const year = Number(m[1])
  const month = Number(m[2])
  return year >= 2000 && year <= 2100 && month >= 1 && month <= 12
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string }

/**
 * Reads an amount typed or pasted by a person: "1 234,5", "1,234.50", "1234". Spaces
 * (also non-breaking, as spreadsheets copy them) group thousands; a lone comma is the
 * decimal separator (Russian/Ukrainian locales); with both, the comma groups thousands.
 * Empty text means "clear this cell" (value null).
 */
export function parseAmount(text: string): Parsed<string | null> {
  let s = text.replace(/[\s\u00a0\u202f]/g, '')
  if (s === '') return { ok: true, value: null }
  if (s.includes(',') && s.includes('.')) s = s.replace(/,/g, '')
  else if ((s.match(/,/g) ?? []).length === 1) s = s.replace(',', '.')
  if (/^-\d/.test(s)) return { ok: false, reason: 'must be 0 or more' }
  if (!/^\d+(\.\d+)?$/.test(s)) return { ok: false, reason: `"${text.trim()}" is not a number` }
  const [int, frac = ''] = s.split('.')
  if (frac.length > 2) return { ok: false, reason: 'at most two decimals' }
  const intPart = int.replace(/^0+(?=\d)/, '')
  if (intPart.length > 13) return { ok: false, reason: 'too large' }
  return { ok: true, value: frac ? `${intPart}.${frac.padEnd(2, '0')}` : intPart }
}

/** A count of deals: a whole number ≥ 0; empty clears. */
export function parseCount(text: string): Parsed<string | null> {
  const s = text.replace(/[\s\u00a0\u202f]/g, '')
  if (s === '') return { ok: true, value: null }
  if (/^-\d/.test(s)) return { ok: false, reason: 'must be 0 or more' }
  if (!/^\d+$/.test(s)) return { ok: false, reason: `"${text.trim()}" is not a whole number` }
  if (s.length > 9) return { ok: false, reason: 'too large' }
  return { ok: true, value: String(Number(s)) }
}

export interface CellError {
  key: string
  field: string
  reason: string
}

/**
 * Checks one record as it is about to be stored. Returns every problem with its field, so
 * the grid can mark exactly the bad cell; a record with problems is not written, the
 * others are.
 */
export function validateRecord(rec: InputRecord, currencies: ReadonlySet<string>): CellError[] {
  const errors: CellError[] = []
  const parsed = parseKey(rec.key)
  const bad = (field: string, reason: string) => errors.push({ key: rec.key, field, reason })
  if (!parsed) {
    bad('key', 'unknown cell (expected a source, a manager and a month YYYY-MM)')
    return errors
  }
  const v = rec.values
  if (v.amount !== null && v.amount !== undefined) {
    const a = parseAmount(v.amount)
    if (!a.ok) bad('amount', a.reason)
  }
  if (parsed.kind === 'plan' && v.deals !== null && v.deals !== undefined) {
    const d = parseCount(v.deals)
    if (!d.ok) bad('deals', d.reason)
  }
  const hasValue = v.amount != null || (parsed.kind === 'plan' && v.deals != null)
  if (hasValue && (v.currency == null || !currencies.has(v.currency))) {
    bad('currency', v.currency ? `unknown currency "${v.currency}"` : 'currency is missing')
  }
  return errors
}

/** True when a record holds nothing worth keeping (its storage item can be deleted). */
export function isEmptyRecord(values: RecordValues | null): boolean {
  if (!values) return true
  return (values.amount ?? null) === null && (values.deals ?? null) === null
}

/** Stored records → the report's Budget[] and Plan[]; foreign or broken items are skipped. */
export function recordsToInputs(records: InputRecord[]): { budgets: Budget[]; plans: Plan[] } {
  const budgets: Budget[] = []
  const plans: Plan[] = []
  for (const r of records) {
    const k = parseKey(r.key)
    if (!k || isEmptyRecord(r.values) || !r.values.currency) continue
    const amount = r.values.amount == null ? 0 : Number(r.values.amount)
    if (!Number.isFinite(amount) || amount < 0) continue
    if (k.kind === 'budget') {
      budgets.push({
        sourceId: k.sourceId!,
        cityId: k.cityId ?? null,
        month: k.month,
        amount,
        currency: r.values.currency,
      })
    } else {
      const deals = r.values.deals == null ? 0 : Number(r.values.deals)
      plans.push({
        userId: k.userId!,
        month: k.month,
        amount,
        currency: r.values.currency,
        deals: Number.isFinite(deals) ? deals : 0,
      })
    }
  }
  return { budgets, plans }
}
