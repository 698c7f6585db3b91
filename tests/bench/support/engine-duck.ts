/**
 * The engine bench's referee: the report's figures computed by DuckDB SQL over the same CrmData
 * rows, written as CSV by plain code (raw ids, no engine code), so the SQL carries the metric rules
 * itself (metrics.md): funnel order P → S → F, only events of a stage in the deal's own pipeline
 * count, a deal without such events is reconstructed as created at the first main-path stage and
 * moved to its current one, and **branch stages** (no-show role + `branchStageIds`) are reached
 * only by an actual entry while entering one still implies the main-path stages before it.
 */
import { closeSync, mkdtempSync, openSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { DuckDBConnection } from '@duckdb/node-api'
import type { Report } from '../../../src/engine/index'
import type { CrmData } from '../../../src/engine/types'

type Row = Record<string, unknown>
const num = (v: unknown) => (typeof v === 'bigint' ? Number(v) : (v as number))
const SEM_ORDER: Record<string, number> = { P: 0, S: 1, F: 2 }
const csvTime = (t: unknown) => (typeof t === 'number' && Number.isFinite(t) ? String(t) : '')
const csvText = (s: string | null | undefined) => (s == null ? '' : `"${s.replace(/"/g, '""')}"`)

/** Streams rows to a CSV file in 1 MB pieces: the bench must not itself push the heap it measures. */
function writeCsv<T>(file: string, header: string, rows: readonly T[], toLine: (row: T) => string): void {
  const fd = openSync(file, 'w')
  let buf = header + '\n'
  for (const row of rows) {
    buf += toLine(row) + '\n'
    if (buf.length > 1 << 20) {
      writeSync(fd, buf)
      buf = ''
    }
  }
  writeSync(fd, buf)
  closeSync(fd)
}

/** Writes stages (funnel order and roles), deals and stage events as CSV; returns the directory. */
export function writeDuckCsv(data: CrmData): string {
  const dir = mkdtempSync(join(tmpdir(), 'fl-bench-duck-'))
  const branches = new Set([...(data.settings?.noShowStageIds ?? []), ...(data.settings?.branchStageIds ?? [])])
  const byId = new Map(data.stages.map((s) => [s.id, s]))
  const stageRows: string[] = []
  for (const pl of data.pipelines) {
    const ids = pl.stageIds.filter((id) => byId.has(id))
    ids.sort((a, b) => SEM_ORDER[byId.get(a)!.semantic] - SEM_ORDER[byId.get(b)!.semantic])
    ids.forEach((id, idx) => {
      const sem = byId.get(id)!.semantic
      stageRows.push(`${pl.id},${idx},${csvText(id)},${sem},${sem === 'P' && branches.has(id) ? 1 : 0}`)
    })
  }
  writeCsv(join(dir, 'stages.csv'), 'pipeline,idx,stage_id,sem,branch', stageRows, (r) => r)
  writeCsv(
    join(dir, 'deals.csv'),
    'id,pipeline,stage_id,semantic,created,moved,modified,source,city,manager',
    data.deals,
    (d) =>
      `${d.id},${d.categoryId},${csvText(d.stageId)},${d.semantic},${csvTime(d.createdAt)},${csvTime(d.movedAt)},` +
      `${csvTime(d.modifiedAt)},${csvText(d.sourceId)},${csvText(d.cityId)},${d.assignedById}`,
  )
  writeCsv(
    join(dir, 'events.csv'),
    'id,deal,stage_id,ts',
    data.dealEvents,
    (e) => `${e.id},${e.ownerId},${csvText(e.stageId)},${csvTime(e.at)}`,
  )
  return dir
}

/**
 * Loads the CSVs and builds `h`: every deal's history as the metric rules read it, one row per
 * stage entry with its order `ord`, its rank (how far along the main path the entry proves the
 * deal got) — plus the stage table `st` with each pipeline's first/last main-path stage.
 */
export async function loadDuck(conn: DuckDBConnection, dir: string): Promise<void> {
  const csv = (t: string, types: string) =>
    `create or replace table ${t} as select * from read_csv('${join(dir, `${t}.csv`)}', header = true, columns = {${types}})`
  await conn.run(
    csv('stages', `pipeline: 'BIGINT', idx: 'INTEGER', stage_id: 'VARCHAR', sem: 'VARCHAR', branch: 'INTEGER'`),
  )
  await conn.run(
    csv(
      'deals',
      `id: 'BIGINT', pipeline: 'BIGINT', stage_id: 'VARCHAR', semantic: 'VARCHAR', created: 'DOUBLE', moved: 'DOUBLE',
       modified: 'DOUBLE', source: 'VARCHAR', city: 'VARCHAR', manager: 'BIGINT'`,
    ),
  )
  await conn.run(csv('events', `id: 'BIGINT', deal: 'BIGINT', stage_id: 'VARCHAR', ts: 'DOUBLE'`))
  await conn.run(`create or replace table st as
    select s.*, m.first_main, m.last_main, m.process_count from stages s join (
      select pipeline, min(idx) filter (where sem = 'P' and branch = 0) as first_main,
             max(idx) filter (where sem = 'P' and branch = 0) as last_main,
             count(*) filter (where sem = 'P') as process_count from stages group by all) m using (pipeline)`)
  // Deals of a known pipeline; the semantic of the current stage when known there, else the row's.
  await conn.run(`create or replace table d as
    select dl.id, dl.pipeline, dl.source, dl.city, dl.manager, s.idx as cur_idx, coalesce(s.sem, dl.semantic) as sem,
           case when dl.created > 0 then dl.created end as created,
           greatest(dl.created, coalesce(dl.moved, dl.modified)) as recon_at
    from deals dl join (select distinct pipeline from stages) p using (pipeline)
    left join stages s on s.pipeline = dl.pipeline and s.stage_id = dl.stage_id`)
  await conn.run(`create or replace table h0 as
    select e.deal, e.id as eid, e.ts, s.idx from events e join d on d.id = e.deal
    join stages s on s.pipeline = d.pipeline and s.stage_id = e.stage_id where e.ts is not null`)
  await conn.run(`create or replace table h as
    with fm as (select distinct pipeline, first_main from st),
    raw as (
      select deal, eid, ts, idx from h0
      union all select d.id, 0, d.created, m.first_main from d join fm m on m.pipeline = d.pipeline
        where d.id not in (select deal from h0) and d.created is not null
      union all select d.id, 1, d.recon_at, d.cur_idx from d join fm m on m.pipeline = d.pipeline
        where d.id not in (select deal from h0) and d.cur_idx is not null and d.cur_idx <> m.first_main
        and d.recon_at is not null)
    select r.deal, r.ts, r.idx, s.sem, s.branch, s.pipeline, s.first_main, s.last_main, s.process_count,
           row_number() over (partition by r.deal order by r.ts, r.eid) as ord,
           case s.sem when 'P' then r.idx when 'S' then s.process_count - 1 else s.first_main end as rank
    from raw r join d on d.id = r.deal join st s on s.pipeline = d.pipeline and s.idx = r.idx`)
}

/** Cohort deals' reach per stage (main path by rank, branch/won/lost by an actual entry). */
function cohortReach(start: number, end: number, key: string): string {
  return `c as (select id, pipeline, ${key} as k from d where created >= ${start} and created < ${end}),
    top as (select h.deal, max(h.rank) as top from h join c on c.id = h.deal group by all),
    entered as (select distinct h.deal, h.idx from h join c on c.id = h.deal),
    reach as (
      select c.pipeline, c.k, s.stage_id, s.idx, count(t.deal) as reached
        from c join st s on s.pipeline = c.pipeline and s.sem = 'P' and s.branch = 0
        left join top t on t.deal = c.id and t.top >= s.idx group by all
      union all
      select c.pipeline, c.k, s.stage_id, s.idx, count(e.deal)
        from c join st s on s.pipeline = c.pipeline and (s.sem <> 'P' or s.branch = 1)
        left join entered e on e.deal = c.id and e.idx = s.idx group by all)`
}

/**
 * A lost deal's loss stage: before its last failure entry, the last process entry (its stage) or
 * won entry (the last main-path stage); none → the first main-path stage.
 */
function lossStages(): string {
  return `last_f as (select deal, max(ord) as f_ord from h where sem = 'F' group by all),
    before_f as (select h.deal, arg_max(case h.sem when 'P' then h.idx else h.last_main end, h.ord) as idx
                 from h join last_f l on l.deal = h.deal and h.ord < l.f_ord where h.sem in ('P', 'S') group by all),
    loss as (select d.id as deal, d.pipeline, coalesce(b.idx, m.first_main) as idx from d
             join last_f l on l.deal = d.id left join before_f b on b.deal = d.id
             join (select distinct pipeline, first_main from st) m using (pipeline) where d.sem = 'F')`
}

const SQL = {
  funnel: (start: number, end: number) => `with ${cohortReach(start, end, "''")}, ${lossStages()},
      lost as (select l.pipeline, l.idx, count(*) as n from loss l join c on c.id = l.deal group by all),
      cur as (select c.pipeline, d.cur_idx as idx, count(*) as n from c join d using (id) group by all)
    select r.pipeline, r.stage_id, r.reached, coalesce(cur.n, 0) as current, coalesce(lost.n, 0) as lost_at
    from reach r left join cur using (pipeline, idx) left join lost using (pipeline, idx)`,
  matrix: (start: number, end: number) => `with ${cohortReach(start, end, 'source')}
    select pipeline, k as source, stage_id, reached from reach`,
}

export type DuckSection = keyof typeof SQL
export const DUCK_SECTIONS = Object.keys(SQL) as DuckSection[]

export async function duckSection(conn: DuckDBConnection, section: DuckSection, start: number, end: number) {
  return (await conn.runAndReadAll(SQL[section](start, end))).getRowObjectsJS() as Row[]
}

/** DuckDB's rows as "key → figure". */
export function duckFigures(section: DuckSection, rows: Row[]): Map<string, number> {
  const out = new Map<string, number>()
  for (const x of rows) {
    const p = num(x.pipeline)
    if (section === 'funnel') {
      out.set(`${p}|${String(x.stage_id)}|reached`, num(x.reached))
      out.set(`${p}|${String(x.stage_id)}|current`, num(x.current))
      out.set(`${p}|${String(x.stage_id)}|lostAt`, num(x.lost_at))
    } else out.set(`${p}|${String(x.source ?? '')}|${String(x.stage_id)}`, num(x.reached))
  }
  return out
}

/** The same figures from our report. Churn's cohort figures are the funnel's reached/lostAt (checked too). */
export function ourFigures(section: DuckSection, r: Report): Map<string, number> {
  const out = new Map<string, number>()
  if (section === 'funnel') {
    for (const pl of r.funnel.cohort)
      for (const id of pl.order) {
        const row = pl.stages[id]
        out.set(`${pl.categoryId}|${id}|reached`, row.reached)
        out.set(`${pl.categoryId}|${id}|current`, row.current)
        out.set(`${pl.categoryId}|${id}|lostAt`, row.lostAt)
      }
    for (const pc of r.churn)
      for (const id of pc.order) {
        const f = out.get(`${pc.categoryId}|${id}|reached`)
        if (f !== pc.cohort[id].reached) out.set(`${pc.categoryId}|${id}|churn.reached≠funnel`, pc.cohort[id].reached)
        if (out.get(`${pc.categoryId}|${id}|lostAt`) !== pc.cohort[id].lostAt)
          out.set(`${pc.categoryId}|${id}|churn.lostAt≠funnel`, pc.cohort[id].lostAt)
      }
  } else {
    for (const m of r.sources.matrix)
      for (const row of m.rows)
        for (const id of m.order) out.set(`${m.categoryId}|${row.key}|${id}`, row.stages[id]?.reached ?? 0)
  }
  return out
}

/** Differing keys of two "key → figure" maps (a missing key counts as 0). */
export function diff(ours: Map<string, number>, theirs: Map<string, number>): string[] {
  const out: string[] = []
  for (const k of new Set([...ours.keys(), ...theirs.keys()])) {
    const a = ours.get(k) ?? 0
    const b = theirs.get(k) ?? 0
    if (Math.abs(a - b) > 1e-4) out.push(`${k}: ours ${a}, duckdb ${b}`)
  }
  return out
}
