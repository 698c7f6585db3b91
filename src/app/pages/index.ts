import type { Component } from 'vue'
import type { PageId } from '../services/url-state'
import OverviewPage from './OverviewPage.vue'
import FunnelsPage from './FunnelsPage.vue'
import ConsultationsPage from './ConsultationsPage.vue'
import ChurnPage from './ChurnPage.vue'
import SourcesPage from './SourcesPage.vue'
import ManagersPage from './ManagersPage.vue'
import TimePage from './TimePage.vue'
import TouchesPage from './TouchesPage.vue'
import LossPage from './LossPage.vue'
import ForecastPage from './ForecastPage.vue'
import QualityPage from './QualityPage.vue'

/** Pages are small (charts load lazily inside ChartBox), so they ship in the main chunk. */
export const PAGE_COMPONENTS: Record<PageId, Component> = {
  overview: OverviewPage,
  funnels: FunnelsPage,
  consultations: ConsultationsPage,
  churn: ChurnPage,
  sources: SourcesPage,
  managers: ManagersPage,
  time: TimePage,
  touches: TouchesPage,
  loss: LossPage,
  forecast: ForecastPage,
  quality: QualityPage,
}
