// @vitest-environment jsdom
/**
 * The Funnels page draws a branch stage (metrics.md "Branch stages") beside the main path: not
 * a step of the funnel chart, an aside with its share of the stage deals branch off from, and a
 * marked table row without conversion. Fed by the real engine on the consultation portal.
 */
import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import FunnelsPage from '../../src/app/pages/FunnelsPage.vue'
import ChurnPage from '../../src/app/pages/ChurnPage.vue'
import ChartBox from '../../src/app/components/ChartBox.vue'
import { useReportStore } from '../../src/app/stores/report'
import { useSessionStore } from '../../src/app/stores/session'
import { useDrillStore } from '../../src/app/stores/drill'
import { consultationPortal } from '../engine/consultation-portal'
import { reportFixture } from './app-fixture'

describe('Funnels page with a branch stage', () => {
  it('leaves the branch out of the funnel steps and shows it beside them with its share', async () => {
    const { pinia } = await reportFixture('none', consultationPortal())
    const report = useReportStore().report!
    const fmt = useSessionStore().formatter
    const w = mount(FunnelsPage, { global: { plugins: [pinia] } })
    const cohort = report.funnel.cohort[0]
    expect(cohort.stages.NOSHOW.branch).toBe(true)

    const spec = w.findComponent(ChartBox).props('spec') as { options: { xaxis: { categories: string[] } } }
    expect(spec.options.xaxis.categories).toEqual(['NEW', 'BOOKED', 'HELD', 'CONTRACT', 'WON'])

    const aside = w.find('[data-testid="funnel-branches"] [data-stage="NOSHOW"]')
    expect(aside.exists()).toBe(true)
    // 4 of the 8 deals that reached BOOKED entered NOSHOW.
    expect(aside.text()).toContain(fmt.percent(0.5))
    expect(aside.text()).toContain('BOOKED')
    expect(aside.find('[data-testid="drill-link"]').text()).toBe('4')
    await aside.find('[data-testid="drill-link"]').trigger('click')
    expect(useDrillStore().target?.ref).toMatchObject({ section: 'cohort', stageId: 'NOSHOW', measure: 'reached' })

    const rows = w.findAll('[data-testid="table-funnel-cohort-0"] [data-testid="table-row"]')
    const noShow = rows[cohort.order.indexOf('NOSHOW')]
    expect(noShow.find('[data-col="stage"]').text()).toMatch(/↳ NOSHOW · beside the path/)
    expect(noShow.find('[data-col="conversion"]').text()).toBe('—')
    const booked = rows[cohort.order.indexOf('BOOKED')]
    expect(booked.find('[data-col="conversion"]').text()).toContain(fmt.percent(0.625))
  })

  it('Churn marks the branch row: its churn is over the deals that entered it', async () => {
    const { pinia } = await reportFixture('none', consultationPortal())
    const w = mount(ChurnPage, { global: { plugins: [pinia] } })
    const row = w
      .findAll('[data-testid="table-row"]')
      .find((r) => r.find('[data-col="stage"]').text().includes('NOSHOW'))!
    expect(row.find('[data-col="stage"]').text()).toBe('↳ NOSHOW · beside the path')
    expect(row.find('[data-col="reached"]').text()).toBe('4')
  })

  it('a portal without branch stages shows no aside', async () => {
    const { pinia } = await reportFixture('none', consultationPortal(false))
    const w = mount(FunnelsPage, { global: { plugins: [pinia] } })
    expect(w.find('[data-testid="funnel-branches"]').exists()).toBe(false)
  })
})
