/**
 * The report app fed by the real engine on a small hand-made portal (tests/engine/march.ts),
 * with hostile CRM text in names, for component tests.
 */
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import { buildReport, drillDown, prepare, type Prepared } from '../../src/engine'
import type { CrmData } from '../../src/engine/types'
import type { ReportEngine } from '../../src/app/stores/report'
import { useReportStore } from '../../src/app/stores/report'
import { useSessionStore } from '../../src/app/stores/session'
import { useFiltersStore } from '../../src/app/stores/filters'
import { marchPortal, MARCH } from '../engine/march'
import { addDeal } from '../engine/builders'

export const XSS = '<img src=x onerror=alert(1)>'

export function hostilePortal(): CrmData {
  const data = marchPortal()
  data.users[0].name = `Anna ${XSS}`
  data.sources[0].name = `Ads ${XSS}`
  data.stages.find((s) => s.id === 'OFFER')!.name = `Offer ${XSS}`
  data.lossReasons[0].name = `Price ${XSS}`
  data.cities = [{ id: 'msk', name: `Moscow ${XSS}` }]
  for (const d of data.deals) d.cityId = 'msk'
  // One paid channel, so that the ROI table has both total lines (with and without spend).
  data.budgets.push({ sourceId: 'ADS', cityId: null, month: '2024-03', amount: 1000, currency: 'RUB' })
  const h = (day: string) => `2024-${day}T12:00:00+03:00`
  addDeal(data, {
    id: 50,
    stageId: 'OFFER',
    created: h('02-10'),
    title: `Deal ${XSS}`,
    sourceId: 'ADS',
    cityId: 'msk',
    amount: 300,
    history: [
      ['NEW', h('02-10')],
      ['CONTACT', h('02-11')],
      ['OFFER', h('02-12')],
    ],
  })
  return data
}

/** The engine itself, in-process (the browser runs the same code in a Web Worker). */
export function inProcessEngine(): ReportEngine & { prepared: () => Prepared } {
  let p: Prepared | null = null
  return {
    prepared: () => p!,
    async load(data) {
      p = prepare(data)
      return p.quality
    },
    async report(query) {
      return buildReport(p!, { ...query, now: MARCH.now })
    },
    async drill(ref, query) {
      return drillDown(p!, { ...query, now: MARCH.now }, ref)
    },
  }
}

export interface AppFixture {
  pinia: Pinia
  data: CrmData
  engine: ReturnType<typeof inProcessEngine>
}

/** Stores set up as placement/report.ts does, with March 2024 against February on screen. */
export async function reportFixture(
  compare: 'previous' | 'none' = 'previous',
  data: CrmData = hostilePortal(),
): Promise<AppFixture> {
  const pinia = createPinia()
  setActivePinia(pinia)
  const engine = inProcessEngine()
  const session = useSessionStore()
  const filters = useFiltersStore()
  filters.set({ preset: 'custom', from: MARCH.from, to: MARCH.to, compare })
  filters.setTimeZone(data.portal.timeZone)
  session.finishSync(data)
  const report = useReportStore()
  await report.attach(engine, data)
  await report.run({ from: MARCH.from, to: MARCH.to, compare })
  return { pinia, data, engine }
}
