/**
 * Resolves once the browser has painted what is on screen, so that work started next (the
 * period-first backfill) does not hold the first chart back — and never waits for a frame that
 * does not come: a hidden page (a background tab, a minimised window) paints none until it is
 * shown again, and an offscreen cross-origin frame (the app inside the portal page, scrolled away)
 * may be throttled. Hidden: at once; otherwise the next frame or `capMs`, whichever comes first.
 */
export interface PaintClock {
  hidden(): boolean
  nextFrame(callback: () => void): void
  after(ms: number, callback: () => void): void
}

const browserClock: PaintClock = {
  hidden: () => typeof document !== 'undefined' && document.visibilityState === 'hidden',
  nextFrame: (callback) => requestAnimationFrame(() => callback()),
  after: (ms, callback) => void setTimeout(callback, ms),
}

/** Longest wait for a frame on a visible page. */
export const PAINT_CAP_MS = 500

export function afterPaint(capMs = PAINT_CAP_MS, clock: PaintClock = browserClock): Promise<void> {
  if (clock.hidden()) return Promise.resolve()
  return new Promise((resolve) => {
    clock.nextFrame(resolve)
    clock.after(capMs, resolve)
  })
}
