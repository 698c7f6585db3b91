import { describe, expect, it } from 'vitest'
import { mergeEdits, mergeRecord, type VersionedRecord } from '../../src/b24/input-merge'

const rec = (version: number, amount: string | null, currency = 'RUB', id = 1): VersionedRecord => ({
  key: 'k',
  id,
  version,
  values: { amount, currency },
})

describe('mergeRecord', () => {
  it('writes when nobody else touched the record', () => {
    expect(mergeRecord('k', rec(1, '10'), { amount: '20', currency: 'RUB' }, rec(1, '10'))).toEqual({
      kind: 'write',
      key: 'k',
      values: { amount: '20', currency: 'RUB' },
    })
  })

  it('writes a new record when the key still has no item', () => {
    expect(mergeRecord('k', null, { amount: '5', currency: 'RUB' }, null).kind).toBe('write')
  })

  it('keeps their change to a field the admin did not touch', () => {
    const out = mergeRecord('k', rec(1, '10', 'RUB'), { amount: '20', currency: 'RUB' }, rec(2, '10', 'USD'))
    expect(out).toEqual({ kind: 'write', key: 'k', values: { amount: '20', currency: 'USD' } })
  })

  it('reports a conflict when both changed the same field differently', () => {
    const out = mergeRecord('k', rec(1, '10'), { amount: '20', currency: 'RUB' }, rec(2, '30'))
    expect(out).toEqual({
      kind: 'conflict',
      key: 'k',
      conflicts: [{ key: 'k', field: 'amount', base: '10', mine: '20', theirs: '30' }],
    })
  })

  it('sees no conflict when both typed the same value', () => {
    expect(mergeRecord('k', rec(1, '10'), { amount: '30', currency: 'RUB' }, rec(2, '30'))).toEqual({
      kind: 'same',
      key: 'k',
    })
  })

  it('treats a record created meanwhile by someone else as theirs', () => {
    const out = mergeRecord('k', null, { amount: '7', currency: 'RUB' }, rec(1, '9'))
    expect(out.kind).toBe('conflict')
  })

  it('conflicts when the admin edits a record someone else deleted', () => {
    const out = mergeRecord('k', rec(1, '10'), { amount: '11', currency: 'RUB' }, null)
    expect(out).toMatchObject({ kind: 'conflict', conflicts: [{ field: 'amount', mine: '11', theirs: null }] })
  })

  it('deletes when the admin cleared a record nobody else changed', () => {
    expect(mergeRecord('k', rec(3, '10'), null, rec(3, '10'))).toEqual({ kind: 'write', key: 'k', values: null })
  })
})

describe('mergeEdits', () => {
  it('merges only the keys the admin edited', () => {
    const base = new Map([
      ['a', { ...rec(1, '1'), key: 'a' }],
      ['b', { ...rec(1, '2'), key: 'b', id: 2 }],
    ])
    const theirs = new Map([
      ['a', { ...rec(2, '100'), key: 'a' }],
      ['b', { ...rec(1, '2'), key: 'b', id: 2 }],
    ])
    const edits = new Map([['b', { amount: '3', currency: 'RUB' }]])
    expect(mergeEdits(base, edits, theirs)).toEqual([
      { kind: 'write', key: 'b', values: { amount: '3', currency: 'RUB' } },
    ])
  })
})
