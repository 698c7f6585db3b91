// @vitest-environment jsdom
import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import { escapeHtml, unescapeHtml } from '../../src/app/services/escape-html'
import {
  funnelChart,
  groupedBarChart,
  heatmapChart,
  periodSeriesChart,
  safeTooltip,
} from '../../src/app/services/chart-options'
import type { ApexYAxis } from 'apexcharts'
import { csvCell, toCsv } from '../../src/app/services/csv'
import ChurnPage from '../../src/app/pages/ChurnPage.vue'
import LossPage from '../../src/app/pages/LossPage.vue'
import SourcesPage from '../../src/app/pages/SourcesPage.vue'
import { useFiltersStore } from '../../src/app/stores/filters'
import { reportFixture, XSS } from './app-fixture'

/** Parses HTML the way ApexCharts inserts it (innerHTML) and reports any element it created. */
function elementsIn(html: string): string[] {
  const box = document.createElement('div')
  box.innerHTML = html
  return [...box.querySelectorAll('*')].map((e) => e.tagName.toLowerCase())
}

describe('escapeHtml', () => {
  it('turns markup into text and leaves plain text alone', () => {
    expect(escapeHtml(XSS)).toBe('&lt;img src=x onerror=alert(1)&gt;')
    expect(escapeHtml(`a & b "c" 'd' \`e\``)).toBe('a &amp; b &quot;c&quot; &#39;d&#39; &#96;e&#96;')
    expect(escapeHtml('Москва')).toBe('Москва')
    expect(escapeHtml(null)).toBe('')
    expect(escapeHtml(42)).toBe('42')
    const box = document.createElement('div')
    box.innerHTML = escapeHtml(XSS)
    expect(box.textContent).toBe(XSS)
    expect(box.querySelector('img')).toBeNull()
  })

  it('unescapeHtml undoes exactly one escapeHtml', () => {
    for (const text of [XSS, `a & b "c" 'd' \`e\``, '&lt;already&gt; &amp;', 'Москва'])
      expect(unescapeHtml(escapeHtml(text))).toBe(text)
  })
})

describe('chart options escape everything ApexCharts writes as HTML', () => {
  const format = (v: number | null) => String(v)
  const tooltipArgs = (names: string[]) => ({
    series: [
      [5, 7],
      [3, 4],
    ],
    seriesIndex: 0,
    dataPointIndex: 1,
    w: { globals: { seriesNames: names, labels: [], categoryLabels: [] }, config: { series: [] } },
  })

  it('legend and tooltip of a period chart', () => {
    const spec = periodSeriesChart({
      labels: ['a', XSS],
      comparisonLabels: ['b', XSS],
      current: [1, 2],
      comparison: [3, 4],
      names: { current: XSS, comparison: 'cmp' },
      format,
      dark: false,
    })
    const legend = spec.options.legend!.formatter!(escapeHtml(XSS), {} as never)
    expect(elementsIn(String(legend))).toEqual([])
    const html = (spec.options.tooltip!.custom as (a: unknown) => string)(tooltipArgs([XSS, 'cmp']))
    expect(elementsIn(html)).not.toContain('img')
    expect(html).toContain('&lt;img')
  })

  it('funnel, heatmap and bar tooltips', () => {
    const funnel = funnelChart({
      stages: [XSS, 'b'],
      values: [5, 3],
      names: { current: XSS, comparison: 'c' },
      format,
      dark: true,
    })
    const heat = heatmapChart({
      rows: [XSS],
      columns: [XSS, 'b'],
      values: [[0.5, null]],
      format,
      dark: false,
      valueName: XSS,
    })
    const bars = groupedBarChart({
      categories: [XSS, 'b'],
      series: [
        { name: XSS, data: [1, 2] },
        { name: 'x', data: [3, 4] },
      ],
      format,
      dark: false,
    })
    for (const spec of [funnel, heat, bars]) {
      const html = (spec.options.tooltip!.custom as (a: unknown) => string)(tooltipArgs([XSS, 'x']))
      expect(elementsIn(html).filter((t) => t !== 'div' && t !== 'b' && t !== 'span')).toEqual([])
      expect(html).toContain('&lt;img')
      expect(elementsIn(String(spec.options.legend!.formatter!(escapeHtml(XSS), {} as never)))).toEqual([])
    }
    // Every label enters ApexCharts escaped; only the axis labels (SVG textContent) turn it back.
    expect((heat.options.xaxis!.categories as string[])[0]).toBe(escapeHtml(XSS))
    expect(heat.series.map((x) => x.name)).toEqual([escapeHtml(XSS)])
    expect((heat.series[0].data as { x: string }[])[0].x).toBe(escapeHtml(XSS))
    const yaxis = heat.options.yaxis as ApexYAxis
    expect(yaxis.labels!.formatter!(escapeHtml(XSS) as never)).toBe(XSS)
    const funnelY = funnel.options.yaxis as ApexYAxis
    expect(funnelY.labels!.formatter!(escapeHtml(XSS) as never)).toBe(XSS)
  })

  it('pins every formatter ApexCharts writes as innerHTML (tooltip x/y/title, legend, x-axis tooltip)', () => {
    const charts = [
      funnelChart({ stages: [XSS], values: [5], names: { current: XSS, comparison: 'c' }, format, dark: false }),
      heatmapChart({ rows: [XSS], columns: [XSS], values: [[0.5]], format, dark: false, valueName: 'v' }),
      groupedBarChart({ categories: [XSS], series: [{ name: XSS, data: [1] }], format, dark: false }),
      periodSeriesChart({
        labels: [XSS],
        current: [1],
        comparison: null,
        names: { current: XSS, comparison: 'c' },
        format: () => XSS,
        dark: false,
      }),
    ]
    for (const spec of charts) {
      const o = spec.options
      // What Apex hands these formatters is the escaped label it was given.
      const label = escapeHtml(XSS)
      const tooltipY = o.tooltip!.y as { formatter: (v: number) => string; title: { formatter: (n: string) => string } }
      const sinks = [
        (o.tooltip!.x as { formatter: (v: string) => string }).formatter(label),
        tooltipY.title.formatter(label),
        tooltipY.formatter(1),
        String(o.legend!.formatter!(label, {} as never)),
        (o.xaxis!.tooltip as { formatter: (v: string) => string }).formatter(label),
      ]
      for (const html of sinks) expect(elementsIn(html)).toEqual([])
      expect(o.legend!.tooltipHoverFormatter).toBeUndefined()
      expect(o.xaxis!.tooltip!.enabled).toBe(false)
    }
  })

  it('safeTooltip escapes titles, names and values', () => {
    const html = safeTooltip(
      () => XSS,
      () => [{ name: XSS, value: XSS, color: '"><script>' }],
    )(tooltipArgs([]))
    expect(elementsIn(html).sort()).toEqual(['b', 'div', 'div', 'div', 'span'])
  })
})

describe('CRM text renders as text in tables', () => {
  it('source, stage, reason and city names with markup show literally, never as elements', async () => {
    const { pinia } = await reportFixture()
    const opts = { global: { plugins: [pinia] }, attachTo: document.body }
    useFiltersStore().set({ churnBy: 'city' })
    for (const page of [SourcesPage, ChurnPage, LossPage]) {
      const w = mount(page, opts)
      expect(w.element.querySelector('img')).toBeNull()
      expect(w.text()).toContain(XSS)
      w.unmount()
    }
  })
})

describe('CSV export', () => {
  it('quotes, keeps Cyrillic, and defuses spreadsheet formulas', () => {
    expect(csvCell('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`)
    expect(csvCell('+7 999')).toBe("'+7 999")
    expect(csvCell('-5')).toBe("'-5")
    expect(csvCell(-5)).toBe('-5')
    expect(csvCell('a,b')).toBe('"a,b"')
    expect(csvCell(null)).toBe('')
    expect(csvCell(Number.NaN)).toBe('')
    const text = toCsv(
      ['Город', 'Сделки'],
      [
        ['Москва', 3],
        [XSS, 1],
      ],
    )
    expect(text.startsWith('\uFEFF')).toBe(true)
    expect(text.split('\r\n')).toEqual(['\uFEFFГород,Сделки', 'Москва,3', `${XSS},1`, ''])
  })
})
