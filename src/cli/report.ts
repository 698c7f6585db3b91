/**
 * `npm run report -- (--webhook URL | --webhook-file FILE | --dump FILE) --from … --to … [options]`
 * (docs/cli.md). Any failure is one line on stderr, stripped of terminal control
 * characters, and an exit code (errors.ts): 2 for a wrong command line, 1 for data that cannot be
 * loaded, 3 for a bug of ours. Warnings (unknown filter ids, a clamped period) go to stderr too.
 * The report code is imported inside the try, so even a failure to load it stays one line.
 */

async function main(): Promise<void> {
  const { errorLine, exitCodeFor, terminalSafe } = await import('./errors')
  try {
    const { runReport } = await import('./run')
    const warn = (line: string) => process.stderr.write(`report: warning: ${terminalSafe(line)}\n`)
    process.stdout.write(await runReport(process.argv.slice(2), { env: process.env, warn }))
  } catch (err) {
    process.stderr.write(`report: ${errorLine(err)}\n`)
    process.exitCode = exitCodeFor(err)
  }
}

await main()

export {}
