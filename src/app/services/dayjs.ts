/**
 * dayjs with the plugins the UI's calendar code uses, extended once: utc and timezone (the
 * portal's zone, DST included), isoWeek (weeks start on Monday) and quarterOfYear.
 * The engine keeps its own day-number math (src/engine/periods.ts): it runs per deal on the hot path.
 */
import dayjs from 'dayjs'
import utc from 'dayjs/plugin/utc'
import timezone from 'dayjs/plugin/timezone'
import isoWeek from 'dayjs/plugin/isoWeek'
import quarterOfYear from 'dayjs/plugin/quarterOfYear'

dayjs.extend(utc)
dayjs.extend(timezone)
dayjs.extend(isoWeek)
dayjs.extend(quarterOfYear)

export { dayjs }
export type { Dayjs } from 'dayjs'

/** The calendar-date format of the filter bar, the URL and the engine query. */
export const ISO_DAY = 'YYYY-MM-DD'
