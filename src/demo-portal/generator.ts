/**
 * Seeded generator of a realistic Bitrix24 portal for a network of 32 branches (issue 2):
 * two pipelines, ~100 managers, six ad channels that convert and drop out differently,
 * two years of deals, leads, stage history, touches, calls and tasks — every row exactly in
 * the REST wire format (shared/docs/rest.md §1.6, §4–§7). Same seed ⇒ byte-identical dump.
 *
 * Deliberate wire oddities the app must survive: deals without history rows, skipped stages,
 * backward moves, re-opened losses, pipeline changes (TYPE_ID 5), a deleted stage in old
 * history and an unknown current stage, deals of deleted and dismissed users, empty city
 * fields, converted deals without SOURCE_ID, USD deals, and HTML-looking deal titles.
 */
import type { PortalDump } from '../b24/wire'
import { generateClients } from './gen-clients'
import { createContext } from './gen-context'
import { walkDeal } from './gen-deal-walk'
import { buildDictionaries } from './gen-dictionaries'
import { DUMP_FORMAT } from './gen-dump-io'
import { dealHistoryRows, leadHistoryRows } from './gen-history'
import { walkLeads } from './gen-leads'
import { buildStaff } from './gen-people'
import { planNetwork } from './gen-plan'
import { Random } from './gen-random'
import { DAY, PORTAL_TIME_ZONE, parseIsoOption } from './gen-time'
import { materializeTouches } from './gen-touches'
import { demoAppOptions } from './gen-settings'

export { readDump, validateDump, writeDump } from './gen-dump-io'
export { CITY_FIELD, LOSS_REASON_FIELD } from './gen-dictionaries'

export interface GeneratorOptions {
  seed: number
  /** Number of deals; default 20,000. Leads are about 1.5× that. */
  deals?: number
  /**
   * End of the generated history, ISO with offset; default '2026-11-20T12:00:00+03:00', pinned
   * for the tests and benchmarks that call the generator. `npm run demo` and `npm run portal`
   * pass today instead (demo-now.ts), unless `--now` pins it.
   */
  now?: string
}

export const DEFAULT_DEALS = 20_000
export const DEFAULT_NOW = '2026-11-20T12:00:00+03:00'
/** Length of the generated history. */
export const HISTORY_DAYS = 730

export function generatePortal(opts: GeneratorOptions): PortalDump {
  const deals = opts.deals ?? DEFAULT_DEALS
  if (!Number.isInteger(opts.seed)) throw new Error(`seed must be an integer, got ${String(opts.seed)}`)
  if (!Number.isInteger(deals) || deals < 1) throw new Error(`deals must be a positive integer, got ${String(deals)}`)
  const now = parseIsoOption(opts.now ?? DEFAULT_NOW, 'now')
  const start = now - HISTORY_DAYS * DAY
  const random = new Random(opts.seed)
  const staff = buildStaff(random, start, now)
  const dict = buildDictionaries(now)
  const ctx = createContext(random, now, start, staff, dict, deals)
  const plan = planNetwork(ctx, deals)
  const dealRows = plan.deals.map((deal, i) => walkDeal(ctx, deal, i + 1, plan.leads))
  const leadRows = walkLeads(ctx, plan, dealRows)
  const touches = materializeTouches(ctx.touches)
  const clients = generateClients(opts.seed, dealRows)
  return {
    format: DUMP_FORMAT,
    portal: {
      domain: 'horizon-edu.bitrix24.ru',
      memberId: `demo-${opts.seed}`,
      timeZone: PORTAL_TIME_ZONE,
      language: 'en',
    },
    // Before the tables, where writeDump puts them (a dump read back has the same key order).
    appOptions: demoAppOptions(),
    deals: dealRows,
    leads: leadRows,
    dealHistory: dealHistoryRows(ctx.dealEvents, ctx.stages),
    leadHistory: leadHistoryRows(ctx.leadEvents, ctx.stages),
    statuses: dict.statuses,
    dealCategories: dict.dealCategories,
    dealUserFields: dict.dealUserFields,
    leadUserFields: dict.leadUserFields,
    users: staff.users,
    departments: staff.departments,
    activities: touches.activities,
    calls: touches.calls,
    tasks: touches.tasks,
    currencies: dict.currencies,
    companies: clients.companies,
    contacts: clients.contacts,
  }
}
