/**
 * Bringing many cells in at once: a block pasted from a spreadsheet at the cell it lands on, and a
 * CSV file (csv-import.ts). Both report in the status line; CSV lines that could not be used are
 * listed with their line numbers, and budget rows the file names appear in the grid.
 */
import { ref, type Ref } from 'vue'
import type { InputDictionaries } from '../../b24/input-dictionaries'
import { importBudgetsCsv, importPlansCsv } from './csv-import'
import { applyRecords, pasteBlock, type GridColumn, type GridRow } from './grid-model'
import { budgetRowIdOf, type GridKind } from './grid-rows'
import { parseDelimited } from './table-text'
import type { GridSession, Words } from './use-grid-session'

export interface GridImportOptions {
  kind: () => GridKind
  dict: () => InputDictionaries
  /** The currency new cells take. */
  currency: Ref<string>
  rows: () => readonly GridRow[]
  columns: () => readonly GridColumn[]
  /** Shows budget rows (ids "source|city") even while they hold nothing. */
  addRows: (ids: string[]) => void
  t: Words
}

export function useGridImport(session: GridSession, opts: GridImportOptions) {
  const { t } = opts
  const importErrors = ref<{ line: number; reason: string }[]>([])

  /** A tab- or line-separated block with its top-left at (rowIndex, colIndex). */
  function pasteText(rowIndex: number, colIndex: number, text: string): void {
    const s = session.state.value
    if (!s) return
    const block = parseDelimited(text, '\t')
    const out = pasteBlock(s, opts.rows(), opts.columns(), rowIndex, colIndex, block, opts.currency.value)
    session.message.value = [
      t('pasted', { applied: out.applied }),
      out.refused ? t('pastedRefused', { n: out.refused }) : '',
      out.outside ? t('pastedOutside', { n: out.outside }) : '',
    ]
      .filter(Boolean)
      .join(' ')
    session.changed()
  }

  async function importFile(file: File): Promise<void> {
    if (!session.state.value) return
    const dict = opts.dict()
    const ctx = {
      sources: dict.sources,
      cities: dict.cities,
      managers: dict.managers,
      currencies: new Set(dict.currencies),
      defaultCurrency: opts.currency.value,
    }
    const out = (opts.kind() === 'budget' ? importBudgetsCsv : importPlansCsv)(await file.text(), ctx)
    const s = session.state.value
    if (!s) return
    applyRecords(s, out.records)
    const rows = out.records.map((r) => budgetRowIdOf(r.key)).filter((id): id is string => id !== null)
    if (rows.length) opts.addRows(rows)
    importErrors.value = out.errors
    session.message.value = [
      t('imported', { n: out.records.length, file: file.name }),
      out.errors.length ? t('importSkipped', { n: out.errors.length }) : '',
    ]
      .filter(Boolean)
      .join(' ')
    session.changed()
  }

  return { importErrors, pasteText, importFile }
}
