/**
 * Issue 8.3: two admins saving the same budget cell at the same moment, against the demo portal
 * over HTTP through the real SDK. Each case starts both saves together (Promise.all of two real
 * clients), so their requests interleave on the portal however they happen to; the assertions
 * hold for every interleaving: exactly one item per cell afterwards, exactly one save keeps a
 * contested value and the other is told (a conflict with both values), field-by-field changes
 * both survive, a clear removes every copy, and nothing that was deleted comes back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { B24Client } from '../../src/b24/client'
import { budgetKey, type RecordValues } from '../../src/b24/input-cells'
import { BUDGET_STORAGE, ensureStorages, loadInputs, readStorage, saveEdits } from '../../src/b24/storage'
import { rivalConflicts } from '../../src/b24/storage-items'
import type { RunningPortal } from '../../src/demo-portal/server'
import { startStoragePortal, type StoragePortal } from './storage-portal'

const CURRENCIES = new Set(['RUB', 'USD'])
const ROUNDS = 6
let portal: RunningPortal
let adminA: B24Client
let adminB: B24Client

beforeAll(async () => {
  let clientFor: StoragePortal['clientFor']
  ;({ portal, clientFor } = await startStoragePortal(40, { rate: 1000, burst: 1000 }))
  adminA = await clientFor(1)
  adminB = await clientFor(2)
  await ensureStorages(adminA)
})

afterAll(async () => {
  await portal?.close()
})

const rub = (amount: string): RecordValues => ({ amount, currency: 'RUB' })

async function itemsOf(key: string): Promise<{ ID: string }[]> {
  return adminA.call<{ ID: string }[]>('entity.item.get', { ENTITY: 'flbudget', FILTER: { NAME: key } })
}

async function budgetAmount(key: string): Promise<number | null> {
  const [, source, city, month] = key.split('|')
  const b = (await loadInputs(adminB)).budgets.find(
    (x) => x.sourceId === source && (x.cityId ?? '') === city && x.month === month,
  )
  return b ? b.amount : null
}

/** Both admins loaded the editor from the same storage, then save at the same moment. */
async function together(key: string, a: RecordValues | null, b: RecordValues | null) {
  const [baseA, baseB] = await Promise.all([readStorage(adminA, BUDGET_STORAGE), readStorage(adminB, BUDGET_STORAGE)])
  return Promise.all([
    saveEdits(adminA, BUDGET_STORAGE, baseA, new Map([[key, a]]), CURRENCIES),
    saveEdits(adminB, BUDGET_STORAGE, baseB, new Map([[key, b]]), CURRENCIES),
  ])
}

describe('two admins save the same cell at the same moment', () => {
  it('a new cell: one save keeps it, the other is shown both values; one item, counted once', async () => {
    for (let i = 1; i <= ROUNDS; i++) {
      const key = budgetKey('WEB', null, `2027-0${i}`)
      const [a, b] = await together(key, rub(`${i}00`), rub(`${i}99`))
      const winners = [a, b].filter((o) => o.saved.includes(key))
      expect(winners, `round ${i}`).toHaveLength(1)
      const loser = winners[0] === a ? b : a
      const [kept, asked] = winners[0] === a ? [`${i}00`, `${i}99`] : [`${i}99`, `${i}00`]
      expect(loser.saved).toEqual([])
      expect(loser.conflicts).toEqual([{ key, field: 'amount', base: null, mine: asked, theirs: kept }])
      expect(await itemsOf(key)).toHaveLength(1)
      expect(await budgetAmount(key)).toBe(Number(kept))
    }
  })

  it('the same value from both: both saved, one item', async () => {
    const key = budgetKey('CALL', null, '2027-01')
    const [a, b] = await together(key, rub('500'), rub('500'))
    expect([a.saved, b.saved]).toEqual([[key], [key]])
    expect([a.conflicts, b.conflicts]).toEqual([[], []])
    expect(await itemsOf(key)).toHaveLength(1)
  })

  it('an existing cell: the second save never silently overwrites the first', async () => {
    for (let i = 1; i <= ROUNDS; i++) {
      const key = budgetKey('WEB', null, `2027-0${i}`)
      const before = (await readStorage(adminA, BUDGET_STORAGE)).get(key)!.values!.amount
      const [a, b] = await together(key, rub(`${i}11`), rub(`${i}22`))
      const winners = [a, b].filter((o) => o.saved.includes(key))
      expect(winners, `round ${i}`).toHaveLength(1)
      const loser = winners[0] === a ? b : a
      const kept = winners[0] === a ? `${i}11` : `${i}22`
      expect(loser.conflicts.map((c) => [c.base, c.theirs])).toEqual([[before, kept]])
      expect(await itemsOf(key)).toHaveLength(1)
      expect(await budgetAmount(key)).toBe(Number(kept))
    }
  })

  it('one field each (A the amount, B the currency): both changes are kept', async () => {
    const key = budgetKey('ADS', null, '2027-02')
    await saveEdits(
      adminA,
      BUDGET_STORAGE,
      await readStorage(adminA, BUDGET_STORAGE),
      new Map([[key, rub('10')]]),
      CURRENCIES,
    )
    for (let i = 0; i < ROUNDS; i++) {
      const amount = String(20 + i)
      const currency = i % 2 ? 'RUB' : 'USD'
      const prior = (await readStorage(adminA, BUDGET_STORAGE)).get(key)!.values!
      const [a, b] = await together(key, { amount, currency: prior.currency }, { amount: prior.amount, currency })
      expect([a.saved, b.saved, a.conflicts, b.conflicts]).toEqual([[key], [key], [], []])
      expect((await readStorage(adminB, BUDGET_STORAGE)).get(key)?.values).toEqual({ amount, currency })
      expect(await itemsOf(key)).toHaveLength(1)
    }
  })

  it('a clear against a change: exactly one wins, the other is told, and the outcome is what the winner saved', async () => {
    for (let i = 1; i <= ROUNDS; i++) {
      const key = budgetKey('WEB', null, `2027-0${i}`)
      const [a, b] = await together(key, null, rub(`${i}33`))
      const winners = [a, b].filter((o) => o.saved.includes(key))
      expect(winners, `round ${i}`).toHaveLength(1)
      const loser = winners[0] === a ? b : a
      expect(loser.conflicts.length).toBeGreaterThan(0)
      expect(await itemsOf(key)).toHaveLength(1)
      expect(await budgetAmount(key)).toBe(winners[0] === a ? null : Number(`${i}33`))
    }
  })
})

/** Adds one budget item per amount, all named `key`, straight through entity.item.add (no duplicate check). */
async function addSameNamedItems(key: string, amounts: string[]): Promise<void> {
  for (const amount of amounts)
    await adminA.call('entity.item.add', {
      ENTITY: 'flbudget',
      NAME: key,
      PROPERTY_VALUES: { AMOUNT: amount, CURRENCY: 'RUB', DEALS: '', VER: '1' },
    })
}

describe('items that already share a name (saved before this check existed)', () => {
  it('are shown to the admin as a conflict, counted once, and a clear removes them all', async () => {
    const key = budgetKey('SEO', null, '2027-03')
    await addSameNamedItems(key, ['100', '250'])
    const loaded = await readStorage(adminA, BUDGET_STORAGE)
    expect(rivalConflicts(loaded, BUDGET_STORAGE.fields)).toEqual([
      { key, field: 'amount', base: null, mine: '100', theirs: '250' },
    ])
    expect(await budgetAmount(key)).toBe(100)

    const out = await saveEdits(adminA, BUDGET_STORAGE, loaded, new Map([[key, null]]), CURRENCIES)
    expect(out.saved).toEqual([key])
    expect(await budgetAmount(key)).toBeNull()
    const left = await adminA.call<{ PROPERTY_VALUES: Record<string, string> }[]>('entity.item.get', {
      ENTITY: 'flbudget',
      FILTER: { NAME: key },
    })
    expect(left.map((i) => i.PROPERTY_VALUES.AMOUNT ?? '')).toEqual([''])
    const again = await readStorage(adminB, BUDGET_STORAGE)
    expect(again.get(key)?.values).toBeNull()
    expect(rivalConflicts(again, BUDGET_STORAGE.fields)).toEqual([])
  })

  it('keeping the value in force settles them too: the next load has no conflict', async () => {
    const key = budgetKey('SEO', null, '2027-04')
    await addSameNamedItems(key, ['70', '80'])
    const loaded = await readStorage(adminA, BUDGET_STORAGE)
    const out = await saveEdits(adminA, BUDGET_STORAGE, loaded, new Map([[key, rub('70')]]), CURRENCIES)
    expect(out.saved).toEqual([key])
    expect(await itemsOf(key)).toHaveLength(1)
    expect(rivalConflicts(await readStorage(adminB, BUDGET_STORAGE), BUDGET_STORAGE.fields)).toEqual([])
  })
})
