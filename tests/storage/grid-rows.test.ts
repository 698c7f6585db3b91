import { describe, expect, it } from 'vitest'
import { applyRecords, cellReason, isEdited, newGridState, setCell } from '../../src/app/inputs/grid-model'
import { budgetRowIdOf, budgetRows, describeKey, gridColumns, planRows } from '../../src/app/inputs/grid-rows'
import { BUDGET_FIELDS, PLAN_FIELDS, budgetKey, planKey } from '../../src/b24/input-cells'
import type { VersionedRecord } from '../../src/b24/input-merge'
import { DICT } from '../app/inputs-fixture'

function stored(pairs: [string, Record<string, string | null> | null][]): Map<string, VersionedRecord> {
  return new Map(pairs.map(([key, values], i) => [key, { key, id: i + 1, values, version: 1, itemIds: [i + 1] }]))
}

describe('grid rows and columns', () => {
  it('budget rows: every source for all cities, stored and edited combinations, added rows; by label', () => {
    const s = newGridState(
      BUDGET_FIELDS,
      stored([
        [budgetKey('ADS', 'msk', '2024-01'), { amount: '1', currency: 'RUB' }],
        // A cleared cell's empty marker does not bring its row back.
        [budgetKey('WEB', 'msk', '2024-01'), null],
      ]),
    )
    setCell(s, budgetKey('NEWS', null, '2024-02'), 'amount', '3', 'RUB')
    const rows = budgetRows(s, DICT, ['WEB|spb'], 'all cities')
    expect(rows.map((r) => [r.id, r.label])).toEqual([
      ['ADS|', 'Ads · all cities'],
      ['ADS|msk', 'Ads · Moscow'],
      ['NEWS|', 'NEWS · all cities'],
      ['WEB|', 'Website · all cities'],
      ['WEB|spb', 'Website · spb'],
    ])
    expect(rows[1].keyFor('2024-07')).toBe(budgetKey('ADS', 'msk', '2024-07'))
  })

  it('plan rows: every manager, then user ids only the storage knows', () => {
    const s = newGridState(
      PLAN_FIELDS,
      stored([[planKey(9, '2024-01'), { amount: '1', deals: null, currency: 'RUB' }]]),
    )
    expect(planRows(s, DICT).map((r) => [r.id, r.label])).toEqual([
      ['1', 'Anna'],
      ['2', 'Boris'],
      ['9', '9'],
    ])
    expect(planRows(s, DICT)[1].keyFor('2024-03')).toBe(planKey(2, '2024-03'))
  })

  it('columns: twelve months; plans have a sum and a deals column each', () => {
    expect(gridColumns('budget', 2025).map((c) => c.month)).toEqual(
      Array.from({ length: 12 }, (_, i) => `2025-${String(i + 1).padStart(2, '0')}`),
    )
    expect(gridColumns('plan', 2025).slice(0, 3)).toEqual([
      { month: '2025-01', field: 'amount' },
      { month: '2025-01', field: 'deals' },
      { month: '2025-02', field: 'amount' },
    ])
  })

  it('describes a key as a person reads it, and finds the budget row of a key', () => {
    expect(describeKey(budgetKey('WEB', 'msk', '2024-03'), DICT, 'all cities')).toBe('Website · Moscow 2024-03')
    expect(describeKey(planKey(2, '2024-03'), DICT, 'all cities')).toBe('Boris 2024-03')
    expect(describeKey('foreign', DICT, 'all cities')).toBe('foreign')
    expect(budgetRowIdOf(budgetKey('WEB', null, '2024-03'))).toBe('WEB|')
    expect(budgetRowIdOf(planKey(2, '2024-03'))).toBeNull()
  })
})

describe('grid model: imports, marks', () => {
  it('an imported record replaces the whole record; one equal to storage is no edit', () => {
    const jan = planKey(1, '2024-01')
    const feb = planKey(1, '2024-02')
    const s = newGridState(PLAN_FIELDS, stored([[jan, { amount: '5', deals: '1', currency: 'RUB' }]]))
    setCell(s, jan, 'amount', '6', 'RUB')
    applyRecords(s, [
      { key: jan, values: { amount: '5', deals: '1', currency: 'RUB' } },
      { key: feb, values: { amount: '7', currency: 'USD' } },
    ])
    expect(s.edits.has(jan)).toBe(false)
    expect(s.edits.get(feb)).toEqual({ amount: '7', deals: null, currency: 'USD' })
    expect(isEdited(s, feb, 'amount')).toBe(true)
    expect(isEdited(s, feb, 'deals')).toBe(false)
  })

  it("a cell's reason: its refused text first, else the last save's for the field or the currency", () => {
    const key = budgetKey('WEB', null, '2024-01')
    const s = newGridState(BUDGET_FIELDS, new Map())
    const last = [{ key, field: 'currency', reason: 'currency is missing' }]
    expect(cellReason(s, key, 'amount')).toBeNull()
    expect(cellReason(s, key, 'amount', last)).toBe('currency is missing')
    setCell(s, key, 'amount', '-1', 'RUB')
    expect(cellReason(s, key, 'amount', last)).toBe('must be 0 or more')
    expect(cellReason(s, budgetKey('ADS', null, '2024-01'), 'amount', last)).toBeNull()
  })
})
