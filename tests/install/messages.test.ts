import { describe, expect, it } from 'vitest'
import { reasonText, tr } from '../../src/app/install/i18n'
import { parseAmount, parseCount, validateRecord, budgetKey } from '../../src/b24/input-cells'
import { BUSY_REASON, WRITE_REFUSED_HINT } from '../../src/b24/storage'

/** Every reason the validation can give, as it gives it. */
function reasons(): string[] {
  const out: string[] = []
  for (const text of ['-1', '1.234', 'abc', '99999999999999']) {
    const r = parseAmount(text)
    if (!r.ok) out.push(r.reason)
  }
  const c = parseCount('2.5')
  if (!c.ok) out.push(c.reason)
  out.push(
    ...validateRecord(
      { key: budgetKey('WEB', null, '2024-01'), values: { amount: '1', currency: 'EUR' } },
      new Set(['RUB']),
    ).map((e) => e.reason),
  )
  out.push(
    ...validateRecord(
      { key: budgetKey('WEB', null, '2024-01'), values: { amount: '1', currency: null } },
      new Set(['RUB']),
    ).map((e) => e.reason),
  )
  out.push(WRITE_REFUSED_HINT, BUSY_REASON)
  return out
}

describe('admin page words', () => {
  it('translates every validation reason the storage layer produces', () => {
    const all = reasons()
    expect(all).toHaveLength(9)
    for (const r of all) {
      expect(reasonText('en', r)).toBe(r)
      expect(reasonText('ru', r)).not.toBe(r)
      expect(reasonText('uk', r)).not.toBe(r)
    }
    expect(reasonText('ru', 'unknown currency "EUR"')).toBe('неизвестная валюта «EUR»')
  })

  it('leaves an unknown reason (e.g. a portal message) as it is', () => {
    expect(reasonText('ru', 'Entity not found')).toBe('Entity not found')
  })

  it('fills parameters', () => {
    expect(tr('uk', 'saved', { n: 3 })).toBe('Збережено клітинок: 3.')
  })
})
