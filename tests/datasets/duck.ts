/**
 * DuckDB as the independent referee: SQL straight over the publishers' CSV files (read_csv),
 * never over our converted rows, so a shared misreading of the data cannot hide a bug.
 */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api'

export interface Duck {
  rows<T = Record<string, unknown>>(sql: string): Promise<T[]>
  close(): void
}

/** BIGINT/HUGEINT come back as bigint; the tests compare with JS numbers. */
function plain(v: unknown): unknown {
  if (typeof v === 'bigint') return Number(v)
  if (Array.isArray(v)) return v.map(plain)
  return v
}

export async function openDuck(): Promise<Duck> {
  const instance = await DuckDBInstance.create(':memory:', { threads: '1' })
  const conn: DuckDBConnection = await instance.connect()
  return {
    async rows<T>(sql: string): Promise<T[]> {
      const reader = await conn.runAndReadAll(sql)
      return reader
        .getRowObjectsJS()
        .map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, plain(v)])) as T)
    },
    close() {
      conn.closeSync()
      instance.closeSync()
    },
  }
}

/** A SQL string literal (paths of the dataset files). */
export function lit(s: string): string {
  return `'${s.replace(/'/g, "''")}'`
}

/** The engine keeps rates to four decimals: equal within half a unit of the fourth decimal. */
export function sameRate(got: number | null, want: number): boolean {
  return got !== null && Math.abs(got - want) <= 0.00005 + 1e-9
}
