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
