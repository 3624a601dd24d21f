/** One step of the schema's history. Applied once, in `version` order, inside the transaction that records it. */
export interface Migration {
  readonly version: number
  readonly name: string
  readonly sql: string
}
