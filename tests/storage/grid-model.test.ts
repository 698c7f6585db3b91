import { describe, expect, it } from 'vitest'
import {
  applySaved,
  cellText,
  newGridState,
  pasteBlock,
  resolveConflict,
  setCell,
  type GridColumn,
  type GridRow,
} from '../../src/app/inputs/grid-model'
import { PLAN_FIELDS, budgetKey, planKey, BUDGET_FIELDS } from '../../src/b24/input-cells'
import { mergeRecord, type VersionedRecord } from '../../src/b24/input-merge'

const rows: GridRow[] = ['WEB', 'ADS'].map((id) => ({ id, label: id, keyFor: (m: string) => budgetKey(id, null, m) }))
const cols: GridColumn[] = ['2024-01', '2024-02'].map((month) => ({ month, field: 'amount' }))

describe('grid model', () => {
  it('pastes a spreadsheet block, keeps refused text with its reason, counts cells that fall outside', () => {
    const s = newGridState(BUDGET_FIELDS, new Map())
    const out = pasteBlock(
      s,
      rows,
      cols,
      0,
      0,
      [
        ['100', '1 200,5', '9'],
        ['-1', ''],
      ],
      'RUB',
    )
    expect(out).toEqual({ applied: 3, refused: 1, outside: 1 })
    expect(s.edits.get(budgetKey('WEB', null, '2024-02'))).toEqual({ amount: '1200.50', currency: 'RUB' })
    expect(cellText(s, budgetKey('ADS', null, '2024-01'), 'amount')).toBe('-1')
    expect(s.drafts.get(`${budgetKey('ADS', null, '2024-01')}#amount`)?.reason).toBe('must be 0 or more')
    expect(s.edits.has(budgetKey('ADS', null, '2024-02'))).toBe(false)
  })

  it('drops an edit that returns to the loaded value and turns a cleared cell into a delete', () => {
    const key = budgetKey('WEB', null, '2024-01')
    const base = new Map<string, VersionedRecord>([
      [key, { key, id: 5, version: 2, values: { amount: '10', currency: 'RUB' } }],
    ])
    const s = newGridState(BUDGET_FIELDS, base)
    setCell(s, key, 'amount', '11', 'USD')
    expect(s.edits.get(key)).toEqual({ amount: '11', currency: 'RUB' })
    setCell(s, key, 'amount', '10', 'USD')
    expect(s.edits.size).toBe(0)
    setCell(s, key, 'amount', '', 'RUB')
    expect(s.edits.get(key)).toBeNull()
  })

  it('resolves a conflict so the next merge writes the choice and keeps their untouched fields', () => {
    const key = planKey(3, '2024-01')
    const base: VersionedRecord = { key, id: 1, version: 1, values: { amount: '100', deals: '2', currency: 'RUB' } }
    const s = newGridState(PLAN_FIELDS, new Map([[key, base]]))
    setCell(s, key, 'amount', '150', 'RUB')
    const stored: VersionedRecord = { key, id: 1, version: 2, values: { amount: '120', deals: '3', currency: 'RUB' } }
    const out = mergeRecord(key, base, s.edits.get(key)!, stored)
    expect(out.kind).toBe('conflict')
    if (out.kind !== 'conflict') return
    resolveConflict(s, out.conflicts[0], 'mine', stored)
    expect(s.edits.get(key)).toEqual({ amount: '150', deals: '3', currency: 'RUB' })
    expect(mergeRecord(key, s.base.get(key)!, s.edits.get(key)!, stored)).toEqual({
      kind: 'write',
      key,
      values: { amount: '150', deals: '3', currency: 'RUB' },
    })

    const s2 = newGridState(PLAN_FIELDS, new Map([[key, base]]))
    setCell(s2, key, 'amount', '150', 'RUB')
    resolveConflict(s2, out.conflicts[0], 'theirs', stored)
    expect(s2.edits.size).toBe(0)
  })

  it('makes the fresh snapshot the base after a save', () => {
    const key = budgetKey('WEB', null, '2024-01')
    const s = newGridState(BUDGET_FIELDS, new Map())
    setCell(s, key, 'amount', '7', 'RUB')
    applySaved(s, new Map([[key, { key, id: 9, version: 1, values: { amount: '7', currency: 'RUB' } }]]), [key])
    expect(s.edits.size).toBe(0)
    expect(cellText(s, key, 'amount')).toBe('7')
  })

  it('keeping the stored value of a cell with rivals is still an edit, so the save settles them', () => {
    const key = budgetKey('WEB', null, '2024-01')
    const head: VersionedRecord = { key, id: 5, version: 1, values: { amount: '100', currency: 'RUB' } }
    const rival: VersionedRecord = { key, id: 6, version: 1, values: { amount: '250', currency: 'RUB' } }
    const stored: VersionedRecord = { ...head, itemIds: [5, 6], rivals: [rival] }
    const s = newGridState(BUDGET_FIELDS, new Map([[key, stored]]))
    resolveConflict(s, { key, field: 'amount', base: null, mine: '100', theirs: '250' }, 'mine', stored)
    expect(s.edits.get(key)).toEqual({ amount: '100', currency: 'RUB' })
    const settled = newGridState(BUDGET_FIELDS, new Map([[key, head]]))
    resolveConflict(settled, { key, field: 'amount', base: null, mine: '100', theirs: '250' }, 'mine', head)
    expect(settled.edits.has(key)).toBe(false)
  })
})
