/** Stage events → crm.stagehistory.list rows (JSON numbers), ids in time order per table. */
import type { StageHistoryRow } from '../b24/wire'
import { orderByTime, type ColumnTable, type StringTable } from './gen-columns'
import { SEMANTIC_CODES, type EventColumn } from './gen-context'
import { wireDate } from './gen-time'

export function dealHistoryRows(events: ColumnTable<EventColumn>, stages: StringTable): StageHistoryRow[] {
  const owner = events.col('owner'),
    time = events.col('time') as Float64Array,
    type = events.col('type')
  const stage = events.col('stage'),
    category = events.col('category'),
    semantic = events.col('semantic')
  const rows: StageHistoryRow[] = []
  for (const i of orderByTime(time, events.length)) {
    rows.push({
      ID: rows.length + 1,
      TYPE_ID: type[i],
      OWNER_ID: owner[i],
      CREATED_TIME: wireDate(time[i]),
      CATEGORY_ID: category[i],
      STAGE_SEMANTIC_ID: SEMANTIC_CODES[semantic[i]],
      STAGE_ID: stages.values[stage[i]],
    })
  }
  return rows
}

export function leadHistoryRows(events: ColumnTable<EventColumn>, stages: StringTable): StageHistoryRow[] {
  const owner = events.col('owner'),
    time = events.col('time') as Float64Array,
    type = events.col('type')
  const stage = events.col('stage'),
    semantic = events.col('semantic')
  const rows: StageHistoryRow[] = []
  for (const i of orderByTime(time, events.length)) {
    rows.push({
      ID: rows.length + 1,
      TYPE_ID: type[i],
      OWNER_ID: owner[i],
      CREATED_TIME: wireDate(time[i]),
      STATUS_SEMANTIC_ID: SEMANTIC_CODES[semantic[i]],
      STATUS_ID: stages.values[stage[i]],
    })
  }
  return rows
}
