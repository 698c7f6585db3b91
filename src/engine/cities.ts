/**
 * Cities: the branch-network view. Per city (the settings' city field, else the manager's
 * department): deals created in the period, deals won / lost in the period (won sum),
 * conversion = won/(won+lost), leads created in the period, mean time to win (hours).
 */
import type { PeriodScope, QueryScope } from './filters'
import { closedCycle } from './timing'
import { HOUR_MS, rate, round2 } from './stats'
import type { WithChanges } from './changes'

export interface CityRow extends WithChanges {
  cityId: string
  name: string
  leads: number
  created: number
  won: number
  wonSum: number
  lost: number
  conversion: number | null
  meanTimeToWin: number | null
}

export function citiesSection(s: QueryScope, ps: PeriodScope): CityRow[] {
  const p = s.p
  const dict = p.dims.city.dict
  const codes = p.dims.city.codes
  const K = dict.size
  const leads = new Int32Array(K),
    created = new Int32Array(K),
    won = new Int32Array(K),
    lost = new Int32Array(K)
  const wonSum = new Float64Array(K),
    winMs = new Float64Array(K),
    winN = new Int32Array(K)
  for (let j = 0, list = ps.leads; j < list.length; j++) {
    const i = list[j]
    leads[p.leadDims.city[i]]++
  }
  for (let j = 0, list = s.deals; j < list.length; j++) {
    const d = list[j]
    const k = codes[d]
    if (ps.cohort[d] === 1) created[k]++
    if (ps.won[d] === 1) {
      won[k]++
      wonSum[k] += p.amount[d]
      const ms = closedCycle(p, d)
      if (ms === ms) {
        winMs[k] += ms
        winN[k]++
      }
    } else if (ps.lost[d] === 1) lost[k]++
  }
  const rows: CityRow[] = []
  for (let k = 0; k < K; k++) {
    if (!leads[k] && !created[k] && !won[k] && !lost[k]) continue
    rows.push({
      cityId: dict.keys[k],
      name: dict.names[k],
      leads: leads[k],
      created: created[k],
      won: won[k],
      wonSum: round2(wonSum[k]),
      lost: lost[k],
      conversion: rate(won[k], won[k] + lost[k]),
      meanTimeToWin: winN[k] ? round2(winMs[k] / winN[k] / HOUR_MS) : null,
    })
  }
  return rows.sort((a, b) => b.created - a.created || b.wonSum - a.wonSum || a.cityId.localeCompare(b.cityId))
}
