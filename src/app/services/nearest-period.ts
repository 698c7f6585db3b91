/**
 * An empty report offers the nearest period that has deals, one click away: a period as long as
 * the one on screen, ending on the last day with deals before it, or starting on the first day
 * with deals after it — whichever is closer (the earlier one on a tie: it is complete).
 */
import type { DataDays } from '../../engine/data-days'
import { dayjs, ISO_DAY } from './dayjs'
import type { DateRange } from './period-presets'

const day = (iso: string) => dayjs.utc(iso)

export function nearestPeriod(range: DateRange, data: DataDays | null | undefined): DateRange | null {
  if (!data) return null
  const days = day(range.to).diff(day(range.from), 'day') + 1
  const gapBefore = data.lastBefore === null ? Infinity : day(range.from).diff(day(data.lastBefore), 'day')
  const gapAfter = data.firstAfter === null ? Infinity : day(data.firstAfter).diff(day(range.to), 'day')
  if (gapBefore === Infinity && gapAfter === Infinity) return null
  if (gapBefore <= gapAfter) {
    const to = day(data.lastBefore as string)
    return { from: to.subtract(days - 1, 'day').format(ISO_DAY), to: to.format(ISO_DAY) }
  }
  const from = day(data.firstAfter as string)
  return { from: from.format(ISO_DAY), to: from.add(days - 1, 'day').format(ISO_DAY) }
}
