import { describe, expect, it } from 'vitest'
import { prepare } from '../../src/engine/prepare'
import { resolveQuery } from '../../src/engine/filters'
import { roiSection } from '../../src/engine/roi'
import { addDeal, addLead, portal } from './builders'

const t = (s: string) => `2024-${s}:00+03:00`

function roi(q: Record<string, unknown> = {}, cityBudget = false) {
  const d = portal()
  d.currencies.push({ code: 'USD', rate: 90, base: false })
  d.sources = [
    { id: 'ADS', name: 'Ads' },
    { id: 'SEO', name: 'Search' },
    { id: 'TV', name: 'TV' },
  ]
  d.budgets.push({ sourceId: 'ADS', cityId: null, month: '2024-03', amount: 3100, currency: 'RUB' })
  d.budgets.push({ sourceId: 'ADS', cityId: null, month: '2024-04', amount: 3000, currency: 'RUB' })
  d.budgets.push({ sourceId: 'ADS', cityId: null, month: '2024-05', amount: 9999, currency: 'RUB' }) // outside
  d.budgets.push({ sourceId: 'TV', cityId: null, month: '2024-04', amount: 10, currency: 'USD' })
  if (cityBudget) d.budgets.push({ sourceId: 'ADS', cityId: 'msk', month: '2024-03', amount: 620, currency: 'RUB' })
  for (let i = 1; i <= 4; i++)
    addLead(d, { id: i, created: t('03-20T10:00'), semantic: 'P', sourceId: 'ADS', cityId: 'msk' })
  addLead(d, { id: 5, created: t('03-10T10:00'), semantic: 'P', sourceId: 'ADS' }) // before the period
  addDeal(d, {
    id: 1,
    stageId: 'WON',
    created: t('03-20T10:00'),
    sourceId: 'ADS',
    amount: 100,
    currency: 'USD',
    cityId: 'msk',
    history: [
      ['NEW', t('03-20T10:00')],
      ['WON', t('04-01T10:00')],
    ],
  })
  addDeal(d, {
    id: 2,
    stageId: 'NEW',
    created: t('04-02T10:00'),
    sourceId: 'ADS',
    cityId: 'msk',
    history: [['NEW', t('04-02T10:00')]],
  })
  addDeal(d, {
    id: 3,
    stageId: 'WON',
    created: t('03-17T10:00'),
    sourceId: 'SEO',
    amount: 500,
    history: [
      ['NEW', t('03-17T10:00')],
      ['WON', t('03-18T10:00')],
    ],
  })
  const p = prepare(d)
  const s = resolveQuery(p, { from: '2024-03-16', to: '2024-04-15', compare: 'none', ...q })
  return roiSection(s, s.current)
}

describe('channel ROI', () => {
  const r = roi()
  const ads = r.rows.find((x) => x.sourceId === 'ADS')!

  it('spend = budgets prorated by days of each month inside the period', () => {
    // March 16–31: 3100 × 16/31 = 1600; April 1–15: 3000 × 15/30 = 1500
    expect(ads.spend).toBe(3100)
  })

  it('leads, deals, won, revenue in the report currency; conversion, CPL, CPA, ROI %', () => {
    expect(ads).toMatchObject({ leads: 4, deals: 2, won: 1, revenue: 9000 }) // 100 USD × 90
    expect(ads.conversion).toBe(0.25) // won/leads
    expect(ads.cpl).toBe(775)
    expect(ads.cpa).toBe(3100)
    expect(ads.roi).toBe(190.32) // (9000 − 3100)/3100 × 100
  })

  it('no spend → CPL, CPA, ROI are null; no leads → conversion = won/deals', () => {
    const seo = r.rows.find((x) => x.sourceId === 'SEO')!
    expect(seo).toMatchObject({
      spend: 0,
      leads: 0,
      deals: 1,
      won: 1,
      revenue: 500,
      conversion: 1,
      cpl: null,
      cpa: null,
      roi: null,
    })
  })

  it('a channel with spend and nothing else: CPL/CPA null, ROI −100 %', () => {
    const tv = r.rows.find((x) => x.sourceId === 'TV')!
    // 10 USD × 90 × 15/30 = 450
    expect(tv).toMatchObject({
      name: 'TV',
      spend: 450,
      leads: 0,
      won: 0,
      cpl: null,
      cpa: null,
      roi: -100,
      conversion: null,
    })
  })

  it('the ROI total set revenue of channels without spend against the spend — it sums the channels with spend only, the others are a line apart', () => {
    // ADS + TV: revenue 9000 against their own spend 3550; SEO's 500 has no budget behind it.
    expect(r.total).toMatchObject({ spend: 3550, leads: 4, deals: 2, won: 1, revenue: 9000, roi: 153.52 })
    expect(r.withoutSpend).toMatchObject({ spend: 0, deals: 1, won: 1, revenue: 500, roi: null, cpa: null })
    // Every channel is in exactly one of the two lines.
    expect(r.total.revenue + r.withoutSpend.revenue).toBe(r.rows.reduce((a, x) => a + x.revenue, 0))
  })

  it("a city filter counts that city's budgets and reports all-city budgets apart", () => {
    const c = roi({ cityIds: ['msk'] }, true)
    const a = c.rows.find((x) => x.sourceId === 'ADS')!
    expect(a.spend).toBe(320) // 620 × 16/31
    expect(c.unsplitSpend).toBe(3550)
    expect(a).toMatchObject({ leads: 4, deals: 2, won: 1 })
  })
})
