/**
 * Budgets and plans in app storage, against the demo portal over HTTP through the real SDK:
 * setup is idempotent, two admins saving at once lose nothing, bad cells are refused alone,
 * and a non-admin reads but cannot write (the portal answers ACCESS_DENIED).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { B24Client } from '../../src/b24/client'
import { budgetKey, planKey, type RecordValues } from '../../src/b24/input-cells'
import {
  BUDGET_STORAGE,
  PLAN_STORAGE,
  WRITE_REFUSED_HINT,
  ensureStorages,
  loadInputs,
  readStorage,
  saveEdits,
} from '../../src/b24/storage'
import type { RunningPortal } from '../../src/demo-portal/server'
import { startStoragePortal, type StoragePortal } from './storage-portal'

const CURRENCIES = new Set(['RUB', 'USD'])
let portal: RunningPortal
let adminA: B24Client
let adminB: B24Client
let manager: B24Client

beforeAll(async () => {
  let clientFor: StoragePortal['clientFor']
  ;({ portal, clientFor } = await startStoragePortal(60, { rate: 100, burst: 500 }))
  adminA = await clientFor(1)
  adminB = await clientFor(2)
  manager = await clientFor(3)
})

afterAll(async () => {
  await portal?.close()
})

const edits = (pairs: [string, RecordValues | null][]) => new Map(pairs)

describe('storage setup', () => {
  it('creates both storages once, with read-for-all and write-for-admins rights', async () => {
    const first = await ensureStorages(adminA)
    expect(first.created.sort()).toEqual(['flbudget', 'flplan'])
    const again = await ensureStorages(adminB)
    expect(again).toEqual({ created: [], existing: ['flbudget', 'flplan'], propertiesAdded: [] })
    const all = await adminA.call<{ ENTITY: string }[]>('entity.get')
    expect(all.map((e) => e.ENTITY).sort()).toEqual(['flbudget', 'flplan'])
    const rights = await adminA.call<Record<string, string>>('entity.rights', { ENTITY: 'flbudget' })
    expect(rights).toMatchObject({ AU: 'R', G1: 'W', U1: 'X' })
    const props = await adminA.call<{ PROPERTY: string }[]>('entity.item.property.get', { ENTITY: 'flplan' })
    expect(props.map((p) => p.PROPERTY).sort()).toEqual(['AMOUNT', 'CURRENCY', 'DEALS', 'VER'])
  })
})

describe('saving budgets', () => {
  const jan = budgetKey('WEB', null, '2026-01')
  const feb = budgetKey('WEB', null, '2026-02')
  const mar = budgetKey('CALL', 'msk', '2026-03')

  it('writes valid cells, refuses a bad one with its reason and keeps the rest', async () => {
    const base = await readStorage(adminA, BUDGET_STORAGE)
    const out = await saveEdits(
      adminA,
      BUDGET_STORAGE,
      base,
      edits([
        [jan, { amount: '1000.50', currency: 'RUB' }],
        [feb, { amount: '12.345', currency: 'RUB' }],
        [mar, { amount: '300', currency: 'EUR' }],
      ]),
      CURRENCIES,
    )
    expect(out.saved).toEqual([jan])
    expect(out.invalid.map((e) => [e.key, e.field, e.reason])).toEqual([
      [feb, 'amount', 'at most two decimals'],
      [mar, 'currency', 'unknown currency "EUR"'],
    ])
    const stored = await readStorage(manager, BUDGET_STORAGE)
    expect([...stored.keys()]).toEqual([jan])
    expect(stored.get(jan)).toMatchObject({ version: 1, values: { amount: '1000.50', currency: 'RUB' } })
  })

  it('two admins saving at once: separate cells merge silently, the same cell asks', async () => {
    const baseA = await readStorage(adminA, BUDGET_STORAGE)
    const baseB = await readStorage(adminB, BUDGET_STORAGE)

    const a = await saveEdits(
      adminA,
      BUDGET_STORAGE,
      baseA,
      edits([
        [jan, { amount: '1100', currency: 'RUB' }],
        [feb, { amount: '50', currency: 'RUB' }],
      ]),
      CURRENCIES,
    )
    expect(a.saved.sort()).toEqual([feb, jan].sort())

    // B never saw A's save: B changes January too (conflict) and adds March (no conflict).
    const b = await saveEdits(
      adminB,
      BUDGET_STORAGE,
      baseB,
      edits([
        [jan, { amount: '999', currency: 'RUB' }],
        [mar, { amount: '300', currency: 'USD' }],
      ]),
      CURRENCIES,
    )
    expect(b.saved).toEqual([mar])
    expect(b.conflicts).toEqual([{ key: jan, field: 'amount', base: '1000.50', mine: '999', theirs: '1100' }])
    // B's fresh view already holds A's February: merged silently.
    expect(b.fresh.get(feb)?.values).toEqual({ amount: '50', currency: 'RUB' })

    const stored = await readStorage(adminA, BUDGET_STORAGE)
    expect(stored.get(jan)?.values?.amount).toBe('1100')
    expect(stored.get(mar)?.values).toEqual({ amount: '300', currency: 'USD' })
  })

  it('after the admin picks a side, the next save writes it', async () => {
    const fresh = await readStorage(adminB, BUDGET_STORAGE)
    const out = await saveEdits(
      adminB,
      BUDGET_STORAGE,
      fresh,
      edits([[jan, { amount: '999', currency: 'RUB' }]]),
      CURRENCIES,
    )
    expect(out.conflicts).toEqual([])
    expect(out.saved).toEqual([jan])
    expect((await readStorage(adminA, BUDGET_STORAGE)).get(jan)).toMatchObject({
      version: 3,
      values: { amount: '999' },
    })
  })

  it('one field each: A changes the amount, B the currency of the same cell — both kept', async () => {
    const baseA = await readStorage(adminA, BUDGET_STORAGE)
    const baseB = await readStorage(adminB, BUDGET_STORAGE)
    await saveEdits(adminA, BUDGET_STORAGE, baseA, edits([[mar, { amount: '350', currency: 'USD' }]]), CURRENCIES)
    const b = await saveEdits(
      adminB,
      BUDGET_STORAGE,
      baseB,
      edits([[mar, { amount: '300', currency: 'RUB' }]]),
      CURRENCIES,
    )
    expect(b.conflicts).toEqual([])
    expect((await readStorage(adminA, BUDGET_STORAGE)).get(mar)?.values).toEqual({ amount: '350', currency: 'RUB' })
  })

  it('a non-admin reads everything but the portal refuses the write', async () => {
    const base = await readStorage(manager, BUDGET_STORAGE)
    expect(base.size).toBe(3)
    const out = await saveEdits(
      manager,
      BUDGET_STORAGE,
      base,
      edits([
        [jan, { amount: '1', currency: 'RUB' }],
        [budgetKey('ADS', null, '2026-04'), { amount: '5', currency: 'RUB' }],
      ]),
      CURRENCIES,
    )
    expect(out.saved).toEqual([])
    expect(out.failed.map((f) => f.code)).toEqual(['ACCESS_DENIED', 'ACCESS_DENIED'])
    expect(out.failed[0].reason).toBe(WRITE_REFUSED_HINT)
    const direct = await manager.batch({ x: ['entity.item.delete', { ENTITY: 'flbudget', ID: base.get(jan)!.id }] })
    expect(direct.x.error?.code).toBe('ACCESS_DENIED')
    expect((await readStorage(adminA, BUDGET_STORAGE)).get(jan)?.values?.amount).toBe('999')
  })

  it('clearing a cell removes its value; one empty marker item is left so a late save cannot undo it', async () => {
    const base = await readStorage(adminA, BUDGET_STORAGE)
    const out = await saveEdits(adminA, BUDGET_STORAGE, base, edits([[feb, null]]), CURRENCIES)
    expect(out.saved).toEqual([feb])
    expect(out.fresh.get(feb)?.values).toBeNull()
    const items = await adminA.call<{ NAME: string }[]>('entity.item.get', {
      ENTITY: 'flbudget',
      FILTER: { NAME: feb },
    })
    expect(items).toHaveLength(1)
  })
})

describe('loadInputs', () => {
  it('gives the report typed budgets and plans, for any app user', async () => {
    const base = await readStorage(adminA, PLAN_STORAGE)
    await saveEdits(
      adminA,
      PLAN_STORAGE,
      base,
      edits([[planKey(3, '2026-01'), { amount: '250000', deals: '6', currency: 'RUB' }]]),
      CURRENCIES,
    )
    const inputs = await loadInputs(manager)
    expect(inputs.plans).toEqual([{ userId: 3, month: '2026-01', amount: 250000, currency: 'RUB', deals: 6 }])
    expect(inputs.budgets.sort((x, y) => x.month.localeCompare(y.month))).toEqual([
      { sourceId: 'WEB', cityId: null, month: '2026-01', amount: 999, currency: 'RUB' },
      { sourceId: 'CALL', cityId: 'msk', month: '2026-03', amount: 350, currency: 'RUB' },
    ])
  })

  it('reads more than one page of cells', async () => {
    const base = await readStorage(adminA, PLAN_STORAGE)
    const many = edits(
      Array.from({ length: 60 }, (_, i) => [
        planKey(100 + i, '2026-02'),
        { amount: String(i), deals: '1', currency: 'USD' },
      ]),
    )
    const out = await saveEdits(adminA, PLAN_STORAGE, base, many, CURRENCIES)
    expect(out.saved).toHaveLength(60)
    expect(out.fresh.size).toBe(61)
    expect((await loadInputs(manager)).plans).toHaveLength(61)
  })
})
