/**
 * The HTTP primitives every demo-portal route uses: a JSON answer with an exact length, and a
 * request body read with a size cap.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { PortalRestError } from './envelope'

/** Larger bodies are refused with 413 before they fill memory. */
export const MAX_BODY = 32 * 1024 * 1024

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body)
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
  })
  res.end(text)
}

/** `{error, error_description}` with a status: the shape of every refusal the portal sends. */
export function sendError(res: ServerResponse, status: number, error: string, description: string): void {
  sendJson(res, status, { error, error_description: description })
}

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (c: Buffer) => {
      size += c.length
      if (size > MAX_BODY) {
        reject(new PortalRestError(413, 'INVALID_REQUEST', 'Request body too large'))
        req.destroy()
        return
      }
      chunks.push(c)
    })
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

/** Answers a request whose handler failed unexpectedly with 500, unless an answer has already begun. */
export function answerCrash(res: ServerResponse, e: unknown): void {
  if (!res.headersSent) sendError(res, 500, 'INTERNAL_SERVER_ERROR', e instanceof Error ? e.message : String(e))
}
