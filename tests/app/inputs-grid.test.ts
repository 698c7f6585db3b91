// @vitest-environment jsdom
/**
 * The editor's parts on their own: the grid shows the state it is given (text, edited and refused
 * marks, the last save's refusals, currency on hover) and only reports what the admin does; the
 * row adder builds the row id. tests/app/inputs-editor.test.ts covers them put together.
 */
import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import InputsGrid from '../../src/app/inputs/InputsGrid.vue'
import BudgetRowAdder from '../../src/app/inputs/BudgetRowAdder.vue'
import { newGridState, setCell, type GridState } from '../../src/app/inputs/grid-model'
import { budgetRows, gridColumns } from '../../src/app/inputs/grid-rows'
import { BUDGET_FIELDS, budgetKey, type CellError } from '../../src/b24/input-cells'
import type { VersionedRecord } from '../../src/b24/input-merge'
import { DICT } from './inputs-fixture'

const web = (month: string) => budgetKey('WEB', null, month)

function grid(state: GridState, props: { canEdit?: boolean; invalid?: CellError[]; lang?: 'en' | 'ru' } = {}) {
  return mount(InputsGrid, {
    props: {
      kind: 'budget' as const,
      rows: budgetRows(state, DICT, [], 'all cities'),
      columns: gridColumns('budget', 2024),
      state,
      version: 0,
      canEdit: props.canEdit ?? true,
      invalid: props.invalid,
      lang: props.lang,
    },
  })
}

function stored(pairs: [string, Record<string, string | null>][]): Map<string, VersionedRecord> {
  return new Map(pairs.map(([key, values], i) => [key, { key, id: i + 1, values, version: 1, itemIds: [i + 1] }]))
}

function pasteEvent(text: string): Event {
  const ev = new Event('paste', { bubbles: true, cancelable: true }) as Event & { clipboardData: unknown }
  ev.clipboardData = { getData: () => text }
  return ev
}

describe('InputsGrid', () => {
  it('shows stored and edited values, marks edits and refused text, and the currency on hover', () => {
    const s = newGridState(BUDGET_FIELDS, stored([[web('2024-01'), { amount: '10', currency: 'USD' }]]))
    setCell(s, web('2024-02'), 'amount', '20', 'RUB')
    setCell(s, web('2024-03'), 'amount', 'abc', 'RUB')
    const w = grid(s, { lang: 'ru' })
    const input = (key: string) => w.find(`input[data-cell="${key}#amount"]`)
    expect((input(web('2024-01')).element as HTMLInputElement).value).toBe('10')
    expect(input(web('2024-01')).attributes('title')).toBe('USD')
    expect(input(web('2024-01')).classes()).not.toContain('fi-cell--edited')
    expect(input(web('2024-02')).classes()).toContain('fi-cell--edited')
    expect((input(web('2024-03')).element as HTMLInputElement).value).toBe('abc')
    expect(input(web('2024-03')).attributes('aria-invalid')).toBe('true')
    expect(input(web('2024-03')).attributes('title')).toBe('«abc» — не число')
    expect(w.findAll('input[aria-invalid]')).toHaveLength(1)
  })

  it("marks the cells the last save refused, a refused currency on the record's amount", () => {
    const s = newGridState(BUDGET_FIELDS, new Map())
    const w = grid(s, { invalid: [{ key: web('2024-05'), field: 'currency', reason: 'unknown currency "XXX"' }] })
    const bad = w.find(`input[data-cell="${web('2024-05')}#amount"]`)
    expect(bad.attributes('aria-invalid')).toBe('true')
    expect(bad.attributes('title')).toBe('unknown currency "XXX"')
  })

  it('re-reads the state when the version changes', async () => {
    const s = newGridState(BUDGET_FIELDS, new Map())
    const w = grid(s)
    setCell(s, web('2024-04'), 'amount', '7', 'RUB')
    await w.setProps({ version: 1 })
    expect((w.find(`input[data-cell="${web('2024-04')}#amount"]`).element as HTMLInputElement).value).toBe('7')
  })

  it('reports a changed cell and a pasted block by position; a single pasted value stays with the input', async () => {
    const w = grid(newGridState(BUDGET_FIELDS, new Map()))
    const cell = w.find(`input[data-cell="${web('2024-02')}#amount"]`)
    ;(cell.element as HTMLInputElement).value = '5'
    await cell.trigger('change')
    expect(w.emitted('edit')).toEqual([[web('2024-02'), 'amount', '5']])
    const single = pasteEvent('42')
    cell.element.dispatchEvent(single)
    expect(single.defaultPrevented).toBe(false)
    const block = pasteEvent('1\t2\n3\t4')
    cell.element.dispatchEvent(block)
    expect(block.defaultPrevented).toBe(true)
    // Rows sort by label: Ads (0), Website (1); February is column 1.
    expect(w.emitted('paste-block')).toEqual([[1, 1, '1\t2\n3\t4']])
  })

  it('read-only: inputs are readonly and nothing is reported', async () => {
    const w = grid(newGridState(BUDGET_FIELDS, new Map()), { canEdit: false })
    const cell = w.find(`input[data-cell="${web('2024-02')}#amount"]`)
    expect(cell.attributes('readonly')).toBeDefined()
    await cell.trigger('change')
    const block = pasteEvent('1\t2')
    cell.element.dispatchEvent(block)
    expect(block.defaultPrevented).toBe(false)
    expect(w.emitted('edit')).toBeUndefined()
    expect(w.emitted('paste-block')).toBeUndefined()
  })
})

describe('BudgetRowAdder', () => {
  it('adds "source|city", "source|" for all cities, nothing without a source', async () => {
    const w = mount(BudgetRowAdder, { props: { dict: DICT } })
    const [source, city] = w.findAll('select')
    expect(source.findAll('option').map((o) => o.text())).toEqual(['Source…', 'Website', 'Ads'])
    await w.find('button').trigger('click')
    expect(w.emitted('add')).toBeUndefined()
    await source.setValue('WEB')
    await w.find('button').trigger('click')
    await city.setValue('msk')
    await w.find('button').trigger('click')
    expect(w.emitted('add')).toEqual([['WEB|'], ['WEB|msk']])
  })
})
