import mssql from 'mssql'
import { MAX_ORDER_ID_LENGTH, type Order, type OrderLine } from '@domino-sm/core'
import { HEADER_CREATE_COLUMNS, HEADER_UPDATE_COLUMNS, LINE_COLUMNS, type ColumnSpec } from '../rows/order-columns.js'
import { HEADER_SELECT_COLUMNS, LINE_SELECT_COLUMNS } from '../rows/order-row-mapping.js'
import { qualified, type SchemaName } from '../schema-name.js'
import type { SqlParam, SqlStatement } from './sql-statement.js'

/**
 * Lines per INSERT statement. Each line takes LINE_COLUMNS.length (10) parameters, so a statement with the header
 * (31) and 150 lines stays near 1530 parameters, under SQL Server's 2100 per request and the 1000 rows a VALUES list
 * may hold. Longer orders get further INSERTs in the same transaction.
 */
export const LINES_PER_STATEMENT = 150

const keyParam = (originalOrderId: string): SqlParam => ({ name: 'original_order_id', type: mssql.NVarChar(MAX_ORDER_ID_LENGTH), value: originalOrderId })
const orderIdParam = (orderId: number): SqlParam => ({ name: 'order_id', type: mssql.BigInt(), value: orderId })

const params = <S>(prefix: string, specs: readonly ColumnSpec<S>[], source: S): SqlParam[] =>
  specs.map((spec, i) => ({ name: `${prefix}${i}`, type: spec.type, value: spec.value(source) }))

/** The SQL of one chunk of lines for `@order_id`, numbered from `firstLineNo`, with their parameters. */
const lineValues = (lines: readonly OrderLine[], firstLineNo: number): { readonly text: string; readonly params: SqlParam[] } => {
  const rows: string[] = []
  const all: SqlParam[] = []
  lines.forEach((line, i) => {
    const lineParams = params(`l${i}_`, LINE_COLUMNS, line)
    all.push(...lineParams)
    rows.push(`(@order_id, ${firstLineNo + i}, ${lineParams.map((p) => `@${p.name}`).join(', ')})`)
  })
  return { text: rows.join(',\n  '), params: all }
}

/** Splits lines into the chunks of `LINES_PER_STATEMENT`, each with its first line number (1-based). */
export const lineChunks = (lines: readonly OrderLine[]): readonly { readonly firstLineNo: number; readonly lines: readonly OrderLine[] }[] => {
  const chunks: { firstLineNo: number; lines: readonly OrderLine[] }[] = []
  for (let start = 0; start < lines.length; start += LINES_PER_STATEMENT) {
    chunks.push({ firstLineNo: start + 1, lines: lines.slice(start, start + LINES_PER_STATEMENT) })
  }
  return chunks
}

/** The T-SQL of the order tables of one schema. */
export const orderStatements = (schema: SchemaName) => {
  const header = qualified(schema, 'order_header')
  const line = qualified(schema, 'order_line')
  const pending = qualified(schema, 'pending_update')
  const headerColumns = HEADER_SELECT_COLUMNS.map((c) => `h.${c}`).join(', ')
  const lineColumns = LINE_SELECT_COLUMNS.map((c) => `l.${c}`).join(', ')
  const lineInsertColumns = ['order_id', 'line_no', ...LINE_COLUMNS.map((c) => c.column)].join(', ')
  const linesOfKey = `SELECT ${lineColumns} FROM ${line} AS l INNER JOIN ${header} AS h ON h.id = l.order_id
WHERE h.original_order_id = @original_order_id ORDER BY l.line_no;`

  return {
    /**
     * Reads the order of a key and takes an update lock on it until the transaction ends. HOLDLOCK (serializable for
     * this table reference only) also locks the key's range in the unique index when there is no row yet, so that
     * concurrent creators and pending-writers of one key queue here, one at a time. These are locking reads even
     * when the database has READ_COMMITTED_SNAPSHOT ON: a statement with UPDLOCK/HOLDLOCK reads the latest committed
     * row, not a version from the version store, so nothing decided under this lock rests on stale data. The lines
     * (and pending updates) read after it cannot change meanwhile: every writer of them takes this lock first.
     */
    lockOrder: (originalOrderId: string, withPending: boolean): SqlStatement => ({
      text: `SELECT ${headerColumns} FROM ${header} AS h WITH (UPDLOCK, HOLDLOCK) WHERE h.original_order_id = @original_order_id;
${linesOfKey}
${withPending ? `SELECT p.id, p.raw_body, p.received_at FROM ${pending} AS p WHERE p.original_order_id = @original_order_id ORDER BY p.id;` : ''}`,
      params: [keyParam(originalOrderId)],
    }),

    /**
     * Reads an order without changing it. REPEATABLEREAD holds the shared lock on the header row until the lines are
     * read too, so that a concurrent `order.changed` cannot show a header of one version with lines of another.
     */
    readOrder: (originalOrderId: string): SqlStatement => ({
      text: `SELECT ${headerColumns} FROM ${header} AS h WITH (REPEATABLEREAD) WHERE h.original_order_id = @original_order_id;
${linesOfKey}`,
      params: [keyParam(originalOrderId)],
    }),

    /** The next Domino number. A value taken by a transaction that rolls back is not reused: numbers may have gaps. */
    nextNumber: (): SqlStatement => ({
      text: `SELECT NEXT VALUE FOR ${qualified(schema, 'domino_number_seq')} AS next_number;`,
      params: [],
    }),

    /**
     * Inserts the header and the first chunk of lines, and drops the consumed pending updates of the key. OUTPUT ...
     * INTO a table variable (not a bare OUTPUT) keeps the insert valid if a DBA adds a trigger to order_header.
     */
    insertOrder: (order: Order, firstLines: readonly OrderLine[]): SqlStatement => {
      const columns = [...HEADER_CREATE_COLUMNS, ...HEADER_UPDATE_COLUMNS]
      const headerParams = params('h', columns, order)
      const lines = lineValues(firstLines, 1)
      return {
        text: `DECLARE @inserted TABLE (id BIGINT NOT NULL);
INSERT INTO ${header} (${columns.map((c) => c.column).join(', ')})
OUTPUT INSERTED.id INTO @inserted (id)
VALUES (${headerParams.map((p) => `@${p.name}`).join(', ')});
DECLARE @order_id BIGINT = (SELECT id FROM @inserted);
INSERT INTO ${line} (${lineInsertColumns}) VALUES
  ${lines.text};
DELETE FROM ${pending} WHERE original_order_id = @original_order_id;
SELECT @order_id AS id;`,
        params: [keyParam(order.originalOrderId), ...headerParams, ...lines.params],
      }
    },

    /** Inserts a further chunk of lines of order `orderId`. */
    insertLines: (orderId: number, chunk: readonly OrderLine[], firstLineNo: number): SqlStatement => {
      const lines = lineValues(chunk, firstLineNo)
      return { text: `INSERT INTO ${line} (${lineInsertColumns}) VALUES\n  ${lines.text};`, params: [orderIdParam(orderId), ...lines.params] }
    },

    /**
     * Rewrites the header of order `orderId` from `order`; with `firstLines`, also replaces its lines (the rest of
     * them follow with `insertLines`). The number, the key and created_at never change.
     */
    updateOrder: (orderId: number, order: Order, firstLines?: readonly OrderLine[]): SqlStatement => {
      const headerParams = params('h', HEADER_UPDATE_COLUMNS, order)
      const set = HEADER_UPDATE_COLUMNS.map((c, i) => `${c.column} = @h${i}`).join(', ')
      const lines = firstLines === undefined ? undefined : lineValues(firstLines, 1)
      return {
        text: `UPDATE ${header} SET ${set} WHERE id = @order_id;${
          lines === undefined ? '' : `\nDELETE FROM ${line} WHERE order_id = @order_id;\nINSERT INTO ${line} (${lineInsertColumns}) VALUES\n  ${lines.text};`
        }`,
        params: [orderIdParam(orderId), ...headerParams, ...(lines?.params ?? [])],
      }
    },

    /** Keeps an update for an order that does not exist yet; `id` (IDENTITY) records the order received. */
    insertPending: (originalOrderId: string, rawBody: string, receivedAt: Date, storedAt: Date): SqlStatement => ({
      text: `INSERT INTO ${pending} (original_order_id, raw_body, received_at, stored_at) VALUES (@original_order_id, @raw_body, @received_at, @stored_at);`,
      params: [
        keyParam(originalOrderId),
        { name: 'raw_body', type: mssql.NVarChar(mssql.MAX), value: rawBody },
        { name: 'received_at', type: mssql.DateTimeOffset(3), value: receivedAt },
        { name: 'stored_at', type: mssql.DateTimeOffset(3), value: storedAt },
      ],
    }),
  }
}

export type OrderStatements = ReturnType<typeof orderStatements>
