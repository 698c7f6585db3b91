/**
 * Bundle figure: gzip size of the JavaScript the report page (index.html, placements DEFAULT
 * and CRM_ANALYTICS_MENU) loads — its entry chunk and static imports, the engine's worker and
 * the lazily loaded chart chunk (every page with a chart needs it). The install wizard, the
 * deal-card tab and the XLSX writer (loaded only when a user exports) are listed apart.
 * Target: ≤ 350 KB gzip.
 */
import { build, type Manifest } from 'vite'
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'

const BUDGET_KB = 350

function gz(path: string): number {
  return gzipSync(readFileSync(path), { level: 9 }).length
}

function reportPageChunks(manifest: Manifest): { initial: Set<string>; lazy: Map<string, string> } {
  const initial = new Set<string>()
  const lazy = new Map<string, string>()
  const walk = (key: string) => {
    const chunk = manifest[key]
    if (!chunk || initial.has(chunk.file)) return
    initial.add(chunk.file)
    for (const imp of chunk.imports ?? []) walk(imp)
    for (const dyn of chunk.dynamicImports ?? []) {
      const d = manifest[dyn]
      if (d) lazy.set(dyn, d.file)
    }
  }
  walk('index.html')
  return { initial, lazy }
}

export async function run(): Promise<void> {
  const outDir = mkdtempSync(join(tmpdir(), 'fl-bundle-'))
  try {
    await build({ logLevel: 'error', build: { outDir, emptyOutDir: true, manifest: true } })
    const manifest = JSON.parse(readFileSync(join(outDir, '.vite', 'manifest.json'), 'utf8')) as Manifest
    const { initial, lazy } = reportPageChunks(manifest)
    const charts = [...lazy.entries()].filter(([src]) => src.includes('services/apex')).map(([, file]) => file)
    const worker = readdirSync(join(outDir, 'assets'))
      .filter((f) => /^worker-.*\.js$/.test(f))
      .map((f) => `assets/${f}`)
    const rows: [string, string, number][] = []
    for (const f of initial) if (f.endsWith('.js')) rows.push(['initial', f, gz(join(outDir, f))])
    for (const f of worker) rows.push(['worker', f, gz(join(outDir, f))])
    for (const f of charts) rows.push(['charts (lazy)', f, gz(join(outDir, f))])
    const counted = new Set(rows.map((r) => r[1]))
    const other = [...lazy.values()].filter((f) => !counted.has(f) && f.endsWith('.js'))
    let total = 0
    console.log('Report page JavaScript (gzip, level 9):')
    for (const [kind, file, size] of rows) {
      total += size
      console.log(`  ${kind.padEnd(14)} ${(size / 1024).toFixed(1).padStart(7)} KB  ${file}`)
    }
    console.log(
      `  ${'total'.padEnd(14)} ${(total / 1024).toFixed(1).padStart(7)} KB  (target ≤ ${BUDGET_KB} KB: ${total / 1024 <= BUDGET_KB ? 'within' : 'OVER'})`,
    )
    console.log('Not loaded by the report page unless asked for:')
    for (const f of new Set(other)) console.log(`  ${(gz(join(outDir, f)) / 1024).toFixed(1).padStart(7)} KB  ${f}`)
  } finally {
    rmSync(outDir, { recursive: true, force: true })
  }
}

// `npx tsx tests/bench/bundle.ts` runs it alone; tests/bench/run.ts may import run().
if (import.meta.url === `file://${process.argv[1]}`) void run()
