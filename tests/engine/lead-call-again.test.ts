import { describe, expect, it } from 'vitest'
import { prepare } from '../../src/engine/prepare'
import { resolveQuery } from '../../src/engine/filters'
import { lossReasonsSection } from '../../src/engine/loss-reasons'
import { addLead, at, portal } from './builders'

const NOW = at('2024-06-30T12:00:00+03:00')

function section(q: Record<string, unknown> = {}) {
  const data = portal()
  data.sources = [{ id: 'WEB', name: 'Website' }]
  data.lossReasons = [
    { id: 'перезвонить позже', name: 'Перезвонить позже' },
    { id: 'spam', name: 'Spam' },
    { id: 'status:NO_ANSWER', name: 'Не дозвонились' },
  ]
  const junk = (id: number, reason: string | null, closed: string, over: Record<string, unknown> = {}) => {
    const l = addLead(data, { id, created: '2024-05-01T10:00:00+03:00', semantic: 'F', sourceId: 'WEB', ...over })
    l.lossReasonId = reason
    l.closedAt = at(closed)
  }
  junk(1, 'перезвонить позже', '2024-06-20T10:00:00+03:00')
  junk(2, 'status:NO_ANSWER', '2024-06-25T10:00:00+03:00', { assignedById: 2 })
  junk(3, 'spam', '2024-06-26T10:00:00+03:00') // a refusal, not a timing problem
  junk(4, 'перезвонить позже', '2024-03-01T10:00:00+03:00') // more than 90 days ago
  junk(5, null, '2024-06-26T10:00:00+03:00') // no reason at all
  const open = addLead(data, { id: 6, created: '2024-06-01T10:00:00+03:00', semantic: 'P' })
  open.lossReasonId = 'перезвонить позже' // not junk: not on the list
  const s = resolveQuery(prepare(data), { from: '2024-06-01', to: '2024-06-30', compare: 'none', now: NOW, ...q })
  return lossReasonsSection(s, s.current)
}

describe('junk leads worth contacting again (issue 10.9)', () => {
  it('lists junk leads of the last 90 days whose reason reads like timing, newest first', () => {
    expect(section().leadCallAgain).toEqual([
      {
        id: 2,
        title: 'Lead 2',
        reason: 'Не дозвонились',
        lostAt: at('2024-06-25T10:00:00+03:00'),
        managerName: 'Boris',
        sourceName: 'Website',
      },
      {
        id: 1,
        title: 'Lead 1',
        reason: 'Перезвонить позже',
        lostAt: at('2024-06-20T10:00:00+03:00'),
        managerName: 'Anna',
        sourceName: 'Website',
      },
    ])
  })

  it('follows the lead filters', () => {
    expect(section({ managerIds: [1] }).leadCallAgain.map((r) => r.id)).toEqual([1])
  })
})
