/**
 * Loss reasons read from whatever kind of user field a portal keeps them in (seed OneBox):
 * an enumeration (the value is an item id, named by the field's LIST), a string (free text), or
 * a list — a multiple field of either, whose first filled value is the reason. Free-text values
 * are grouped trimmed and case-folded ("Не дозвонились" and "не дозвонились " are one reason,
 * named by its most frequent capitalised spelling — a list reads better so — else its most
 * frequent one, the first met on a tie); an enumeration value that is not one of its items (a field
 * re-typed on the portal) is treated as text too.
 */
import type { NamedItem } from '../engine/types'
import type { UserFieldRow } from './wire'
import { wireText } from './wire-values'

/** The grouping key of a free-text reason. */
export function reasonKey(text: string): string {
  return text.trim().replace(/\s+/g, ' ').toLowerCase()
}

export interface ReasonReader {
  /** The reason key of a field value (one value or a list), null when the field is empty. */
  read(value: unknown): string | null
  /** Adds a reason the reader did not read from the field (a lead's failure status). */
  name(key: string, name: string): void
  /** Every reason seen: the field's enumeration items, then free-text and added ones. */
  items(): NamedItem[]
}

function firstText(value: unknown): string | null {
  if (Array.isArray(value)) {
    for (const x of value) {
      const s = firstText(x)
      if (s !== null) return s
    }
    return null
  }
  if (typeof value === 'boolean') return null
  const s = wireText(value)
  // Bitrix24 writes an empty enumeration as "0" (and false for an empty list).
  return s === null || s === '0' ? null : s
}

export function reasonReader(fields: UserFieldRow[], fieldName: string | null): ReasonReader {
  const field = fieldName ? fields.find((f) => f.FIELD_NAME === fieldName) : undefined
  const enumItems: NamedItem[] =
    field && Array.isArray(field.LIST)
      ? field.LIST.filter((i) => wireText(i.ID) !== null).map((i) => ({
          id: wireText(i.ID)!,
          name: wireText(i.VALUE) ?? String(i.ID),
        }))
      : []
  const enumIds = new Set(enumItems.map((i) => i.id))
  /** Per free-text key: how often each spelling was met (insertion order settles ties). */
  const texts = new Map<string, Map<string, number>>()
  const addText = (key: string, name: string) => {
    if (enumIds.has(key)) return
    let spellings = texts.get(key)
    if (!spellings) texts.set(key, (spellings = new Map()))
    spellings.set(name, (spellings.get(name) ?? 0) + 1)
  }
  const commonest = (spellings: Map<string, number>): string => {
    let best = ''
    let most = 0
    const capital = (s: string) => s.charAt(0) !== s.charAt(0).toLowerCase()
    const anyCapital = [...spellings.keys()].some(capital)
    for (const [name, n] of spellings) if (n > most && (!anyCapital || capital(name))) [best, most] = [name, n]
    return best
  }
  return {
    read(value) {
      const s = firstText(value)
      if (s === null) return null
      if (enumIds.has(s)) return s
      const key = reasonKey(s)
      addText(key, s.replace(/\s+/g, ' '))
      return key
    },
    name: addText,
    items: () => [...enumItems, ...[...texts].map(([id, spellings]) => ({ id, name: commonest(spellings) }))],
  }
}

/** Reason lists of deals and leads as one dictionary (an id named twice keeps its first name). */
export function mergeReasons(...lists: NamedItem[][]): NamedItem[] {
  const out = new Map<string, NamedItem>()
  for (const list of lists) for (const item of list) if (!out.has(item.id)) out.set(item.id, item)
  return [...out.values()]
}
