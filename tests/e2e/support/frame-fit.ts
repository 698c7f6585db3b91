/**
 * Frame sizing as the host page sees it: how many resizeWindow messages the app frame sent, a
 * deterministic wait for them to stop (no sleeps: the count must stay the same across N of the
 * host page's animation frames), and the two heights a test compares.
 */
import type { Frame } from 'playwright-core'
import type { HostSession } from './host-page'

const MAIN_FRAME = 'iframe[data-app-frame="main"]'

/** resizeWindow messages the host received from the main app frame so far. */
export async function resizeCount(host: HostSession): Promise<number> {
  return (await host.hostLog()).filter((e) => e.dir === 'in' && e.command === 'resizeWindow' && e.frame === 'main')
    .length
}

/**
 * Waits until the host page has received no resizeWindow from the main frame for `frames`
 * consecutive animation frames, and returns the count. A frame that keeps resizing (a feedback
 * loop) never settles and fails with the count it reached.
 */
export async function settleResizes(host: HostSession, frames = 30, timeoutMs = 30_000): Promise<number> {
  return host.page.evaluate(
    async ({ frames, timeoutMs }) => {
      type Entry = { dir: string; command?: string; frame?: string }
      const log = (window as unknown as { __hostLog: Entry[] }).__hostLog
      const count = () => log.filter((e) => e.dir === 'in' && e.command === 'resizeWindow' && e.frame === 'main').length
      const nextFrame = () => new Promise<void>((resolve) => requestAnimationFrame(() => resolve()))
      const started = performance.now()
      let last = count()
      for (let still = 0; still < frames;) {
        await nextFrame()
        const now = count()
        still = now === last ? still + 1 : 0
        last = now
        if (performance.now() - started > timeoutMs) {
          throw new Error(`the app frame was still resizing after ${timeoutMs} ms (${now} resizeWindow messages)`)
        }
      }
      return last
    },
    { frames, timeoutMs },
  )
}

/** The app frame's height on the host page, in CSS pixels. */
export async function frameHeight(host: HostSession): Promise<number> {
  return host.page.$eval(MAIN_FRAME, (el) => el.getBoundingClientRect().height)
}

/**
 * The app's content height measured inside the frame, independently of how the app measures it:
 * the body's own box (it is as tall as what it holds), and whether the document scrolls.
 */
export async function contentInFrame(frame: Frame): Promise<{ body: number; scrolls: boolean }> {
  return frame.evaluate(() => {
    const style = getComputedStyle(document.body)
    const margins = parseFloat(style.marginTop) + parseFloat(style.marginBottom)
    const html = document.documentElement
    return {
      body: document.body.getBoundingClientRect().height + margins,
      scrolls: html.scrollHeight > html.clientHeight,
    }
  })
}
