/**
 * The layering docs/architecture.md promises, checked on the source itself (issue 12.7):
 * the engine imports nothing from Vue, the SDK, the DOM or Node; only src/b24 imports the SDK;
 * and no module of src/ reaches itself through its imports (type-only imports included, since
 * a type cycle is still a design cycle).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { builtinModules } from 'node:module'
import { dirname, join, relative, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { findCycles, importsOf } from './support/imports'

const ROOT = resolve(__dirname, '..')
const SRC = join(ROOT, 'src')

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return sourceFiles(path)
    return /\.(ts|vue)$/.test(name) && !name.endsWith('.d.ts') ? [path] : []
  })
}

const files = sourceFiles(SRC)
const rel = (path: string) => relative(ROOT, path)
const importsByFile = new Map(files.map((f) => [f, importsOf(readFileSync(f, 'utf8'))]))

/** Resolves a relative specifier to a file of src/, or null for a package. */
function resolveLocal(from: string, spec: string): string | null {
  if (!spec.startsWith('.')) return null
  const base = resolve(dirname(from), spec).replace(/\.js$/, '')
  for (const candidate of [base, `${base}.ts`, `${base}.vue`, join(base, 'index.ts')]) {
    if (importsByFile.has(candidate)) return candidate
  }
  return null
}

const NODE_BUILTINS = new Set(builtinModules)
const isNodeBuiltin = (spec: string) => spec.startsWith('node:') || NODE_BUILTINS.has(spec.split('/')[0])

describe('layering', () => {
  it('finds the imports of every source file (the checks below read something)', () => {
    expect(files.length).toBeGreaterThan(100)
    expect(importsByFile.get(join(SRC, 'b24/connect.ts'))).toContain('@bitrix24/b24jssdk')
  })

  it('keeps the engine free of Vue, the SDK, the DOM and Node, and of other layers', () => {
    const engineDir = join(SRC, 'engine')
    const offenders: string[] = []
    for (const [file, specs] of importsByFile) {
      if (!file.startsWith(engineDir + '/')) continue
      for (const spec of specs) {
        const local = resolveLocal(file, spec)
        // src/errors.ts (the error family's base) is the one shared file the engine may read: it imports nothing.
        const shared = local === join(SRC, 'errors.ts') && importsByFile.get(local)?.length === 0
        const outside = spec.startsWith('.') && !shared && (!local || !local.startsWith(engineDir + '/'))
        const pkg = !spec.startsWith('.')
        if (outside || (pkg && (isNodeBuiltin(spec) || /^(vue|pinia|@bitrix24|apexcharts)/.test(spec)))) {
          offenders.push(`${rel(file)} → ${spec}`)
        }
      }
      if (/\b(document|window|localStorage|indexedDB)\./.test(readFileSync(file, 'utf8'))) {
        offenders.push(`${rel(file)} uses a DOM global`)
      }
    }
    expect(offenders).toEqual([])
  })

  it('lets only src/b24 import the Bitrix24 SDK', () => {
    const offenders = [...importsByFile]
      .filter(
        ([file, specs]) => specs.some((s) => s.startsWith('@bitrix24/b24jssdk')) && !rel(file).startsWith('src/b24/'),
      )
      .map(([file]) => rel(file))
    expect(offenders).toEqual([])
  })

  it('has no import cycles in src/', () => {
    const graph = new Map<string, string[]>()
    for (const [file, specs] of importsByFile) {
      graph.set(
        rel(file),
        specs.flatMap((s) => {
          const local = resolveLocal(file, s)
          return local ? [rel(local)] : []
        }),
      )
    }
    expect(findCycles(graph)).toEqual([])
  })
})
