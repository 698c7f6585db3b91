/**
 * `npm run demo`: a seeded demo portal (20k deals) with the host page on 127.0.0.1:8787, the app
 * on Vite's dev server, and a browser opened on the host page when there is one. Ctrl-C stops it all.
 *
 * Options (after `npm run demo --`): --deals N, --seed N, --port N, --dump FILE (serve that dump),
 * --now ISO (where the history ends; default: the start of today in the portal's zone),
 * --fresh (rewrite the saved dump), --installed (skip the install wizard on a fresh portal), --no-open.
 */
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createServer, type ViteDevServer } from 'vite'
import type { PortalDump } from '../b24/wire'
import { DEFAULT_DEALS, generatePortal, readDump, writeDump } from './generator'
import { dumpFileName, generationNow, supersededDumps } from './demo-now'
import { hostRoutes } from './host/routes'
import { startPortal, type PortalOptions, type RunningPortal } from './server'

const REPO_ROOT = resolve(fileURLToPath(new URL('../../', import.meta.url)))
const DATA_DIR = join(REPO_ROOT, '.portal-data')
const WEBHOOK_SECRET = 'demo'

interface DemoOptions {
  deals: number
  seed: number
  port: number
  fresh: boolean
  dump: string | null
  /** where the generated history ends (ISO with offset) */
  now: string
  installed: boolean
  open: boolean
}

function parseArgs(argv: string[]): DemoOptions {
  let now: string | undefined
  const opts: Omit<DemoOptions, 'now'> = {
    deals: DEFAULT_DEALS,
    seed: 2024,
    port: 8787,
    fresh: false,
    dump: null,
    installed: false,
    open: true,
  }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    const number = (name: string): number => {
      const v = Number(argv[++i])
      if (!Number.isInteger(v) || v < 0) throw new Error(`${name} needs a whole number, got ${String(argv[i])}`)
      return v
    }
    if (arg === '--deals') opts.deals = number('--deals')
    else if (arg === '--seed') opts.seed = number('--seed')
    else if (arg === '--port') opts.port = number('--port')
    else if (arg === '--fresh') opts.fresh = true
    else if (arg === '--dump') opts.dump = resolve(String(argv[++i] ?? ''))
    else if (arg === '--now') now = String(argv[++i] ?? '')
    else if (arg === '--installed') opts.installed = true
    else if (arg === '--no-open') opts.open = false
    else
      throw new Error(
        `unknown option ${arg}; known: --deals N --seed N --port N --dump FILE --now ISO --fresh --installed --no-open`,
      )
  }
  if (opts.deals < 1) throw new Error('--deals must be at least 1')
  return { ...opts, now: generationNow(now, Date.now()) }
}

/**
 * The portal's data, up to today (or --now). Generating 20k deals takes about 1.5 s and reading
 * the same dump back from JSON about 4 s, so the seeded generator runs every time; its dump is
 * saved once under .portal-data/ for `npm run report -- --dump …`, replacing the dumps saved on
 * earlier days. `--dump FILE` serves a recorded dump instead.
 */
function loadOrGenerate(opts: DemoOptions): PortalDump {
  if (opts.dump) {
    const t = Date.now()
    const dump = readDump(opts.dump)
    console.log(`Portal data: ${dump.deals.length} deals from ${opts.dump} (${Date.now() - t} ms)`)
    return dump
  }
  mkdirSync(DATA_DIR, { recursive: true })
  const name = dumpFileName(opts.seed, opts.deals, opts.now)
  const file = join(DATA_DIR, name)
  const t = Date.now()
  const dump = generatePortal({ seed: opts.seed, deals: opts.deals, now: opts.now })
  // Another day's data is another portal to the app: the browser's cache of yesterday's rows
  // (keyed by member id) must not mix with today's.
  dump.portal.memberId = `${dump.portal.memberId}-${opts.now.slice(0, 10)}`
  const generated = Date.now() - t
  const saved = !existsSync(file) || opts.fresh
  if (saved) {
    writeDump(file, dump)
    for (const old of supersededDumps(readdirSync(DATA_DIR), opts.seed, opts.deals, name)) rmSync(join(DATA_DIR, old))
  }
  console.log(
    `Portal data: ${dump.deals.length} deals, ${dump.leads.length} leads (seed ${opts.seed}) up to ${opts.now}, ` +
      `generated in ${generated} ms; dump ${saved ? 'saved to' : 'already at'} ${relative(file)}`,
  )
  return dump
}

async function startApp(): Promise<{ vite: ViteDevServer; url: string }> {
  const vite = await createServer({
    configFile: join(REPO_ROOT, 'vite.config.ts'),
    root: REPO_ROOT,
    clearScreen: false,
    server: { host: '127.0.0.1', port: 5173, strictPort: false },
  })
  await vite.listen()
  const address = vite.httpServer?.address()
  if (!address || typeof address === 'string') throw new Error('Vite did not start listening')
  return { vite, url: `http://127.0.0.1:${address.port}/` }
}

/** Port 8787 if free, else any free port. */
async function startPortalOnPort(opts: PortalOptions, port: number): Promise<RunningPortal> {
  try {
    return await startPortal({ ...opts, port })
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE' || port === 0) throw err
    console.log(`Port ${port} is busy; using a free one.`)
    return startPortal({ ...opts, port: 0 })
  }
}

/** Best effort: no browser (a server, CI, a container) is fine. */
function openBrowser(url: string): void {
  const cmd = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open'
  try {
    const child = spawn(cmd, [url], { stdio: 'ignore', detached: true })
    child.on('error', () => console.log('(No browser to open here: copy the URL above into one.)'))
    child.unref()
  } catch {
    console.log('(No browser to open here: copy the URL above into one.)')
  }
}

function relative(path: string): string {
  return path.startsWith(REPO_ROOT) ? path.slice(REPO_ROOT.length + 1) : path
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2))
  const dump = loadOrGenerate(opts)
  const app = await startApp()
  let portal: RunningPortal
  try {
    portal = await startPortalOnPort(
      {
        dump,
        dataDir: DATA_DIR,
        installed: opts.installed,
        webhookSecret: WEBHOOK_SECRET,
        extraRoutes: hostRoutes({ appUrl: app.url }),
      },
      opts.port,
    )
  } catch (err) {
    await app.vite.close()
    throw err
  }

  const host = `${portal.url}/host.html`
  console.log(
    [
      '',
      `  Bitrix24 page (host) → ${host}`,
      `    CRM analytics menu   ${host}?placement=CRM_ANALYTICS_MENU`,
      `    deal card tab        ${host}?placement=CRM_DEAL_DETAIL_TAB&deal=1`,
      `    another user         ${host}?user=2   (user 1 is the portal admin)`,
      `  Webhook (REST)       → ${portal.url}/rest/1/${WEBHOOK_SECRET}/   e.g. ${portal.url}/rest/1/${WEBHOOK_SECRET}/crm.deal.list`,
      `  App (Vite)           → ${app.url}   (open it through the host page: alone it has no Bitrix24 around it)`,
      `  App storage          → ${relative(DATA_DIR)}/app-storage.json`,
      '',
      '  Ctrl-C stops the portal and the app.',
      '',
    ].join('\n'),
  )
  if (opts.open) openBrowser(host)

  let stopping = false
  const stop = async (): Promise<void> => {
    if (stopping) return
    stopping = true
    console.log('\nStopping…')
    const results = await Promise.allSettled([portal.close(), app.vite.close()])
    for (const r of results) if (r.status === 'rejected') console.error(r.reason)
    process.exit(0)
  }
  process.on('SIGINT', () => void stop())
  process.on('SIGTERM', () => void stop())
}

main().catch((err: unknown) => {
  console.error(`npm run demo: ${err instanceof Error ? err.message : String(err)}`)
  process.exit(1)
})
