import type Database from 'better-sqlite3'
import { JOURNAL_COLUMNS, type JournalRow, type JournalRowValues } from './journal-row-mapping.js'
import { LINE_COLUMNS, ORDER_COLUMNS, type LineRow, type OrderRow, type OrderRowValues } from './order-row-mapping.js'

/** A pending update as stored: the raw body it will be decoded from again, and when the edge received it. */
export interface PendingRow {
  readonly id: number
  readonly raw_body: string
  readonly received_at: string
}

/** A pending update the retention policy removed. */
export interface ExpiredPendingRow {
  readonly original_order_id: string
  readonly received_at: string
}

/** One table's count and oldest time, for `journal stats`. */
export interface TableStatsRow {
  readonly rows: number
  readonly oldest: string | null
}

/** Columns an order keeps for its life: never rewritten by an update. */
const FIXED_ORDER_COLUMNS: ReadonlySet<string> = new Set(['original_order_id', 'number', 'created_at'])

const list = (columns: readonly string[]): string => columns.join(', ')
const params = (columns: readonly string[]): string => columns.map((c) => `@${c}`).join(', ')

type Statement<P extends unknown[], R = unknown> = Database.Statement<P, R>

/** The most lines one insert statement takes; an order with more is inserted in several (`StoreOperations`). */
export const LINES_PER_INSERT = 16

/**
 * One multi-row INSERT per line count, the values bound (`(?, ...), (?, ...)`): every line of an order in one
 * statement, as the JSON array read by `json_each` did before, without the JSON: its text written here and each
 * value read back from it by `->>` (a parse of the line's object per column) cost more than the insert itself.
 */
const lineInserts = (db: Database.Database): ((count: number) => Statement<(string | number | null)[]>) => {
  const prepared = new Map<number, Statement<(string | number | null)[]>>()
  const row = `(?, ${LINE_COLUMNS.map(() => '?').join(', ')})`
  return (count) => {
    if (!Number.isInteger(count) || count < 1 || count > LINES_PER_INSERT)
      throw new RangeError(`insertLines: expected 1 to ${LINES_PER_INSERT} lines, got ${count}`)
    let statement = prepared.get(count)
    if (statement === undefined) {
      statement = db.prepare<(string | number | null)[]>(
        `INSERT INTO order_lines (order_id, ${list(LINE_COLUMNS)}) VALUES ${Array.from({ length: count }, () => row).join(', ')}`,
      )
      prepared.set(count, statement)
    }
    return statement
  }
}

/** The statements the store runs. */
export interface SqliteStatements {
  readonly begin: Statement<[]>
  readonly commit: Statement<[]>
  readonly rollback: Statement<[]>
  readonly beginRead: Statement<[]>
  readonly savepoint: Statement<[]>
  readonly release: Statement<[]>
  readonly rollbackTo: Statement<[]>
  readonly orderByKey: Statement<[string], OrderRow>
  /** The earliest order whose `order_uuid` is this (an event keyed by `orderUUID` alone: core's `orderUuidToFind`). */
  readonly orderByUuid: Statement<[string], OrderRow>
  readonly linesOf: Statement<[number], LineRow>
  /** Increments the counter and returns the new value: the next order's number, under the caller's write lock. */
  readonly nextNumber: Statement<[], number>
  readonly insertOrder: Statement<[OrderRowValues]>
  readonly updateOrder: Statement<[OrderRowValues & { readonly id: number }]>
  readonly deleteLines: Statement<[number]>
  /**
   * The statement that inserts `count` lines (1 to `LINES_PER_INSERT`) of one order: the order id, then each line's
   * `LINE_COLUMNS` values in order. Prepared on first use for each count, then kept.
   */
  readonly insertLines: (count: number) => Statement<(string | number | null)[]>
  /** Deletes the key's pending updates and returns them (in no particular order: sort by id). */
  readonly takePending: Statement<[string], PendingRow>
  /** original_order_id, raw_body, received_at, stored_at */
  readonly insertPending: Statement<[string, string, string, string]>
  readonly insertJournal: Statement<[JournalRowValues & { readonly stored_at: string }]>
  /**
   * Inserts an entry unless its request id already has one (then it changes nothing: `changes` is 0). One statement
   * where a look-up by request id and then an insert were two: the unique index is searched by the insert anyway.
   */
  readonly insertJournalUnlessRequested: Statement<[JournalRowValues & { readonly stored_at: string }]>
  /** journal id, received_at, raw body */
  readonly insertBody: Statement<[number, string, string]>
  /** http_status, detail, id */
  /** The entry of one request id (unique: migration 5), with its body. */
  readonly journalOfRequest: Statement<[string], JournalRow>
  readonly rewriteJournal: Statement<[JournalRowValues & { readonly id: number }]>
  readonly deleteBody: Statement<[number]>
  readonly journalOf: Statement<[string], JournalRow>
  readonly counter: Statement<[], number>
  /** The kept bodies of one key's journal entries (for an erasure). */
  readonly bodiesOfKey: Statement<[string], { readonly journal_id: number; readonly raw_body: string }>
  /** raw body, journal id */
  readonly rewriteBody: Statement<[string, number]>
  /** The pending updates of one key, with their bodies (for an erasure). */
  readonly pendingOfKey: Statement<[string], { readonly id: number; readonly raw_body: string }>
  /** raw body, id */
  readonly rewritePending: Statement<[string, number]>
  /** erased at, order id */
  readonly markErased: Statement<[string, number]>
  /** last changed before, batch size: keys of closed orders whose personal data was not erased yet, oldest first. */
  readonly closedNotErased: Statement<[string, number], string>
  /** received before, batch size: deletes the raw bodies of up to that many entries, oldest first. */
  readonly clearBodies: Statement<[string, number]>
  /** received before, batch size: deletes up to that many pending updates, oldest first, and returns them. */
  readonly expirePending: Statement<[string, number], ExpiredPendingRow & { readonly id: number }>
  readonly stats: Readonly<
    Record<
      'orders' | 'order_lines' | 'pending_updates' | 'journal' | 'journalBodies' | 'reviewMarks',
      Statement<[], TableStatsRow>
    >
  >
}

/**
 * Every statement the store runs, prepared once per connection (in the store's worker thread). Column lists come
 * from the row mappings, so a column added there is added here; values are always bound, never spliced into SQL.
 */
export const prepareStatements = (db: Database.Database): SqliteStatements => ({
  begin: db.prepare('BEGIN IMMEDIATE'),
  commit: db.prepare('COMMIT'),
  rollback: db.prepare('ROLLBACK'),
  beginRead: db.prepare('BEGIN DEFERRED'),
  savepoint: db.prepare('SAVEPOINT operation'),
  release: db.prepare('RELEASE operation'),
  rollbackTo: db.prepare('ROLLBACK TO operation'),
  orderByKey: db.prepare<[string], OrderRow>('SELECT * FROM orders WHERE original_order_id = ?'),
  orderByUuid: db.prepare<[string], OrderRow>('SELECT * FROM orders WHERE order_uuid = ? ORDER BY id LIMIT 1'),
  linesOf: db.prepare<[number], LineRow>(
    `SELECT ${list(LINE_COLUMNS)} FROM order_lines WHERE order_id = ? ORDER BY line_no`,
  ),
  nextNumber: db
    .prepare<[], number>(
      'UPDATE order_number_counter SET last_value = last_value + 1 WHERE id = 1 RETURNING last_value',
    )
    .pluck(),
  insertOrder: db.prepare<[OrderRowValues]>(
    `INSERT INTO orders (${list(ORDER_COLUMNS)}) VALUES (${params(ORDER_COLUMNS)})`,
  ),
  updateOrder: db.prepare<[OrderRowValues & { readonly id: number }]>(
    `UPDATE orders SET ${ORDER_COLUMNS.filter((c) => !FIXED_ORDER_COLUMNS.has(c))
      .map((c) => `${c} = @${c}`)
      .join(', ')} WHERE id = @id`,
  ),
  deleteLines: db.prepare<[number]>('DELETE FROM order_lines WHERE order_id = ?'),
  insertLines: lineInserts(db),
  takePending: db.prepare<[string], PendingRow>(
    'DELETE FROM pending_updates WHERE original_order_id = ? RETURNING id, raw_body, received_at',
  ),
  insertPending: db.prepare<[string, string, string, string]>(
    'INSERT INTO pending_updates (original_order_id, raw_body, received_at, stored_at) VALUES (?, ?, ?, ?)',
  ),
  insertJournal: db.prepare<[JournalRowValues & { readonly stored_at: string }]>(
    `INSERT INTO journal (${list(JOURNAL_COLUMNS)}, stored_at) VALUES (${params(JOURNAL_COLUMNS)}, @stored_at)`,
  ),
  // The partial unique index of migration 5 is the conflict target, its WHERE clause included, as SQLite asks.
  insertJournalUnlessRequested: db.prepare<[JournalRowValues & { readonly stored_at: string }]>(
    `INSERT INTO journal (${list(JOURNAL_COLUMNS)}, stored_at) VALUES (${params(JOURNAL_COLUMNS)}, @stored_at)
     ON CONFLICT (request_id) WHERE request_id IS NOT NULL DO NOTHING`,
  ),
  insertBody: db.prepare<[number, string, string]>(
    'INSERT INTO journal_body (journal_id, received_at, raw_body) VALUES (?, ?, ?)',
  ),
  journalOfRequest: db.prepare<[string], JournalRow>(
    `SELECT j.id, ${JOURNAL_COLUMNS.map((c) => `j.${c}`).join(', ')}, b.raw_body
     FROM journal AS j LEFT JOIN journal_body AS b ON b.journal_id = j.id WHERE j.request_id = ?`,
  ),
  rewriteJournal: db.prepare<[JournalRowValues & { readonly id: number }]>(
    `UPDATE journal SET ${JOURNAL_COLUMNS.map((c) => `${c} = @${c}`).join(', ')} WHERE id = @id`,
  ),
  deleteBody: db.prepare<[number]>('DELETE FROM journal_body WHERE journal_id = ?'),
  journalOf: db.prepare<[string], JournalRow>(
    `SELECT j.id, ${JOURNAL_COLUMNS.map((c) => `j.${c}`).join(', ')}, b.raw_body
     FROM journal AS j LEFT JOIN journal_body AS b ON b.journal_id = j.id WHERE j.original_order_id = ? ORDER BY j.id`,
  ),
  counter: db.prepare<[], number>('SELECT last_value FROM order_number_counter WHERE id = 1').pluck(),
  bodiesOfKey: db.prepare<[string], { readonly journal_id: number; readonly raw_body: string }>(
    'SELECT b.journal_id, b.raw_body FROM journal AS j JOIN journal_body AS b ON b.journal_id = j.id WHERE j.original_order_id = ? ORDER BY j.id',
  ),
  rewriteBody: db.prepare<[string, number]>('UPDATE journal_body SET raw_body = ? WHERE journal_id = ?'),
  pendingOfKey: db.prepare<[string], { readonly id: number; readonly raw_body: string }>(
    'SELECT id, raw_body FROM pending_updates WHERE original_order_id = ? ORDER BY id',
  ),
  rewritePending: db.prepare<[string, number]>('UPDATE pending_updates SET raw_body = ? WHERE id = ?'),
  markErased: db.prepare<[string, number]>('UPDATE orders SET personal_data_erased_at = ? WHERE id = ?'),
  closedNotErased: db
    .prepare<[string, number], string>(
      `SELECT original_order_id FROM orders WHERE personal_data_erased_at IS NULL AND status IN ('delivered', 'cancelled') AND updated_at < ?
       ORDER BY updated_at LIMIT ?`,
    )
    .pluck(),
  // Oldest first, by `journal_body_by_received`: the rows deleted together sit on the same pages, which empty
  // out whole and go to the freelist for new rows (why bodies have their own table: migration 3).
  clearBodies: db.prepare<[string, number]>(
    'DELETE FROM journal_body WHERE journal_id IN (SELECT journal_id FROM journal_body WHERE received_at < ? ORDER BY received_at LIMIT ?)',
  ),
  expirePending: db.prepare<[string, number], ExpiredPendingRow & { readonly id: number }>(
    `DELETE FROM pending_updates WHERE id IN (SELECT id FROM pending_updates WHERE received_at < ? ORDER BY id LIMIT ?)
     RETURNING id, original_order_id, received_at`,
  ),
  stats: {
    orders: db.prepare<[], TableStatsRow>('SELECT count(*) AS rows, min(created_at) AS oldest FROM orders'),
    order_lines: db.prepare<[], TableStatsRow>('SELECT count(*) AS rows, NULL AS oldest FROM order_lines'),
    pending_updates: db.prepare<[], TableStatsRow>(
      'SELECT count(*) AS rows, min(received_at) AS oldest FROM pending_updates',
    ),
    journal: db.prepare<[], TableStatsRow>('SELECT count(*) AS rows, min(received_at) AS oldest FROM journal'),
    journalBodies: db.prepare<[], TableStatsRow>(
      'SELECT count(*) AS rows, min(received_at) AS oldest FROM journal_body',
    ),
    // Served by the partial index orders_for_review (migration 4): it holds only marked orders.
    reviewMarks: db.prepare<[], TableStatsRow>(
      'SELECT count(*) AS rows, min(review_marked_at) AS oldest FROM orders WHERE review_marked_at IS NOT NULL',
    ),
  },
})
