/**
 * The generated portal's junk leads carry a free-text reason in a string field (seed OneBox),
 * in several spellings, some worth a new call; the app normalises them into reasons and the
 * engine lists the junk leads to contact again.
 */
import { describe, expect, it } from 'vitest'
import { generatePortal, LOSS_REASON_FIELD } from '../../src/demo-portal/generator'
import { dumpToCrmData } from '../../src/b24/normalize'
import { prepare } from '../../src/engine/prepare'
import { resolveQuery } from '../../src/engine/filters'
import { lossReasonsSection } from '../../src/engine/loss-reasons'

const dump = generatePortal({ seed: 7, deals: 1500 })

describe('junk reasons of the generated leads', () => {
  it('live in a string field on leads, typed in several spellings', () => {
    const field = dump.leadUserFields.find((f) => f.FIELD_NAME === LOSS_REASON_FIELD)
    expect(field?.USER_TYPE_ID).toBe('string')
    const junk = dump.leads.filter((l) => l.STATUS_SEMANTIC_ID === 'F')
    const values = junk.map((l) => l[LOSS_REASON_FIELD as `UF_CRM_${string}`])
    expect(values).toContain('Не дозвонились')
    expect(values).toContain('не дозвонились ')
    expect(values).toContain('')
    expect(
      dump.leads.filter((l) => l.STATUS_SEMANTIC_ID !== 'F').every((l) => !l[LOSS_REASON_FIELD as `UF_CRM_${string}`]),
    ).toBe(true)
  })

  it('become grouped reasons and a list of junk leads to contact again', () => {
    const data = dumpToCrmData(dump)
    const keys = new Set(data.leads.map((l) => l.lossReasonId).filter(Boolean))
    expect(keys).toContain('не дозвонились')
    expect(keys).not.toContain('не дозвонились ')
    expect(keys).toContain('status:JUNK')
    const now = Math.max(...data.leads.map((l) => l.modifiedAt))
    const s = resolveQuery(prepare(data), { from: '2024-01-01', to: '2024-01-31', compare: 'none', now })
    const rows = lossReasonsSection(s, s.current).leadCallAgain
    expect(rows.length).toBeGreaterThan(0)
    expect(new Set(rows.map((r) => r.reason))).toEqual(
      new Set(['Не дозвонились', 'Перезвонить позже', 'Подумает, перезвонить через месяц']),
    )
  })
})
