/**
 * Dimension columns of `prepare`: each deal's and each lead's code per dimension (pipeline, city,
 * source, channel, manager, loss reason). Codes are handed out in first-seen order — deals, then
 * leads, then the touch-only users (prepare-touches.ts) — so a rebuild over the same rows gives
 * the same codes.
 */
import type { CrmData, Deal } from './types'
import { channelResolver, DEFAULT_SOURCE_ALIASES } from './channels'
import { KeyDict, type Dim, type DimColumn } from './dims'
import { semCode, validTime, type PipeInfo } from './prepare-pipes'

export type DimColumns = Record<Dim, DimColumn>

export interface LeadColumns {
  /** lossReason: junk leads' reason (the deals' dictionary; "not set" otherwise). */
  leadDims: { source: Int32Array; city: Int32Array; utmSource: Int32Array; manager: Int32Array; lossReason: Int32Array }
  leadCreated: Float64Array
  leadSemantic: Uint8Array
}

export function buildDims(
  data: CrmData,
  pipes: PipeInfo[],
  pipeOf: Int32Array,
): { dims: DimColumns; channel: (raw: string | null) => string | null } {
  const sourceNames = new Map(data.sources.map((s) => [s.id, s.name]))
  const cityNames = new Map(data.cities.map((s) => [s.id, s.name]))
  const reasonNames = new Map(data.lossReasons.map((s) => [s.id, s.name]))
  const userNames = new Map(data.users.map((u) => [String(u.id), u.name]))
  const departmentNames = new Map(data.departments.map((d) => [`dep:${d.id}`, d.name]))
  const n = data.deals.length
  const make = (nameOf: (k: string) => string): DimColumn => ({ dict: new KeyDict(nameOf), codes: new Int32Array(n) })
  const dims: DimColumns = {
    pipeline: make((k) => pipes.find((p) => String(p.categoryId) === k)?.name ?? `#${k}`),
    city: make((k) => cityNames.get(k) ?? departmentNames.get(k) ?? k),
    source: make((k) => sourceNames.get(k) ?? k),
    utmSource: make((k) => k),
    manager: make((k) => userNames.get(k) ?? `#${k} (deleted)`),
    lossReason: make((k) => reasonNames.get(k) ?? k),
  }
  // Pipeline codes equal pipe indexes so per-pipeline loops and the dimension agree.
  for (const p of pipes) dims.pipeline.dict.code(String(p.categoryId))
  // metrics.md "Sources": a deal from a lead with no own source takes the lead's (the sync layer
  // does this too; repeated here so that any producer of CrmData gets the same figures).
  // Built on the first deal that needs it (most deals carry their own source).
  const channel = channelResolver(data.settings?.sourceAliases ?? DEFAULT_SOURCE_ALIASES)
  let leadSource: Map<number, string | null> | null = null
  const sourceOfLead = (id: number) => (leadSource ??= new Map(data.leads.map((l) => [l.id, l.sourceId]))).get(id)
  data.deals.forEach((d: Deal, i) => {
    dims.pipeline.codes[i] = pipeOf[i]
    dims.city.codes[i] = dims.city.dict.code(d.cityId)
    dims.source.codes[i] = dims.source.dict.code(d.sourceId ?? (d.leadId !== null ? sourceOfLead(d.leadId) : null))
    dims.utmSource.codes[i] = dims.utmSource.dict.code(channel(d.utmSource))
    dims.manager.codes[i] = dims.manager.dict.code(String(d.assignedById))
    dims.lossReason.codes[i] = dims.lossReason.dict.code(d.lossReasonId)
  })
  return { dims, channel }
}

/**
 * Lead columns: created time, semantic and dimension codes. One loop over the lead objects
 * (TypedArray.from with a mapper goes through the iterator protocol, six times over); each
 * dictionary still sees its keys in lead order.
 */
export function leadColumns(
  data: CrmData,
  dims: DimColumns,
  channel: (raw: string | null) => string | null,
): LeadColumns {
  const leads = data.leads
  const nl = leads.length
  const leadDims = {
    source: new Int32Array(nl),
    city: new Int32Array(nl),
    utmSource: new Int32Array(nl),
    manager: new Int32Array(nl),
    lossReason: new Int32Array(nl),
  }
  const leadCreated = new Float64Array(nl)
  const leadSemantic = new Uint8Array(nl)
  for (let i = 0; i < nl; i++) {
    const lead = leads[i]
    leadDims.source[i] = dims.source.dict.code(lead.sourceId)
    leadDims.city[i] = dims.city.dict.code(lead.cityId)
    leadDims.utmSource[i] = dims.utmSource.dict.code(channel(lead.utmSource))
    leadDims.manager[i] = dims.manager.dict.code(String(lead.assignedById))
    leadDims.lossReason[i] = dims.lossReason.dict.code(lead.lossReasonId)
    leadCreated[i] = validTime(lead.createdAt) ? lead.createdAt : NaN
    leadSemantic[i] = semCode(lead.semantic)
  }
  return { leadDims, leadCreated, leadSemantic }
}
