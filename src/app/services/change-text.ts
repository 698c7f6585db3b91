import { t } from '../i18n'
import type { ChangeMark } from './table-model'

/** The tooltip of a change: its p-value and test, or why it is not coloured. */
export function changeTitle(c: ChangeMark | null | undefined, num: (v: number) => string): string {
  if (!c || c.test === null || c.p === null) return ''
  if (c.smallSample) return t('change.smallSampleHint')
  const params = { p: c.p < 0.001 ? '< 0.001' : num(c.p), test: t(`change.test.${c.test}`) }
  return t(c.significant ? 'change.significant' : 'change.notSignificant', params)
}
