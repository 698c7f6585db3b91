/**
 * `npm run report -- (--webhook URL | --dump FILE) --from … --to … [options]` (README "Command-line report").
 * Any failure is one line on stderr and a non-zero exit code: 2 for a wrong command line,
 * 1 for data that cannot be loaded (unreachable portal, unreadable dump) or anything else.
 * The report code is imported inside the try, so even a failure to load it stays one line.
 */

/** One line, whatever the error: the first non-empty line of its message. */
function oneLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err)
  return (text.split('\n').find((l) => l.trim() !== '') ?? 'unknown error').trim()
}

async function main(): Promise<void> {
  try {
    const { runReport } = await import('./run')
    process.stdout.write(await runReport(process.argv.slice(2)))
  } catch (err) {
    process.stderr.write(`report: ${oneLine(err)}\n`)
    process.exitCode = err instanceof Error && err.name === 'UsageError' ? 2 : 1
  }
}

await main()

export {}
