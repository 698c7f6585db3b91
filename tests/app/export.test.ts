import { describe, expect, it } from 'vitest'
import ExcelJS from 'exceljs'
import { exportFileName, sheetName, xlsxBuffer } from '../../src/app/services/export-table'

describe('XLSX export', () => {
  it('writes numbers as numbers and CRM text as text, never as formulas', async () => {
    const hostile = '=HYPERLINK("http://evil","click")'
    const buffer = await xlsxBuffer(
      'Channel ROI: spend/revenue',
      ['Source', 'Deals', 'Share, %'],
      [
        [hostile, 12, 33.33],
        ['Москва', 0, null],
      ],
    )
    const book = new ExcelJS.Workbook()
    await book.xlsx.load(buffer)
    const sheet = book.worksheets[0]
    expect(sheet.name).toBe('Channel ROI  spend revenue')
    expect(sheet.getRow(1).values).toEqual([undefined, 'Source', 'Deals', 'Share, %'])
    const cell = sheet.getCell('A2')
    expect(cell.type).toBe(ExcelJS.ValueType.String)
    expect(cell.value).toBe(hostile)
    expect(sheet.getCell('B2').value).toBe(12)
    expect(sheet.getCell('C2').value).toBe(33.33)
    expect(sheet.getCell('A3').value).toBe('Москва')
    expect(sheet.getCell('C3').value).toBeNull()
  })

  it('names sheets and files so Excel and file systems accept them', () => {
    expect(sheetName('a'.repeat(40))).toHaveLength(31)
    expect(sheetName('[x]:y*?/\\')).toBe(' x  y    ')
    expect(exportFileName('sources-roi', '2024-01-01_2024-03-31', 'csv')).toBe(
      'funnel-lens-sources-roi-2024-01-01_2024-03-31.csv',
    )
    expect(exportFileName('deals', 'Москва: won <b>', 'xlsx')).toBe('funnel-lens-deals-Москва_won_b_.xlsx')
  })
})
