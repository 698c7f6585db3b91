import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startPortal, type RunningPortal } from '../../src/demo-portal/server'
import { makeDump, post, TIME_KEYS } from './fixture'

let portal: RunningPortal
let hook: string

beforeAll(async () => {
  portal = await startPortal({ dump: makeDump(), port: 0, rate: 1000, burst: 10_000 })
  hook = `${portal.url}/rest/1/demo`
})
afterAll(() => portal.close())

type BatchResult = {
  result: unknown
  result_error: unknown
  result_total: unknown
  result_next: unknown
  result_time: unknown
}

describe('batch', () => {
  it('runs named commands and fills the five sub-maps, empty ones as []', async () => {
    const { status, body } = await post(hook, 'batch', {
      halt: 0,
      cmd: {
        get_user: 'user.current',
        get_department: 'department.get?ID=$result[get_user][UF_DEPARTMENT][0]',
        page: 'crm.deal.list?filter[>ID]=10&select[0]=ID&order[ID]=ASC',
      },
    })
    expect(status).toBe(200)
    const r = body.result as BatchResult
    expect(Object.keys(r)).toEqual(['result', 'result_error', 'result_total', 'result_next', 'result_time'])
    const res = r.result as Record<string, unknown>
    expect((res.get_user as { ID: string }).ID).toBe('1')
    expect(res.get_department).toEqual([{ ID: '1', NAME: 'Company', SORT: 500 }])
    expect((res.page as unknown[]).length).toBe(50)
    expect(r.result_error).toEqual([])
    expect(r.result_total).toEqual({ get_department: 1, page: 110 })
    expect(r.result_next).toEqual({ page: 50 })
    expect(Object.keys((r.result_time as Record<string, object>).get_user)).toEqual(TIME_KEYS)
    expect(Object.keys(body.time ?? {})).toEqual(TIME_KEYS)
  })

  it('array cmd gives list-shaped sub-maps; command errors stay HTTP 200', async () => {
    const { status, body } = await post(hook, 'batch', {
      cmd: ['crm.deal.get?id=1', 'no.such.method', 'crm.deal.list?filter=x&start=-1'],
    })
    expect(status).toBe(200)
    const r = body.result as BatchResult
    // PHP json_encode: keys exactly 0..n-1 → list; keys 1, 2 → object.
    expect(Array.isArray(r.result)).toBe(true)
    expect((r.result as { ID: string }[])[0].ID).toBe('1')
    expect(r.result_error).toEqual({
      1: { error: 'ERROR_METHOD_NOT_FOUND', error_description: 'Method not found!' },
      2: { error: '', error_description: "Parameter 'filter' must be array." },
    })
    const ok = await post(hook, 'batch', { cmd: ['server.time', 'scope'] })
    const okr = ok.body.result as BatchResult
    expect(Array.isArray(okr.result)).toBe(true)
    expect(okr.result_total).toEqual([])
    expect(okr.result_next).toEqual([])
  })

  it('halt stops at the first failing command', async () => {
    const { body } = await post(hook, 'batch', { halt: 1, cmd: { a: 'crm.deal.get?id=999', b: 'server.time' } })
    const r = body.result as BatchResult
    expect(r.result).toEqual([])
    expect(Object.keys(r.result_error as object)).toEqual(['a'])
    const go = await post(hook, 'batch', { halt: 0, cmd: { a: 'crm.deal.get?id=999', b: 'server.time' } })
    expect(Object.keys((go.body.result as BatchResult).result as object)).toEqual(['b'])
  })

  it('back-references reach list rows, $total and $next; a miss keeps the deepest value found', async () => {
    const { body } = await post(hook, 'batch', {
      cmd: {
        first: 'crm.deal.list?filter[>ID]=40&order[ID]=ASC&select[0]=ID&select[1]=ASSIGNED_BY_ID',
        owner: 'user.get?ID=$result[first][0][ASSIGNED_BY_ID]',
        again: 'crm.deal.get?id=$result[first][1][ID]',
        more: 'crm.deal.list?select[0]=ID&start=$next[first]&filter[>ID]=40&order[ID]=ASC',
        text: 'crm.deal.list?select[0]=ID&filter[%TITLE]=deal $result[first][2][ID]&start=-1',
        missing: 'crm.deal.list?select[0]=ID&filter[ID]=$result[first][0][NOPE]&start=-1',
      },
    })
    const res = (body.result as BatchResult).result as Record<string, unknown>
    expect((res.owner as { ID: string }[]).map((u) => u.ID)).toEqual(['3']) // deal 41 → user (41 % 3) + 1
    expect((res.again as { ID: string }).ID).toBe('42')
    expect((res.more as { ID: string }[])[0].ID).toBe('91')
    expect((res.text as { ID: string }[]).map((d) => d.ID)).toEqual(['43'])
    // [NOPE] is not a key of row 0, so the filter value becomes row 0 itself ({ID:"41",…}) → IN over its values.
    expect((res.missing as { ID: string }[]).map((d) => d.ID)).toEqual(['3', '41'])
  })

  it('refuses more than 50 commands (400) and nested batch (405)', async () => {
    const many = await post(hook, 'batch', { cmd: Array.from({ length: 51 }, () => 'server.time') })
    expect(many.status).toBe(400)
    expect(many.body).toEqual({ error: 'ERROR_BATCH_LENGTH_EXCEEDED', error_description: 'Max batch length exceeded' })
    const nested = await post(hook, 'batch', { cmd: ['server.time', 'batch?cmd[0]=server.time'] })
    expect(nested.status).toBe(405)
    expect(nested.body.error).toBe('ERROR_BATCH_METHOD_NOT_ALLOWED')
  })

  it('reads double-encoded urlencoded batches (data-encoding.md)', async () => {
    const qs =
      'halt=0&cmd[a]=crm.deal.list%3Ffilter%255B%253EID%255D%3D118%26select%255B0%255D%3DID&cmd[b]=user.current'
    const res = await fetch(`${hook}/batch?${qs}`)
    const body = (await res.json()) as { result: BatchResult }
    expect((body.result.result as Record<string, { ID: string }[]>).a.map((d) => d.ID)).toEqual(['119', '120'])
  })

  it('counts as one request for the limiter', async () => {
    portal.stats.reset()
    await post(hook, 'batch', { cmd: Array.from({ length: 50 }, () => 'server.time') })
    expect(portal.stats.requests).toBe(1)
    expect(portal.stats.byMethod).toEqual({ batch: 1 })
  })
})
