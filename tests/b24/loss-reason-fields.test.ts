import { describe, expect, it } from 'vitest'
import { dumpToCrmData } from '../../src/b24/normalize'
import { deal, emptyDump, enumField, lead, status } from './fixtures'
import type { PortalDump, UserFieldRow } from '../../src/b24/wire'

function stringField(name: string, entity = 'CRM_DEAL', multiple = false): UserFieldRow {
  return { ...enumField(name, []), ENTITY_ID: entity, USER_TYPE_ID: 'string', MULTIPLE: multiple ? 'Y' : 'N', LIST: [] }
}

function dump(): PortalDump {
  const d = emptyDump()
  d.statuses = [
    status('DEAL_STAGE', 'NEW', 10, null),
    status('DEAL_STAGE', 'LOSE', 20, 'F'),
    status('STATUS', 'NEW', 10, null),
    status('STATUS', 'JUNK', 20, 'F', 'Junk'),
    status('STATUS', 'NO_ANSWER', 30, 'F', 'Не дозвонились'),
  ]
  d.dealCategories = [{ id: 0, name: 'Sales', sort: 100, entityTypeId: 2, isDefault: 'Y' }]
  const lost = { STAGE_ID: 'LOSE', STAGE_SEMANTIC_ID: 'F' as const, CLOSED: 'Y' as const }
  d.deals = [
    deal('1', { ...lost, UF_CRM_LOSS_REASON: 'Too expensive' }),
    deal('2', { ...lost, UF_CRM_LOSS_REASON: '  too   EXPENSIVE ' }),
    deal('3', { ...lost, UF_CRM_LOSS_REASON: ['', 'Call back later', 'Too expensive'] }),
    deal('4', { ...lost, UF_CRM_LOSS_REASON: '' }),
    deal('5', { ...lost, UF_CRM_LOSS_REASON: false }),
  ]
  const junk = { STATUS_ID: 'JUNK', STATUS_SEMANTIC_ID: 'F' as const }
  d.leads = [
    lead('11', { ...junk, UF_CRM_LOSS_REASON: 'Перезвонить позже' }),
    lead('12', { ...junk, UF_CRM_LOSS_REASON: 'перезвонить  позже' }),
    lead('13', { ...junk, UF_CRM_LOSS_REASON: '' }),
    lead('14', { STATUS_ID: 'NO_ANSWER', STATUS_SEMANTIC_ID: 'F' }),
    lead('15', { UF_CRM_LOSS_REASON: 'Перезвонить позже' }), // still in work: no reason
  ]
  return d
}

describe('loss reasons from string and list fields (issue 10.9)', () => {
  it('groups free text trimmed and case-folded, a list by its first filled value', () => {
    const d = dump()
    d.dealUserFields = [stringField('UF_CRM_LOSS_REASON', 'CRM_DEAL', true)]
    const data = dumpToCrmData(d)
    const reasons = Object.fromEntries(data.deals.map((x) => [x.id, x.lossReasonId]))
    expect(reasons).toEqual({ 1: 'too expensive', 2: 'too expensive', 3: 'call back later', 4: null, 5: null })
    const names = Object.fromEntries(data.lossReasons.map((r) => [r.id, r.name]))
    expect(names['too expensive']).toBe('Too expensive') // the first spelling met (one each)
    expect(names['call back later']).toBe('Call back later')
  })

  it('keeps enumeration ids, and reads a value that is not an item as text', () => {
    const d = dump()
    d.dealUserFields = [enumField('UF_CRM_LOSS_REASON', [['201', 'Price']])]
    d.deals[0].UF_CRM_LOSS_REASON = '201'
    d.deals[2].UF_CRM_LOSS_REASON = ['201']
    const data = dumpToCrmData(d)
    expect(data.deals.map((x) => x.lossReasonId)).toEqual(['201', 'too expensive', '201', null, null])
    expect(data.lossReasons[0]).toEqual({ id: '201', name: 'Price' })
  })

  it("gives junk leads their field's reason, else their failure status; open leads none", () => {
    const d = dump()
    d.leadUserFields = [stringField('UF_CRM_LOSS_REASON', 'CRM_LEAD')]
    const data = dumpToCrmData(d)
    const reasons = Object.fromEntries(data.leads.map((x) => [x.id, x.lossReasonId]))
    expect(reasons).toEqual({
      11: 'перезвонить позже',
      12: 'перезвонить позже',
      13: 'status:JUNK',
      14: 'status:NO_ANSWER',
      15: null,
    })
    const names = Object.fromEntries(data.lossReasons.map((r) => [r.id, r.name]))
    expect(names['status:NO_ANSWER']).toBe('Не дозвонились')
    expect(names['перезвонить позже']).toBe('Перезвонить позже')
  })

  it('names a reason by its most frequent capitalised spelling', () => {
    const d = dump()
    d.leadUserFields = [stringField('UF_CRM_LOSS_REASON', 'CRM_LEAD')]
    const name = () => dumpToCrmData(d).lossReasons.find((r) => r.id === 'перезвонить позже')?.name
    d.leads[0].UF_CRM_LOSS_REASON = 'перезвонить позже'
    d.leads[2].UF_CRM_LOSS_REASON = 'перезвонить позже'
    d.leads[3].UF_CRM_LOSS_REASON = 'ПЕРЕЗВОНИТЬ ПОЗЖЕ'
    expect(name()).toBe('ПЕРЕЗВОНИТЬ ПОЗЖЕ') // the only capitalised one, however rare
    d.leads[2].UF_CRM_LOSS_REASON = 'Перезвонить позже'
    d.leads[0].UF_CRM_LOSS_REASON = 'Перезвонить позже'
    expect(name()).toBe('Перезвонить позже') // the commonest capitalised one
    for (const l of d.leads) if (l.UF_CRM_LOSS_REASON) l.UF_CRM_LOSS_REASON = 'перезвонить позже'
    expect(name()).toBe('перезвонить позже')
  })

  it('reads the lead field named in the settings', () => {
    const d = dump()
    for (const l of d.leads) l.UF_CRM_JUNK = 'Spam'
    const data = dumpToCrmData(d, { leadLossReasonField: 'UF_CRM_JUNK' })
    expect(data.leads.find((x) => x.id === 11)!.lossReasonId).toBe('spam')
  })
})
