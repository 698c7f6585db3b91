// @vitest-environment jsdom
import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import KpiCard from '../../src/app/components/KpiCard.vue'
import DataTable from '../../src/app/components/DataTable.vue'
import OverviewPage from '../../src/app/pages/OverviewPage.vue'
import { tableMatrix } from '../../src/app/services/export-table'
import { changeTone, type ChangeMark, type TableModel } from '../../src/app/services/table-model'
import { useSessionStore } from '../../src/app/stores/session'
import { useReportStore } from '../../src/app/stores/report'
import { significanceOf, countOf, rateOf, changeOf } from '../../src/engine/significance'
import { reportFixture } from './app-fixture'

/** Change records as the engine makes them (significance.ts), from real figures. */
const month = { current: 31, previous: 30 }
const round = (v: number) => Math.round(v * 10_000) / 10_000
const SIGNIFICANT_DROP = changeOf(0.3, 0.5, significanceOf(rateOf(15, 50), rateOf(25, 50), month), round) // p = 0.041
const NOISE = changeOf(0.32, 0.48, significanceOf(rateOf(16, 50), rateOf(24, 50), month), round)
const SMALL = changeOf(0.25, 0.7, significanceOf(rateOf(5, 20), rateOf(14, 20), month), round) // p = 0.004, 20 deals
const MORE_LOST = changeOf(60, 30, significanceOf(countOf(60), countOf(30), month), round)

function pinia() {
  const p = createPinia()
  setActivePinia(p)
  useSessionStore()
  return p
}

describe('changeTone: colour only for significant changes', () => {
  it.each([
    ['a significant fall in a rate', SIGNIFICANT_DROP, false, 'bad'],
    ['the same fall where lower is better', SIGNIFICANT_DROP, true, 'good'],
    ['a larger-looking change within noise', NOISE, false, 'neutral'],
    ['a small sample, however large the change', SMALL, false, 'small'],
    ['more losses, significant', MORE_LOST, true, 'bad'],
    ['no comparison', null, false, 'neutral'],
  ] as [string, ChangeMark | null, boolean, string][])('%s', (_, change, lowerIsBetter, tone) => {
    expect(changeTone(change, lowerIsBetter)).toBe(tone)
  })
})

describe('KpiCard', () => {
  const card = (change: ChangeMark | null, higherIsBetter = true) =>
    mount(KpiCard, {
      props: { id: 'x', label: 'Win rate', current: 0.3, comparison: 0.5, kind: 'percent', change, higherIsBetter },
      global: { plugins: [pinia()] },
    })

  it('colours a significant change and names its test and p-value', () => {
    const w = card(SIGNIFICANT_DROP)
    const change = w.find('[data-testid="kpi-change"]')
    expect(change.classes()).toContain('fl-down')
    expect(change.attributes('title')).toMatch(/p = 0[.,]041.*two-proportion z-test/)
    expect(w.find('[data-testid="kpi-small-sample"]').exists()).toBe(false)
  })

  it('leaves a change within noise neutral, with the same delta text', () => {
    const w = card(NOISE)
    const change = w.find('[data-testid="kpi-change"]')
    expect(change.classes()).toEqual(['fl-neutral'])
    // The delta is still shown: a rate's in percentage points, then relative (50 % → 30 %).
    expect(change.text()).toMatch(/^[-−]20 pp \([-−]40%\)$/)
  })

  it('marks a small sample instead of colouring it', () => {
    const w = card(SMALL)
    expect(w.find('[data-testid="kpi-change"]').classes()).toEqual(['fl-neutral'])
    expect(w.find('[data-testid="kpi-small-sample"]').text()).toBe('small sample')
  })

  it('gives a time’s change in the unit of its value, and a money change in money', () => {
    const kpi = (kind: 'duration' | 'hours' | 'money', current: number, comparison: number) =>
      mount(KpiCard, {
        props: { id: 'x', label: 'Gap', current, comparison, kind, change: null },
        global: { plugins: [pinia()] },
      })
        .find('[data-testid="kpi-change"]')
        .text()
    const day = 86_400_000
    expect(kpi('duration', 8.7 * day, 6.82 * day)).toBe('+1.9 d (+27.6%)') // not "+45.1 h"
    expect(kpi('hours', 30, 80)).toBe('-50 h (-62.5%)') // the value is 30 h: hours, not "-2.1 d"
    expect(kpi('money', 350_600, 473_650)).toMatch(/^-(US)?\$123,050 \(-26%\)$/)
  })

  it('no change record (no test for the figure): neutral', () => {
    expect(card(null).find('[data-testid="kpi-change"]').classes()).toEqual(['fl-neutral'])
  })
})

interface Row {
  name: string
  rate: number
  change: ChangeMark | undefined
}
const model: TableModel<Row> = {
  id: 'chg',
  title: 'Changes',
  rows: [
    { name: 'Significant', rate: 0.3, change: SIGNIFICANT_DROP },
    { name: 'Noise', rate: 0.32, change: NOISE },
    { name: 'Small', rate: 0.25, change: SMALL },
    { name: 'New', rate: 0.4, change: undefined },
  ],
  columns: [
    { key: 'name', label: 'Name', kind: 'text', value: (r) => r.name },
    { key: 'rate', label: 'Rate', kind: 'percent', value: (r) => r.rate, change: (r) => r.change },
  ],
}

describe('DataTable', () => {
  it('marks each cell by its change: arrow in colour, small sample, or nothing', () => {
    const w = mount(DataTable, {
      props: { table: model as unknown as TableModel<unknown> },
      global: { plugins: [pinia()] },
    })
    const cells = w.findAll('[data-col="rate"]')
    expect(cells[0].find('[data-testid="change-bad"]').text()).toBe('▼')
    expect(cells[0].find('.fl-chg').classes()).toContain('fl-down')
    expect(cells[1].find('.fl-chg').exists()).toBe(false)
    expect(cells[2].find('[data-testid="change-small"]').text()).toBe('small sample')
    expect(cells[3].find('.fl-chg').exists()).toBe(false)
  })

  it('exports a significance column after the figure', () => {
    const fmt = (pinia(), useSessionStore().formatter)
    const m = tableMatrix(model, fmt, { percent: '%', days: 'days' })
    expect(m.header).toEqual(['Name', 'Rate, %', 'Rate · significant'])
    expect(m.rows.map((r) => r[2])).toEqual(['yes', 'no', 'small sample', null])
  })

  it('no significance column without any change (no comparison period)', () => {
    const fmt = (pinia(), useSessionStore().formatter)
    const bare = { ...model, rows: model.rows.map((r) => ({ ...r, change: undefined })) }
    expect(tableMatrix(bare, fmt, { percent: '%', days: 'days' }).header).toEqual(['Name', 'Rate, %'])
  })
})

describe('Overview reads the engine’s KPI significance', () => {
  it('a card is coloured exactly when the engine calls its change significant', async () => {
    const { pinia: p } = await reportFixture()
    const report = useReportStore().report!
    const w = mount(OverviewPage, { global: { plugins: [p] } })
    for (const id of ['dealsCreated', 'won', 'lost', 'conversion', 'leads'] as const) {
      const k = report.kpis[id]
      const el = w.find(`[data-testid="kpi-${id}"] [data-testid="kpi-change"]`)
      const coloured = el.classes().includes('fl-up') || el.classes().includes('fl-down')
      expect(coloured, id).toBe(k.significant === true)
      expect(w.find(`[data-testid="kpi-${id}"] [data-testid="kpi-small-sample"]`).exists(), id).toBe(k.smallSample)
    }
  })
})
