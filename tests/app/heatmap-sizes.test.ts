// @vitest-environment jsdom
/**
 * The churn heatmap says how many deals are behind each share, and marks a share of fewer than
 * 30 deals (metrics.md "Changes between periods": a small sample is marked, not trusted).
 */
import { describe, expect, it } from 'vitest'
import { heatmapChart } from '../../src/app/services/chart-options'

const format = (v: number | null) => (v === null ? '—' : `${Math.round(v * 100)} %`)
// Two rows: ApexCharts draws them bottom-up, so series 0 is the last row.
const spec = heatmapChart({
  rows: ['Yandex Direct', 'Flyers'],
  columns: ['New', 'Held'],
  values: [
    [0.25, 0.4],
    [1, 0.5],
  ],
  format,
  dark: false,
  valueName: 'Churn',
  sizes: {
    values: [
      [120, 45],
      [1, 2],
    ],
    name: 'Reached',
    small: { below: 30, label: 'small sample' },
  },
})
type Label = (v: number, o: { seriesIndex: number; dataPointIndex: number }) => string
const label = spec.options.dataLabels!.formatter as unknown as Label
const tooltip = (seriesIndex: number, dataPointIndex: number) => {
  const html = (spec.options.tooltip!.custom as (a: unknown) => string)({
    series: spec.series.map((s) => (s.data as { y: number | null }[]).map((d) => d.y)),
    seriesIndex,
    dataPointIndex,
    w: { globals: { seriesNames: [], labels: [], categoryLabels: [] } },
  })
  const box = document.createElement('div')
  box.innerHTML = html
  return box.textContent ?? ''
}

describe('heatmap cell sizes', () => {
  it('marks a share of fewer than 30 deals with "*", on the right row despite the bottom-up order', () => {
    expect(spec.series.map((s) => s.name)).toEqual(['Flyers', 'Yandex Direct'])
    expect(label(1, { seriesIndex: 0, dataPointIndex: 0 })).toBe('100 % *') // Flyers × New: 1 deal
    expect(label(0.25, { seriesIndex: 1, dataPointIndex: 0 })).toBe('25 %') // Yandex × New: 120 deals
    expect(label(0.4, { seriesIndex: 1, dataPointIndex: 1 })).toBe('40 %') // 45 deals
  })

  it('names the deal count in the tooltip, and the small sample', () => {
    expect(tooltip(1, 0)).toContain('Reached: 120')
    expect(tooltip(1, 0)).not.toContain('small sample')
    expect(tooltip(0, 1)).toContain('Reached: 2')
    expect(tooltip(0, 1)).toContain('* small sample: < 30')
  })

  it('without sizes a heatmap shows plain values (the loss-reason heatmap counts deals itself)', () => {
    const plain = heatmapChart({ rows: ['a'], columns: ['x'], values: [[3]], format, dark: false, valueName: 'Lost' })
    const f = plain.options.dataLabels!.formatter as unknown as Label
    expect(f(3, { seriesIndex: 0, dataPointIndex: 0 })).toBe('300 %')
  })
})
