/**
 * `--inputs FILE`: ad budgets and manager plans for the command line.
 *
 * In the app they live in the portal's app storage (entity.item.*), which answers only in an
 * app's context; an inbound webhook has none, so the CLI reads them from a JSON file instead:
 *   { "budgets": [{ "sourceId": "ADS", "cityId": null, "month": "2024-03", "amount": 1200, "currency": "RUB" }],
 *     "plans":   [{ "userId": 7, "month": "2024-03", "amount": 500000, "deals": 10, "currency": "RUB" }] }
 * `cityId` and `currency` may be left out (all cities; the report currency), `deals` too (0).
 */
import { readFileSync } from 'node:fs'
import { isMonth } from '../b24/input-cells'
import type { Budget, Plan } from '../engine/types'
import { UsageError } from './args'

export interface ManualInputs {
  budgets: Budget[]
  plans: Plan[]
}

type Obj = Record<string, unknown>

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function list(root: Obj, key: string, file: string): Obj[] {
  const v = root[key]
  if (v === undefined) return []
  if (!Array.isArray(v)) throw new UsageError(`${file}: "${key}" must be a list`)
  return v.map((row, i) => {
    if (!isObj(row)) throw new UsageError(`${file}: ${key}[${i}] must be an object`)
    return row
  })
}

function amount(row: Obj, field: string, where: string, integer = false): number {
  const raw = row[field]
  const n = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw
  if (typeof n !== 'number' || !Number.isFinite(n) || n < 0 || (integer && !Number.isInteger(n))) {
    throw new UsageError(
      `${where}.${field} must be a non-negative ${integer ? 'whole ' : ''}number; got ${JSON.stringify(raw)}`,
    )
  }
  return n
}

function month(row: Obj, where: string): string {
  const m = row.month
  if (typeof m !== 'string' || !isMonth(m))
    throw new UsageError(`${where}.month must be "YYYY-MM"; got ${JSON.stringify(m)}`)
  return m
}

function currency(row: Obj, where: string, fallback: string): string {
  const c = row.currency
  if (c === undefined || c === null || c === '') return fallback
  if (typeof c !== 'string' || !/^[A-Z]{3}$/.test(c))
    throw new UsageError(`${where}.currency must be a code like RUB; got ${JSON.stringify(c)}`)
  return c
}

export function parseInputs(text: string, file: string, reportCurrency: string): ManualInputs {
  let root: unknown
  try {
    root = JSON.parse(text)
  } catch (err) {
    throw new UsageError(`${file} is not valid JSON: ${(err as Error).message.split('\n')[0]}`)
  }
  if (!isObj(root)) throw new UsageError(`${file} must hold an object with "budgets" and/or "plans"`)
  const budgets = list(root, 'budgets', file).map((row, i): Budget => {
    const where = `${file}: budgets[${i}]`
    const src = row.sourceId
    if (typeof src !== 'string' || src === '')
      throw new UsageError(`${where}.sourceId must be a source id such as "ADS"`)
    const city = row.cityId
    if (city !== undefined && city !== null && typeof city !== 'string')
      throw new UsageError(`${where}.cityId must be a string or null`)
    return {
      sourceId: src,
      cityId: city ?? null,
      month: month(row, where),
      amount: amount(row, 'amount', where),
      currency: currency(row, where, reportCurrency),
    }
  })
  const plans = list(root, 'plans', file).map((row, i): Plan => {
    const where = `${file}: plans[${i}]`
    const user = typeof row.userId === 'string' ? Number(row.userId) : row.userId
    if (typeof user !== 'number' || !Number.isInteger(user) || user <= 0)
      throw new UsageError(`${where}.userId must be a user id (a positive whole number)`)
    return {
      userId: user,
      month: month(row, where),
      amount: amount(row, 'amount', where),
      deals: row.deals === undefined ? 0 : amount(row, 'deals', where, true),
      currency: currency(row, where, reportCurrency),
    }
  })
  return { budgets, plans }
}

export function readInputs(path: string, reportCurrency: string): ManualInputs {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (err) {
    throw new UsageError(
      `cannot read --inputs ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    )
  }
  return parseInputs(text, path, reportCurrency)
}
