// @vitest-environment jsdom
/**
 * The budget and plan editor as an admin and a non-admin see it, against the demo portal's
 * storage methods in process: the grid, typing, pasting a spreadsheet block, CSV import, saving,
 * two admins' conflicts and read-only mode. The e2e install-flow test runs the same path in a
 * browser; this one pins the details (texts, marks, counts) without one.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import InputsEditor from '../../src/app/inputs/InputsEditor.vue'
import { budgetKey, planKey } from '../../src/b24/input-cells'
import { BUDGET_STORAGE, PLAN_STORAGE, readStorage, saveEdits } from '../../src/b24/storage'
import type { AppRest } from '../../src/b24/app-rest'
import type { Language } from '../../src/b24/placements'
import { DICT, inputsPortal, type InputsPortal } from './inputs-fixture'

let portal: InputsPortal

beforeEach(async () => {
  // The editor opens on the current year: pin it (only Date is faked; promises run as usual).
  vi.useFakeTimers({ toFake: ['Date'] })
  vi.setSystemTime(new Date('2026-03-15T12:00:00Z'))
  portal = await inputsPortal()
})

afterEach(() => {
  vi.useRealTimers()
})

async function editor(
  kind: 'budget' | 'plan',
  opts: { user?: number; canEdit?: boolean; lang?: Language; rest?: AppRest } = {},
): Promise<VueWrapper> {
  const rest = opts.rest ?? portal.restFor(opts.user ?? 1)
  const w = mount(InputsEditor, {
    props: { rest, kind, canEdit: opts.canEdit ?? rest.isAdmin, dict: DICT, lang: opts.lang },
    attachTo: document.body,
  })
  await flushPromises()
  return w
}

const cell = (w: VueWrapper, key: string, field = 'amount') => w.find(`input[data-cell="${key}#${field}"]`)
const web = (month: string) => budgetKey('WEB', null, month)

async function type(w: VueWrapper, key: string, text: string, field = 'amount'): Promise<void> {
  const input = cell(w, key, field)
  ;(input.element as HTMLInputElement).value = text
  await input.trigger('change')
}

async function paste(w: VueWrapper, key: string, text: string): Promise<Event> {
  const ev = new Event('paste', { bubbles: true, cancelable: true }) as Event & { clipboardData: unknown }
  ev.clipboardData = { getData: (type: string) => (type === 'text/plain' ? text : '') }
  cell(w, key).element.dispatchEvent(ev)
  await flushPromises()
  return ev
}

async function importCsv(w: VueWrapper, name: string, text: string): Promise<void> {
  const input = w.find('input[data-action="import-csv"]')
  Object.defineProperty(input.element, 'files', { value: [new File([text], name)], configurable: true })
  await input.trigger('change')
  await flushPromises()
}

async function save(w: VueWrapper): Promise<void> {
  await w.find('button[data-action="save"]').trigger('click')
  await flushPromises()
}

/** Another admin (user 1) has saved this cell to the storage before the editor opens or saves. */
async function storedByAdmin(
  spec: typeof BUDGET_STORAGE | typeof PLAN_STORAGE,
  key: string,
  values: Record<string, string>,
): Promise<void> {
  await saveEdits(portal.restFor(1), spec, new Map(), new Map([[key, values]]), new Set(['RUB']))
}

const message = (w: VueWrapper) => w.find('[data-test="message"]').text()
const stored = async (spec = BUDGET_STORAGE) => readStorage(portal.restFor(1), spec)

describe('budget editor', () => {
  it('lays out a row per source (all cities) and a column per month of the current year', async () => {
    const w = await editor('budget')
    expect(w.find('h2').text()).toBe('Ad budgets by source, city and month')
    expect(w.find('.fi-toolbar strong').text()).toBe('2026')
    expect(w.findAll('thead th').map((th) => th.text())).toEqual([
      'Source · city',
      ...Array.from({ length: 12 }, (_, i) => String(i + 1).padStart(2, '0')),
    ])
    expect(w.findAll('tbody th').map((th) => th.text())).toEqual(['Ads · all cities', 'Website · all cities'])
    expect(w.findAll('tr[data-row]').map((r) => r.attributes('data-row'))).toEqual(['ADS|', 'WEB|'])
    expect(cell(w, web('2026-12')).exists()).toBe(true)
    expect(w.find('.fl-note').text()).toMatch(/^Type or paste a block/)
    const save = w.find('button[data-action="save"]')
    expect(save.text()).toBe('Save')
    expect(save.attributes('disabled')).toBeDefined()
  })

  it('the year arrows move every column to the other year', async () => {
    const w = await editor('budget')
    await w.find('button[aria-label="Previous year"]').trigger('click')
    expect(w.find('.fi-toolbar strong').text()).toBe('2025')
    expect(cell(w, web('2025-01')).exists()).toBe(true)
    expect(cell(w, web('2026-01')).exists()).toBe(false)
    await w.find('button[aria-label="Next year"]').trigger('click')
    await w.find('button[aria-label="Next year"]').trigger('click')
    expect(cell(w, web('2027-06')).exists()).toBe(true)
  })

  it('a typed cell is marked edited and counted on the Save button; saving stores it in the chosen currency', async () => {
    const w = await editor('budget')
    await w.find('select[data-field="currency"]').setValue('USD')
    await type(w, web('2026-03'), '12 345,5')
    expect(cell(w, web('2026-03')).classes()).toContain('fi-cell--edited')
    expect(w.find('button[data-action="save"]').text()).toBe('Save (1)')
    await save(w)
    expect(message(w)).toBe('Saved 1 cell(s).')
    expect(cell(w, web('2026-03')).classes()).not.toContain('fi-cell--edited')
    expect(cell(w, web('2026-03')).attributes('title')).toBe('USD')
    expect((await stored()).get(web('2026-03'))?.values).toEqual({ amount: '12345.50', currency: 'USD' })
  })

  it('a bad cell keeps its text and shows why, in the portal language; the rest still saves', async () => {
    const w = await editor('budget', { lang: 'ru' })
    await type(w, web('2026-01'), '-5')
    await type(w, web('2026-02'), '7')
    const bad = cell(w, web('2026-01'))
    expect((bad.element as HTMLInputElement).value).toBe('-5')
    expect(bad.attributes('aria-invalid')).toBe('true')
    expect(bad.classes()).toContain('fi-cell--bad')
    expect(bad.attributes('title')).toBe('должно быть не меньше 0')
    await save(w)
    expect(message(w)).toBe('Сохранено ячеек: 1.')
    expect((await stored()).get(web('2026-02'))?.values).toEqual({ amount: '7', currency: 'RUB' })
    expect((await stored()).has(web('2026-01'))).toBe(false)
  })

  it('pastes a spreadsheet block from the cell it lands on and says what happened', async () => {
    const w = await editor('budget')
    const ads = (m: string) => budgetKey('ADS', null, m)
    // Two rows (Ads, Website) × three months from November: December's neighbour is off the grid.
    const ev = await paste(w, ads('2026-11'), '100\t200\t300\n-1\t5\n')
    expect(ev.defaultPrevented).toBe(true)
    expect(message(w)).toBe(
      'Pasted 3 cell(s). 1 marked red (the reason shows on hover). 1 fell outside the table and were not used.',
    )
    expect((cell(w, ads('2026-12')).element as HTMLInputElement).value).toBe('200')
    expect(cell(w, web('2026-11')).attributes('aria-invalid')).toBe('true')
    expect((cell(w, web('2026-12')).element as HTMLInputElement).value).toBe('5')
    expect(w.find('button[data-action="save"]').text()).toBe('Save (3)')
  })

  it('leaves a single pasted value to the input itself', async () => {
    const w = await editor('budget')
    const ev = await paste(w, web('2026-01'), '42')
    expect(ev.defaultPrevented).toBe(false)
    expect(w.find('[data-test="message"]').exists()).toBe(false)
  })

  it('imports a CSV: good lines become edits (new source·city rows appear), bad lines are listed', async () => {
    const w = await editor('budget')
    await importCsv(
      w,
      'spend.csv',
      'source,city,month,amount\nWebsite,Moscow,2026-04,500\nADS,,2026-05,70\nNOPE,,2026-05,1\n',
    )
    expect(message(w)).toBe(
      'Imported 2 row(s) from spend.csv. Review and press Save. 1 line(s) skipped (listed below).',
    )
    expect(w.findAll('.fi-import-errors li').map((li) => li.text())).toEqual([expect.stringMatching(/^Line 4: /)])
    expect(w.findAll('tbody th').map((th) => th.text())).toEqual([
      'Ads · all cities',
      'Website · all cities',
      'Website · Moscow',
    ])
    expect((cell(w, budgetKey('WEB', 'msk', '2026-04')).element as HTMLInputElement).value).toBe('500')
    await save(w)
    expect(message(w)).toBe('Saved 2 cell(s).')
  })

  it('adds a source · city row by hand', async () => {
    const w = await editor('budget')
    const [source, city] = w.findAll('.fi-add select')
    await w.find('.fi-add button').trigger('click')
    expect(w.findAll('tr[data-row]')).toHaveLength(2)
    await source.setValue('ADS')
    await city.setValue('msk')
    await w.find('.fi-add button').trigger('click')
    expect(w.findAll('tbody th').map((th) => th.text())).toContain('Ads · Moscow')
    expect(cell(w, budgetKey('ADS', 'msk', '2026-01')).exists()).toBe(true)
  })

  it('when another admin saved the same cell first, shows both values and stores the pick', async () => {
    const w = await editor('budget', { user: 2 })
    await storedByAdmin(BUDGET_STORAGE, web('2026-03'), { amount: '111', currency: 'RUB' })
    await type(w, web('2026-03'), '222')
    await save(w)
    expect(message(w)).toBe('Saved 0 cell(s). 1 conflict(s) to resolve below.')
    const conflict = w.find(`[data-conflict="${web('2026-03')}#amount"]`)
    expect(conflict.find('.fi-conflicts__what').text()).toBe('Website · all cities 2026-03 · amount')
    expect(conflict.find('[data-pick="mine"]').text()).toBe('Keep mine: 222')
    expect(conflict.find('[data-pick="theirs"]').text()).toBe('Take theirs: 111')
    await conflict.find('[data-pick="mine"]').trigger('click')
    expect(w.find('[data-conflict]').exists()).toBe(false)
    await save(w)
    expect(message(w)).toBe('Saved 1 cell(s).')
    expect((await stored()).get(web('2026-03'))?.values?.amount).toBe('222')
  })

  it('taking theirs adopts the stored value and leaves nothing to save', async () => {
    const w = await editor('budget', { user: 2 })
    await storedByAdmin(BUDGET_STORAGE, web('2026-03'), { amount: '111', currency: 'RUB' })
    await type(w, web('2026-03'), '222')
    await save(w)
    await w.find('[data-pick="theirs"]').trigger('click')
    expect((cell(w, web('2026-03')).element as HTMLInputElement).value).toBe('111')
    expect(w.find('button[data-action="save"]').attributes('disabled')).toBeDefined()
  })

  it('a failed save keeps the edits and says so', async () => {
    const rest = portal.restFor(1)
    let broken = false
    const flaky: AppRest = {
      isAdmin: true,
      call: (m, p) => rest.call(m, p),
      batch: (c) => (broken ? Promise.reject(new Error('network down')) : rest.batch(c)),
    }
    const w = await editor('budget', { rest: flaky })
    await type(w, web('2026-01'), '9')
    broken = true
    await save(w)
    expect(w.find('[role="alert"]').text()).toBe(
      'Saving failed, nothing was lost — your edits are still here: network down',
    )
    expect(w.find('button[data-action="save"]').text()).toBe('Save (1)')
  })

  it('a storage that cannot be read says so', async () => {
    const rest: AppRest = {
      isAdmin: true,
      call: () => Promise.reject(new Error('x')),
      batch: () => Promise.reject(new Error('offline')),
    }
    const w = await editor('budget', { rest })
    expect(w.find('[role="alert"]').text()).toBe('Could not read the stored figures: offline')
    expect(w.findAll('tr[data-row]')).toHaveLength(0)
  })
})

describe('read-only for a non-admin', () => {
  it('shows the stored figures without a way to change them', async () => {
    await storedByAdmin(BUDGET_STORAGE, web('2026-02'), { amount: '5', currency: 'RUB' })
    const w = await editor('budget', { user: 3 })
    expect(w.find('[data-test="read-only"]').text()).toBe(
      'Read-only: only portal administrators can change these figures.',
    )
    expect((cell(w, web('2026-02')).element as HTMLInputElement).value).toBe('5')
    expect(cell(w, web('2026-02')).attributes('readonly')).toBeDefined()
    for (const sel of [
      'button[data-action="save"]',
      'input[data-action="import-csv"]',
      'select[data-field="currency"]',
      '.fi-add',
    ])
      expect(w.find(sel).exists(), sel).toBe(false)
    await type(w, web('2026-02'), '6')
    const ev = await paste(w, web('2026-01'), '1\t2\n')
    expect(ev.defaultPrevented).toBe(false)
    expect(w.find('[data-test="message"]').exists()).toBe(false)
    expect(cell(w, web('2026-02')).classes()).not.toContain('fi-cell--edited')
  })
})

describe('plan editor', () => {
  it('has a sum and a deals column per month and a row per manager, also one only the storage knows (by its id)', async () => {
    await storedByAdmin(PLAN_STORAGE, planKey(7, '2026-01'), { amount: '10', deals: '1', currency: 'RUB' })
    const w = await editor('plan')
    expect(w.find('h2').text()).toBe('Plans by manager and month')
    const heads = w.findAll('thead th').map((th) => th.text())
    expect(heads.slice(0, 5)).toEqual(['Manager', '01 sum', '01 deals', '02 sum', '02 deals'])
    expect(heads).toHaveLength(25)
    expect(w.findAll('tbody th').map((th) => th.text())).toEqual(['Anna', 'Boris', '7'])
    expect(w.find('.fi-add').exists()).toBe(false)
    await type(w, planKey(2, '2026-05'), '3', 'deals')
    await type(w, planKey(2, '2026-05'), '2.5', 'deals')
    expect(cell(w, planKey(2, '2026-05'), 'deals').attributes('title')).toBe('"2.5" is not a whole number')
    await type(w, planKey(2, '2026-05'), '4', 'deals')
    await save(w)
    expect(message(w)).toBe('Saved 1 cell(s).')
    expect((await stored(PLAN_STORAGE)).get(planKey(2, '2026-05'))?.values).toEqual({
      amount: null,
      deals: '4',
      currency: 'RUB',
    })
  })

  it('imports plans from CSV', async () => {
    const w = await editor('plan')
    await importCsv(w, 'plan.csv', 'manager,month,amount,deals\nAnna,2026-02,1000,3\n')
    expect(message(w)).toBe('Imported 1 row(s) from plan.csv. Review and press Save.')
    expect((cell(w, planKey(1, '2026-02'), 'deals').element as HTMLInputElement).value).toBe('3')
  })
})
