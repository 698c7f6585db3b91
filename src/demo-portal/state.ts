/**
 * Everything one running demo portal holds: the dump's tables (id-sorted), the app storage,
 * OAuth tokens and who may see what.
 */
import { randomBytes } from 'node:crypto'
import type {
  ActivityRow,
  CallRow,
  DealRow,
  DepartmentRow,
  LeadRow,
  PortalDump,
  StageHistoryRow,
  TaskRow,
  UserRow,
} from '../b24/wire'
import { AppStore } from './store'
import { Table } from './table'

export interface TokenRecord {
  userId: number
  expiresAt: number
}

export interface AuthContext {
  kind: 'webhook' | 'oauth'
  userId: number
}

export class PortalState {
  readonly timeZone: string
  readonly deals: Table<DealRow>
  readonly leads: Table<LeadRow>
  readonly dealHistory: Table<StageHistoryRow>
  readonly leadHistory: Table<StageHistoryRow>
  readonly activities: Table<ActivityRow>
  readonly calls: Table<CallRow>
  readonly tasks: Table<TaskRow>
  readonly users: Table<UserRow>
  readonly departments: Table<DepartmentRow>
  readonly accessTokens = new Map<string, TokenRecord>()
  readonly refreshTokens = new Map<string, number>()
  readonly admins: Set<number>
  readonly ownDealsOnly: Set<number>
  /** Bumped on every deal/lead change; keys the visible-owner caches. */
  version = 0
  private readonly ownerCache = new Map<string, { version: number; ids: Set<number> }>()
  /** Epoch ms; token lifetimes and the rate limiter read it (tests inject their own). */
  readonly clock: () => number

  constructor(
    readonly dump: PortalDump,
    readonly store: AppStore,
    opts: { admins?: number[]; ownDealsOnly?: number[]; clock?: () => number },
  ) {
    this.clock = opts.clock ?? Date.now
    this.timeZone = dump.portal.timeZone || 'UTC'
    this.deals = new Table(dump.deals, (r) => Number(r.ID))
    this.leads = new Table(dump.leads, (r) => Number(r.ID))
    this.dealHistory = new Table(dump.dealHistory, (r) => r.ID)
    this.leadHistory = new Table(dump.leadHistory, (r) => r.ID)
    this.activities = new Table(dump.activities, (r) => Number(r.ID))
    this.calls = new Table(dump.calls, (r) => Number(r.ID))
    this.tasks = new Table(dump.tasks, (r) => Number(r.id))
    this.users = new Table(dump.users, (r) => Number(r.ID))
    this.departments = new Table(dump.departments, (r) => Number(r.ID))
    this.admins = new Set(opts.admins ?? [1])
    this.ownDealsOnly = new Set(opts.ownDealsOnly ?? [])
  }

  user(id: number): UserRow | undefined {
    return this.users.get(id)
  }

  isAdmin(userId: number): boolean {
    return this.admins.has(userId)
  }

  /** Users whose CRM role limits them to rows assigned to them. */
  restricted(userId: number): boolean {
    return this.ownDealsOnly.has(userId)
  }

  /**
   * Users whose tasks `userId` sees as their head (tasks.task.list: "managers see their
   * employees' tasks"): members of every department `userId` heads (UF_HEAD), and of all
   * departments below those.
   */
  subordinates(userId: number): Set<number> {
    const uid = String(userId)
    const children = new Map<string, string[]>()
    for (const d of this.departments.rows) {
      if (d.PARENT) children.set(d.PARENT, [...(children.get(d.PARENT) ?? []), String(d.ID)])
    }
    const headed = new Set<string>()
    const walk = (id: string): void => {
      if (headed.has(id)) return
      headed.add(id)
      for (const c of children.get(id) ?? []) walk(c)
    }
    for (const d of this.departments.rows) if (String(d.UF_HEAD ?? '') === uid) walk(String(d.ID))
    const out = new Set<number>()
    for (const u of this.users.rows) if (u.UF_DEPARTMENT?.some((d) => headed.has(String(d)))) out.add(Number(u.ID))
    out.delete(userId)
    return out
  }

  /** Ids of deals (or leads) assigned to `userId`, cached until the next change. */
  ownedIds(kind: 'deal' | 'lead', userId: number): Set<number> {
    const key = `${kind}:${userId}`
    const hit = this.ownerCache.get(key)
    if (hit && hit.version === this.version) return hit.ids
    const ids = new Set<number>()
    const rows = kind === 'deal' ? this.deals.rows : this.leads.rows
    const uid = String(userId)
    for (const r of rows) if (String(r.ASSIGNED_BY_ID) === uid) ids.add(Number(r.ID))
    this.ownerCache.set(key, { version: this.version, ids })
    return ids
  }

  issueToken(
    userId: number,
    ttlSec: number,
  ): { accessToken: string; refreshToken: string; expiresIn: number; memberId: string } {
    const accessToken = randomBytes(16).toString('hex')
    const refreshToken = randomBytes(16).toString('hex')
    this.accessTokens.set(accessToken, { userId, expiresAt: this.clock() + ttlSec * 1000 })
    this.refreshTokens.set(refreshToken, userId)
    return { accessToken, refreshToken, expiresIn: ttlSec, memberId: this.dump.portal.memberId }
  }

  /** Refresh tokens are single-use, as on oauth.bitrix.info. */
  refresh(
    refreshToken: string,
    ttlSec: number,
  ): { accessToken: string; refreshToken: string; expiresIn: number } | null {
    const userId = this.refreshTokens.get(refreshToken)
    if (userId === undefined) return null
    this.refreshTokens.delete(refreshToken)
    const t = this.issueToken(userId, ttlSec)
    return { accessToken: t.accessToken, refreshToken: t.refreshToken, expiresIn: t.expiresIn }
  }

  expireTokens(): void {
    for (const rec of this.accessTokens.values()) rec.expiresAt = 0
  }
}
