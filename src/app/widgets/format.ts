/** Small formatters for the deal-card widget (plain text; Vue escapes it when rendering). */
import type { TouchKind } from '../../engine/types'

const H = 3_600_000

/** "45 min", "5 h", "3 d 4 h": what a manager reads at a glance. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—'
  if (ms < H) return `${Math.max(1, Math.round(ms / 60_000))} min`
  if (ms < 48 * H) return `${Math.round(ms / H)} h`
  const days = Math.floor(ms / (24 * H))
  const hours = Math.round((ms - days * 24 * H) / H)
  return hours > 0 && days < 10 ? `${days} d ${hours} h` : `${days} d`
}

export function formatPercent(rate: number | null): string {
  return rate === null || !Number.isFinite(rate) ? '—' : `${(rate * 100).toFixed(1)} %`
}

export function formatDate(ms: number, locale: string): string {
  return new Intl.DateTimeFormat(locale, { day: '2-digit', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' }).format(ms)
}

export const TOUCH_LABEL: Record<TouchKind, string> = {
  call: 'Call',
  email: 'E-mail',
  sms: 'Message',
  meeting: 'Meeting',
  task: 'Task',
  other: 'Activity',
}
