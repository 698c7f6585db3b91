/**
 * The demo portal's list machinery at speed without changing an answer: filter values are read
 * once per condition (the answers stay those of a per-row comparison), and a batch that pages a
 * filtered list (`start` = 0, 50, 100 …) scans it once instead of once per page.
 */
import { describe, expect, it } from 'vitest'
import { compileCondition, runList, withScanMemo, type Condition, type Op } from '../../src/demo-portal/query'
import { Table } from '../../src/demo-portal/table'
import { looksLikeWireDate, parseDateValue } from '../../src/demo-portal/tz'

const ZONE = 'Europe/Berlin'

/** The comparison as a per-row reader does it, every value parsed afresh (the oracle). */
function reference(rowValue: unknown, filterValue: unknown): number | null {
  const empty = (v: unknown) => v === null || v === undefined || v === ''
  const num = (v: unknown) =>
    typeof v === 'number' ? v : typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : NaN
  if (empty(rowValue)) return empty(filterValue) ? 0 : null
  if (empty(filterValue)) return null
  if (typeof rowValue === 'boolean') {
    const f = filterValue
    const b = [true, 'Y', 'y', '1', 1, 'true'].includes(f as never)
      ? 1
      : [false, 'N', 'n', '0', 0, 'false', ''].includes(f as never)
        ? 0
        : NaN
    return Number.isNaN(b) ? null : (rowValue ? 1 : 0) - b
  }
  if (!Number.isNaN(num(rowValue)) && !Number.isNaN(num(filterValue))) return num(rowValue) - num(filterValue)
  if (looksLikeWireDate(rowValue)) {
    const rd = Date.parse(rowValue)
    const fd = typeof filterValue === 'number' ? filterValue * 1000 : parseDateValue(filterValue, ZONE)
    if (!Number.isNaN(rd) && !Number.isNaN(fd)) return rd - fd
  }
  const a = String(rowValue).toLowerCase()
  const b = String(filterValue).toLowerCase()
  return a < b ? -1 : a > b ? 1 : 0
}

const ROW_VALUES: unknown[] = [
  null,
  '',
  '0',
  '7',
  '12.5',
  7,
  true,
  false,
  'Y',
  'n',
  'Alpha',
  'beta',
  '2024-12-01T00:00:00+01:00',
  '2024-11-30T23:00:00+00:00',
  '2024-12-01T10:30:00+03:00',
  '2024-13-45T99:00:00+01:00', // looks like a date, is none
  ['3', '9'],
  [],
]
const FILTER_VALUES: unknown[] = [
  '',
  null,
  '7',
  8,
  '12.5',
  'Y',
  'N',
  'alpha',
  '2024-12-01',
  '2024-12-01 00:00:00',
  '01.12.2024',
  '2024-11-30T23:00:00Z',
  1_733_007_600,
]

function expected(op: Op, rv: unknown, fv: unknown): boolean {
  const one = (v: unknown): boolean => {
    const c = reference(v, Array.isArray(fv) ? fv[0] : fv)
    if (op === '=') return c === 0
    if (op === '!=') return c !== 0
    if (c === null) return false
    return op === '>' ? c > 0 : op === '>=' ? c >= 0 : op === '<' ? c < 0 : c <= 0
  }
  if (Array.isArray(rv)) return rv.length === 0 ? one(null) : op === '!=' ? rv.every(one) : rv.some(one)
  return one(rv)
}

describe('filter conditions read their value once', () => {
  it('answer as a per-row comparison does, for every operator and kind of value', () => {
    const ops: Op[] = ['=', '!=', '>', '>=', '<', '<=']
    let checked = 0
    for (const op of ops)
      for (const fv of FILTER_VALUES) {
        const test = compileCondition({ field: 'F', op, value: fv as never }, ZONE)
        for (const rv of ROW_VALUES) {
          expect([op, fv, rv, test({ F: rv })]).toEqual([op, fv, rv, expected(op, rv, fv)])
          checked++
        }
      }
    expect(checked).toBe(6 * FILTER_VALUES.length * ROW_VALUES.length)
  })

  it('lists, ranges and patterns keep their meaning', () => {
    const at = (op: Op, value: unknown) => (v: unknown) =>
      compileCondition({ field: 'F', op, value: value as never }, ZONE)({ F: v })
    expect(at('@', ['7', '2024-12-01'])('2024-11-30T23:00:00+00:00')).toBe(true)
    expect(at('@', ['7', '9'])('8')).toBe(false)
    expect(at('!@', ['7', '9'])('8')).toBe(true)
    expect(at('><', ['2024-12-01', '2024-12-31'])('2024-12-15T10:00:00+01:00')).toBe(true)
    expect(at('!><', ['2024-12-01', '2024-12-31'])('2024-11-15T10:00:00+01:00')).toBe(true)
    expect(at('%', 'LPH')('Alpha')).toBe(true)
    expect(at('=%', 'al%a')('ALPHA')).toBe(true)
    expect(at('=%', 'al%a')('alphas')).toBe(false)
    expect(at('!=%', 'al%a')('alphas')).toBe(true)
  })
})

interface Row {
  ID: string
  readonly DATE: string
}

/** A table whose rows count how often a scan reads their date. */
function countingTable(n: number): { table: Table<Row>; reads: () => number; rows: Row[] } {
  let reads = 0
  const rows: Row[] = Array.from({ length: n }, (_, i) => {
    const date = `2024-12-${String(1 + (i % 28)).padStart(2, '0')}T10:00:00+01:00`
    return {
      ID: String(i + 1),
      get DATE() {
        reads++
        return date
      },
    }
  })
  return { table: new Table(rows, (r) => Number(r.ID)), reads: () => reads, rows }
}

const RECENT: Condition[] = [{ field: 'DATE', op: '>=', value: '2024-12-15' }]

function pages(table: Table<Row>, predicates?: ((r: Row) => boolean)[]) {
  const out = []
  for (let start = 0; start < 400; start += 50) {
    const p = runList({ table, idField: 'ID', conditions: RECENT, predicates, order: [], start, timeZone: ZONE })
    out.push({ ids: p.rows.map((r) => r.ID), total: p.total, next: p.next })
  }
  return out
}

describe('offset pages inside one batch', () => {
  it('cost one scan of the table and answer exactly as pages asked one by one', () => {
    const { table, reads } = countingTable(700)
    const alone = pages(table)
    expect(reads()).toBe(8 * 700) // a scan per page
    const before = reads()
    const batched = withScanMemo(() => pages(table))
    expect(reads() - before).toBe(700)
    expect(batched).toEqual(alone)
    expect(alone[0].total).toBe(350)
    expect(alone[7]).toEqual({ ids: [], total: 350 })
  })

  it('see the table as it is after their batch', () => {
    const { table, rows } = countingTable(100)
    const first = withScanMemo(() => pages(table)[0].total)
    table.remove(Number(rows[99].ID))
    expect(pages(table)[0].total).toBe(first - 1) // a single call, between batches
    table.remove(Number(rows[98].ID))
    expect(withScanMemo(() => pages(table)[0].total)).toBe(first - 2)
  })

  it('are not shared between queries with permission checks (closures)', () => {
    const { table } = countingTable(100)
    const [mine, theirs] = withScanMemo(() => [
      pages(table, [(r) => Number(r.ID) <= 30])[0].total,
      pages(table, [(r) => Number(r.ID) > 30])[0].total,
    ])
    expect([mine, theirs]).toEqual([14, 30])
  })
})
