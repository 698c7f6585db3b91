/** Small formatters for the deal-card widget (plain text; Vue escapes it when rendering). */
import { wt, type WidgetLang } from './i18n'

const H = 3_600_000

/** "45 min", "5 h", "3 d 4 h": what a manager reads at a glance. */
export function formatDuration(ms: number, lang: WidgetLang = 'en'): string {
  if (!Number.isFinite(ms) || ms < 0) return '—'
  const [min, h, d] = [wt(lang, 'unit.min'), wt(lang, 'unit.h'), wt(lang, 'unit.d')]
  if (ms < H) return `${Math.max(1, Math.round(ms / 60_000))} ${min}`
  if (ms < 48 * H) return `${Math.round(ms / H)} ${h}`
  // Round the whole span to hours first: 3 d 23.6 h is "4 d", never "3 d 24 h".
  const totalHours = Math.round(ms / H)
  const dayCount = Math.floor(totalHours / 24)
  const hours = totalHours - dayCount * 24
  return hours > 0 && dayCount < 10 ? `${dayCount} ${d} ${hours} ${h}` : `${dayCount} ${d}`
}

export function formatPercent(rate: number | null, lang: WidgetLang = 'en'): string {
  if (rate === null || !Number.isFinite(rate)) return '—'
  return `${new Intl.NumberFormat(lang, { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(rate * 100)} %`
}

export function formatDate(ms: number, lang: WidgetLang): string {
  return new Intl.DateTimeFormat(lang, {
    day: '2-digit',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  }).format(ms)
}
