/**
 * First-install guesses of the stage roles from stage names (Russian, Ukrainian, English), so a
 * portal whose stages say what they are needs no clicks; the admin can change every one.
 * Only obvious names match; a stage gets at most one role here, checked in this order (a
 * "did not come to the consultation" stage is a no-show, not a consultation).
 */
import type { AnalyticsSettings } from '../engine/types'

export type RoleKey = 'noShowStageIds' | 'heldStageIds' | 'consultationStageIds' | 'contractStageIds'

interface NamedStage {
  id: string
  name: string
  semantic: 'P' | 'S' | 'F'
}

const ROLE_PATTERNS: [RoleKey, RegExp, ('P' | 'S')[]][] = [
  [
    'noShowStageIds',
    /no[\s-]?show|did\s*n[o']t\s*(come|show)|не\s*(приш[её]л|пришла|пришли|явил|прийш|з['’]?яв|дійш)|неявк|неяв/i,
    ['P'],
  ],
  [
    'heldStageIds',
    /(consultation|meeting|visit|appointment)\s*(held|done|completed|took place)|held|(консультац\S*|встреч\S*|зустріч\S*)\s*(проведен|состоял|прошл|провед|відбул)|(проведен|состоял|відбул)\S*\s*(консультац|встреч|зустріч)|первичк|первинн/i,
    ['P'],
  ],
  [
    'consultationStageIds',
    /booked|scheduled|appointment|записан|запис\s*на|(консультац\S*|встреч\S*|зустріч\S*)\s*(назначен|призначен|заплан)|(назначен|призначен|заплан)\S*\s*(консультац|встреч|зустріч)/i,
    ['P'],
  ],
  ['contractStageIds', /contract|agreement\s*signed|договор|договір|контракт/i, ['P', 'S']],
]

/** Role lists guessed from the stage names; a stage is given the first role whose pattern matches. */
export function guessRoles(stages: readonly NamedStage[]): Pick<AnalyticsSettings, RoleKey> {
  const out: Pick<AnalyticsSettings, RoleKey> = {
    noShowStageIds: [],
    heldStageIds: [],
    consultationStageIds: [],
    contractStageIds: [],
  }
  for (const s of stages) {
    const hit = ROLE_PATTERNS.find(([, re, semantics]) => semantics.includes(s.semantic as 'P') && re.test(s.name))
    if (hit) out[hit[0]].push(s.id)
  }
  return out
}

/** Fills the roles nobody chose yet with the guesses (a stored choice always wins). */
export function withGuessedRoles(a: AnalyticsSettings, stages: readonly NamedStage[]): AnalyticsSettings {
  const g = guessRoles(stages)
  const pick = (key: RoleKey) => (a[key].length ? a[key] : g[key])
  return {
    ...a,
    noShowStageIds: pick('noShowStageIds'),
    heldStageIds: pick('heldStageIds'),
    consultationStageIds: pick('consultationStageIds'),
    contractStageIds: pick('contractStageIds'),
  }
}
