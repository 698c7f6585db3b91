/**
 * Reference tables of the generated portal, as crm.status.list, crm.category.list,
 * crm.deal.userfield.list / crm.lead.userfield.list and crm.currency.list return them.
 */
import type { CategoryRow, CurrencyRow, StatusRow, UserFieldRow } from '../b24/wire'
import {
  CHANNELS,
  CITIES,
  LOSS_REASONS,
  PIPELINES,
  UNUSED_DEFAULT_SOURCES,
  USD_RATE,
  type PipelineSpec,
} from './gen-catalog'
import { DAY, wireDate } from './gen-time'

export const CITY_FIELD = 'UF_CRM_CITY'
export const LOSS_REASON_FIELD = 'UF_CRM_LOSS_REASON'

export interface Dictionaries {
  statuses: StatusRow[]
  dealCategories: CategoryRow[]
  dealUserFields: UserFieldRow[]
  leadUserFields: UserFieldRow[]
  currencies: CurrencyRow[]
  /** Enumeration item ids (as on the wire) by CITIES index. Deal and lead fields differ. */
  dealCityItemIds: string[]
  leadCityItemIds: string[]
  /** Enumeration item ids by LOSS_REASONS index. */
  lossReasonItemIds: string[]
}

export function buildDictionaries(now: number): Dictionaries {
  const statuses: StatusRow[] = []
  const add = (row: Omit<StatusRow, 'ID'>): void => {
    statuses.push({ ID: String(statuses.length * 2 + 101), ...row })
  }
  const leadStatuses: [string, string, string, 'S' | 'F' | null, 'process' | 'success' | 'failure', string][] = [
    ['NEW', 'Unassigned', 'Unassigned', null, 'process', '#39A8EF'],
    ['IN_PROCESS', 'In progress', '', null, 'process', '#2FC6F6'],
    ['PROCESSED', 'Processed', '', null, 'process', '#55D0E0'],
    ['CONVERTED', 'Good lead', 'Good lead', 'S', 'success', '#7BD500'],
    ['JUNK', 'Junk lead', 'Junk lead', 'F', 'failure', '#FF5752'],
  ]
  leadStatuses.forEach(([id, name, init, semantics, extra, color], i) =>
    add({
      ENTITY_ID: 'STATUS',
      STATUS_ID: id,
      NAME: name,
      NAME_INIT: init,
      SORT: String((i + 1) * 10),
      SYSTEM: init ? 'Y' : 'N',
      CATEGORY_ID: null,
      COLOR: color,
      SEMANTICS: semantics,
      EXTRA: { SEMANTICS: extra, COLOR: color },
    }),
  )
  const sources: [string, string, boolean][] = [
    ...CHANNELS.map((c): [string, string, boolean] => [c.id, c.name, isDefaultSource(c.id)]),
    ...UNUSED_DEFAULT_SOURCES.map(([id, name]): [string, string, boolean] => [id, name, true]),
  ]
  sources.forEach(([id, name, system], i) =>
    add({
      ENTITY_ID: 'SOURCE',
      STATUS_ID: id,
      NAME: name,
      NAME_INIT: system ? name : '',
      SORT: String((i + 1) * 10),
      SYSTEM: system ? 'Y' : 'N',
      CATEGORY_ID: null,
      COLOR: null,
      SEMANTICS: null,
    }),
  )
  const dealTypes: [string, string][] = [
    ['SALE', 'Sales'],
    ['COMPLEX', 'Complex sale'],
    ['SERVICES', 'Services'],
  ]
  dealTypes.forEach(([id, name], i) =>
    add({
      ENTITY_ID: 'DEAL_TYPE',
      STATUS_ID: id,
      NAME: name,
      NAME_INIT: name,
      SORT: String((i + 1) * 10),
      SYSTEM: 'Y',
      CATEGORY_ID: null,
      COLOR: null,
      SEMANTICS: null,
    }),
  )
  for (const pipeline of PIPELINES) for (const row of stageRows(pipeline)) add(row)

  const dealCategories: CategoryRow[] = [
    { id: 0, name: 'Sales', sort: 100, entityTypeId: 2, isDefault: 'Y' },
    { id: 1, name: 'Contact center', sort: 200, entityTypeId: 2, isDefault: 'N', originId: '', originatorId: '' },
  ]

  const dealCityItemIds = CITIES.map((_, i) => String(3101 + i * 2))
  const lossReasonItemIds = LOSS_REASONS.map((_, i) => String(3201 + i * 2))
  // A separate field on leads has its own enumeration ids, as on a real portal.
  const leadCityItemIds = CITIES.map((_, i) => String(3301 + i * 2))
  const cityNames = CITIES.map((c) => c.name)
  const dealUserFields: UserFieldRow[] = [
    enumerationField('1201', 'CRM_DEAL', CITY_FIELD, 'City', cityNames, dealCityItemIds, '100'),
    enumerationField(
      '1203',
      'CRM_DEAL',
      LOSS_REASON_FIELD,
      'Loss reason',
      LOSS_REASONS.map((r) => r.value),
      lossReasonItemIds,
      '110',
    ),
  ]
  const leadUserFields: UserFieldRow[] = [
    enumerationField('1205', 'CRM_LEAD', CITY_FIELD, 'City', cityNames, leadCityItemIds, '100'),
    // Leads keep their junk reason as free text (seed OneBox): a string field of the same name.
    stringField('1207', 'CRM_LEAD', LOSS_REASON_FIELD, 'Junk reason', '110'),
  ]
  const updated = wireDate(now - 3 * DAY)
  const currencies: CurrencyRow[] = [
    {
      CURRENCY: 'RUB',
      AMOUNT_CNT: '1',
      AMOUNT: '1.0000',
      SORT: '100',
      BASE: 'Y',
      FULL_NAME: 'Russian Ruble',
      LID: 'en',
      FORMAT_STRING: '# ₽',
      DEC_POINT: '.',
      THOUSANDS_SEP: '&nbsp;',
      DECIMALS: '2',
      DATE_UPDATE: updated,
    },
    {
      CURRENCY: 'USD',
      AMOUNT_CNT: '1',
      AMOUNT: USD_RATE,
      SORT: '200',
      BASE: 'N',
      FULL_NAME: 'US Dollar',
      LID: 'en',
      FORMAT_STRING: '$#',
      DEC_POINT: '.',
      THOUSANDS_SEP: ',',
      DECIMALS: '2',
      DATE_UPDATE: updated,
    },
  ]
  return {
    statuses,
    dealCategories,
    dealUserFields,
    leadUserFields,
    currencies,
    dealCityItemIds,
    leadCityItemIds,
    lossReasonItemIds,
  }
}

function isDefaultSource(id: string): boolean {
  return id === 'CALL' || id === 'WEB' || id === 'RECOMMENDATION' || id === 'OTHER'
}

function stageRows(pipeline: PipelineSpec): Omit<StatusRow, 'ID'>[] {
  const entity = pipeline.id === 0 ? 'DEAL_STAGE' : `DEAL_STAGE_${pipeline.id}`
  const category = pipeline.id === 0 ? null : String(pipeline.id)
  const systemName = (id: string): string => {
    const bare = id.slice(pipeline.prefix.length)
    return bare === 'NEW' ? 'New' : bare === 'WON' ? 'Deal successful' : bare === 'LOSE' ? 'Deal failed' : ''
  }
  const row = (
    id: string,
    name: string,
    sort: number,
    color: string,
    semantics: 'S' | 'F' | null,
    extra: 'process' | 'success' | 'failure' | 'apology',
  ): Omit<StatusRow, 'ID'> => ({
    ENTITY_ID: entity,
    STATUS_ID: id,
    NAME: name,
    NAME_INIT: systemName(id),
    SORT: String(sort),
    SYSTEM: systemName(id) ? 'Y' : 'N',
    CATEGORY_ID: category,
    COLOR: color,
    SEMANTICS: semantics,
    EXTRA: { SEMANTICS: extra, COLOR: color },
  })
  const rows = pipeline.process.map((s, i) => row(s.id, s.name, (i + 1) * 10, s.color, null, 'process'))
  const n = pipeline.process.length
  rows.push(row(pipeline.won.id, pipeline.won.name, (n + 1) * 10, '#7BD500', 'S', 'success'))
  rows.push(row(pipeline.lose.id, pipeline.lose.name, (n + 2) * 10, '#FF5752', 'F', 'failure'))
  rows.push(row(pipeline.apology.id, pipeline.apology.name, (n + 3) * 10, '#FF5752', 'F', 'apology'))
  return rows
}

function stringField(id: string, entity: string, name: string, label: string, sort: string): UserFieldRow {
  return {
    ...enumerationField(id, entity, name, label, [], [], sort),
    USER_TYPE_ID: 'string',
    SETTINGS: { SIZE: 20, ROWS: 1, REGEXP: '', MIN_LENGTH: 0, MAX_LENGTH: 0, DEFAULT_VALUE: '' },
    LIST: undefined,
  }
}

function enumerationField(
  id: string,
  entity: string,
  name: string,
  label: string,
  values: string[],
  itemIds: string[],
  sort: string,
): UserFieldRow {
  return {
    ID: id,
    ENTITY_ID: entity,
    FIELD_NAME: name,
    USER_TYPE_ID: 'enumeration',
    XML_ID: null,
    SORT: sort,
    MULTIPLE: 'N',
    MANDATORY: 'N',
    SHOW_FILTER: 'E',
    SHOW_IN_LIST: 'Y',
    EDIT_IN_LIST: 'Y',
    IS_SEARCHABLE: 'N',
    SETTINGS: { DISPLAY: 'LIST', LIST_HEIGHT: 1, CAPTION_NO_VALUE: '', SHOW_NO_VALUE: 'Y' },
    EDIT_FORM_LABEL: label,
    LIST_COLUMN_LABEL: label,
    LIST_FILTER_LABEL: label,
    LIST: values.map((value, i) => ({
      ID: itemIds[i],
      SORT: String((i + 1) * 10),
      VALUE: value,
      DEF: 'N',
      XML_ID: hex32(entity + name + value),
    })),
  }
}

/** A stable 32-hex XML_ID, like the md5 Bitrix24 puts there. */
function hex32(text: string): string {
  let out = ''
  for (let round = 0; round < 4; round++) {
    let h = 0x811c9dc5 ^ round
    for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193)
    out += (h >>> 0).toString(16).padStart(8, '0')
  }
  return out
}
