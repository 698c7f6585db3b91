/**
 * Builders of wire rows for the dataset converters: fill every field a real portal sends
 * with its "empty" value, so converted dumps have the same shape as generated ones.
 */
import type { DealRow, LeadRow, StatusRow, UserFieldRow, UserRow } from '../../src/b24/wire'

/** "2017-03-01" or "2018-02-26 19:58:54" (read as UTC) → "2017-03-01T00:00:00+00:00". */
export function utcWire(value: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2}:\d{2}))?$/.exec(value)
  if (!m) throw new Error(`not a date: "${value}"`)
  return `${m[1]}T${m[2] ?? '00:00:00'}+00:00`
}

export function dealRow(
  fields: Pick<
    DealRow,
    | 'ID'
    | 'TITLE'
    | 'STAGE_ID'
    | 'STAGE_SEMANTIC_ID'
    | 'CURRENCY_ID'
    | 'OPPORTUNITY'
    | 'ASSIGNED_BY_ID'
    | 'DATE_CREATE'
    | 'MOVED_TIME'
  > &
    Partial<DealRow>,
): DealRow {
  const closed = fields.STAGE_SEMANTIC_ID !== 'P'
  return {
    TYPE_ID: 'SALE',
    CATEGORY_ID: '0',
    IS_NEW: 'N',
    IS_RETURN_CUSTOMER: 'N',
    IS_REPEATED_APPROACH: 'N',
    PROBABILITY: null,
    IS_MANUAL_OPPORTUNITY: 'Y',
    TAX_VALUE: '0.00',
    LEAD_ID: null,
    COMPANY_ID: '0',
    CONTACT_ID: null,
    QUOTE_ID: null,
    BEGINDATE: fields.DATE_CREATE.slice(0, 10) + 'T00:00:00+00:00',
    CLOSEDATE: closed && fields.MOVED_TIME ? fields.MOVED_TIME.slice(0, 10) + 'T00:00:00+00:00' : '',
    CREATED_BY_ID: fields.ASSIGNED_BY_ID,
    MODIFY_BY_ID: fields.ASSIGNED_BY_ID,
    DATE_MODIFY: fields.MOVED_TIME ?? fields.DATE_CREATE,
    OPENED: 'Y',
    CLOSED: closed ? 'Y' : 'N',
    COMMENTS: null,
    ADDITIONAL_INFO: null,
    LOCATION_ID: null,
    SOURCE_ID: null,
    SOURCE_DESCRIPTION: null,
    ORIGINATOR_ID: null,
    ORIGIN_ID: null,
    MOVED_BY_ID: fields.ASSIGNED_BY_ID,
    LAST_ACTIVITY_TIME: null,
    LAST_ACTIVITY_BY: null,
    UTM_SOURCE: null,
    UTM_MEDIUM: null,
    UTM_CAMPAIGN: null,
    UTM_CONTENT: null,
    UTM_TERM: null,
    ...fields,
  }
}

export function leadRow(
  fields: Pick<
    LeadRow,
    | 'ID'
    | 'TITLE'
    | 'STATUS_ID'
    | 'STATUS_SEMANTIC_ID'
    | 'SOURCE_ID'
    | 'ASSIGNED_BY_ID'
    | 'DATE_CREATE'
    | 'DATE_CLOSED'
    | 'MOVED_TIME'
  > &
    Partial<LeadRow>,
): LeadRow {
  return {
    NAME: null,
    LAST_NAME: null,
    CURRENCY_ID: 'BRL',
    OPPORTUNITY: '0.00',
    CREATED_BY_ID: fields.ASSIGNED_BY_ID,
    MODIFY_BY_ID: fields.ASSIGNED_BY_ID,
    DATE_MODIFY: fields.MOVED_TIME ?? fields.DATE_CREATE,
    CONTACT_ID: null,
    COMPANY_ID: '0',
    OPENED: 'Y',
    IS_RETURN_CUSTOMER: 'N',
    UTM_SOURCE: null,
    UTM_MEDIUM: null,
    UTM_CAMPAIGN: null,
    UTM_CONTENT: null,
    UTM_TERM: null,
    ...fields,
  }
}

export function userRow(
  id: number,
  name: string,
  lastName: string,
  position: string,
  department: number,
  registered: string,
): UserRow {
  return {
    ID: String(id),
    ACTIVE: true,
    NAME: name,
    LAST_NAME: lastName,
    SECOND_NAME: '',
    WORK_POSITION: position,
    PERSONAL_CITY: '',
    TIME_ZONE: '',
    UF_DEPARTMENT: [department],
    USER_TYPE: 'employee',
    IS_ONLINE: 'N',
    DATE_REGISTER: registered,
  }
}

/** A dictionary row; ids are assigned by the caller's running counter. */
export function statusRow(
  id: number,
  entity: string,
  statusId: string,
  name: string,
  sort: number,
  semantics: 'S' | 'F' | null,
  withExtra: boolean,
): StatusRow {
  const extra = semantics === 'S' ? 'success' : semantics === 'F' ? 'failure' : 'process'
  const color = semantics === 'S' ? '#7BD500' : semantics === 'F' ? '#FF5752' : '#39A8EF'
  return {
    ID: String(id),
    ENTITY_ID: entity,
    STATUS_ID: statusId,
    NAME: name,
    NAME_INIT: '',
    SORT: String(sort),
    SYSTEM: 'N',
    CATEGORY_ID: null,
    COLOR: withExtra ? color : null,
    SEMANTICS: semantics,
    ...(withExtra ? { EXTRA: { SEMANTICS: extra, COLOR: color } } : {}),
  }
}

export function enumerationField(
  id: number,
  entity: string,
  name: string,
  label: string,
  values: string[],
  firstItemId: number,
): UserFieldRow {
  return {
    ID: String(id),
    ENTITY_ID: entity,
    FIELD_NAME: name,
    USER_TYPE_ID: 'enumeration',
    XML_ID: null,
    SORT: '100',
    MULTIPLE: 'N',
    MANDATORY: 'N',
    SHOW_FILTER: 'E',
    SHOW_IN_LIST: 'Y',
    EDIT_IN_LIST: 'Y',
    IS_SEARCHABLE: 'N',
    SETTINGS: { DISPLAY: 'LIST' },
    EDIT_FORM_LABEL: label,
    LIST_COLUMN_LABEL: label,
    LIST_FILTER_LABEL: label,
    LIST: values.map((value, i) => ({
      ID: String(firstItemId + i),
      SORT: String((i + 1) * 10),
      VALUE: value,
      DEF: 'N',
      XML_ID: `item_${i + 1}`,
    })),
  }
}
