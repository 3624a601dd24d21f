import type Database from 'better-sqlite3'

/** One step of the schema's history. Applied once, in `version` order, inside the transaction that records it. */
export interface Migration {
  readonly version: number
  readonly name: string
  /** Run first, as one script. */
  readonly sql: string
  /** Then, when present: work that needs a loop (a large table moved in batches), in the same transaction. */
  readonly run?: (db: Database.Database) => void
}
