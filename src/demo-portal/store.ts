/**
 * App-side storage of the demo portal: app.option, user.option, entity.* storages, placement
 * bindings and the install flag. Optionally persisted to `<dataDir>/app-storage.json`, written
 * atomically (temp file + rename) after every change so a crash never leaves half a file.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync, existsSync } from 'node:fs'
import { join } from 'node:path'
import type { Json, JsonObject } from './params'

export type AccessLevel = 'R' | 'W' | 'X'

export interface EntityProperty {
  PROPERTY: string
  NAME: string
  TYPE: 'S' | 'N' | 'F'
  SORT: string
}

export interface EntityItem {
  ID: number
  TIMESTAMP_X: string
  MODIFIED_BY: string
  DATE_CREATE: string
  CREATED_BY: string
  ACTIVE: 'Y' | 'N'
  DATE_ACTIVE_FROM: string
  DATE_ACTIVE_TO: string
  SORT: string
  NAME: string
  PREVIEW_PICTURE: null
  PREVIEW_TEXT: string | null
  DETAIL_PICTURE: null
  DETAIL_TEXT: string | null
  CODE: string | null
  SECTION: string | null
  PROPERTY_VALUES: Record<string, Json>
}

export interface EntityStorage {
  ID: string
  ENTITY: string
  NAME: string
  ACCESS: Record<string, AccessLevel>
  properties: EntityProperty[]
  items: EntityItem[]
}

export interface PlacementBinding {
  placement: string
  userId: number
  handler: string
  options: JsonObject | []
  title: string
  description: string
  groupName: string
  langAll: JsonObject | []
}

export interface StoreData {
  format: 'funnel-lens-portal-storage/1'
  installed: boolean
  appOptions: JsonObject
  userOptions: Record<string, JsonObject>
  entities: EntityStorage[]
  placements: PlacementBinding[]
  nextIblockId: number
  nextItemId: number
}

function emptyStore(installed: boolean): StoreData {
  return {
    format: 'funnel-lens-portal-storage/1',
    installed,
    appOptions: {},
    userOptions: {},
    entities: [],
    placements: [],
    nextIblockId: 101,
    nextItemId: 1001,
  }
}

export class AppStore {
  data: StoreData
  private readonly file: string | null

  constructor(dataDir: string | undefined, installed: boolean) {
    this.file = dataDir ? join(dataDir, 'app-storage.json') : null
    this.data = emptyStore(installed)
    if (this.file && existsSync(this.file)) {
      const loaded = JSON.parse(readFileSync(this.file, 'utf8')) as StoreData
      if (loaded.format !== 'funnel-lens-portal-storage/1') {
        throw new Error(`${this.file}: not a demo-portal storage file (format ${String(loaded.format)})`)
      }
      this.data = { ...emptyStore(installed), ...loaded }
    }
  }

  /** Writes the whole store: temp file, then rename over the old one. */
  save(): void {
    if (!this.file) return
    mkdirSync(join(this.file, '..'), { recursive: true })
    const tmp = `${this.file}.${process.pid}.tmp`
    writeFileSync(tmp, JSON.stringify(this.data, null, 1))
    renameSync(tmp, this.file)
  }

  /** Adds the options the store does not hold yet (what an admin saved stays). */
  seedAppOptions(options: Record<string, string> | undefined): void {
    for (const [name, value] of Object.entries(options ?? {})) {
      if (!(name in this.data.appOptions)) this.data.appOptions[name] = value
    }
  }

  entity(code: string): EntityStorage | undefined {
    return this.data.entities.find((e) => e.ENTITY === code)
  }
}
