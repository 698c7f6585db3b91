import { defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import { engineNotReady } from '../errors'
import type { DrillTarget } from '../services/table-model'
import type { DrillDealRow } from '../services/drill-rows'

export type DrillLoader = (target: DrillTarget) => Promise<DrillDealRow[]>

let loader: DrillLoader | null = null

/** The deals behind the number the user clicked. */
export const useDrillStore = defineStore('drill', () => {
  const target = shallowRef<DrillTarget | null>(null)
  const rows = shallowRef<DrillDealRow[]>([])
  const status = ref<'closed' | 'loading' | 'ready' | 'error'>('closed')
  const error = ref<string | null>(null)
  let ticket = 0

  function setLoader(next: DrillLoader): void {
    loader = next
  }

  async function open(next: DrillTarget): Promise<void> {
    const mine = ++ticket
    target.value = next
    rows.value = []
    status.value = 'loading'
    error.value = null
    try {
      if (!loader) throw engineNotReady()
      const result = await loader(next)
      if (mine !== ticket) return
      rows.value = result
      status.value = 'ready'
    } catch (e) {
      if (mine !== ticket) return
      error.value = e instanceof Error ? e.message : String(e)
      status.value = 'error'
    }
  }

  function close(): void {
    ticket++
    target.value = null
    rows.value = []
    status.value = 'closed'
  }

  return { target, rows, status, error, open, close, setLoader }
})
