/**
 * ApexCharts options built in one place, so every chart escapes CRM text the same way.
 *
 * ApexCharts writes legends and tooltips with innerHTML: everything that ends up there goes
 * through escapeHtml (legend.formatter and a custom tooltip). Axis and data labels are drawn as
 * SVG text nodes (textContent, apexcharts Graphics.drawText → Paper.plain/tspan), so they get the
 * raw name — escaping them would show "&lt;" to the user. The x-axis hover tooltip (innerHTML)
 * is switched off; our own tooltip shows the category instead.
 */
import type ApexCharts from 'apexcharts'
import type { ApexOptions } from 'apexcharts'

/** One series as ApexCharts takes it for axis charts (bar, line, heatmap). */
export type SeriesItem = ApexCharts.ApexAxisChartSeries[number]
import { escapeHtml } from './escape-html'

export const COLORS = {
  current: '#2fc6f6',
  comparison: '#a8adb4',
  palette: ['#2fc6f6', '#9dcf00', '#ffa900', '#ff5752', '#7b61ff', '#00b4ac', '#f7a4c8', '#55d0e0'],
  heatLow: '#e5f7fd',
  heatHigh: '#ff5752',
}

export interface ChartSpec {
  type: 'line' | 'area' | 'bar' | 'heatmap'
  options: ApexOptions
  series: SeriesItem[]
}

export type ValueFormat = (value: number | null) => string

interface TooltipArgs {
  series: (number | null)[][]
  seriesIndex: number
  dataPointIndex: number
  w: {
    globals: { seriesNames: string[]; labels: string[]; categoryLabels: string[] }
    config: { xaxis?: { categories?: unknown[] }; series: { name?: string; data: unknown[] }[] }
  }
}

/** A tooltip whose every piece of text is escaped before ApexCharts sets it as innerHTML. */
export function safeTooltip(
  title: (args: TooltipArgs) => string,
  rows: (args: TooltipArgs) => { name: string; value: string; color?: string }[],
) {
  return (args: TooltipArgs): string => {
    const body = rows(args)
      .map(
        (r) =>
          `<div class="fl-tt-row">${r.color ? `<span class="fl-tt-dot" style="background:${escapeHtml(r.color)}"></span>` : ''}${escapeHtml(r.name)}: <b>${escapeHtml(r.value)}</b></div>`,
      )
      .join('')
    return `<div class="fl-tt"><div class="fl-tt-title">${escapeHtml(title(args))}</div>${body}</div>`
  }
}

/** Counts and sums start at 0 on the axis: a chart starting at 1 exaggerates every change. */
function floorAtZero(values: (number | null)[][]): number | undefined {
  return values.every((list) => list.every((v) => v === null || v >= 0)) ? 0 : undefined
}

function base(dark: boolean, format: ValueFormat): ApexOptions {
  return {
    chart: {
      toolbar: { show: false },
      animations: { enabled: false },
      background: 'transparent',
      fontFamily: 'inherit',
      zoom: { enabled: false },
    },
    theme: { mode: dark ? 'dark' : 'light' },
    legend: { formatter: (name: string) => escapeHtml(name), position: 'top', horizontalAlign: 'left' },
    dataLabels: { enabled: false },
    yaxis: { labels: { formatter: (v: number) => format(v) } },
    xaxis: { tooltip: { enabled: false } },
    grid: { borderColor: dark ? '#343c44' : '#e0e5e9' },
  }
}

/** Current and comparison period on one chart: bucket i of each period shares an x position. */
export function periodSeriesChart(input: {
  labels: string[]
  comparisonLabels?: string[] | null
  current: (number | null)[]
  comparison: (number | null)[] | null
  names: { current: string; comparison: string }
  format: ValueFormat
  /** axis labels; default `format` */
  axisFormat?: ValueFormat
  dark: boolean
  type?: 'line' | 'area' | 'bar'
}): ChartSpec {
  const series: SeriesItem[] = [{ name: input.names.current, data: input.current }]
  const colors = [COLORS.current]
  if (input.comparison) {
    series.push({ name: input.names.comparison, data: input.comparison })
    colors.push(COLORS.comparison)
  }
  const cmpLabels = input.comparisonLabels ?? []
  const b = base(input.dark, input.format)
  return {
    type: input.type ?? 'line',
    series,
    options: {
      ...b,
      colors,
      stroke: input.type === 'bar' ? { width: 0 } : { width: [3, 2], dashArray: [0, 5], curve: 'straight' },
      markers: { size: input.type === 'bar' ? 0 : 3 },
      yaxis: {
        min: floorAtZero([input.current, input.comparison ?? []]),
        forceNiceScale: true,
        labels: { formatter: (v: number) => (input.axisFormat ?? input.format)(v) },
      },
      plotOptions: { bar: { borderRadius: 2, columnWidth: '70%' } },
      // Long periods have hundreds of buckets: show at most ~12 labels, never overlapping.
      xaxis: {
        ...b.xaxis,
        categories: input.labels,
        tickAmount: Math.min(input.labels.length, 12),
        tickPlacement: 'on',
        labels: { rotate: -30, hideOverlappingLabels: true, trim: true },
      },
      tooltip: {
        shared: true,
        intersect: false,
        custom: safeTooltip(
          (a) => input.labels[a.dataPointIndex] ?? '',
          (a) =>
            series.map((s, i) => ({
              name:
                i === 1 && cmpLabels[a.dataPointIndex]
                  ? `${s.name} (${cmpLabels[a.dataPointIndex]})`
                  : String(s.name ?? ''),
              value: input.format((a.series[i]?.[a.dataPointIndex] ?? null) as number | null),
              color: colors[i],
            })),
        ),
      },
    },
  }
}

/** A funnel as horizontal bars, widest at the first stage (ApexCharts' bar funnel). */
export function funnelChart(input: {
  stages: string[]
  values: number[]
  comparison?: number[] | null
  names: { current: string; comparison: string }
  format: ValueFormat
  dark: boolean
}): ChartSpec {
  const series: SeriesItem[] = [{ name: input.names.current, data: input.values }]
  const colors = [COLORS.current]
  if (input.comparison) {
    series.push({ name: input.names.comparison, data: input.comparison })
    colors.push(COLORS.comparison)
  }
  const b = base(input.dark, input.format)
  return {
    type: 'bar',
    series,
    options: {
      ...b,
      colors,
      plotOptions: { bar: { horizontal: true, borderRadius: 3, barHeight: '75%', isFunnel: !input.comparison } },
      dataLabels: { enabled: true, formatter: (v: number) => input.format(v) },
      xaxis: { ...b.xaxis, categories: input.stages, labels: { formatter: (v: string) => input.format(Number(v)) } },
      yaxis: { labels: { maxWidth: 220 } },
      tooltip: {
        custom: safeTooltip(
          (a) => input.stages[a.dataPointIndex] ?? '',
          (a) =>
            series.map((s, i) => ({
              name: String(s.name ?? ''),
              value: input.format((a.series[i]?.[a.dataPointIndex] ?? null) as number | null),
              color: colors[i],
            })),
        ),
      },
    },
  }
}

/** Rows × columns of figures (stage × source/city/manager churn). Null cells stay blank. */
export function heatmapChart(input: {
  rows: string[]
  columns: string[]
  values: (number | null)[][]
  format: ValueFormat
  dark: boolean
  valueName: string
}): ChartSpec {
  // ApexCharts draws heatmap series bottom-up; reverse so the first row is on top.
  const order = input.rows.map((_, i) => i).reverse()
  const series: SeriesItem[] = order.map((ri) => ({
    name: input.rows[ri],
    data: input.columns.map((c, ci) => ({ x: c, y: input.values[ri]?.[ci] ?? null })),
  }))
  const b = base(input.dark, input.format)
  return {
    type: 'heatmap',
    series,
    options: {
      ...b,
      legend: { ...b.legend, show: false },
      colors: [COLORS.heatHigh],
      plotOptions: { heatmap: { shadeIntensity: 0.7, radius: 2, enableShades: true } },
      dataLabels: {
        enabled: true,
        formatter: (v: string | number | number[]) => (typeof v === 'number' ? input.format(v) : ''),
        style: { colors: [input.dark ? '#fff' : '#333'] },
      },
      xaxis: { ...b.xaxis, categories: input.columns, type: 'category' },
      yaxis: { labels: { maxWidth: 200 } },
      tooltip: {
        custom: safeTooltip(
          (a) => `${series[a.seriesIndex]?.name ?? ''} × ${input.columns[a.dataPointIndex] ?? ''}`,
          (a) => [
            {
              name: input.valueName,
              value: input.format((a.series[a.seriesIndex]?.[a.dataPointIndex] ?? null) as number | null),
            },
          ],
        ),
      },
    },
  }
}

/** Named groups of bars (plan vs fact per manager, spend vs revenue per source). */
export function groupedBarChart(input: {
  categories: string[]
  series: { name: string; data: (number | null)[] }[]
  format: ValueFormat
  axisFormat?: ValueFormat
  dark: boolean
  horizontal?: boolean
}): ChartSpec {
  const b = base(input.dark, input.axisFormat ?? input.format)
  const colors = input.series.map((_, i) => COLORS.palette[i % COLORS.palette.length])
  return {
    type: 'bar',
    series: input.series,
    options: {
      ...b,
      colors,
      plotOptions: { bar: { horizontal: !!input.horizontal, borderRadius: 3 } },
      yaxis: {
        min: floorAtZero(input.series.map((x) => x.data)),
        forceNiceScale: true,
        labels: { formatter: (v: number) => (input.axisFormat ?? input.format)(v) },
      },
      xaxis: { ...b.xaxis, categories: input.categories },
      tooltip: {
        shared: true,
        intersect: false,
        custom: safeTooltip(
          (a) => input.categories[a.dataPointIndex] ?? '',
          (a) =>
            input.series.map((s, i) => ({
              name: s.name,
              value: input.format((a.series[i]?.[a.dataPointIndex] ?? null) as number | null),
              color: colors[i],
            })),
        ),
      },
    },
  }
}
