/**
 * Dimensions a figure can be split or filtered by. Each dimension maps its keys (strings, as the
 * query and the report spell them) to small integer codes so that hot loops compare ints.
 * The empty key '' stands for "not set" (a deal without source, city or loss reason).
 */

export type Dim = 'pipeline' | 'city' | 'source' | 'utmSource' | 'manager' | 'lossReason'
export const DIMS: Dim[] = ['pipeline', 'city', 'source', 'utmSource', 'manager', 'lossReason']

export const NONE_KEY = ''
export const NONE_NAME = '(not set)'

export class KeyDict {
  readonly keys: string[] = []
  readonly names: string[] = []
  private readonly index = new Map<string, number>()

  constructor(private readonly nameOf: (key: string) => string) {}

  code(key: string | null | undefined): number {
    const k = key ?? NONE_KEY
    let c = this.index.get(k)
    if (c === undefined) {
      c = this.keys.length
      this.index.set(k, c)
      this.keys.push(k)
      this.names.push(k === NONE_KEY ? NONE_NAME : this.nameOf(k))
    }
    return c
  }

  /** Code of a key already seen, or -1. */
  find(key: string): number {
    return this.index.get(key) ?? -1
  }

  get size(): number {
    return this.keys.length
  }
}

/** A dimension's per-deal codes and its dictionary. */
export interface DimColumn {
  dict: KeyDict
  codes: Int32Array
}
