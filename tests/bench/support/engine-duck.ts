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
import type { DurationStats } from '../../../src/engine/stats'
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
    'id,pipeline,stage_id,semantic,created,moved,modified,closed,amount,currency,source,city,manager',
    data.deals,
    (d) =>
      `${d.id},${d.categoryId},${csvText(d.stageId)},${d.semantic},${csvTime(d.createdAt)},${csvTime(d.movedAt)},` +
      `${csvTime(d.modifiedAt)},${csvTime(d.closedAt)},${Number.isFinite(d.amount) ? d.amount : 0},${csvText(d.currency)},` +
      `${csvText(d.sourceId)},${csvText(d.cityId)},${d.assignedById}`,
  )
  writeCsv(
    join(dir, 'events.csv'),
    'id,deal,stage_id,ts',
    data.dealEvents,
    (e) => `${e.id},${e.ownerId},${csvText(e.stageId)},${csvTime(e.at)}`,
  )
  writeCsv(
    join(dir, 'leads.csv'),
    'id,created,semantic,source,city,manager',
    data.leads,
    (l) =>
      `${l.id},${csvTime(l.createdAt)},${l.semantic},${csvText(l.sourceId)},${csvText(l.cityId)},${l.assignedById}`,
  )
  const rates = data.currencies.map((c) => `${csvText(c.code)},${c.rate},${c.code === data.portal.currency ? 1 : 0}`)
  writeCsv(join(dir, 'currencies.csv'), 'code,rate,report', rates, (r) => r)
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
       modified: 'DOUBLE', closed: 'DOUBLE', amount: 'DOUBLE', currency: 'VARCHAR', source: 'VARCHAR',
       city: 'VARCHAR', manager: 'BIGINT'`,
    ),
  )
  await conn.run(
    csv(
      'leads',
      `id: 'BIGINT', created: 'DOUBLE', semantic: 'VARCHAR', source: 'VARCHAR', city: 'VARCHAR', manager: 'BIGINT'`,
    ),
  )
  await conn.run(csv('currencies', `code: 'VARCHAR', rate: 'DOUBLE', report: 'INTEGER'`))
  await conn.run(csv('events', `id: 'BIGINT', deal: 'BIGINT', stage_id: 'VARCHAR', ts: 'DOUBLE'`))
  await conn.run(`create or replace table st as
    select s.*, m.first_main, m.last_main, m.process_count,
      coalesce((select max(x.idx) from stages x where x.pipeline = s.pipeline and x.sem = 'P' and x.branch = 0
                and x.idx < s.idx), -1) as prev_main
    from stages s join (
      select pipeline, min(idx) filter (where sem = 'P' and branch = 0) as first_main,
             max(idx) filter (where sem = 'P' and branch = 0) as last_main,
             count(*) filter (where sem = 'P') as process_count from stages group by all) m using (pipeline)`)
  // Deals of a known pipeline; the semantic of the current stage when known there, else the row's.
  await conn.run(`create or replace table d as
    select dl.id, dl.pipeline, coalesce(dl.source, '') as source, coalesce(dl.city, '') as city, dl.manager,
           s.idx as cur_idx, coalesce(s.sem, dl.semantic) as sem, dl.closed as closed_raw,
           case when r.rate > 0 then dl.amount * r.rate / coalesce((select rate from currencies where report = 1), 1)
                else dl.amount end as amount,
           case when dl.created > 0 then dl.created end as created,
           greatest(dl.created, coalesce(dl.moved, dl.modified)) as recon_at
    from deals dl join (select distinct pipeline from stages) p using (pipeline)
    left join stages s on s.pipeline = dl.pipeline and s.stage_id = dl.stage_id
    left join currencies r on r.code = dl.currency`)
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
    select r.deal, r.ts, r.idx, s.sem, s.branch, s.pipeline, s.first_main, s.last_main, s.process_count, s.prev_main,
           row_number() over (partition by r.deal order by r.ts, r.eid) as ord,
           case s.sem when 'P' then r.idx when 'S' then s.process_count - 1 else s.first_main end as rank
    from raw r join d on d.id = r.deal join st s on s.pipeline = d.pipeline and s.idx = r.idx`)
  await closedAndPasses(conn)
}

/**
 * When a deal closed (its last won/lost entry, else the row's CLOSEDATE, else its last entry) and
 * its time to close; and every stage pass: actual entries plus the main-path stages a jump implies,
 * timed at the jump (pos: the main-path stage a deal stands on, set by its last process/won entry).
 */
async function closedAndPasses(conn: DuckDBConnection): Promise<void> {
  await conn.run(`create or replace table dc as
    with a as (select deal, max(ts) filter (where sem = 'S') as s_at, max(ts) filter (where sem = 'F') as f_at,
                      arg_max(ts, ord) as last_at from h group by all)
    select d.*, case d.sem when 'S' then coalesce(a.s_at, d.closed_raw, a.last_at)
                           when 'F' then coalesce(a.f_at, d.closed_raw, a.last_at) end as closed_at
    from d left join a on a.deal = d.id`)
  await conn.run(`create or replace table passes as
    with hp as (
      select h.*,
        coalesce(last_value(case h.sem when 'P' then (case when h.branch = 1 then h.prev_main else h.idx end)
                                       when 'S' then h.process_count - 1 end ignore nulls)
                 over (partition by h.deal order by h.ord rows between unbounded preceding and 1 preceding), -1) as pos,
        coalesce(bool_or(h.sem in ('P', 'S'))
                 over (partition by h.deal order by h.ord rows between unbounded preceding and 1 preceding), false) as had_cur
      from h)
    select deal, idx, ts from hp
    union all
    select hp.deal, s.idx, hp.ts from hp join st s on s.pipeline = hp.pipeline and s.sem = 'P' and s.branch = 0
      and s.idx > hp.pos and ((hp.sem = 'P' and s.idx < hp.idx) or hp.sem = 'S')
    union all
    select deal, first_main, ts from hp where sem = 'F' and not had_cur and first_main is not null`)
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
  flow: (start: number, end: number) => `with ${lossStages()},
      p as (select d.pipeline, p.idx, count(distinct p.deal) as entered, count(*) as entries
            from passes p join d on d.id = p.deal where p.ts >= ${start} and p.ts < ${end} group by all),
      lost as (select l.pipeline, l.idx, count(*) as n from loss l join dc on dc.id = l.deal
               where dc.closed_at >= ${start} and dc.closed_at < ${end} group by all)
    select s.pipeline, s.stage_id, coalesce(p.entered, 0) as entered, coalesce(p.entries, 0) as entries,
           coalesce(lost.n, 0) as lost_at
    from st s left join p using (pipeline, idx) left join lost using (pipeline, idx)`,
  timing: (start: number, end: number) => `with
      fe as (select deal, idx, min(ts) as t from h group by all),
      pairs as (select pipeline, prev_main as f, idx as t, stage_id as t_id from st where sem = 'P' and prev_main >= 0
                union all select pipeline, last_main, idx, stage_id from st where sem = 'S' and last_main is not null),
      between_ as (select pr.pipeline, (select stage_id from st x where x.pipeline = pr.pipeline and x.idx = pr.f) as f_id,
                          pr.t_id, b.t - a.t as ms
                   from pairs pr join d on d.pipeline = pr.pipeline join fe b on b.deal = d.id and b.idx = pr.t
                   join fe a on a.deal = d.id and a.idx = pr.f
                   where b.t >= ${start} and b.t < ${end} and b.t >= a.t),
      cyc as (select case sem when 'S' then 'toWin' else 'lostCycle' end as fig, greatest(0, closed_at - created) as ms
              from dc where sem in ('S', 'F') and closed_at >= ${start} and closed_at < ${end} and created is not null),
      all_ as (select pipeline || '|' || f_id || '→' || t_id as k, ms from between_ union all select fig, ms from cyc)
    select k, count(*) as n, avg(ms) / 3600000 as mean, quantile_cont(ms, 0.5) / 3600000 as median,
           quantile_cont(ms, 0.9) / 3600000 as p90 from all_ group by all`,
  ...byDim('cities', 'city'),
  ...byDim('managers', 'manager'),
  leads: (start: number, end: number) => `
    select dim, k, count(*) as total, count(*) filter (where semantic = 'P') as active,
           count(*) filter (where semantic = 'S') as converted, count(*) filter (where semantic = 'F') as junk
    from (select 'source' as dim, coalesce(source, '') as k, semantic from leads where created >= ${start} and created < ${end}
          union all
          select 'manager', cast(manager as varchar), semantic from leads where created >= ${start} and created < ${end})
    group by all`,
}

/** Deals created / won (count, sum, mean hours to win) / lost in the period per city or manager, + leads. */
function byDim(section: 'cities' | 'managers', col: 'city' | 'manager') {
  return {
    [section]: (start: number, end: number) => `with
      w as (select cast(${col} as varchar) as k,
                   count(*) filter (where created >= ${start} and created < ${end}) as created,
                   count(*) filter (where sem = 'S' and closed_at >= ${start} and closed_at < ${end}) as won,
                   sum(amount) filter (where sem = 'S' and closed_at >= ${start} and closed_at < ${end}) as won_sum,
                   avg(greatest(0, closed_at - created)) filter (
                     where sem = 'S' and closed_at >= ${start} and closed_at < ${end} and created is not null) / 3600000
                     as win_hours,
                   count(*) filter (where sem = 'F' and closed_at >= ${start} and closed_at < ${end}) as lost
            from dc group by all),
      l as (select cast(coalesce(${col === 'city' ? 'city' : 'manager'}, ${col === 'city' ? "''" : '0'}) as varchar) as k,
                   count(*) as leads from leads where created >= ${start} and created < ${end} group by all)
      select coalesce(w.k, l.k) as k, coalesce(l.leads, 0) as leads, coalesce(w.created, 0) as created,
             coalesce(w.won, 0) as won, coalesce(w.won_sum, 0) as won_sum, w.win_hours, coalesce(w.lost, 0) as lost
      from w full join l using (k)`,
  }
}

export type DuckSection = keyof typeof SQL
export const DUCK_SECTIONS = Object.keys(SQL) as DuckSection[]

export async function duckSection(conn: DuckDBConnection, section: DuckSection, start: number, end: number) {
  return (await conn.runAndReadAll(SQL[section](start, end))).getRowObjectsJS() as Row[]
}

const r2 = (x: number) => Math.round(x * 100) / 100

/** DuckDB's rows as "key → figure". */
export function duckFigures(section: DuckSection, rows: Row[]): Map<string, number> {
  const out = new Map<string, number>()
  const set = (k: string, v: unknown) => out.set(k, num(v))
  for (const x of rows) {
    const p = num(x.pipeline)
    const st = String(x.stage_id)
    if (section === 'funnel') {
      set(`${p}|${st}|reached`, x.reached)
      set(`${p}|${st}|current`, x.current)
      set(`${p}|${st}|lostAt`, x.lost_at)
    } else if (section === 'flow') {
      set(`${p}|${st}|entered`, x.entered)
      set(`${p}|${st}|entries`, x.entries)
      set(`${p}|${st}|lostAt`, x.lost_at)
    } else if (section === 'matrix') set(`${p}|${String(x.source ?? '')}|${st}`, x.reached)
    else if (section === 'timing') {
      const k = String(x.k)
      set(`${k}|count`, x.n)
      for (const f of ['mean', 'median', 'p90']) out.set(`${k}|${f}`, r2(num(x[f])))
    } else if (section === 'leads')
      for (const f of ['total', 'active', 'converted', 'junk']) set(`${String(x.dim)}|${String(x.k)}|${f}`, x[f])
    else {
      const k = String(x.k)
      if (section === 'cities') set(`${k}|leads`, x.leads)
      set(`${k}|created`, x.created)
      set(`${k}|won`, x.won)
      out.set(`${k}|wonSum`, r2(num(x.won_sum)))
      set(`${k}|lost`, x.lost)
      if (section === 'cities' && x.win_hours !== null) out.set(`${k}|meanTimeToWin`, r2(num(x.win_hours)))
    }
  }
  return out
}

/** The same figures from our report. Churn's cohort/flow figures must equal the funnels' (checked too). */
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
    churnAgrees(r, 'cohort', 'reached', out)
  } else if (section === 'flow') {
    for (const pl of r.funnel.flow)
      for (const id of pl.order) {
        const row = pl.stages[id]
        out.set(`${pl.categoryId}|${id}|entered`, row.entered)
        out.set(`${pl.categoryId}|${id}|entries`, row.entries)
        out.set(`${pl.categoryId}|${id}|lostAt`, row.lostAt)
      }
    churnAgrees(r, 'flow', 'entered', out)
  } else if (section === 'matrix') {
    for (const m of r.sources.matrix)
      for (const row of m.rows)
        for (const id of m.order) out.set(`${m.categoryId}|${row.key}|${id}`, row.stages[id]?.reached ?? 0)
  } else if (section === 'leads') {
    for (const [dim, rows] of [
      ['source', r.leads.bySource],
      ['manager', r.leads.byManager],
    ] as const)
      for (const row of rows)
        for (const f of ['total', 'active', 'converted', 'junk'] as const) out.set(`${dim}|${row.key}|${f}`, row[f])
  } else if (section === 'timing') {
    const put = (k: string, st: DurationStats) => {
      if (st.count === 0) return
      out.set(`${k}|count`, st.count)
      out.set(`${k}|mean`, st.mean!)
      out.set(`${k}|median`, st.median!)
      out.set(`${k}|p90`, st.p90!)
    }
    put('toWin', r.timing.toWin.stats)
    put('lostCycle', r.timing.lostCycle.stats)
    for (const pl of r.timing.betweenStages)
      for (const x of pl.pairs) put(`${pl.categoryId}|${x.from}→${x.to}`, x.stats)
  } else if (section === 'cities') {
    for (const c of r.cities) {
      out.set(`${c.cityId}|leads`, c.leads)
      out.set(`${c.cityId}|created`, c.created)
      out.set(`${c.cityId}|won`, c.won)
      out.set(`${c.cityId}|wonSum`, c.wonSum)
      out.set(`${c.cityId}|lost`, c.lost)
      if (c.meanTimeToWin !== null) out.set(`${c.cityId}|meanTimeToWin`, c.meanTimeToWin)
    }
  } else {
    for (const m of r.managers) {
      out.set(`${m.managerId}|created`, m.created)
      out.set(`${m.managerId}|won`, m.won.count)
      out.set(`${m.managerId}|wonSum`, m.won.sum)
      out.set(`${m.managerId}|lost`, m.lost)
    }
  }
  return out
}

/** Churn's reached/lostAt per stage equal the funnel's (flow: entered); a disagreement shows as an extra key. */
function churnAgrees(r: Report, kind: 'cohort' | 'flow', reachKey: string, out: Map<string, number>): void {
  for (const pc of r.churn)
    for (const id of pc.order) {
      const row = pc[kind][id]
      if (out.get(`${pc.categoryId}|${id}|${reachKey}`) !== row.reached)
        out.set(`${pc.categoryId}|${id}|churn.${kind}.reached≠funnel`, row.reached)
      if (out.get(`${pc.categoryId}|${id}|lostAt`) !== row.lostAt)
        out.set(`${pc.categoryId}|${id}|churn.${kind}.lostAt≠funnel`, row.lostAt)
    }
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
