/**
 * ApexCharts options built in one place, so every chart treats CRM text the same way.
 *
 * ApexCharts 5.10 writes text with innerHTML in many places (node_modules/apexcharts/src):
 * the legend (legend/Legend.js, formatter output), the tooltip title, series name, value, goals
 * and z rows (tooltip/Labels.js DOMHandling, fed by tooltip.x/y/z formatters or, without them,
 * by the axis label formatters), the x/y axis hover tooltips (Labels.js, AxesTooltip.js) and
 * the legend hover formatter (tooltip/Tooltip.js). With tooltip.custom set it still runs
 * DOMHandling on the old tooltip nodes after replacing them, and an <img> parsed into a
 * detached node still fires onerror. SVG text (axis labels, data labels, heatmap cells) is
 * textContent (Graphics.drawText → SVGContainer.plain/tspan).
 *
 * So `toApex` below, the one exit of every builder, escapes every label on its way in (series
 * names, categories, data point x) and pins every formatter whose output Apex writes as HTML to
 * pass that escaped text on. Only the axis label formatters turn it back into plain text, since
 * their output is SVG textContent, where "&lt;" would show literally; the tooltip formatters
 * that Apex would otherwise feed from them are set, so no decoded text reaches innerHTML.
 * Our own tooltip (safeTooltip) escapes what it writes.
 */
import type ApexCharts from 'apexcharts'
import type { ApexOptions } from 'apexcharts'
import { escapeHtml, unescapeHtml } from './escape-html'

/** One series as ApexCharts takes it for axis charts (bar, line, heatmap). */
export type SeriesItem = ApexCharts.ApexAxisChartSeries[number]

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

/** What Apex writes as HTML: text that toApex already escaped passes as it is. */
const asEscaped = (value: unknown): string => (value === null || value === undefined ? '' : String(value))
/** What Apex writes as SVG textContent: the name as the user typed it. */
const asSvgText = (value: unknown): string => unescapeHtml(value)

function escapeSeries(series: SeriesItem[]): SeriesItem[] {
  return series.map((s) => ({
    ...s,
    name: escapeHtml(s.name),
    data: (s.data as unknown[]).map((d) =>
      d !== null && typeof d === 'object' && 'x' in d ? { ...d, x: escapeHtml((d as { x: unknown }).x) } : d,
    ),
  })) as SeriesItem[]
}

/** A text axis shows plain text; a value axis keeps the builder's own number formatter. */
const textLabels = (text: boolean) => (text ? { formatter: asSvgText } : {})

/**
 * The one way out of this module: labels escaped on the way into ApexCharts, and every
 * innerHTML-bound formatter pinned (see the header comment for the sinks).
 */
function toApex(spec: ChartSpec, format: ValueFormat): ChartSpec {
  const o = spec.options
  const horizontal = !!o.plotOptions?.bar?.horizontal
  const heatmap = spec.type === 'heatmap'
  const yaxis = Array.isArray(o.yaxis) ? o.yaxis[0] : o.yaxis
  const categories = o.xaxis?.categories as unknown[] | undefined
  return {
    type: spec.type,
    series: escapeSeries(spec.series),
    options: {
      ...o,
      ...(o.labels ? { labels: o.labels.map((l) => escapeHtml(l)) } : {}),
      xaxis: {
        ...o.xaxis,
        ...(categories ? { categories: categories.map((c) => escapeHtml(c)) } : {}),
        labels: { ...o.xaxis?.labels, ...textLabels(heatmap || !horizontal) },
        tooltip: { enabled: false, formatter: asEscaped },
      },
      yaxis: {
        ...yaxis,
        labels: { ...yaxis?.labels, ...textLabels(heatmap || horizontal) },
        tooltip: { enabled: false },
      },
      legend: { ...o.legend, formatter: asEscaped, tooltipHoverFormatter: undefined },
      tooltip: {
        ...o.tooltip,
        x: { formatter: asEscaped },
        y: { formatter: (v: number) => escapeHtml(format(v)), title: { formatter: asEscaped } },
        z: { title: '', formatter: () => '' },
      },
    },
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
    legend: { position: 'top', horizontalAlign: 'left' },
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
  return toApex(
    {
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
    },
    input.format,
  )
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
  return toApex(
    {
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
    },
    input.format,
  )
}

/** Rows × columns of figures (stage × source/city/manager churn). Null cells stay blank. */
export function heatmapChart(input: {
  rows: string[]
  columns: string[]
  values: (number | null)[][]
  format: ValueFormat
  dark: boolean
  valueName: string
  /**
   * The deals behind each cell (a rate's denominator): shown in the tooltip, and a cell on fewer
   * than `small.below` deals is marked "*" (metrics.md: a small sample is marked, not trusted).
   */
  sizes?: { values: (number | null)[][]; name: string; small: { below: number; label: string } }
}): ChartSpec {
  // ApexCharts draws heatmap series bottom-up; reverse so the first row is on top.
  const order = input.rows.map((_, i) => i).reverse()
  const series: SeriesItem[] = order.map((ri) => ({
    name: input.rows[ri],
    data: input.columns.map((c, ci) => ({ x: c, y: input.values[ri]?.[ci] ?? null })),
  }))
  // Series are drawn bottom-up (reversed above): series i is row order[i].
  const sizeAt = (si: number, ci: number) => input.sizes?.values[order[si]]?.[ci] ?? null
  const isSmall = (si: number, ci: number) => {
    const n = sizeAt(si, ci)
    return input.sizes !== undefined && n !== null && n < input.sizes.small.below
  }
  const sizeRows = (si: number, ci: number) => {
    const n = sizeAt(si, ci)
    if (!input.sizes || n === null) return []
    const rows = [{ name: input.sizes.name, value: String(n) }]
    if (isSmall(si, ci)) rows.push({ name: `* ${input.sizes.small.label}`, value: `< ${input.sizes.small.below}` })
    return rows
  }
  const b = base(input.dark, input.format)
  return toApex(
    {
      type: 'heatmap',
      series,
      options: {
        ...b,
        legend: { ...b.legend, show: false },
        colors: [COLORS.heatHigh],
        plotOptions: { heatmap: { shadeIntensity: 0.7, radius: 2, enableShades: true } },
        dataLabels: {
          enabled: true,
          formatter: (v: string | number | number[], o?: { seriesIndex: number; dataPointIndex: number }) =>
            typeof v === 'number'
              ? `${input.format(v)}${o && isSmall(o.seriesIndex, o.dataPointIndex) ? ' *' : ''}`
              : '',
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
              ...sizeRows(a.seriesIndex, a.dataPointIndex),
            ],
          ),
        },
      },
    },
    input.format,
  )
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
  return toApex(
    {
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
    },
    input.format,
  )
}
