/**
 * CSV import of budgets and plans. A bad line is reported with its number and reason and
 * skipped; every good line is kept (the brief's "bad input loses nothing").
 *
 * Budgets: columns source, city, month, amount[, currency]  (city empty = all cities)
 * Plans:   columns manager, month, amount, deals[, currency]
 * Sources, cities and managers may be given by id or by name (case-insensitive).
 */
import { budgetKey, isMonth, parseAmount, parseCount, planKey, type InputRecord } from '../../b24/input-cells'
import { detectDelimiter, parseDelimited } from './table-text'

export interface Named {
  id: string
  name: string
}

export interface ImportContext {
  sources: Named[]
  cities: Named[]
  managers: Named[]
  currencies: ReadonlySet<string>
  defaultCurrency: string
}

export interface ImportResult {
  records: InputRecord[]
  errors: { line: number; reason: string }[]
}

const ALIASES: Record<string, string[]> = {
  source: ['source', 'source_id', 'channel', 'источник', 'джерело'],
  city: ['city', 'city_id', 'город', 'місто'],
  month: ['month', 'месяц', 'місяць'],
  amount: ['amount', 'budget', 'spend', 'sum', 'plan', 'сумма', 'бюджет', 'сума'],
  currency: ['currency', 'валюта'],
  manager: ['manager', 'user', 'user_id', 'менеджер'],
  deals: ['deals', 'deal_count', 'сделки', 'угоди'],
}

function columnIndex(header: string[], name: string): number {
  const names = ALIASES[name]
  return header.findIndex((h) => names.includes(h.trim().toLowerCase()))
}

function resolve(list: Named[], text: string): string | null {
  const t = text.trim()
  if (t === '') return null
  const byId = list.find((x) => x.id === t)
  if (byId) return byId.id
  const byName = list.filter((x) => x.name.trim().toLowerCase() === t.toLowerCase())
  return byName.length === 1 ? byName[0].id : null
}

/** "2024-03", "2024-3", "03.2024", "3/2024" → "2024-03"; null when not a month. */
export function normalizeMonth(text: string): string | null {
  const t = text.trim()
  let m = /^(\d{4})-(\d{1,2})$/.exec(t)
  let out: string | null = null
  if (m) out = `${m[1]}-${m[2].padStart(2, '0')}`
  m = /^(\d{1,2})[./](\d{4})$/.exec(t)
  if (m) out = `${m[2]}-${m[1].padStart(2, '0')}`
  return out && isMonth(out) ? out : null
}

function rowsOf(text: string): { header: string[]; rows: string[][] } {
  const all = parseDelimited(text, detectDelimiter(text))
  return { header: all[0] ?? [], rows: all.slice(1) }
}

function currencyOf(cell: string | undefined, ctx: ImportContext): string | { reason: string } {
  const c = (cell ?? '').trim().toUpperCase() || ctx.defaultCurrency
  return ctx.currencies.has(c) ? c : { reason: `unknown currency "${c}"` }
}

export function importBudgetsCsv(text: string, ctx: ImportContext): ImportResult {
  const { header, rows } = rowsOf(text)
  const col = Object.fromEntries(
    ['source', 'city', 'month', 'amount', 'currency'].map((n) => [n, columnIndex(header, n)]),
  )
  const missing = ['source', 'month', 'amount'].filter((n) => col[n] < 0)
  if (missing.length) return { records: [], errors: [{ line: 1, reason: `missing column(s): ${missing.join(', ')}` }] }
  const out: ImportResult = { records: [], errors: [] }
  rows.forEach((r, i) => {
    const line = i + 2
    const fail = (reason: string) => out.errors.push({ line, reason })
    const source = resolve(ctx.sources, r[col.source] ?? '')
    if (!source) return fail(`unknown source "${(r[col.source] ?? '').trim()}"`)
    const cityText = col.city >= 0 ? (r[col.city] ?? '').trim() : ''
    const city = cityText === '' ? null : resolve(ctx.cities, cityText)
    if (cityText !== '' && !city) return fail(`unknown city "${cityText}"`)
    const month = normalizeMonth(r[col.month] ?? '')
    if (!month) return fail(`"${(r[col.month] ?? '').trim()}" is not a month (YYYY-MM)`)
    const amount = parseAmount(r[col.amount] ?? '')
    if (!amount.ok) return fail(`amount: ${amount.reason}`)
    const currency = currencyOf(col.currency >= 0 ? r[col.currency] : undefined, ctx)
    if (typeof currency !== 'string') return fail(currency.reason)
    out.records.push({ key: budgetKey(source, city, month), values: { amount: amount.value, currency } })
  })
  return out
}

export function importPlansCsv(text: string, ctx: ImportContext): ImportResult {
  const { header, rows } = rowsOf(text)
  const col = Object.fromEntries(
    ['manager', 'month', 'amount', 'deals', 'currency'].map((n) => [n, columnIndex(header, n)]),
  )
  const missing = ['manager', 'month'].filter((n) => col[n] < 0)
  if (col.amount < 0 && col.deals < 0) missing.push('amount or deals')
  if (missing.length) return { records: [], errors: [{ line: 1, reason: `missing column(s): ${missing.join(', ')}` }] }
  const out: ImportResult = { records: [], errors: [] }
  rows.forEach((r, i) => {
    const line = i + 2
    const fail = (reason: string) => out.errors.push({ line, reason })
    const manager = resolve(ctx.managers, r[col.manager] ?? '')
    if (!manager || !/^[1-9]\d*$/.test(manager)) return fail(`unknown manager "${(r[col.manager] ?? '').trim()}"`)
    const month = normalizeMonth(r[col.month] ?? '')
    if (!month) return fail(`"${(r[col.month] ?? '').trim()}" is not a month (YYYY-MM)`)
    const amount = parseAmount(col.amount >= 0 ? (r[col.amount] ?? '') : '')
    if (!amount.ok) return fail(`amount: ${amount.reason}`)
    const deals = parseCount(col.deals >= 0 ? (r[col.deals] ?? '') : '')
    if (!deals.ok) return fail(`deals: ${deals.reason}`)
    const currency = currencyOf(col.currency >= 0 ? r[col.currency] : undefined, ctx)
    if (typeof currency !== 'string') return fail(currency.reason)
    out.records.push({
      key: planKey(Number(manager), month),
      values: { amount: amount.value, deals: deals.value, currency },
    })
  })
  return out
}
