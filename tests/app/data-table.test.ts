// @vitest-environment jsdom
import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import DataTable from '../../src/app/components/DataTable.vue'
import { tableMatrix } from '../../src/app/services/export-table'
import { useSessionStore } from '../../src/app/stores/session'
import { useDrillStore } from '../../src/app/stores/drill'
import { REPORT_ACTIONS, type ReportActions } from '../../src/app/services/report-actions'
import type { TableModel } from '../../src/app/services/table-model'

interface Row {
  id: number
  name: string
  count: number
  share: number | null
  hours: number | null
}

function table(n: number): TableModel<Row> {
  const rows: Row[] = Array.from({ length: n }, (_, i) => ({
    id: 1000 + i,
    name: `Row ${i}`,
    count: i % 3,
    share: i % 4 === 0 ? null : i / n,
    hours: i * 5,
  }))
  return {
    id: 'demo',
    title: 'Demo',
    rows,
    columns: [
      { key: 'name', label: 'Name', kind: 'text', value: (r) => r.name, dealId: (r) => r.id },
      {
        key: 'count',
        label: 'Count',
        kind: 'integer',
        value: (r) => r.count,
        drill: (r) => ({ ref: { section: 'kpis', measure: 'won' }, caption: r.name }),
      },
      { key: 'share', label: 'Share', kind: 'percent', value: (r) => r.share, heat: 'good' },
      { key: 'hours', label: 'Time', kind: 'hours', value: (r) => r.hours },
    ],
  }
}

function setup() {
  const pinia = createPinia()
  setActivePinia(pinia)
  const opened: number[] = []
  const actions: ReportActions = {
    sync: () => undefined,
    openDeal: (id) => opened.push(id),
    openClient: () => undefined,
    fitWindow: () => undefined,
    scrollToTop: () => undefined,
    openSettings: () => undefined,
    print: () => undefined,
  }
  return { pinia, opened, actions }
}

describe('DataTable', () => {
  it('renders the first 200 rows of a long table, the rest on request; exports hold every row', async () => {
    const { pinia, actions } = setup()
    const model = table(450)
    const w = mount(DataTable, {
      props: { table: model as unknown as TableModel<unknown> },
      global: { plugins: [pinia], provide: { [REPORT_ACTIONS as symbol]: actions } },
    })
    expect(w.findAll('[data-testid="table-row"]').length).toBe(200)
    expect(w.text()).toContain('450')
    await w.find('[data-testid="show-all-demo"]').trigger('click')
    expect(w.findAll('[data-testid="table-row"]').length).toBe(450)
    const { header, rows } = tableMatrix(model, useSessionStore().formatter, { percent: '%', days: 'd' })
    expect(header).toEqual(['Name', 'Count', 'Share, %', 'Time, d'])
    expect(rows.length).toBe(450)
    // Percents export as 0–100, hours as days, missing as empty.
    expect(rows[1]).toEqual(['Row 1', 1, Math.round((1 / 450) * 10_000) / 100, Math.round((5 / 24) * 100) / 100])
    expect(rows[0][2]).toBeNull()
  })

  it('sorts by a clicked column: numbers high to low first, then reversed, then back; empty cells last', async () => {
    const { pinia, actions } = setup()
    const w = mount(DataTable, {
      props: { table: table(8) as unknown as TableModel<unknown> },
      global: { plugins: [pinia], provide: { [REPORT_ACTIONS as symbol]: actions } },
    })
    const shares = () => w.findAll('[data-col="share"]').map((c) => c.text())
    const names = () => w.findAll('[data-col="name"]').map((c) => c.text())
    await w.find('[data-testid="sort-share"]').trigger('click')
    expect(names()).toEqual(['Row 7', 'Row 6', 'Row 5', 'Row 3', 'Row 2', 'Row 1', 'Row 0', 'Row 4'])
    expect(shares().slice(-2)).toEqual(['—', '—'])
    expect(w.find('th[aria-sort="descending"]').exists()).toBe(true)
    await w.find('[data-testid="sort-share"]').trigger('click')
    expect(names().slice(0, 3)).toEqual(['Row 1', 'Row 2', 'Row 3'])
    await w.find('[data-testid="sort-share"]').trigger('click')
    expect(names()).toEqual(['Row 0', 'Row 1', 'Row 2', 'Row 3', 'Row 4', 'Row 5', 'Row 6', 'Row 7'])
    await w.find('[data-testid="sort-name"]').trigger('click')
    expect(w.find('th[aria-sort="ascending"]').exists()).toBe(true)
  })

  it('links numbers to their deals (not zeros), names to the deal card, and shows — for missing figures', async () => {
    const { pinia, actions, opened } = setup()
    const w = mount(DataTable, {
      props: { table: table(6) as unknown as TableModel<unknown> },
      global: { plugins: [pinia], provide: { [REPORT_ACTIONS as symbol]: actions } },
    })
    const rows = w.findAll('[data-testid="table-row"]')
    expect(rows[0].find('[data-col="count"] [data-testid="drill-link"]').exists()).toBe(false) // 0
    expect(rows[1].find('[data-col="count"] [data-testid="drill-link"]').exists()).toBe(true)
    expect(rows[0].find('[data-col="share"]').text()).toBe('—')
    expect(rows[1].find('[data-col="share"]').attributes('style')).toMatch(/rgba?\(47,? 198,? 246/)
    await rows[2].find('[data-col="name"] [data-testid="deal-link"]').trigger('click')
    expect(opened).toEqual([1002])
    await rows[1].find('[data-col="count"] [data-testid="drill-link"]').trigger('click')
    expect(useDrillStore().target?.caption).toBe('Row 1')
  })

  it('shows a table’s times in one unit, chosen by their median: days beside days, hours beside hours', () => {
    const { pinia } = setup()
    const timed = (hours: number[]): TableModel<Row> => ({
      ...table(hours.length),
      rows: hours.map((h, i) => ({ id: i, name: `Step ${i}`, count: 1, share: null, hours: h })),
    })
    const cells = (hours: number[]) =>
      mount(DataTable, {
        props: { table: timed(hours) as unknown as TableModel<unknown> },
        global: { plugins: [pinia] },
      })
        .findAll('[data-col="hours"]')
        .map((c) => c.text())
    // A column of mostly days: the 6.4 h and 44 h steps read in days too, not "44 h" among "5 d".
    expect(cells([6.4, 44, 120, 115, 94])).toEqual(['0.3 d', '1.8 d', '5 d', '4.8 d', '3.9 d'])
    // Mostly hours: the one 3-day step reads 72 h.
    expect(cells([0.5, 1.2, 9, 72])).toEqual(['0.5 h', '1.2 h', '9 h', '72 h'])
  })
})
