/**
 * `npm run report -- (--webhook URL | --dump FILE) --from … --to … [options]` (README "Command-line report").
 * Any failure is one line on stderr and a non-zero exit code: 2 for a wrong command line,
 * 1 for data that cannot be loaded (unreachable portal, unreadable dump).
 */
import { UsageError } from './args'
import { oneLine, runReport } from './run'

async function main(): Promise<void> {
  try {
    const out = await runReport(process.argv.slice(2))
    process.stdout.write(out)
  } catch (err) {
    process.stderr.write(`report: ${oneLine(err)}\n`)
    process.exitCode = err instanceof UsageError ? 2 : 1
  }
}

await main()
