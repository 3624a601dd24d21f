import type Database from 'better-sqlite3'
import { JOURNAL_COLUMNS, type JournalRow, type JournalRowValues } from './journal-row-mapping.js'
import { LINE_COLUMNS, ORDER_COLUMNS, type LineRow, type OrderRow, type OrderRowValues } from './order-row-mapping.js'

/** A pending update as stored: the raw body it will be decoded from again, and when the edge received it. */
export interface PendingRow {
  readonly raw_body: string
  readonly received_at: string
}

/** Columns an order keeps for its life: never rewritten by an update. */
const FIXED_ORDER_COLUMNS: ReadonlySet<string> = new Set(['original_order_id', 'number', 'created_at'])

const list = (columns: readonly string[]): string => columns.join(', ')
const params = (columns: readonly string[]): string => columns.map((c) => `@${c}`).join(', ')

type Statement<P extends unknown[], R = unknown> = Database.Statement<P, R>

/** The statements the repository runs. */
export interface SqliteStatements {
  readonly orderByKey: Statement<[string], OrderRow>
  readonly linesOf: Statement<[number], LineRow>
  /** Increments the counter and returns the new value: the next order's number, under the caller's write lock. */
  readonly nextNumber: Statement<[], number>
  readonly insertOrder: Statement<[OrderRowValues]>
  readonly updateOrder: Statement<[OrderRowValues & { readonly id: number }]>
  readonly deleteLines: Statement<[number]>
  readonly insertLine: Statement<[LineRow & { readonly order_id: number }]>
  readonly pendingOf: Statement<[string], PendingRow>
  readonly deletePending: Statement<[string]>
  /** original_order_id, raw_body, received_at, stored_at */
  readonly insertPending: Statement<[string, string, string, string]>
  readonly insertJournal: Statement<[JournalRowValues & { readonly stored_at: string }]>
  readonly journalOf: Statement<[string], JournalRow>
  readonly counter: Statement<[], number>
}

/**
 * Every statement the repository runs, prepared once per connection. Column lists come from the row mappings,
 * so a column added there is added here; values are always bound, never spliced into SQL.
 */
export const prepareStatements = (db: Database.Database): SqliteStatements => ({
  orderByKey: db.prepare<[string], OrderRow>('SELECT * FROM orders WHERE original_order_id = ?'),
  linesOf: db.prepare<[number], LineRow>(`SELECT ${list(LINE_COLUMNS)} FROM order_lines WHERE order_id = ? ORDER BY line_no`),
  nextNumber: db
    .prepare<[], number>('UPDATE order_number_counter SET last_value = last_value + 1 WHERE id = 1 RETURNING last_value')
    .pluck(),
  insertOrder: db.prepare<[OrderRowValues]>(`INSERT INTO orders (${list(ORDER_COLUMNS)}) VALUES (${params(ORDER_COLUMNS)})`),
  updateOrder: db.prepare<[OrderRowValues & { readonly id: number }]>(
    `UPDATE orders SET ${ORDER_COLUMNS.filter((c) => !FIXED_ORDER_COLUMNS.has(c)).map((c) => `${c} = @${c}`).join(', ')} WHERE id = @id`,
  ),
  deleteLines: db.prepare<[number]>('DELETE FROM order_lines WHERE order_id = ?'),
  insertLine: db.prepare<[LineRow & { readonly order_id: number }]>(
    `INSERT INTO order_lines (order_id, ${list(LINE_COLUMNS)}) VALUES (@order_id, ${params(LINE_COLUMNS)})`,
  ),
  pendingOf: db.prepare<[string], PendingRow>('SELECT raw_body, received_at FROM pending_updates WHERE original_order_id = ? ORDER BY id'),
  deletePending: db.prepare<[string]>('DELETE FROM pending_updates WHERE original_order_id = ?'),
  insertPending: db.prepare<[string, string, string, string]>(
    'INSERT INTO pending_updates (original_order_id, raw_body, received_at, stored_at) VALUES (?, ?, ?, ?)',
  ),
  insertJournal: db.prepare<[JournalRowValues & { readonly stored_at: string }]>(
    `INSERT INTO journal (${list(JOURNAL_COLUMNS)}, stored_at) VALUES (${params(JOURNAL_COLUMNS)}, @stored_at)`,
  ),
  journalOf: db.prepare<[string], JournalRow>(`SELECT id, ${list(JOURNAL_COLUMNS)} FROM journal WHERE original_order_id = ? ORDER BY id`),
  counter: db.prepare<[], number>('SELECT last_value FROM order_number_counter WHERE id = 1').pluck(),
})
