import { describe, expect, it } from 'vitest'
import {
  budgetKey,
  parseAmount,
  parseCount,
  parseKey,
  planKey,
  recordsToInputs,
  validateRecord,
} from '../../src/b24/input-cells'

const currencies = new Set(['RUB', 'USD'])

describe('parseAmount', () => {
  it.each([
    ['1234', '1234'],
    ['1 234,5', '1234.50'],
    ['1\u00a0234,56', '1234.56'],
    ['1,234.56', '1234.56'],
    ['007.1', '7.10'],
    ['0', '0'],
  ])('reads %j as %j', (text, value) => {
    expect(parseAmount(text)).toEqual({ ok: true, value })
  })

  it('treats empty text as clearing the cell', () => {
    expect(parseAmount('  ')).toEqual({ ok: true, value: null })
  })

  it.each([
    ['-5', 'must be 0 or more'],
    ['12.345', 'at most two decimals'],
    ['abc', '"abc" is not a number'],
    ['1e5', '"1e5" is not a number'],
  ])('rejects %j: %s', (text, reason) => {
    expect(parseAmount(text)).toEqual({ ok: false, reason })
  })
})

describe('parseCount', () => {
  it('accepts whole numbers and rejects fractions and negatives', () => {
    expect(parseCount('12')).toEqual({ ok: true, value: '12' })
    expect(parseCount('1.5').ok).toBe(false)
    expect(parseCount('-1')).toEqual({ ok: false, reason: 'must be 0 or more' })
  })
})

describe('cell keys', () => {
  it('round-trip sources and cities with separators in them', () => {
    const k = budgetKey('UC_A|B', 'Санкт-Петербург', '2024-03')
    expect(parseKey(k)).toEqual({ kind: 'budget', sourceId: 'UC_A|B', cityId: 'Санкт-Петербург', month: '2024-03' })
    expect(parseKey(budgetKey('WEB', null, '2024-12'))).toEqual({
      kind: 'budget',
      sourceId: 'WEB',
      cityId: null,
      month: '2024-12',
    })
    expect(parseKey(planKey(7, '2025-01'))).toEqual({ kind: 'plan', userId: 7, month: '2025-01' })
  })

  it('refuse months that do not exist and foreign names', () => {
    expect(parseKey(budgetKey('WEB', null, '2024-13'))).toBeNull()
    expect(parseKey('plan|0|2024-01')).toBeNull()
    expect(parseKey('hello')).toBeNull()
  })
})

describe('validateRecord', () => {
  it('marks each bad field with its reason', () => {
    const errs = validateRecord(
      { key: planKey(3, '2024-02'), values: { amount: '-1', deals: '2.5', currency: 'EUR' } },
      currencies,
    )
    expect(errs.map((e) => [e.field, e.reason])).toEqual([
      ['amount', 'must be 0 or more'],
      ['deals', '"2.5" is not a whole number'],
      ['currency', 'unknown currency "EUR"'],
    ])
  })

  it('accepts a valid budget and a cleared cell without currency', () => {
    expect(
      validateRecord(
        { key: budgetKey('WEB', null, '2024-02'), values: { amount: '10.50', currency: 'RUB' } },
        currencies,
      ),
    ).toEqual([])
    expect(
      validateRecord({ key: budgetKey('WEB', null, '2024-02'), values: { amount: null, currency: null } }, currencies),
    ).toEqual([])
  })

  it('refuses a month that is not real', () => {
    const errs = validateRecord({ key: 'budget|WEB||2024-00', values: { amount: '1', currency: 'RUB' } }, currencies)
    expect(errs[0].field).toBe('key')
  })
})

describe('recordsToInputs', () => {
  it('builds budgets and plans and skips empty or foreign records', () => {
    const out = recordsToInputs([
      { key: budgetKey('WEB', 'msk', '2024-01'), values: { amount: '1000.50', currency: 'RUB' } },
      { key: budgetKey('ADS', null, '2024-01'), values: { amount: null, currency: 'RUB' } },
      { key: planKey(5, '2024-01'), values: { amount: '50000', deals: '4', currency: 'USD' } },
      { key: 'something-else', values: { amount: '1', currency: 'RUB' } },
    ])
    expect(out.budgets).toEqual([{ sourceId: 'WEB', cityId: 'msk', month: '2024-01', amount: 1000.5, currency: 'RUB' }])
    expect(out.plans).toEqual([{ userId: 5, month: '2024-01', amount: 50000, currency: 'USD', deals: 4 }])
  })
})
