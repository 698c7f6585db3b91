/**
 * Compact column stores for the generator's big tables (stage events, touches). A 100k-deal
 * portal has ~1M events and ~0.5M touches; keeping them in typed arrays until their final
 * order (by time, which fixes their ids) is known keeps memory and GC low.
 */

type Typed = Float64Array | Int32Array | Uint8Array | Uint16Array

class Column<T extends Typed> {
  constructor(
    public data: T,
    private readonly make: (n: number) => T,
  ) {}

  grow(capacity: number): void {
    const next = this.make(capacity)
    next.set(this.data as never)
    this.data = next
  }
}

/** A growable set of same-length typed columns. */
export class ColumnTable<K extends string> {
  length = 0
  private capacity: number
  private readonly columns: Record<K, Column<Typed>>

  constructor(spec: Record<K, 'f64' | 'i32' | 'u8' | 'u16'>, capacity = 1024) {
    this.capacity = capacity
    const columns = {} as Record<K, Column<Typed>>
    for (const key of Object.keys(spec) as K[]) {
      const make = makers[spec[key]]
      columns[key] = new Column<Typed>(make(capacity), make)
    }
    this.columns = columns
  }

  /** Appends one row; missing keys stay 0. Returns the row index. */
  push(values: Partial<Record<K, number>>): number {
    if (this.length === this.capacity) {
      this.capacity *= 2
      for (const key in this.columns) this.columns[key].grow(this.capacity)
    }
    const row = this.length++
    for (const key in values) this.columns[key as K].data[row] = values[key as K] as number
    return row
  }

  col(key: K): Typed {
    return this.columns[key].data
  }
}

const makers = {
  f64: (n: number) => new Float64Array(n),
  i32: (n: number) => new Int32Array(n),
  u8: (n: number) => new Uint8Array(n),
  u16: (n: number) => new Uint16Array(n),
}

/**
 * Row indexes ordered by time, ties by insertion order (so ids follow creation like a real
 * auto-increment). Packs (seconds, index) into one double and sorts natively when it fits.
 */
export function orderByTime(times: Float64Array, count: number): Uint32Array {
  let min = Infinity
  let max = -Infinity
  for (let i = 0; i < count; i++) {
    if (times[i] < min) min = times[i]
    if (times[i] > max) max = times[i]
  }
  const indexBits = Math.max(1, Math.ceil(Math.log2(count + 1)))
  const spanSeconds = count > 0 ? Math.ceil((max - min) / 1000) + 1 : 1
  const order = new Uint32Array(count)
  if (spanSeconds * 2 ** indexBits < Number.MAX_SAFE_INTEGER) {
    const keys = new Float64Array(count)
    const scale = 2 ** indexBits
    for (let i = 0; i < count; i++) keys[i] = Math.floor((times[i] - min) / 1000) * scale + i
    keys.sort()
    for (let i = 0; i < count; i++) order[i] = keys[i] % scale
    return order
  }
  for (let i = 0; i < count; i++) order[i] = i
  order.sort((a, b) => Math.floor(times[a] / 1000) - Math.floor(times[b] / 1000) || a - b)
  return order
}

/** Interns repeated strings (stage ids) as small integers for the column stores. */
export class StringTable {
  readonly values: string[] = []
  private readonly index = new Map<string, number>()

  id(value: string): number {
    let id = this.index.get(value)
    if (id === undefined) {
      id = this.values.length
      this.values.push(value)
      this.index.set(value, id)
    }
    return id
  }
}
