/**
 * Issue 12 point 2: one error family. Every layer's errors are FunnelLensErrors with a stable
 * `code` and their own class name (kept explicitly, so a minified build still reports it), and
 * the CLI still sorts them into exit codes by layer.
 */
import { describe, expect, it } from 'vitest'
import { FunnelLensError } from '../../src/errors'
import { RestError } from '../../src/b24/app-rest'
import { ConnectError } from '../../src/b24/connect'
import { LoaderError } from '../../src/b24/loader'
import { AbortedError } from '../../src/b24/retry'
import { QueryError } from '../../src/engine/errors'
import { parseDay } from '../../src/engine/periods'
import { UsageError } from '../../src/cli/args'
import { DataSourceError } from '../../src/cli/load'
import { EXIT, exitCodeFor, InternalError } from '../../src/cli/errors'
import { PortalRestError } from '../../src/demo-portal/envelope'
import { FaultSpecError } from '../../src/demo-portal/faults'
import { EngineError, engineNotReady } from '../../src/app/errors'

const family: Array<[FunnelLensError, string, string]> = [
  [new RestError('crm.deal.list', 'ACCESS_DENIED', 'no', 403), 'RestError', 'ACCESS_DENIED'],
  [new ConnectError('no portal'), 'ConnectError', 'CONNECT'],
  [new LoaderError('NO_PROGRESS', 'stuck'), 'LoaderError', 'NO_PROGRESS'],
  [new AbortedError(), 'AbortError', 'ABORTED'],
  [new QueryError('BAD_QUERY', 'bad'), 'QueryError', 'BAD_QUERY'],
  [new UsageError('--from?'), 'UsageError', 'USAGE'],
  [new DataSourceError('no dump'), 'DataSourceError', 'DATA_SOURCE'],
  [new InternalError('x', new TypeError('y')), 'InternalError', 'INTERNAL'],
  [new PortalRestError(403, 'ACCESS_DENIED', 'Access denied!'), 'PortalRestError', 'ACCESS_DENIED'],
  [new FaultSpecError('boom'), 'FaultSpecError', 'BAD_FAULT_SPEC'],
  [new EngineError('ENGINE_STOPPED', 'stopped'), 'EngineError', 'ENGINE_STOPPED'],
]

describe('one error family', () => {
  it.each(family.map(([err, name, code]) => ({ err, name, code })))(
    '$name is a FunnelLensError with code $code',
    ({ err, name, code }) => {
      expect(err).toBeInstanceOf(FunnelLensError)
      expect(err).toBeInstanceOf(Error)
      expect(err.name).toBe(name)
      expect(err.code).toBe(code)
      expect(err.message).not.toBe('')
    },
  )

  it('no two classes share a name', () => {
    const names = family.map(([err]) => err.constructor.name)
    expect(new Set(names).size).toBe(names.length)
  })

  it('the REST errors keep the wire code and what the portal said', () => {
    const err = new RestError('crm.deal.list', 'ACCESS_DENIED', 'Access denied!', 403)
    expect(err.message).toBe('crm.deal.list: ACCESS_DENIED — Access denied!')
    expect(new PortalRestError(400, 'ERROR_BATCH_LENGTH_EXCEEDED', 'Max').toBody()).toEqual({
      error: 'ERROR_BATCH_LENGTH_EXCEEDED',
      error_description: 'Max',
    })
  })

  it('a figure clicked before the engine has the data is an EngineError the user can act on', () => {
    const err = engineNotReady()
    expect(err).toBeInstanceOf(EngineError)
    expect(err.code).toBe('ENGINE_NOT_READY')
    expect(err.message).toMatch(/wait for the data to load/)
  })

  it('the engine rejects a bad date with a QueryError, which the CLI reports as a usage mistake', () => {
    let thrown: unknown
    try {
      parseDay('2024-02-30')
    } catch (err) {
      thrown = err
    }
    expect(thrown).toBeInstanceOf(QueryError)
    expect((thrown as QueryError).code).toBe('BAD_DATE')
    expect(exitCodeFor(new UsageError('x'))).toBe(EXIT.usage)
    expect(exitCodeFor(new DataSourceError('x'))).toBe(EXIT.data)
    expect(exitCodeFor(new InternalError('x', null))).toBe(EXIT.internal)
  })
})
