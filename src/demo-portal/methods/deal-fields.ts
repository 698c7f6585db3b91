/**
 * `crm.deal.fields` description (crm-deal-fields.md, data-types.md crm_rest_field_description):
 * standard fields from the documented table, then the portal's user fields with their items.
 */
import type { UserFieldRow } from '../../b24/wire'

type Extra = Record<string, unknown>

// [name, type, readOnly, title, extra]
const STANDARD: [string, string, boolean, string, Extra?][] = [
  ['ID', 'integer', true, 'ID'],
  ['TITLE', 'string', false, 'Name'],
  ['TYPE_ID', 'crm_status', false, 'Type', { statusType: 'DEAL_TYPE' }],
  ['CATEGORY_ID', 'crm_category', false, 'Pipeline', { isImmutable: true }],
  ['STAGE_ID', 'crm_status', false, 'Deal Stage', { statusType: 'DEAL_STAGE' }],
  ['STAGE_SEMANTIC_ID', 'string', true, 'Stage group'],
  ['IS_NEW', 'char', true, 'New deal'],
  ['IS_RECURRING', 'char', false, 'Recurring deal'],
  ['IS_RETURN_CUSTOMER', 'char', false, 'Repeat deal'],
  ['IS_REPEATED_APPROACH', 'char', false, 'Repeat inquiry'],
  ['PROBABILITY', 'integer', false, 'Probability'],
  ['CURRENCY_ID', 'crm_currency', false, 'Currency'],
  ['OPPORTUNITY', 'double', false, 'Income'],
  ['IS_MANUAL_OPPORTUNITY', 'char', false, 'IS_MANUAL_OPPORTUNITY'],
  ['TAX_VALUE', 'double', false, 'Tax rate'],
  ['COMPANY_ID', 'crm_company', false, 'Company', { settings: { parentEntityTypeId: 4 } }],
  ['CONTACT_ID', 'crm_contact', false, 'Contact', { isDeprecated: true }],
  ['CONTACT_IDS', 'crm_contact', false, 'Contacts', { isMultiple: true }],
  ['QUOTE_ID', 'crm_quote', true, 'Quote'],
  ['BEGINDATE', 'date', false, 'Start date'],
  ['CLOSEDATE', 'date', false, 'End date'],
  ['OPENED', 'char', false, 'Available to everyone'],
  ['CLOSED', 'char', false, 'Closed'],
  ['COMMENTS', 'string', false, 'Comment'],
  ['ASSIGNED_BY_ID', 'user', false, 'Responsible person'],
  ['CREATED_BY_ID', 'user', true, 'Created by'],
  ['MODIFY_BY_ID', 'user', true, 'Modified by'],
  ['DATE_CREATE', 'datetime', true, 'Created on'],
  ['DATE_MODIFY', 'datetime', true, 'Modified on'],
  ['SOURCE_ID', 'crm_status', false, 'Source', { statusType: 'SOURCE' }],
  ['SOURCE_DESCRIPTION', 'string', false, 'Source information'],
  ['LEAD_ID', 'crm_lead', true, 'Lead', { settings: { parentEntityTypeId: 1 } }],
  ['ADDITIONAL_INFO', 'string', false, 'Additional information'],
  ['LOCATION_ID', 'location', false, 'Location'],
  ['ORIGINATOR_ID', 'string', false, 'External source'],
  ['ORIGIN_ID', 'string', false, 'Item ID in data source'],
  ['MOVED_BY_ID', 'user', true, 'Stage changed by'],
  ['MOVED_TIME', 'datetime', true, 'Stage changed on'],
  ['UTM_SOURCE', 'string', false, 'Ad system'],
  ['UTM_MEDIUM', 'string', false, 'Traffic type'],
  ['UTM_CAMPAIGN', 'string', false, 'Ad campaign UTM'],
  ['UTM_CONTENT', 'string', false, 'Campaign contents'],
  ['UTM_TERM', 'string', false, 'Campaign search term'],
  ['LAST_ACTIVITY_TIME', 'datetime', true, 'Last activity'],
  ['LAST_ACTIVITY_BY', 'user', true, 'Last activity by'],
]

export function dealFields(userFields: UserFieldRow[]): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [name, type, ro, title, extra] of STANDARD) {
    out[name] = {
      type,
      isRequired: false,
      isReadOnly: ro,
      isImmutable: false,
      isMultiple: false,
      isDynamic: false,
      title,
      ...extra,
    }
  }
  for (const uf of userFields) {
    const label = uf.EDIT_FORM_LABEL ?? uf.LIST_COLUMN_LABEL ?? uf.FIELD_NAME
    const desc: Record<string, unknown> = {
      type: uf.USER_TYPE_ID,
      isRequired: uf.MANDATORY === 'Y',
      isReadOnly: false,
      isImmutable: false,
      isMultiple: uf.MULTIPLE === 'Y',
      isDynamic: true,
      title: uf.FIELD_NAME,
      listLabel: uf.LIST_COLUMN_LABEL ?? label,
      formLabel: uf.EDIT_FORM_LABEL ?? label,
      filterLabel: uf.LIST_FILTER_LABEL ?? label,
      settings: uf.SETTINGS,
    }
    if (uf.USER_TYPE_ID === 'enumeration') desc.items = (uf.LIST ?? []).map((i) => ({ ID: i.ID, VALUE: i.VALUE }))
    out[uf.FIELD_NAME] = desc
  }
  return out
}
