import { mkdtempSync, mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { inflateRawSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { BOUND_PLACEMENTS } from '../../src/b24/placements'
import { STORAGES, STORAGE_ACCESS } from '../../src/b24/storage'
import { SETTINGS_OPTION } from '../../src/b24/settings'
import { archiveEntries } from '../../src/build/zip-plugin'
import { createZip, crc32 } from '../../src/build/zip'

const root = new URL('../../', import.meta.url).pathname
const manifest = JSON.parse(readFileSync(join(root, 'manifest.json'), 'utf8'))
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))

describe('manifest.json', () => {
  it('matches the code: version, handlers, bound placements and their titles, storages, options', () => {
    expect(manifest.version).toBe(pkg.version)
    expect(manifest.build.archive).toBe(`dist/funnel-lens-${pkg.version}.zip`)
    for (const h of Object.values(manifest.handlers) as string[]) expect(existsSync(join(root, h))).toBe(true)
    const bound = manifest.placements.filter((p: { bound: boolean }) => p.bound)
    expect(bound.map((p: { code: string; title: unknown }) => [p.code, p.title])).toEqual(
      BOUND_PLACEMENTS.map((p) => [p.code, p.title]),
    )
    expect(manifest.placements[0]).toMatchObject({ code: 'DEFAULT', handler: 'index.html', bound: false })
    expect(manifest.storage.entities).toEqual(
      STORAGES.map((s) => ({ code: s.entity, name: s.name, access: STORAGE_ACCESS })),
    )
    for (const s of STORAGES) expect(s.entity.length).toBeLessThanOrEqual(13)
    expect(manifest.storage.options).toEqual([SETTINGS_OPTION])
  })

  it('asks for every scope the app calls and explains each', () => {
    expect([...manifest.scopes].sort()).toEqual([
      'basic',
      'crm',
      'department',
      'entity',
      'placement',
      'task',
      'telephony',
      'user_brief',
    ])
    expect(Object.keys(manifest.scopeUse).sort()).toEqual([...manifest.scopes].sort())
  })
})

/** Reads a zip back through its central directory (enough to check what we write). */
function readZip(buf: Buffer): Map<string, Buffer> {
  const end = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]))
  const count = buf.readUInt16LE(end + 10)
  let p = buf.readUInt32LE(end + 16)
  const out = new Map<string, Buffer>()
  for (let i = 0; i < count; i++) {
    expect(buf.readUInt32LE(p)).toBe(0x02014b50)
    const method = buf.readUInt16LE(p + 10)
    const crc = buf.readUInt32LE(p + 16)
    const size = buf.readUInt32LE(p + 20)
    const nameLen = buf.readUInt16LE(p + 28)
    const local = buf.readUInt32LE(p + 42)
    const name = buf.subarray(p + 46, p + 46 + nameLen).toString('utf8')
    const localNameLen = buf.readUInt16LE(local + 26)
    const body = buf.subarray(local + 30 + localNameLen, local + 30 + localNameLen + size)
    const data = method === 8 ? inflateRawSync(body) : Buffer.from(body)
    expect(crc32(data)).toBe(crc)
    out.set(name, data)
    p += 46 + nameLen
  }
  return out
}

describe('Bitrix24 archive', () => {
  it('puts index.html and install.html at the root with assets beside them, and round-trips bytes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fl-zip-'))
    mkdirSync(join(dir, 'assets'))
    writeFileSync(join(dir, 'index.html'), '<script src="./assets/app.js"></script>')
    writeFileSync(join(dir, 'install.html'), '<p>install</p>')
    const big = Buffer.from('x'.repeat(5000) + 'ünïcode')
    writeFileSync(join(dir, 'assets', 'app.js'), big)
    writeFileSync(join(dir, 'funnel-lens-0.0.1.zip'), 'old archive')
    const zip = readZip(createZip(archiveEntries(dir, join(root, 'manifest.json'))))
    expect([...zip.keys()]).toEqual(['assets/app.js', 'index.html', 'install.html', 'manifest.json'])
    expect(zip.get('assets/app.js')!.equals(big)).toBe(true)
    expect(zip.get('install.html')!.toString()).toBe('<p>install</p>')
  })
})
