/**
 * The budget and plan storages' rights (issue 8.5). Bitrix24 lets any user call `entity.add`,
 * and the creator gets X (may write items, change rights) — so an employee who creates `flbudget`
 * before the app is installed would keep writing budgets. On install and on every admin load the
 * app reads each storage's ACCESS and, when it is not what the app last set, resets it to
 * `STORAGE_ACCESS` (everyone reads, administrators write) and reports what it found.
 *
 * What "the app last set" is: `entity.rights` always adds `U<caller>: X`, so the rights after a
 * reset name the admin who reset them. They are kept in app option `flStorageRights` (only admins
 * can write app options) and compared as a whole; before the first snapshot, rights are accepted
 * only when they are the app's plus X for the current admin.
 */
import type { AppRest, RestParams } from './app-rest'
import { STORAGES, STORAGE_ACCESS } from './storage'

export const RIGHTS_OPTION = 'flStorageRights'

export type Rights = Record<string, string>

export interface RightsMismatch {
  entity: string
  /** The rights found before the reset. */
  found: Rights
}

export interface RightsCheck {
  /** Storages whose rights differed from the app's and were reset. */
  reset: RightsMismatch[]
  /** Rights now in force, per storage (storages that do not exist yet are absent). */
  rights: Record<string, Rights>
}

function sameRights(a: Rights, b: Rights): boolean {
  const ka = Object.keys(a).sort()
  const kb = Object.keys(b).sort()
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && a[k] === b[k])
}

function asRights(v: unknown): Rights | null {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return null
  return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, l]) => [k, String(l)]))
}

function parseSnapshot(v: unknown): Record<string, Rights> {
  try {
    const parsed = typeof v === 'string' && v ? (JSON.parse(v) as unknown) : null
    if (!parsed || typeof parsed !== 'object') return {}
    const out: Record<string, Rights> = {}
    for (const [entity, r] of Object.entries(parsed as Record<string, unknown>)) {
      const rights = asRights(r)
      if (rights) out[entity] = rights
    }
    return out
  } catch {
    return {}
  }
}

/** The app's rights as `entity.rights` leaves them when `userId` sets them. */
export function appRights(userId: number): Rights {
  return { ...STORAGE_ACCESS, [`U${userId}`]: 'X' }
}

/**
 * Checks both storages and resets any whose rights are not the app's. Admins only (the portal
 * refuses `entity.rights` changes to others). One batch request when all is well.
 */
export async function enforceStorageRights(rest: AppRest & { readonly userId?: number }): Promise<RightsCheck> {
  const userId = rest.userId || Number((await rest.call<{ ID?: unknown }>('profile'))?.ID)
  const probe: Record<string, [string, RestParams]> = { snapshot: ['app.option.get', { option: RIGHTS_OPTION }] }
  for (const s of STORAGES) probe[`r_${s.entity}`] = ['entity.rights', { ENTITY: s.entity }]
  const seen = await rest.batch(probe)
  const snapshot = seen.snapshot.ok ? parseSnapshot(seen.snapshot.result) : {}

  const out: RightsCheck = { reset: [], rights: {} }
  const resets: Record<string, [string, RestParams]> = {}
  for (const s of STORAGES) {
    const r = seen[`r_${s.entity}`]
    if (!r.ok) {
      if (r.error?.code === 'ERROR_ENTITY_NOT_FOUND') continue
      throw r.error!
    }
    const found = asRights(r.result)
    if (!found) continue // no such storage yet: install creates it with the app's rights
    const expected = snapshot[s.entity] ?? appRights(userId)
    if (sameRights(found, expected)) out.rights[s.entity] = found
    else {
      out.reset.push({ entity: s.entity, found })
      resets[s.entity] = ['entity.rights', { ENTITY: s.entity, ACCESS: STORAGE_ACCESS }]
    }
  }
  if (Object.keys(resets).length > 0) {
    const replies = await rest.batch(resets)
    for (const [entity, r] of Object.entries(replies)) {
      if (!r.ok) throw r.error!
      out.rights[entity] = asRights(r.result) ?? appRights(userId)
    }
  }
  const changed = Object.keys(out.rights).some((e) => !snapshot[e] || !sameRights(snapshot[e], out.rights[e]))
  if (changed) await rest.call('app.option.set', { options: { [RIGHTS_OPTION]: JSON.stringify(out.rights) } })
  return out
}
