import { t } from '../i18n'
import type { TableModel } from '../services/table-model'
import type { LeadRow } from '../../engine/leads'

/** Leads created in the period per source or manager (metrics.md "Leads"). */
export function leadTable(id: string, title: string, keyLabel: string, rows: LeadRow[]): TableModel<LeadRow> {
  return {
    id,
    title,
    rows,
    columns: [
      { key: 'name', label: keyLabel, kind: 'text', value: (r) => r.name },
      { key: 'total', label: t('leads.total'), kind: 'integer', value: (r) => r.total },
      { key: 'active', label: t('leads.active'), kind: 'integer', value: (r) => r.active },
      { key: 'converted', label: t('leads.converted'), kind: 'integer', value: (r) => r.converted },
      { key: 'junk', label: t('leads.junk'), kind: 'integer', value: (r) => r.junk },
      { key: 'lossRate', label: t('leads.lossRate'), kind: 'percent', value: (r) => r.lossRate, heat: true },
      {
        key: 'conversionRate',
        label: t('leads.conversionRate'),
        kind: 'percent',
        value: (r) => r.conversionRate,
        heat: 'good',
      },
    ],
  }
}
