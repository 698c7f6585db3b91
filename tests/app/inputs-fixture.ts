/**
 * The budget/plan editors' world for component tests: the demo portal's own REST methods called
 * in process (no HTTP, no SDK) behind the app's `AppRest`, so reading, saving and two admins'
 * conflicts run the real storage code against the real entity.* methods.
 */
import type { AppRest, BatchReply, RestParams } from '../../src/b24/app-rest'
import { RestError } from '../../src/b24/app-rest'
import type { InputDictionaries } from '../../src/b24/input-dictionaries'
import { ensureStorages } from '../../src/b24/storage'
import { emptyDump } from '../../src/b24/wire'
import { invoke } from '../../src/demo-portal/dispatch'
import { OperatingMeter, PortalRestError } from '../../src/demo-portal/envelope'
import type { JsonObject } from '../../src/demo-portal/params'
import { PortalState } from '../../src/demo-portal/state'
import { AppStore } from '../../src/demo-portal/store'

export const DICT: InputDictionaries = {
  sources: [
    { id: 'WEB', name: 'Website' },
    { id: 'ADS', name: 'Ads' },
  ],
  cities: [{ id: 'msk', name: 'Moscow' }],
  managers: [
    { id: '1', name: 'Anna' },
    { id: '2', name: 'Boris' },
  ],
  currencies: ['RUB', 'USD'],
  baseCurrency: 'RUB',
}

export interface InputsPortal {
  state: PortalState
  /** The app's REST surface as `userId` (admins: 1 and 2). */
  restFor(userId: number): AppRest
}

/** An empty portal whose budget and plan storages exist (created by admin 1, as the install does). */
export async function inputsPortal(): Promise<InputsPortal> {
  const dump = emptyDump({ domain: 'demo.example', memberId: 'm', timeZone: 'UTC', language: 'en' })
  const state = new PortalState(dump, new AppStore(undefined, true), { admins: [1, 2] })
  const meter = new OperatingMeter()
  const run = (userId: number, method: string, params: RestParams = {}) => {
    const raw = JSON.parse(JSON.stringify(params)) as JsonObject
    try {
      const { body } = invoke(state, meter, { kind: 'oauth', userId }, method, raw)
      return { ok: true, result: body.result, total: body.total ?? 0, error: null }
    } catch (err) {
      if (!(err instanceof PortalRestError)) throw err
      return { ok: false, result: null, total: 0, error: new RestError(method, err.code, err.description, err.status) }
    }
  }
  const restFor = (userId: number): AppRest => ({
    isAdmin: state.isAdmin(userId),
    async call<T>(method: string, params?: RestParams): Promise<T> {
      const reply = run(userId, method, params)
      if (!reply.ok) throw reply.error!
      return reply.result as T
    },
    async batch(commands) {
      const out: Record<string, BatchReply> = {}
      for (const [name, [method, params]] of Object.entries(commands)) out[name] = run(userId, method, params)
      return out
    },
  })
  await ensureStorages(restFor(1))
  return { state, restFor }
}
