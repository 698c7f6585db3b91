/**
 * ApexCharts with only what the report draws (line, area, bar, heatmap, legend): the modular
 * build keeps the lazily loaded chart chunk small. Loaded by ChartBox on first use.
 */
import VueApexCharts from 'vue3-apexcharts/core'
import 'apexcharts/line'
import 'apexcharts/area'
import 'apexcharts/bar'
import 'apexcharts/heatmap'
import 'apexcharts/features/legend'

export default VueApexCharts
