/**
 * CRM text (deal titles, names, source names, loss reasons) is untrusted. Vue templates escape
 * it on their own; ApexCharts does not: its formatters, labels and tooltips are inserted as
 * HTML/SVG markup. Every string handed to a chart goes through this first.
 */
const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
}

export function escapeHtml(value: unknown): string {
  if (value === null || value === undefined) return ''
  return String(value).replace(/[&<>"'`]/g, (ch) => ENTITIES[ch])
}

const DECODED: Record<string, string> = Object.fromEntries(Object.entries(ENTITIES).map(([ch, entity]) => [entity, ch]))

/** The inverse of escapeHtml, for text that goes where markup is never parsed (SVG textContent). */
export function unescapeHtml(value: unknown): string {
  if (value === null || value === undefined) return ''
  return String(value).replace(/&(?:amp|lt|gt|quot|#39|#96);/g, (entity) => DECODED[entity])
}
