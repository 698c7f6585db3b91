/**
 * The README is the user's door and docs/ holds the rest (issue 12.6): every relative link in
 * README.md and docs/*.md reaches a file that exists — and, with a #fragment, a heading of that
 * file —, the Quick start still holds its two commands and package.json the scripts they run,
 * and every screenshot shown exists and stays small.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

const ROOT = resolve(__dirname, '..')
const DOCS = join(ROOT, 'docs')
const SHOTS = join(DOCS, 'screenshots')
const PAGES = [
  join(ROOT, 'README.md'),
  ...readdirSync(DOCS)
    .filter((f) => f.endsWith('.md'))
    .map((f) => join(DOCS, f)),
]
/** A screenshot above this is a sign of a full-page or oversized capture (1280×800 ones are ~200 KB). */
const MAX_SHOT_BYTES = 300 * 1024

interface Link {
  page: string
  target: string
}

/** Markdown without fenced blocks and inline code, where `[x](y)` is text, not a link. */
function prose(markdown: string): string {
  return markdown.replace(/^```[\s\S]*?^```/gm, '').replace(/`[^`\n]*`/g, '')
}

function linksOf(page: string): Link[] {
  const found = prose(readFileSync(page, 'utf8')).matchAll(/!?\[[^\]]*\]\(([^)\s]+)\)/g)
  return [...found].map((m) => ({ page, target: m[1] }))
}

const isExternal = (target: string) => /^[a-z][a-z0-9+.-]*:/i.test(target)

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>()
  const seen = new Map<string, number>()
  for (const m of markdown.replace(/^```[\s\S]*?^```/gm, '').matchAll(/^#{1,6}\s+(.+?)\s*#*$/gm)) {
    const base = m[1]
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-')
    const n = seen.get(base) ?? 0
    seen.set(base, n + 1)
    anchors.add(n === 0 ? base : `${base}-${n}`)
  }
  return anchors
}

const links = PAGES.flatMap(linksOf).filter((l) => !isExternal(l.target))
const name = (l: Link) => `${relative(ROOT, l.page)} → ${l.target}`

describe('README and docs/ links', () => {
  it('finds the pages and their links, and names anchors as GitHub does', () => {
    expect(PAGES.length).toBeGreaterThan(5)
    expect(links.length).toBeGreaterThan(20)
    expect([...headingAnchors('# A b\n### Dates: dayjs vs *day* `numbers`\n## A b\n```\n# not\n```')]).toEqual([
      'a-b',
      'dates-dayjs-vs-day-numbers',
      'a-b-1',
    ])
  })

  it('every relative link reaches an existing file', () => {
    const broken = links.filter((l) => {
      const path = l.target.split('#')[0]
      return path !== '' && !existsSync(resolve(dirname(l.page), decodeURI(path)))
    })
    expect(broken.map(name)).toEqual([])
  })

  it('every #fragment names a heading of the page it points at', () => {
    const broken = links.filter((l) => {
      const [path, fragment] = l.target.split('#')
      if (fragment === undefined) return false
      const file = path === '' ? l.page : resolve(dirname(l.page), decodeURI(path))
      if (!file.endsWith('.md') || !existsSync(file)) return false
      return !headingAnchors(readFileSync(file, 'utf8')).has(fragment)
    })
    expect(broken.map(name)).toEqual([])
  })

  it('the README links every docs/ page', () => {
    const readme = new Set(linksOf(join(ROOT, 'README.md')).map((l) => l.target.split('#')[0]))
    const docs = PAGES.filter((p) => p.startsWith(DOCS)).map((p) => relative(ROOT, p))
    expect(docs.filter((d) => !readme.has(d))).toEqual([])
  })
})

describe('README Quick start', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')
  const quickStart = readme.split(/^## /m).find((s) => s.startsWith('Quick start')) ?? ''

  it('holds the two commands, in one sh block', () => {
    expect(quickStart).toContain('```sh\nnpm ci && npm run demo\nnpm ci && npm test\n```')
    expect(quickStart).toMatch(/chromium/)
  })

  it('package.json has the scripts those commands and the README run', () => {
    const scripts = (
      JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
    ).scripts
    const used = new Set([...readme.matchAll(/npm run (\w[\w-]*)/g)].map((m) => m[1]))
    expect(used).toContain('demo')
    expect([...used].filter((s) => !scripts[s])).toEqual([])
    expect(scripts.test).toBeTruthy()
  })
})

describe('screenshots', () => {
  const shown = links.filter((l) => /screenshots\/[^/]+\.png$/.test(l.target))
  const files = existsSync(SHOTS) ? readdirSync(SHOTS).filter((f) => f.endsWith('.png')) : []

  it('the README shows the main pages', () => {
    expect(shown.length).toBeGreaterThanOrEqual(8)
  })

  it('every picture shown exists and stays small', () => {
    const missing = shown.filter((l) => !existsSync(resolve(dirname(l.page), l.target)))
    expect(missing.map(name)).toEqual([])
    const large = files.filter((f) => statSync(join(SHOTS, f)).size > MAX_SHOT_BYTES)
    expect(large).toEqual([])
  })

  it('every picture in docs/screenshots is shown somewhere', () => {
    const used = new Set(shown.map((l) => resolve(dirname(l.page), l.target)))
    expect(files.filter((f) => !used.has(join(SHOTS, f)))).toEqual([])
  })
})
