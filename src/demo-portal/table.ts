/**
 * One portal table kept sorted by numeric id, so `>ID`/`>=ID` windows and gets are binary
 * searches even at 1M rows (the SDK's keyset walk and the app's batched ID windows both lean
 * on that). Rows are the dump's own objects, served as stored.
 */

export class Table<R extends object> {
  rows: R[]
  ids: number[]

  constructor(
    rows: R[],
    readonly idOf: (row: R) => number,
  ) {
    const sorted = rows.every((r, i) => i === 0 || idOf(rows[i - 1]) < idOf(r))
    this.rows = sorted ? rows.slice() : rows.slice().sort((a, b) => idOf(a) - idOf(b))
    this.ids = this.rows.map(idOf)
  }

  get size(): number {
    return this.rows.length
  }

  /** Index of the first row whose id is >= `id`. */
  lowerBound(id: number): number {
    let lo = 0
    let hi = this.ids.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (this.ids[mid] < id) lo = mid + 1
      else hi = mid
    }
    return lo
  }

  get(id: number): R | undefined {
    const i = this.lowerBound(id)
    return this.ids[i] === id ? this.rows[i] : undefined
  }

  maxId(): number {
    return this.ids.length ? this.ids[this.ids.length - 1] : 0
  }

  /** Inserts or replaces by id. */
  put(row: R): void {
    const id = this.idOf(row)
    const i = this.lowerBound(id)
    if (this.ids[i] === id) {
      this.rows[i] = row
      return
    }
    this.rows.splice(i, 0, row)
    this.ids.splice(i, 0, id)
  }

  remove(id: number): boolean {
    const i = this.lowerBound(id)
    if (this.ids[i] !== id) return false
    this.rows.splice(i, 1)
    this.ids.splice(i, 1)
    return true
  }
}
