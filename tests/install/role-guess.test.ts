import { describe, expect, it } from 'vitest'
import { guessRoles, withGuessedRoles } from '../../src/b24/role-guess'
import { defaultSettings } from '../../src/b24/settings'

const P = 'P' as const
const stage = (id: string, name: string, semantic: 'P' | 'S' | 'F' = P) => ({ id, name, semantic })

describe('stage roles guessed from stage names', () => {
  it('reads Russian, Ukrainian and English names', () => {
    const g = guessRoles([
      stage('NEW', 'Новая заявка'),
      stage('B1', 'Записан на консультацию'),
      stage('B2', 'Консультацію призначено'),
      stage('B3', 'Consultation booked'),
      stage('N1', 'Не пришёл'),
      stage('N2', 'Не прийшов на консультацію'),
      stage('N3', 'No-show'),
      stage('N4', 'Неявка'),
      stage('H1', 'Консультация проведена'),
      stage('H2', 'Консультацію проведено'),
      stage('H3', 'Consultation held'),
      stage('H4', 'Первичка'),
      stage('C1', 'Договор подписан'),
      stage('C2', 'Договір підписано'),
      stage('C3', 'Contract signed', 'S'),
      stage('X', 'Contact made'),
      stage('L', 'Договор не подписан', 'F'),
    ])
    expect(g.consultationStageIds).toEqual(['B1', 'B2', 'B3'])
    expect(g.noShowStageIds).toEqual(['N1', 'N2', 'N3', 'N4'])
    expect(g.heldStageIds).toEqual(['H1', 'H2', 'H3', 'H4'])
    // A failure stage never gets a role; "Contact made" is not a contract.
    expect(g.contractStageIds).toEqual(['C1', 'C2', 'C3'])
  })

  it('fills only the roles nobody chose', () => {
    const a = { ...defaultSettings().analytics, noShowStageIds: ['MINE'] }
    const out = withGuessedRoles(a, [stage('N', 'No-show'), stage('H', 'Consultation held')])
    expect(out.noShowStageIds).toEqual(['MINE'])
    expect(out.heldStageIds).toEqual(['H'])
    expect(out.branchStageIds).toEqual([])
  })
})
