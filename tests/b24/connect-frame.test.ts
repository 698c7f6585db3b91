// @vitest-environment jsdom
import { describe, expect, it } from 'vitest'
import { connectFrame } from '../../src/b24/connect'

// No Bitrix24 parent window here: the SDK's getInitData is never answered.
describe('connectFrame outside Bitrix24', () => {
  it('says so when the page was not opened by Bitrix24 (no window.name)', async () => {
    window.name = ''
    await expect(connectFrame({ initTimeoutMs: 500 })).rejects.toThrow(/not running inside Bitrix24/)
  })

  it('gives up with a clear message when the parent never answers', async () => {
    window.name = '127.0.0.1:9|0|APPSID'
    const started = Date.now()
    await expect(connectFrame({ initTimeoutMs: 300 })).rejects.toThrow(
      /did not answer within 300 ms.*opened from the Bitrix24 menu/,
    )
    expect(Date.now() - started).toBeGreaterThanOrEqual(290)
  })
})
