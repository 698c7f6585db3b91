/**
 * Keeps a Bitrix24 frame exactly as tall as its content, for every placement (report, deal tab,
 * install wizard, settings/budget/plan). A Bitrix24 frame does not grow by itself: the app has to
 * send resizeWindow whenever its content changes height (loading → loaded, a tab or section
 * opening, the window narrowing and text wrapping).
 *
 * No feedback loop: the height sent is the content's own height (its bottom edge in the document),
 * which does not depend on the frame's height, and an unchanged height is never sent again. The
 * SDK's own fitWindow() measures documentElement.scrollHeight instead, which never drops below
 * the frame's current height, so a frame could grow but never shrink.
 */
export type SendHeight = (height: number) => void

/** The content's height: `el`'s bottom edge in document coordinates, whole pixels up. */
export function contentHeight(el: Element): number {
  const scrollY = typeof window === 'undefined' ? 0 : window.scrollY
  return Math.ceil(el.getBoundingClientRect().bottom + scrollY)
}

/**
 * Sends `el`'s height now and after every change of its size (coalesced to one message per
 * animation frame). Returns a function that stops watching.
 */
export function fitFrameToContent(el: HTMLElement, send: SendHeight): () => void {
  if (typeof ResizeObserver === 'undefined') return () => undefined
  // A block formatting context keeps the children's margins inside el's box, so they count.
  if (getComputedStyle(el).display === 'block') el.style.display = 'flow-root'
  let last = 0
  let frame = 0
  const measure = () => {
    frame = 0
    const height = contentHeight(el)
    if (height <= 0 || height === last) return
    last = height
    send(height)
  }
  const observer = new ResizeObserver(() => {
    if (frame === 0) frame = requestAnimationFrame(measure)
  })
  observer.observe(el)
  return () => {
    observer.disconnect()
    if (frame !== 0) cancelAnimationFrame(frame)
  }
}
