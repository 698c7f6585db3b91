/**
 * `npm run portal -- --port 8787 [--dump FILE | --seed S --deals N [--now ISO]] [--rate R --burst B]
 *  [--faults SPEC] [--data-dir DIR] [--admins 1,2] [--own-deals-only 5,6] [--secret demo]
 *  [--installed]` — serves a dump (or a freshly generated portal) on 127.0.0.1.
 */
import { parseArgs } from 'node:util'
import type { PortalDump } from '../b24/wire'
import { generatePortal, readDump } from './generator'
import { startPortal } from './server'
import { generationNow } from './demo-now'

const USAGE = `Usage: npm run portal -- [--port N] [--host H] [--dump FILE | --seed S --deals N [--now ISO]]
       [--rate R] [--burst B] [--faults SPEC] [--data-dir DIR] [--admins 1,2]
       [--own-deals-only 5,6] [--secret S] [--token-ttl SEC] [--installed]`

function ids(value: string | undefined, name: string): number[] | undefined {
  if (value === undefined) return undefined
  const list = value.split(',').filter(Boolean).map(Number)
  if (list.some((n) => !Number.isInteger(n) || n <= 0))
    throw new Error(`--${name} takes user ids like 1,2,3 (got "${value}")`)
  return list
}

function num(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined
  const n = Number(value)
  if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} takes a non-negative number (got "${value}")`)
  return n
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      dump: { type: 'string' },
      seed: { type: 'string' },
      deals: { type: 'string' },
      now: { type: 'string' },
      rate: { type: 'string' },
      burst: { type: 'string' },
      faults: { type: 'string' },
      'data-dir': { type: 'string' },
      admins: { type: 'string' },
      'own-deals-only': { type: 'string' },
      secret: { type: 'string' },
      'token-ttl': { type: 'string' },
      installed: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  })
  if (values.help) {
    console.log(USAGE)
    return
  }
  if (values.dump && (values.seed || values.deals || values.now)) {
    throw new Error('--dump and --seed/--deals/--now exclude each other')
  }
  let dump: PortalDump
  if (values.dump) dump = readDump(values.dump)
  else {
    const seed = num(values.seed ?? '1', 'seed') as number
    const deals = num(values.deals, 'deals')
    // Up to today unless --now pins it (demo-now.ts).
    const now = generationNow(values.now, Date.now())
    console.log(`Generating a portal (seed ${seed}${deals ? `, ${deals} deals` : ''}, up to ${now})…`)
    dump = generatePortal({ seed, deals, now })
  }
  const secret = values.secret ?? 'demo'
  const portal = await startPortal({
    dump,
    host: values.host,
    port: num(values.port, 'port') ?? 8787,
    rate: num(values.rate, 'rate'),
    burst: num(values.burst, 'burst'),
    faults: values.faults,
    dataDir: values['data-dir'],
    admins: ids(values.admins, 'admins'),
    ownDealsOnly: ids(values['own-deals-only'], 'own-deals-only'),
    webhookSecret: secret,
    tokenTtlSec: num(values['token-ttl'], 'token-ttl'),
    installed: values.installed,
  })
  const admin = Number(ids(values.admins, 'admins')?.[0] ?? 1)
  console.log(`Demo Bitrix24 portal: ${portal.url}`)
  console.log(
    `  ${dump.deals.length} deals, ${dump.dealHistory.length} stage-history rows, ${dump.users.length} users (zone ${dump.portal.timeZone})`,
  )
  console.log(`  webhook: ${portal.url}/rest/${admin}/${secret}/`)
  console.log(
    `  try:     curl -s -X POST -H 'Content-Type: application/json' -d '{"select":["ID","TITLE"],"start":-1}' ${portal.url}/rest/${admin}/${secret}/crm.deal.list`,
  )
  console.log(`  tokens:  POST ${portal.url}/demo/token {"userId":${admin}}`)
  const stop = (): void => {
    portal.close().then(
      () => process.exit(0),
      () => process.exit(1),
    )
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e))
  console.error(USAGE)
  process.exit(1)
})
