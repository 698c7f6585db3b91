/**
 * Where a cold open's time goes: the app's fl:* performance marks and the portal's per-batch
 * server time, on one clock (ms since the bench started the open). Bench output only.
 */
import type { BrowserContext, Frame } from 'playwright-core'

export interface ServerBatch {
  /** epoch ms when the batch was answered */
  at: number
  ms: number
  commands: number
}

/**
 * Marks `fl:chart-drawn` in every frame at the first animation frame after an ApexCharts canvas
 * is in the document: the first chart on screen, on the app's own clock.
 */
export async function markFirstChart(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const seen = new MutationObserver(() => {
      if (!document.querySelector('.apexcharts-canvas')) return
      seen.disconnect()
      requestAnimationFrame(() => performance.mark('fl:chart-drawn'))
    })
    seen.observe(document, { childList: true, subtree: true })
  })
}

/** The frame's fl:* marks as epoch ms. */
export async function frameMarks(frame: Frame): Promise<{ name: string; at: number }[]> {
  return frame.evaluate(() =>
    performance
      .getEntriesByType('mark')
      .filter((m) => m.name.startsWith('fl:'))
      .map((m) => ({ name: m.name, at: performance.timeOrigin + m.startTime })),
  )
}

const BACKFILL = /^fl:backfill-(batch|committed)-/

/**
 * One line per mark up to the first chart, since `wall0` (epoch ms) and since the previous line;
 * the backfill batches landing meanwhile are counted, not listed. Each recent batch line also
 * says how long the portal worked on the batch answered just before it arrived.
 */
export function phaseTable(
  marks: { name: string; at: number }[],
  server: ServerBatch[],
  wall0: number,
  frameStart: number,
): string[] {
  const sorted = [...marks].sort((a, b) => a.at - b.at)
  const chart = sorted.find((m) => m.name === 'fl:chart-drawn')?.at ?? Number.POSITIVE_INFINITY
  const lines = [`      ${'phase'.padEnd(30)} ${'at'.padStart(8)} ${'+Δ'.padStart(8)}  server`]
  let prev = wall0
  const row = (name: string, at: number, note = '') => {
    lines.push(
      `      ${name.padEnd(30)} ${`${Math.round(at - wall0)}`.padStart(8)} ${`+${Math.round(at - prev)}`.padStart(8)}  ${note}`,
    )
    prev = at
  }
  row('frame navigation', frameStart)
  let backfill = 0
  let used = 0
  for (const m of sorted) {
    if (m.at > chart) break
    // Recent writes are pipelined (not on the way to the chart): recent-loaded says when all landed.
    if (/^fl:recent-committed-/.test(m.name)) continue
    if (BACKFILL.test(m.name)) {
      if (m.name.includes('-batch-')) backfill++
      continue
    }
    let note = ''
    if (/^fl:recent-batch-/.test(m.name)) {
      // The portal batches answered since the previous line (wall clocks of one machine).
      const answered = server.filter((b) => b.at <= m.at + 5).slice(used)
      used += answered.length
      if (answered.length) note = answered.map((b) => `${Math.round(b.ms)} ms/${b.commands} cmds`).join(', ')
    }
    row(m.name.replace(/^fl:/, ''), m.at, note)
  }
  if (backfill) lines.push(`      (${backfill} backfill batches landed before the first chart)`)
  const window = server.filter((b) => b.at <= chart)
  const busy = window.reduce((n, b) => n + b.ms, 0)
  lines.push(`      portal work before the first chart: ${Math.round(busy)} ms in ${window.length} batches`)
  return lines
}
