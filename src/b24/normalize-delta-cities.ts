/**
 * A delta is spliced only if the city list stays as the cached data has it. unifyCities
 * (normalize.ts) keeps the first key of each city name (field items, deal field first, then
 * fallback cities — a manager's department, `dep:<id>`), so a new row's city key is made canonical
 * as it would be, and a city that would join or leave the list rules the splice out.
 */
import type { Deal, Lead } from '../engine/types'
import { enumItems } from './normalize-dictionaries'
import { findById, type DeltaScope } from './normalize-delta-scope'

export interface CityKeys {
  /** A key's canonical one: the list's item of its name; null for a name the list lacks (a new city). */
  canonical: (id: string) => string | null
  /** The city fields' item keys (any other key is a fallback city). */
  named: Set<string>
}

export function cityKeys(scope: DeltaScope): CityKeys {
  const named = fieldCityNames(scope)
  const key = (name: string) => name.trim().toLocaleLowerCase()
  const itemByName = new Map(scope.data.cities.map((c) => [key(c.name), c.id]))
  const nameOf = (id: string) => named.get(id) ?? fallbackCityName(scope.departments, id)
  return { canonical: (id) => itemByName.get(key(nameOf(id))) ?? null, named: new Set(named.keys()) }
}

/** The city fields' items, key → name; on a key in both, the deal field's. */
function fieldCityNames({ before, ctx }: DeltaScope): Map<string, string> {
  const named = new Map<string, string>()
  for (const i of enumItems(before.dealUserFields ?? [], ctx.cityField)) named.set(i.id, i.name)
  for (const i of enumItems(before.leadUserFields ?? [], ctx.leadCityField))
    if (!named.has(i.id)) named.set(i.id, i.name)
  return named
}

/** A department's name for `dep:<id>` (as normalisation names one it lacks); any other key is its own name. */
function fallbackCityName(departments: Map<number, string>, id: string): string {
  const dep = /^dep:(\d+)$/.exec(id)
  return dep ? (departments.get(Number(dep[1])) ?? `Department ${dep[1]}`) : id
}

/**
 * The new rows with their city key made canonical, or null when a new row's city is neither a city
 * field's item nor a fallback city of the list already.
 */
export function canonicalCities<R extends Deal | Lead>(put: R[], canonical: CityKeys['canonical']): R[] | null {
  const out: R[] = []
  for (const r of put) {
    const city = r.cityId === null ? null : canonical(r.cityId)
    if (r.cityId !== null && city === null) return null
    out.push(city === r.cityId ? r : { ...r, cityId: city })
  }
  return out
}

/** Whether each fallback city a changed or removed row had is still some row's (else it leaves the list). */
export function fallbackCitiesStay(
  scope: DeltaScope,
  named: Set<string>,
  gone: { deals: Set<number>; leads: Set<number> },
  rows: { deals: Deal[]; leads: Lead[] },
): boolean {
  const left = new Set<string>()
  for (const id of gone.deals) addFallback(left, named, findById(scope.data.deals, id)?.cityId)
  for (const id of gone.leads) addFallback(left, named, findById(scope.data.leads, id)?.cityId)
  if (left.size === 0) return true
  for (const r of rows.deals) if (r.cityId !== null) left.delete(r.cityId)
  for (const r of rows.leads) if (r.cityId !== null) left.delete(r.cityId)
  return left.size === 0
}

function addFallback(cities: Set<string>, named: Set<string>, city: string | null | undefined): void {
  if (city != null && !named.has(city)) cities.add(city)
}
