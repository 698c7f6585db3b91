/**
 * Deal id → deal index without a Map lookup per stage event / touch: a dense Int32Array when the
 * ids are small non-negative integers (Bitrix24 ids are), a Map otherwise. A repeated id keeps
 * its last index, as Map.set would.
 */
export class IdIndex {
  private readonly dense: Int32Array | null
  private readonly map: Map<number, number> | null

  constructor(ids: ArrayLike<number>) {
    const n = ids.length
    let max = -1
    let denseOk = true
    for (let i = 0; i < n; i++) {
      const id = ids[i]
      if (!Number.isInteger(id) || id < 0) {
        denseOk = false
        break
      }
      if (id > max) max = id
    }
    // Dense only while the table stays within a few ints per deal (sparse ids would waste memory).
    if (denseOk && max < 4 * n + 1024) {
      const dense = new Int32Array(max + 1).fill(-1)
      for (let i = 0; i < n; i++) dense[ids[i]] = i
      this.dense = dense
      this.map = null
    } else {
      const map = new Map<number, number>()
      for (let i = 0; i < n; i++) map.set(ids[i], i)
      this.dense = null
      this.map = map
    }
  }

  /** Index of the deal with this id, or -1. */
  get(id: number): number {
    const dense = this.dense
    if (dense !== null) return id >= 0 && id < dense.length && Number.isInteger(id) ? dense[id] : -1
    return this.map!.get(id) ?? -1
  }
}
