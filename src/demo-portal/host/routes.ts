/**
 * Serves the host page (the stand-in for a Bitrix24 page that frames the app) from the demo
 * portal's own origin: the SDK in the frame only accepts messages from
 * `http://<window.name domain>`, and that domain is also where it sends REST calls
 * (shared/docs/sdk.md §1.2), so page, frame name and REST must share one origin.
 */
import { readFile } from 'node:fs/promises'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export type HostRoute = ((req: IncomingMessage, res: ServerResponse, url: URL) => boolean) & {
  /** The framed app's origin: the portal lets it call /rest/ from the browser (CORS). */
  appOrigin: string
}

export const DEFAULT_APP_URL = 'http://127.0.0.1:5173/'

const HOST_DIR = dirname(fileURLToPath(import.meta.url))

/** The only files served under /host/: a fixed list, so no path ever reaches the disk unchecked. */
const ASSETS: Record<string, string> = {
  'host.js': 'text/javascript; charset=utf-8',
  'protocol.js': 'text/javascript; charset=utf-8',
  'portal-api.js': 'text/javascript; charset=utf-8',
  'commands.js': 'text/javascript; charset=utf-8',
  'slider.js': 'text/javascript; charset=utf-8',
  'host.css': 'text/css; charset=utf-8',
}

export function hostRoutes(opts: { appUrl?: string } = {}): HostRoute {
  const appUrl = new URL(opts.appUrl ?? DEFAULT_APP_URL).href
  const route = (req: IncomingMessage, res: ServerResponse, url: URL): boolean => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false
    if (url.pathname === '/host.html' || url.pathname === '/host') {
      void sendPage(res, appUrl, req.method === 'HEAD')
      return true
    }
    const m = /^\/host\/([a-z-]+\.(?:js|css))$/.exec(url.pathname)
    if (m && ASSETS[m[1]]) {
      void sendFile(res, m[1], ASSETS[m[1]], req.method === 'HEAD')
      return true
    }
    return false
  }
  return Object.assign(route, { appOrigin: new URL(appUrl).origin })
}

async function sendPage(res: ServerResponse, appUrl: string, headOnly: boolean): Promise<void> {
  try {
    const html = (await readFile(join(HOST_DIR, 'host.html'), 'utf8')).replace('__APP_URL__', escapeAttribute(appUrl))
    send(res, 200, 'text/html; charset=utf-8', html, headOnly)
  } catch (err) {
    send(res, 500, 'text/plain; charset=utf-8', `host page unavailable: ${(err as Error).message}`, false)
  }
}

async function sendFile(res: ServerResponse, name: string, type: string, headOnly: boolean): Promise<void> {
  try {
    send(res, 200, type, await readFile(join(HOST_DIR, name), 'utf8'), headOnly)
  } catch (err) {
    send(res, 500, 'text/plain; charset=utf-8', `host asset unavailable: ${(err as Error).message}`, false)
  }
}

function send(res: ServerResponse, status: number, type: string, body: string, headOnly: boolean): void {
  res.writeHead(status, {
    'Content-Type': type,
    'Content-Length': Buffer.byteLength(body),
    // The page is a dev tool; never serve a stale protocol script after an edit.
    'Cache-Control': 'no-store',
  })
  res.end(headOnly ? undefined : body)
}

function escapeAttribute(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}
