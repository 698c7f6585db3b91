/**
 * Which rows and columns the budget and plan grids show, without Vue. Budgets: a row per
 * source (all cities), per source · city anything stored or edited uses, and per row the admin
 * added; sorted by label. Plans: a row per manager, and per user id only the storage knows.
 * Columns: the twelve months of a year (plans: a sum and a deals column each).
 */
import { budgetKey, parseKey, planKey } from '../../b24/input-cells'
import type { InputDictionaries } from '../../b24/input-dictionaries'
import type { GridColumn, GridRow, GridState } from './grid-model'

export type GridKind = 'budget' | 'plan'

export function nameOf(list: { id: string; name: string }[], id: string | null | undefined): string {
  return list.find((x) => x.id === id)?.name ?? id ?? ''
}

export function gridColumns(kind: GridKind, year: number): GridColumn[] {
  const months = Array.from({ length: 12 }, (_, i) => `${year}-${String(i + 1).padStart(2, '0')}`)
  return months.flatMap((month) =>
    kind === 'plan'
      ? [
          { month, field: 'amount' as const },
          { month, field: 'deals' as const },
        ]
      : [{ month, field: 'amount' as const }],
  )
}

/** A budget row's id, "source|city" ("source|" for all cities), as `data-row` shows it. */
export function budgetRowId(sourceId: string, cityId: string | null): string {
  return `${sourceId}|${cityId ?? ''}`
}

/** The budget row a cell key belongs to; null for a key of anything else. */
export function budgetRowIdOf(key: string): string | null {
  const k = parseKey(key)
  return k?.kind === 'budget' ? budgetRowId(k.sourceId!, k.cityId ?? null) : null
}

export function budgetRow(
  dict: InputDictionaries,
  sourceId: string,
  cityId: string | null,
  allCities: string,
): GridRow {
  const city = cityId === null ? allCities : nameOf(dict.cities, cityId)
  return {
    id: budgetRowId(sourceId, cityId),
    label: `${nameOf(dict.sources, sourceId)} · ${city}`,
    keyFor: (m) => budgetKey(sourceId, cityId, m),
  }
}

export function budgetRows(
  s: GridState,
  dict: InputDictionaries,
  extraRows: readonly string[],
  allCities: string,
): GridRow[] {
  const combos = new Map<string, GridRow>()
  for (const src of dict.sources) combos.set(budgetRowId(src.id, null), budgetRow(dict, src.id, null, allCities))
  for (const key of [...s.base.keys(), ...s.edits.keys()]) {
    const k = parseKey(key)
    // A cleared cell keeps an empty marker item: it does not make its row appear.
    if (k?.kind === 'budget' && (s.edits.has(key) || s.base.get(key)?.values))
      combos.set(budgetRowId(k.sourceId!, k.cityId ?? null), budgetRow(dict, k.sourceId!, k.cityId ?? null, allCities))
  }
  for (const id of extraRows) {
    const [src, city] = id.split('|')
    combos.set(id, budgetRow(dict, src, city || null, allCities))
  }
  return [...combos.values()].sort((a, b) => a.label.localeCompare(b.label))
}

export function planRows(s: GridState, dict: InputDictionaries): GridRow[] {
  const ids = new Set(dict.managers.map((m) => m.id))
  for (const key of [...s.base.keys(), ...s.edits.keys()]) {
    const k = parseKey(key)
    if (k?.kind === 'plan') ids.add(String(k.userId))
  }
  return [...ids].map((id) => ({
    id,
    label: nameOf(dict.managers, id) || `#${id}`,
    keyFor: (m: string) => planKey(Number(id), m),
  }))
}

/** A cell key as a person reads it: "Website · all cities 2024-03", "Anna 2024-03". */
export function describeKey(key: string, dict: InputDictionaries, allCities: string): string {
  const k = parseKey(key)
  if (!k) return key
  if (k.kind === 'plan') return `${nameOf(dict.managers, String(k.userId))} ${k.month}`
  return `${budgetRow(dict, k.sourceId!, k.cityId ?? null, allCities).label} ${k.month}`
}
