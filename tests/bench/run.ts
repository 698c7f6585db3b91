/**
 * `npm run bench`: runs every tests/bench/*.ts module that exports `run()`, one after another,
 * and prints their figures. `npm run bench -- sync bundle` runs only the named modules.
 * A failing module is reported and the others still run; the exit code says whether all passed.
 */
import { readdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const dir = dirname(fileURLToPath(import.meta.url))
const only = process.argv.slice(2).map((a) => a.replace(/\.ts$/, ''))
const modules = readdirSync(dir)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.endsWith('.d.ts'))
  .filter((f) => only.length === 0 || only.includes(f.replace(/\.ts$/, '')))
  .sort()

let failed = 0
for (const file of modules) {
  const mod = (await import(pathToFileURL(join(dir, file)).href)) as { run?: () => Promise<void> | void }
  if (typeof mod.run !== 'function') continue
  console.log(`\n=== ${file} ${'='.repeat(Math.max(0, 60 - file.length))}`)
  const t0 = performance.now()
  try {
    await mod.run()
    console.log(`--- ${file} done in ${((performance.now() - t0) / 1000).toFixed(1)} s`)
  } catch (err) {
    failed++
    console.error(`--- ${file} FAILED:`, err instanceof Error ? (err.stack ?? err.message) : err)
  }
}
if (failed > 0) process.exitCode = 1
