// @vitest-environment jsdom
import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import FilterBar from '../../src/app/components/FilterBar.vue'
import { useFiltersStore } from '../../src/app/stores/filters'
import { useSessionStore } from '../../src/app/stores/session'
import { presetRange, todayIn } from '../../src/app/services/period-presets'
import { hostilePortal } from './app-fixture'

function setup() {
  const pinia = createPinia()
  setActivePinia(pinia)
  const data = hostilePortal()
  data.cities = [
    { id: 'msk', name: 'Москва' },
    { id: 'spb', name: 'Санкт-Петербург' },
    { id: 'kzn', name: 'Казань' },
  ]
  data.users.push({ id: 9, name: 'Old Timer', active: false, departmentIds: [] })
  useSessionStore().finishSync(data)
  const filters = useFiltersStore()
  filters.setTimeZone('Europe/Moscow')
  const w = mount(FilterBar, { global: { plugins: [pinia] }, attachTo: document.body })
  return { w, filters }
}

describe('filter bar', () => {
  it('a preset shows its dates; switching to custom starts from them; reversed dates are swapped, not lost', async () => {
    const { w, filters } = setup()
    await w.find('[data-testid="filter-period"]').setValue('last-quarter')
    const expected = presetRange('last-quarter', todayIn('Europe/Moscow'))
    expect((w.find('[data-testid="filter-from"]').element as HTMLInputElement).value).toBe(expected.from)
    expect((w.find('[data-testid="filter-to"]').element as HTMLInputElement).value).toBe(expected.to)
    await w.find('[data-testid="filter-period"]').setValue('custom')
    expect(filters.state).toMatchObject({ preset: 'custom', from: expected.from, to: expected.to })
    await w.find('[data-testid="filter-from"]').setValue('2030-01-01')
    expect(filters.state).toMatchObject({ from: expected.to, to: '2030-01-01' })
    await w.find('[data-testid="filter-compare"]').setValue('year')
    expect(filters.state.compare).toBe('year')
    w.unmount()
  })

  it('searches and picks cities; marks dismissed managers; clears back to all', async () => {
    const { w, filters } = setup()
    await w.find('[data-testid="filter-cities"]').trigger('click')
    await w.find('[data-testid="filter-cities-search"]').setValue('казань')
    const options = w.findAll('[data-testid="filter-cities-option"]')
    expect(options.map((o) => o.text())).toEqual(['Казань'])
    await options[0].find('input').setValue(true)
    expect(filters.state.cities).toEqual(['kzn'])
    expect(w.find('[data-testid="filter-cities"]').text()).toContain('Казань')
    await w.find('[data-testid="filter-cities-clear"]').trigger('click')
    expect(filters.state.cities).toEqual([])

    await w.find('[data-testid="filter-managers"]').trigger('click')
    const managers = w.findAll('[data-testid="filter-managers-option"]').map((o) => o.text())
    expect(managers).toContain('Old Timer (dismissed)')
    w.unmount()
  })
})
