/** Which REST method a /rest/ URL names, and the webhook credentials it carries (rest.md §1.1). */

export interface RestRoute {
  method: string
  webhook?: { userId: number; secret: string }
}

/** `crm.deal.list.json` → `crm.deal.list`: method names are case-insensitive, the suffix optional. */
function methodName(segment: string): string {
  return segment
    .trim()
    .toLowerCase()
    .replace(/\.(json|xml)$/, '')
}

/** /rest/<method>[.json], /rest//<method>, /rest/<uid>/<secret>/<method>[.json]. */
export function parseRestPath(pathname: string): RestRoute | null {
  if (!pathname.startsWith('/rest/')) return null
  const parts = pathname.slice('/rest/'.length).split('/').map(decodeURIComponent)
  if (parts.length === 1 && parts[0]) return { method: methodName(parts[0]) }
  if (parts.length === 2 && parts[0] === '' && parts[1]) return { method: methodName(parts[1]) }
  if (parts.length === 3 && /^\d+$/.test(parts[0]) && parts[2])
    return { method: methodName(parts[2]), webhook: { userId: Number(parts[0]), secret: parts[1] } }
  return null
}
