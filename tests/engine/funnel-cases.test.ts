/**
 * One table of small hand-built funnel cases (issue 12.5), each run four ways: cohort and flow
 * funnel × the case placed in the current period and the same case shifted into the comparison
 * period. The expected figures are worked out by hand from metrics.md "Funnels" / "Churn by
 * stage" and docs/engine.md's funnel paragraphs, never from the engine's output; every case is
 * checked twice, on the report's counts and on the drill-down (funnel-predicates.ts), so the
 * counting loops and the predicates answer to the same table.
 *
 * Portal: time zone +03:00. Pipeline 0 "Sales": NEW → CONTACT → NOSHOW (a branch stage, via
 * settings.branchStageIds) → OFFER (process), WON (success), LOSE (failure); the main path is
 * NEW → CONTACT → OFFER. Pipeline 1 "Rent": C1:NEW, C1:WON, C1:LOSE.
 * Query: March 2024 compared with the previous period (February 2024).
 */
import { describe, expect, it } from 'vitest'
import {
  buildReport,
  drillDown,
  prepare,
  type CohortStageRow,
  type DrillRef,
  type FlowStageRow,
  type PipelineFunnel,
  type Report,
  type ReportQuery,
} from '../../src/engine/index'
import { addDeal, at, portal } from './builders'

/** Stage order of each pipeline and how many of its stages are process stages (notNext is null after them). */
const PIPES = [
  { id: 0, stages: ['NEW', 'CONTACT', 'NOSHOW', 'OFFER', 'WON', 'LOSE'], process: 4 },
  { id: 1, stages: ['C1:NEW', 'C1:WON', 'C1:LOSE'], process: 1 },
]

function casePortal() {
  const data = portal({
    pipelines: [
      {
        id: 0,
        name: 'Sales',
        stages: [
          { id: 'NEW' },
          { id: 'CONTACT' },
          { id: 'NOSHOW' },
          { id: 'OFFER' },
          { id: 'WON', semantic: 'S' },
          { id: 'LOSE', semantic: 'F' },
        ],
      },
      {
        id: 1,
        name: 'Rent',
        stages: [{ id: 'C1:NEW' }, { id: 'C1:WON', semantic: 'S' }, { id: 'C1:LOSE', semantic: 'F' }],
      },
    ],
  })
  data.settings.branchStageIds = ['NOSHOW']
  return data
}

/** Days after the period's start (00:00 local; fractions allowed, negative = before), or the period's end instant. */
type When = number | 'end'

interface CaseDeal {
  /** [stage, when]; the first entry is the creation. */
  history?: [string, When][]
  /** Without history: the current stage, creation and last move (the engine reconstructs the path). */
  stageId?: string
  created?: When
  movedAt?: When
}

/** Per-stage counts in the pipeline's stage order; notNext over its process stages only; omitted = all 0. */
interface CohortFigures {
  size: number
  reached?: number[]
  current?: number[]
  notNext?: number[]
  lostAt?: number[]
}
interface FlowFigures {
  size: number
  entered?: number[]
  entries?: number[]
  current?: number[]
  notNext?: number[]
  lostAt?: number[]
}

interface FunnelCase {
  name: string
  deals: CaseDeal[]
  /** By pipeline id; a pipeline left out must show 0 everywhere. */
  funnels: Record<number, { cohort: CohortFigures; flow: FlowFigures }>
}

const NONE = { cohort: { size: 0 }, flow: { size: 0 } }

// Columns of pipeline 0:  NEW CONTACT NOSHOW OFFER WON LOSE   (notNext: NEW CONTACT NOSHOW OFFER)
const CASES: FunnelCase[] = [
  {
    name: 'straight path to won: every stage once, nothing left behind',
    deals: [
      {
        history: [
          ['NEW', 2],
          ['CONTACT', 3],
          ['OFFER', 4],
          ['WON', 5],
        ],
      },
    ],
    funnels: {
      0: {
        cohort: { size: 1, reached: [1, 1, 0, 1, 1, 0], current: [0, 0, 0, 0, 1, 0] },
        flow: { size: 1, entered: [1, 1, 0, 1, 1, 0], entries: [1, 1, 0, 1, 1, 0], current: [0, 0, 0, 0, 1, 0] },
      },
    },
  },
  {
    name: 'jump over a stage: the skipped stage counts as passed, timed at the jump',
    deals: [
      {
        history: [
          ['NEW', 2],
          ['OFFER', 6],
        ],
      },
    ],
    funnels: {
      0: {
        cohort: { size: 1, reached: [1, 1, 0, 1, 0, 0], current: [0, 0, 0, 1, 0, 0], notNext: [0, 0, 0, 1] },
        flow: {
          size: 1,
          entered: [1, 1, 0, 1, 0, 0],
          entries: [1, 1, 0, 1, 0, 0],
          current: [0, 0, 0, 1, 0, 0],
          notNext: [0, 0, 0, 1],
        },
      },
    },
  },
  {
    name: 'jump straight to won: a win implies every main-path stage, never the branch stage',
    deals: [
      {
        history: [
          ['NEW', 2],
          ['WON', 7],
        ],
      },
    ],
    funnels: {
      0: {
        cohort: { size: 1, reached: [1, 1, 0, 1, 1, 0], current: [0, 0, 0, 0, 1, 0] },
        flow: { size: 1, entered: [1, 1, 0, 1, 1, 0], entries: [1, 1, 0, 1, 1, 0], current: [0, 0, 0, 0, 1, 0] },
      },
    },
  },
  {
    name: 'branch stage and back: no-show is reached by its entry, the return is a re-entry of CONTACT',
    deals: [
      {
        history: [
          ['NEW', 2],
          ['CONTACT', 3],
          ['NOSHOW', 4],
          ['CONTACT', 5],
          ['OFFER', 6],
        ],
      },
    ],
    funnels: {
      0: {
        cohort: { size: 1, reached: [1, 1, 1, 1, 0, 0], current: [0, 0, 0, 1, 0, 0], notNext: [0, 0, 0, 1] },
        flow: {
          size: 1,
          entered: [1, 1, 1, 1, 0, 0],
          entries: [1, 2, 1, 1, 0, 0],
          current: [0, 0, 0, 1, 0, 0],
          notNext: [0, 0, 0, 1],
        },
      },
    },
  },
  {
    name: 'no-show, never back: CONTACT and NOSHOW both miss the next main-path stage (OFFER)',
    deals: [
      {
        history: [
          ['NEW', 2],
          ['CONTACT', 3],
          ['NOSHOW', 4],
        ],
      },
    ],
    funnels: {
      0: {
        cohort: { size: 1, reached: [1, 1, 1, 0, 0, 0], current: [0, 0, 1, 0, 0, 0], notNext: [0, 1, 1, 0] },
        flow: {
          size: 1,
          entered: [1, 1, 1, 0, 0, 0],
          entries: [1, 1, 1, 0, 0, 0],
          current: [0, 0, 1, 0, 0, 0],
          notNext: [0, 1, 1, 0],
        },
      },
    },
  },
  {
    name: 'jump into the branch stage: entering it implies the main-path stage before it',
    deals: [
      {
        history: [
          ['NEW', 2],
          ['NOSHOW', 4],
        ],
      },
    ],
    funnels: {
      0: {
        cohort: { size: 1, reached: [1, 1, 1, 0, 0, 0], current: [0, 0, 1, 0, 0, 0], notNext: [0, 1, 1, 0] },
        flow: {
          size: 1,
          entered: [1, 1, 1, 0, 0, 0],
          entries: [1, 1, 1, 0, 0, 0],
          current: [0, 0, 1, 0, 0, 0],
          notNext: [0, 1, 1, 0],
        },
      },
    },
  },
  {
    name: 'lost at a stage: the loss stage is the last process stage before the failure stage',
    deals: [
      {
        history: [
          ['NEW', 2],
          ['CONTACT', 3],
          ['LOSE', 8],
        ],
      },
    ],
    funnels: {
      0: {
        cohort: {
          size: 1,
          reached: [1, 1, 0, 0, 0, 1],
          current: [0, 0, 0, 0, 0, 1],
          notNext: [0, 1, 0, 0],
          lostAt: [0, 1, 0, 0, 0, 0],
        },
        flow: {
          size: 1,
          entered: [1, 1, 0, 0, 0, 1],
          entries: [1, 1, 0, 0, 0, 1],
          current: [0, 0, 0, 0, 0, 1],
          notNext: [0, 1, 0, 0],
          lostAt: [0, 1, 0, 0, 0, 0],
        },
      },
    },
  },
  {
    name: 'lost right from the branch stage: lost at no-show',
    deals: [
      {
        history: [
          ['NEW', 2],
          ['CONTACT', 3],
          ['NOSHOW', 4],
          ['LOSE', 9],
        ],
      },
    ],
    funnels: {
      0: {
        cohort: {
          size: 1,
          reached: [1, 1, 1, 0, 0, 1],
          current: [0, 0, 0, 0, 0, 1],
          notNext: [0, 1, 1, 0],
          lostAt: [0, 0, 1, 0, 0, 0],
        },
        flow: {
          size: 1,
          entered: [1, 1, 1, 0, 0, 1],
          entries: [1, 1, 1, 0, 0, 1],
          current: [0, 0, 0, 0, 0, 1],
          notNext: [0, 1, 1, 0],
          lostAt: [0, 0, 1, 0, 0, 0],
        },
      },
    },
  },
  {
    name: 'reopened after a loss: counts by where it is now (not lost), the LOSE entry stays reached',
    deals: [
      {
        history: [
          ['NEW', 2],
          ['LOSE', 3],
          ['CONTACT', 5],
        ],
      },
    ],
    funnels: {
      0: {
        cohort: { size: 1, reached: [1, 1, 0, 0, 0, 1], current: [0, 1, 0, 0, 0, 0], notNext: [0, 1, 0, 0] },
        flow: {
          size: 1,
          entered: [1, 1, 0, 0, 0, 1],
          entries: [1, 1, 0, 0, 0, 1],
          current: [0, 1, 0, 0, 0, 0],
          notNext: [0, 1, 0, 0],
        },
      },
    },
  },
  {
    name: 'reopened after a win: the implied OFFER pass and the later actual entry are two entries',
    deals: [
      {
        history: [
          ['NEW', 2],
          ['WON', 3],
          ['OFFER', 5],
        ],
      },
    ],
    funnels: {
      0: {
        cohort: { size: 1, reached: [1, 1, 0, 1, 1, 0], current: [0, 0, 0, 1, 0, 0] },
        flow: {
          size: 1,
          entered: [1, 1, 0, 1, 1, 0],
          entries: [1, 1, 0, 2, 1, 0],
          current: [0, 0, 0, 1, 0, 0],
        },
      },
    },
  },
  {
    name: 'moved back: does not un-reach OFFER; CONTACT entered twice',
    deals: [
      {
        history: [
          ['NEW', 2],
          ['CONTACT', 3],
          ['OFFER', 4],
          ['CONTACT', 6],
        ],
      },
    ],
    funnels: {
      0: {
        cohort: { size: 1, reached: [1, 1, 0, 1, 0, 0], current: [0, 1, 0, 0, 0, 0], notNext: [0, 0, 0, 1] },
        flow: {
          size: 1,
          entered: [1, 1, 0, 1, 0, 0],
          entries: [1, 2, 0, 1, 0, 0],
          current: [0, 1, 0, 0, 0, 0],
          notNext: [0, 0, 0, 1],
        },
      },
    },
  },
  {
    name: 'created before the period, moving in it: flow only, and only the stages passed in the period',
    deals: [
      {
        history: [
          ['NEW', -10],
          ['CONTACT', -5],
          ['OFFER', 3],
          ['WON', 6],
        ],
      },
    ],
    funnels: {
      0: {
        cohort: { size: 0 },
        flow: { size: 1, entered: [0, 0, 0, 1, 1, 0], entries: [0, 0, 0, 1, 1, 0], current: [0, 0, 0, 0, 1, 0] },
      },
    },
  },
  {
    name: 'created before the period, lost in it: flow lostAt counts the loss stage passed before the period',
    deals: [
      {
        history: [
          ['NEW', -10],
          ['CONTACT', -5],
          ['LOSE', 4],
        ],
      },
    ],
    funnels: {
      0: {
        cohort: { size: 0 },
        flow: {
          size: 1,
          entered: [0, 0, 0, 0, 0, 1],
          entries: [0, 0, 0, 0, 0, 1],
          current: [0, 0, 0, 0, 0, 1],
          lostAt: [0, 1, 0, 0, 0, 0],
        },
      },
    },
  },
  {
    name: 'created in the period, moving after it: the cohort sees the move, the flow does not',
    deals: [
      {
        history: [
          ['NEW', 20],
          ['CONTACT', 35],
        ],
      },
    ],
    funnels: {
      0: {
        cohort: { size: 1, reached: [1, 1, 0, 0, 0, 0], current: [0, 1, 0, 0, 0, 0], notNext: [0, 1, 0, 0] },
        flow: { size: 1, entered: [1, 0, 0, 0, 0, 0], entries: [1, 0, 0, 0, 0, 0], notNext: [1, 0, 0, 0] },
      },
    },
  },
  {
    name: "the period's edges: its first instant is in, its end instant and the minute before it are out",
    deals: [{ history: [['NEW', 0]] }, { history: [['NEW', 'end']] }, { history: [['NEW', -1 / 1440]] }],
    funnels: {
      0: {
        cohort: { size: 1, reached: [1, 0, 0, 0, 0, 0], current: [1, 0, 0, 0, 0, 0], notNext: [1, 0, 0, 0] },
        flow: {
          size: 1,
          entered: [1, 0, 0, 0, 0, 0],
          entries: [1, 0, 0, 0, 0, 0],
          current: [1, 0, 0, 0, 0, 0],
          notNext: [1, 0, 0, 0],
        },
      },
    },
  },
  {
    name: 'no stage history: created at the first stage, moved to its current stage at the last move',
    deals: [{ stageId: 'OFFER', created: 2, movedAt: 5 }],
    funnels: {
      0: {
        cohort: { size: 1, reached: [1, 1, 0, 1, 0, 0], current: [0, 0, 0, 1, 0, 0], notNext: [0, 0, 0, 1] },
        flow: {
          size: 1,
          entered: [1, 1, 0, 1, 0, 0],
          entries: [1, 1, 0, 1, 0, 0],
          current: [0, 0, 0, 1, 0, 0],
          notNext: [0, 0, 0, 1],
        },
      },
    },
  },
  {
    name: 'deal in another pipeline: counted in its own pipeline, nothing in Sales',
    deals: [
      {
        history: [
          ['C1:NEW', 2],
          ['C1:WON', 4],
        ],
      },
    ],
    funnels: {
      0: NONE,
      1: {
        cohort: { size: 1, reached: [1, 1, 0], current: [0, 1, 0] },
        flow: { size: 1, entered: [1, 1, 0], entries: [1, 1, 0], current: [0, 1, 0] },
      },
    },
  },
]

const DAY_MS = 86_400_000
const QUERY: ReportQuery = {
  from: '2024-03-01',
  to: '2024-03-31',
  compare: 'previous',
  now: at('2024-04-20T12:00:00+03:00'),
}
const PERIODS = [
  { period: 'current', start: at('2024-03-01T00:00:00+03:00'), end: at('2024-04-01T00:00:00+03:00') },
  { period: 'comparison', start: at('2024-02-01T00:00:00+03:00'), end: at('2024-03-01T00:00:00+03:00') },
] as const
type Placement = (typeof PERIODS)[number]

/** The case's deals placed in one period (same offsets from its start), prepared and reported once. */
function run(c: FunnelCase, place: Placement) {
  const iso = (when: When) => new Date(when === 'end' ? place.end : place.start + when * DAY_MS).toISOString()
  const data = casePortal()
  c.deals.forEach((deal, i) => {
    const history = deal.history?.map(([stageId, when]) => [stageId, iso(when)] as [string, string])
    const last = history?.[history.length - 1]
    addDeal(data, {
      id: i + 1,
      stageId: deal.stageId ?? last![0],
      created: iso(deal.created ?? deal.history![0][1]),
      ...(history ? { history } : {}),
      ...(deal.movedAt !== undefined ? { movedAt: at(iso(deal.movedAt)), modifiedAt: at(iso(deal.movedAt)) } : {}),
    })
  })
  const prepared = prepare(data)
  const report = buildReport(prepared, QUERY)
  const drill = (ref: DrillRef) => drillDown(prepared, QUERY, { ...ref, period: place.period }).length
  return { report, drill }
}

const COHORT_MEASURES = ['reached', 'current', 'notNext', 'lostAt'] as const
const FLOW_MEASURES = ['entered', 'entries', 'current', 'notNext', 'lostAt'] as const
type Kind = 'cohort' | 'flow'
type Measure = (typeof COHORT_MEASURES)[number] | (typeof FLOW_MEASURES)[number]
type Pipe = (typeof PIPES)[number]
/** size, then per measure a count per stage id (notNext: process stages only), so a failure names the stage. */
type Figures = Record<string, number | Record<string, number>>

const measuresOf = (kind: Kind) => (kind === 'cohort' ? COHORT_MEASURES : FLOW_MEASURES)
const stagesOf = (pipe: Pipe, measure: string) =>
  measure === 'notNext' ? pipe.stages.slice(0, pipe.process) : pipe.stages

/** The table's figures with every omitted count spelled out as 0. */
function expected(kind: Kind, pipe: Pipe, figures: CohortFigures | FlowFigures): Figures {
  const out: Figures = { size: figures.size }
  for (const measure of measuresOf(kind)) {
    const counts = (figures as Partial<Record<Measure, number[]>>)[measure]
    out[measure] = Object.fromEntries(stagesOf(pipe, measure).map((id, i) => [id, counts?.[i] ?? 0]))
  }
  return out
}

/** The report's figures of one pipeline; notNext must be null after the process stages. */
function reported(kind: Kind, pipe: Pipe, funnel: PipelineFunnel<CohortStageRow | FlowStageRow>): Figures {
  expect(funnel.order).toEqual(pipe.stages)
  const out: Figures = { size: funnel.size }
  for (const measure of measuresOf(kind)) {
    const row = (id: string) => funnel.stages[id] as unknown as Record<string, number>
    out[measure] = Object.fromEntries(stagesOf(pipe, measure).map((id) => [id, row(id)[measure]]))
  }
  for (const id of pipe.stages.slice(pipe.process)) expect(funnel.stages[id].notNext, `${id} notNext`).toBeNull()
  return out
}

/** The same figures counted by drilling into every cell (entries has no drill-down: a pass is not a deal). */
function drilled(kind: Kind, pipe: Pipe, drill: (ref: DrillRef) => number): Figures {
  const categoryId = pipe.id
  const out: Figures = { size: drill({ section: kind, categoryId, measure: 'size' }) }
  for (const measure of measuresOf(kind)) {
    if (measure === 'entries') continue
    const count = (stageId: string) => drill({ section: kind, categoryId, stageId, measure } as DrillRef)
    out[measure] = Object.fromEntries(stagesOf(pipe, measure).map((id) => [id, count(id)]))
  }
  return out
}

function funnelOf(report: Report, place: Placement, kind: Kind, categoryId: number) {
  const section = place.period === 'current' ? report.funnel : report.comparison!.funnel
  const funnel = section[kind].find((f) => f.categoryId === categoryId)
  expect(funnel, `pipeline ${categoryId}`).toBeDefined()
  return funnel!
}

for (const c of CASES) {
  describe(c.name, () => {
    const runs = new Map<Placement, ReturnType<typeof run>>()
    const runIn = (place: Placement) => runs.get(place) ?? runs.set(place, run(c, place)).get(place)!

    for (const kind of ['cohort', 'flow'] as const) {
      for (const place of PERIODS) {
        it(`${kind} funnel, case placed in the ${place.period} period`, () => {
          const { report, drill } = runIn(place)
          for (const pipe of PIPES) {
            const want = expected(kind, pipe, (c.funnels[pipe.id] ?? NONE)[kind])
            const got = reported(kind, pipe, funnelOf(report, place, kind, pipe.id))
            expect(got, `report, pipeline ${pipe.id}`).toEqual(want)
            const { entries: _entries, ...wantDrilled } = want
            expect(drilled(kind, pipe, drill), `drill-down, pipeline ${pipe.id}`).toEqual(wantDrilled)
          }
        })
      }
    }
  })
}
