/**
 * Vite plugin: after `vite build`, packs the output folder into the archive Bitrix24 accepts
 * as a static local app — index.html and install.html at the archive root, assets beside
 * them with relative paths (vite `base: './'`) — plus manifest.json for reference.
 */
import { readdirSync, readFileSync, statSync, writeFileSync, existsSync } from 'node:fs'
import { join, relative, resolve, sep } from 'node:path'
import type { Plugin, ResolvedConfig } from 'vite'
import { createZip, type ZipEntry } from './zip.js'

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name)
    return statSync(full).isDirectory() ? walk(full) : [full]
  })
}

export function zipFileName(version: string): string {
  return `funnel-lens-${version}.zip`
}

/** The archive's entries: every built file (but older archives), then manifest.json. */
export function archiveEntries(outDir: string, manifestPath: string | null): ZipEntry[] {
  const files = walk(outDir)
    .filter((f) => !/funnel-lens-.*\.zip$/.test(f))
    .map((f) => ({ name: relative(outDir, f).split(sep).join('/'), data: readFileSync(f) }))
    .sort((a, b) => a.name.localeCompare(b.name))
  if (manifestPath && existsSync(manifestPath)) files.push({ name: 'manifest.json', data: readFileSync(manifestPath) })
  return files
}

export function bitrixZip(options: { manifest?: string } = {}): Plugin {
  let config: ResolvedConfig
  return {
    name: 'funnel-lens-bitrix-zip',
    apply: 'build',
    configResolved(c) {
      config = c
    },
    // writeBundle runs only after a successful write (closeBundle also runs after a failure).
    writeBundle() {
      const outDir = resolve(config.root, config.build.outDir)
      const manifestPath = resolve(config.root, options.manifest ?? 'manifest.json')
      const entries = archiveEntries(outDir, manifestPath)
      for (const required of ['index.html', 'install.html']) {
        if (!entries.some((e) => e.name === required))
          throw new Error(`Bitrix24 zip: ${required} is missing from ${outDir}`)
      }
      const version = existsSync(manifestPath)
        ? String((JSON.parse(readFileSync(manifestPath, 'utf8')) as { version?: string }).version ?? '0.0.0')
        : '0.0.0'
      const file = join(outDir, zipFileName(version))
      writeFileSync(file, createZip(entries))
      config.logger.info(`Bitrix24 static app: ${relative(config.root, file)} (${entries.length} files)`)
    },
  }
}
