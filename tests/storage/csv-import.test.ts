import { describe, expect, it } from 'vitest'
import { importBudgetsCsv, importPlansCsv, normalizeMonth, type ImportContext } from '../../src/app/inputs/csv-import'
import { detectDelimiter, parseDelimited } from '../../src/app/inputs/table-text'
import { budgetKey, planKey } from '../../src/b24/input-cells'

const ctx: ImportContext = {
  sources: [
    { id: 'WEB', name: 'Website' },
    { id: 'UC_1', name: 'Яндекс Директ' },
  ],
  cities: [{ id: 'msk', name: 'Москва' }],
  managers: [{ id: '3', name: 'Anna Petrova' }],
  currencies: new Set(['RUB', 'USD']),
  defaultCurrency: 'RUB',
}

describe('parseDelimited', () => {
  it('reads spreadsheet TSV with quoted multi-line cells and a trailing newline', () => {
    expect(parseDelimited('a\t"b\nc"\t"say ""hi"""\r\n1\t2\t3\n', '\t')).toEqual([
      ['a', 'b\nc', 'say "hi"'],
      ['1', '2', '3'],
    ])
  })

  it('keeps empty cells so columns stay aligned', () => {
    expect(parseDelimited('1,,3\n,,\n4,5,', ',')).toEqual([
      ['1', '', '3'],
      ['4', '5', ''],
    ])
  })

  it('guesses the delimiter from the header line', () => {
    expect(detectDelimiter('source;month;amount\nWEB;2024-01;5')).toBe(';')
    expect(detectDelimiter('\uFEFFsource,month,amount')).toBe(',')
    expect(detectDelimiter('a\tb')).toBe('\t')
  })
})

describe('normalizeMonth', () => {
  it('accepts common spellings and refuses impossible months', () => {
    expect(normalizeMonth('2024-3')).toBe('2024-03')
    expect(normalizeMonth('03.2024')).toBe('2024-03')
    expect(normalizeMonth('2024-13')).toBeNull()
    expect(normalizeMonth('March')).toBeNull()
  })
})

describe('importBudgetsCsv', () => {
  it('keeps good lines and reports bad ones by line number', () => {
    const csv = [
      'Source;City;Month;Amount;Currency',
      'Website;Москва;2024-01;1 500,50;',
      'UC_1;;2024-02;700;usd',
      'Radio;;2024-02;100;RUB',
      'WEB;;2024-02;-3;RUB',
      'WEB;Казань;2024-02;3;RUB',
      'WEB;;2024-02;3;EUR',
    ].join('\n')
    const out = importBudgetsCsv(csv, ctx)
    expect(out.records).toEqual([
      { key: budgetKey('WEB', 'msk', '2024-01'), values: { amount: '1500.50', currency: 'RUB' } },
      { key: budgetKey('UC_1', null, '2024-02'), values: { amount: '700', currency: 'USD' } },
    ])
    expect(out.errors).toEqual([
      { line: 4, reason: 'unknown source "Radio"' },
      { line: 5, reason: 'amount: must be 0 or more' },
      { line: 6, reason: 'unknown city "Казань"' },
      { line: 7, reason: 'unknown currency "EUR"' },
    ])
  })

  it('explains a missing column instead of guessing', () => {
    expect(importBudgetsCsv('source,amount\nWEB,5', ctx).errors).toEqual([
      { line: 1, reason: 'missing column(s): month' },
    ])
  })
})

describe('importPlansCsv', () => {
  it('resolves managers by name or id', () => {
    const out = importPlansCsv(
      'manager,month,amount,deals\nAnna Petrova,2024-05,100000,5\n3,2024-06,,2\nBob,2024-06,1,1',
      ctx,
    )
    expect(out.records).toEqual([
      { key: planKey(3, '2024-05'), values: { amount: '100000', deals: '5', currency: 'RUB' } },
      { key: planKey(3, '2024-06'), values: { amount: null, deals: '2', currency: 'RUB' } },
    ])
    expect(out.errors).toEqual([{ line: 4, reason: 'unknown manager "Bob"' }])
  })
})
