/**
 * Runs the command-line report as a child process, exactly as a person would (node + tsx,
 * not npx: npm prints its own warnings on stderr, and stderr is what the error tests read).
 */
import { execFile } from 'node:child_process'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect } from 'vitest'

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..')

export interface CliResult {
  code: number
  stdout: string
  stderr: string
}

/** `env` is added to this process's environment (e.g. FUNNEL_LENS_WEBHOOK). */
export function runCli(args: string[], timeoutMs = 60_000, env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolveRun) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'src/cli/report.ts', ...args],
      { cwd: ROOT, timeout: timeoutMs, maxBuffer: 256 * 1024 * 1024, env: { ...process.env, ...env } },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0
        resolveRun({ code, stdout: String(stdout), stderr: String(stderr) })
      },
    )
  })
}

/** Runs a report that must succeed (exit 0, nothing on stderr) and returns its JSON. */
export async function runReport(args: string[]): Promise<Record<string, unknown>> {
  const r = await runCli(args)
  expect(r.stderr).toBe('')
  expect(r.code).toBe(0)
  return JSON.parse(r.stdout) as Record<string, unknown>
}

/** Minimal RFC 4180 reader for the CLI's CSV (quoted cells may hold commas, quotes, newlines). */
export function readCsv(text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let cell = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"'
        i++
      } else if (c === '"') quoted = false
      else cell += c
    } else if (c === '"') quoted = true
    else if (c === ',') {
      row.push(cell)
      cell = ''
    } else if (c === '\n') {
      row.push(cell)
      rows.push(row)
      row = []
      cell = ''
    } else cell += c
  }
  if (cell !== '' || row.length) {
    row.push(cell)
    rows.push(row)
  }
  return rows
}
