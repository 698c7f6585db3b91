/**
 * How the command line fails: one line on stderr and an exit code that says whose problem it is.
 *   2  the command line (UsageError)
 *   1  the data: a portal that cannot be reached or refuses, a dump that cannot be read
 *   3  a bug in Funnel Lens (InternalError, or a JavaScript TypeError/ReferenceError anywhere)
 */
import { FunnelLensError } from '../errors'
import { UsageError } from './args'

export const EXIT = { data: 1, usage: 2, internal: 3 } as const

/** A failure that is ours, not the user's: the report code threw where it never should. */
export class InternalError extends FunnelLensError {
  constructor(
    readonly where: string,
    readonly failure: unknown,
  ) {
    super('INTERNAL', `internal error in ${where} (${describe(failure)})`, 'InternalError', { cause: failure })
  }
}

function describe(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err)
}

/** JavaScript's own errors are programming mistakes, wherever they surface. */
function isBug(err: unknown): boolean {
  return err instanceof InternalError || err instanceof TypeError || err instanceof ReferenceError
}

export function exitCodeFor(err: unknown): number {
  if (err instanceof UsageError || (err instanceof Error && err.name === 'UsageError')) return EXIT.usage
  return isBug(err) ? EXIT.internal : EXIT.data
}

/**
 * Text from outside (a portal's error_description, a file name, an argument) may carry terminal
 * escape sequences that recolour, retitle or clear the user's terminal, or a carriage return
 * that overwrites the line: drop escape sequences and every other control character.
 */
export function terminalSafe(text: string): string {
  return text
    .replace(/\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?/g, '') // OSC: title, hyperlinks
    .replace(/\u001b\[[0-?]*[ -/]*[@-~]/g, '') // CSI: colours, cursor, clear screen
    .replace(/\u001b[@-_]?/g, '') // any other escape
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '')
}

/** The one line printed for a failure: first non-empty line of the message, made safe. */
export function errorLine(err: unknown): string {
  const text = isBug(err) && !(err instanceof InternalError) ? new InternalError('the report', err).message : ''
  const message = text || (err instanceof Error ? err.message : String(err))
  const first = message.split(/\r?\n/).find((l) => terminalSafe(l).trim() !== '') ?? 'unknown error'
  const line = terminalSafe(first).replace(/\t/g, ' ').trim()
  return isBug(err) ? `${line}. This is a bug in Funnel Lens, not in your command or data: please report it.` : line
}
