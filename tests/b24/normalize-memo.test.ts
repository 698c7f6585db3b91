/**
 * Normalising the dump after a delta with the memo of the cached dump's normalisation (issue 11.2)
 * must give exactly what normalising it afresh gives: every row, every dictionary, every problem
 * in its order — whatever the delta changed, including what rows read from other rows (a lead's
 * source, an activity's call row, a task's activity, a manager's department as the city).
 */
import { describe, expect, it } from 'vitest'
import { dumpToCrmData } from '../../src/b24/normalize'
import { RowMemo } from '../../src/b24/normalize-memo'
import { parseSettings, SETTINGS_OPTION } from '../../src/b24/settings'
import type { PortalDump } from '../../src/b24/wire'
import { generatePortal } from '../../src/demo-portal/generator'

const base = generatePortal({ seed: 11, deals: 300 })
const settings = parseSettings(base.appOptions?.[SETTINGS_OPTION])

type Rows = Record<string, unknown>[]
/** The dump with row `i` of `table` replaced by a changed copy (every other row object kept, as applyToDump does). */
function changed(dump: PortalDump, table: keyof PortalDump, i: number, edit: (row: Record<string, unknown>) => void) {
  const rows = [...(dump[table] as unknown as Rows)]
  const row = { ...rows[i % rows.length] }
  edit(row)
  rows[i % rows.length] = row
  return { ...dump, [table]: rows } as PortalDump
}

const dealWithLead = () =>
  (base.deals as unknown as Rows).findIndex((d) => d.LEAD_ID && d.LEAD_ID !== '0' && !d.SOURCE_ID)
const callActivity = () => (base.activities as unknown as Rows).findIndex((a) => a.PROVIDER_ID === 'VOXIMPLANT_CALL')

const CASES: { name: string; delta: (d: PortalDump) => PortalDump }[] = [
  { name: 'a deal moves stage', delta: (d) => changed(d, 'deals', 5, (r) => (r.STAGE_ID = 'WON')) },
  {
    name: 'a deal gets an unreadable creation date (a new problem)',
    delta: (d) => changed(d, 'deals', 7, (r) => (r.DATE_CREATE = 'soon')),
  },
  {
    name: 'a lead changes source: its deal without a source of its own follows',
    delta: (d) => {
      const deal = (d.deals as unknown as Rows)[dealWithLead()]
      const lead = (d.leads as unknown as Rows).findIndex((l) => l.ID === deal.LEAD_ID)
      return changed(d, 'leads', lead, (r) => (r.SOURCE_ID = 'NEW_SOURCE'))
    },
  },
  {
    name: "a call's statistics row changes: its activity's touch follows",
    delta: (d) => {
      const activity = (d.activities as unknown as Rows)[callActivity()]
      const call = (d.calls as unknown as Rows).findIndex((c) => c.CRM_ACTIVITY_ID === activity.ID)
      return changed(d, 'calls', call, (r) => (r.CALL_DURATION = '999'))
    },
  },
  {
    name: 'a lead becomes junk with a free-text reason (the reason list grows)',
    delta: (d) => changed(d, 'leads', 3, (r) => Object.assign(r, { STATUS_ID: 'JUNK', STATUS_SEMANTIC_ID: 'F' })),
  },
  {
    name: 'rows deleted and added (history, activities)',
    delta: (d) =>
      ({
        ...d,
        dealHistory: [
          ...(d.dealHistory as unknown as Rows).slice(1),
          { ...(d.dealHistory as unknown as Rows)[0], ID: '999999' },
        ],
        activities: (d.activities as unknown as Rows).slice(0, -3),
      }) as unknown as PortalDump,
  },
  {
    name: "a manager moves to another department (a dictionary: every deal's city is read again)",
    delta: (d) => changed(d, 'users', 2, (r) => (r.UF_DEPARTMENT = [99])),
  },
]

describe('normalising again with the memo of the last normalisation', () => {
  it.each(CASES)('$name: the same tables as normalising afresh', ({ delta }) => {
    const memo = new RowMemo()
    const cached = dumpToCrmData(base, settings, memo)
    const cachedJson = JSON.stringify(cached)
    const after = delta(base)
    const reused = dumpToCrmData(after, settings, memo)
    expect(reused).toEqual(dumpToCrmData(structuredClone(after), settings))
    // The cached data (still on screen, and the base of the engine's patch) is never written to.
    expect(JSON.stringify(cached)).toBe(cachedJson)
  })

  it('reuses the unchanged rows (only changed ones are normalised again)', () => {
    const memo = new RowMemo()
    dumpToCrmData(base, settings, memo)
    const first = memo.hits
    dumpToCrmData(CASES[0].delta(base), settings, memo)
    const rows = (['deals', 'leads', 'dealHistory', 'leadHistory', 'activities', 'tasks'] as const).reduce(
      (sum, t) => sum + (base[t]?.length ?? 0),
      0,
    )
    expect(first).toBe(0)
    expect(memo.hits).toBeGreaterThan(rows * 0.9)
  })
})
