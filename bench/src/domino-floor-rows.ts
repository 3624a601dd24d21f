import * as E from 'fp-ts/lib/Either.js'
import mssql from 'mssql'
import { decodeHookBody, type OrderContent } from '@domino-sm/core'
import { CREATED_TEMPLATES, KEY } from './bench-bodies.js'
import {
  headerColumns,
  journalColumns,
  lineColumns,
  STATUS_UPDATE_SETS,
  type FloorColumn,
  type FloorJournal,
} from './domino-floor-columns.js'

/** One column value of a floor row, sent as the parameter `@<prefix><column>`: `request.input(name, type, value)`. */
export interface FloorParam {
  readonly name: string
  readonly type: mssql.ISqlType
  readonly value: unknown
}

/** One request of the floor: its T-SQL text (fixed per shape: no value in it) and its parameters. */
export interface FloorRequest {
  readonly text: string
  readonly params: readonly FloorParam[]
}

/** The columns each table has that a writer supplies (not the identity, computed or row-version ones). */
export type WritableColumns = Readonly<Record<'order_header' | 'order_line' | 'journal', ReadonlySet<string>>>

/** One decoded template: its content and payload with `KEY` where the order key goes. */
interface Template {
  readonly content: OrderContent
  readonly payloadJson: string
  readonly body: string
}

/** The 16 bench templates decoded once, before any clock starts. */
const TEMPLATES: readonly Template[] = CREATED_TEMPLATES.map((body) => {
  const decoded = decodeHookBody(body)
  if (E.isLeft(decoded) || decoded.right._tag !== 'KnownEvent' || decoded.right.event._tag !== 'OrderCreated')
    throw new Error('a bench template does not decode')
  return { content: decoded.right.event.content, payloadJson: decoded.right.event.payloadJson, body }
})

const SAMPLE = TEMPLATES[0]
const SAMPLE_LINE = SAMPLE?.content.positions[0]
if (SAMPLE === undefined || SAMPLE_LINE === undefined) throw new Error('the bench templates have no order line')

/** The names of the floor's columns of each table, to be checked against the schema's (`floorColumnGaps`). */
const FLOOR_COLUMNS = {
  order_header: new Set(['domino_number', ...headerColumns('', SAMPLE.content, '', new Date(0)).map((c) => c.column)]),
  order_line: new Set(['order_id', 'line_no', ...lineColumns(SAMPLE_LINE).map((c) => c.column)]),
  journal: new Set(
    journalColumns({ eventType: '', key: '', rawBody: '', outcome: 'created', receivedAt: new Date(0) }, '').map(
      (c) => c.column,
    ),
  ),
}

/**
 * The columns a table of the schema has that the floor does not write: a migration added one, so the floor would no
 * longer write the hook's rows. Empty when the floor covers the schema. (Columns the floor knows and the schema lacks,
 * e.g. `request_id` before migration 0006, are left out of its statements.)
 */
export const floorColumnGaps = (schema: WritableColumns): string[] =>
  (Object.keys(FLOOR_COLUMNS) as (keyof WritableColumns)[]).flatMap((table) =>
    [...schema[table]].filter((c) => !FLOOR_COLUMNS[table].has(c)).map((c) => `${table}.${c}`),
  )

/**
 * The floor's requests on `schema`: each ONE parameterised request (`sp_executesql`) that is one whole transaction,
 * so one round trip per event, the least any store can do. `BEGIN TRANSACTION` and `COMMIT` inside the one call leave
 * `@@TRANCOUNT` as they found it; XACT_ABORT rolls the whole of it back on any error.
 */
export const floorRequests = (schema: string, has: WritableColumns) => {
  const table = (name: string): string => `[${schema}].[${name}]`
  const kept = (name: keyof WritableColumns, columns: readonly FloorColumn[]): FloorColumn[] =>
    columns.filter((c) => has[name].has(c.column))
  const asParams = (prefix: string, columns: readonly FloorColumn[]): FloorParam[] =>
    columns.map((c) => ({ name: `${prefix}${c.column}`, type: c.type, value: c.value }))
  const names = (params: readonly FloorParam[]): string => params.map((p) => `@${p.name}`).join(', ')
  const begin = 'SET XACT_ABORT ON; BEGIN TRANSACTION;'
  const lineNames = kept('order_line', lineColumns(SAMPLE_LINE)).map((c) => c.column)
  const journalInsert = (
    j: FloorJournal,
    requestId: string,
  ): { readonly text: string; readonly params: FloorParam[] } => {
    const columns = kept('journal', journalColumns(j, requestId))
    const params = asParams('j_', columns)
    return {
      text: `INSERT INTO ${table('journal')} (${columns.map((c) => c.column).join(', ')}) VALUES (${names(params)});`,
      params,
    }
  }
  return {
    /** `order.created` of a new key: the number from the sequence, the header, its lines, the journal entry. */
    create: (n: number, prefix: string, requestId: string): FloorRequest => {
      const template = TEMPLATES[n % TEMPLATES.length] as Template
      const key = `${prefix}-${n}`
      const now = new Date()
      const header = kept(
        'order_header',
        headerColumns(key, template.content, template.payloadJson.replace(KEY, key), now),
      )
      const headerParams = asParams('h_', header)
      const lines = template.content.positions.map((line, i) =>
        asParams(`l${i}_`, kept('order_line', lineColumns(line))),
      )
      const journal = journalInsert(
        {
          eventType: 'order.created',
          key,
          rawBody: template.body.replace(KEY, key),
          outcome: 'created',
          receivedAt: now,
        },
        requestId,
      )
      return {
        text: `${begin}
DECLARE @number BIGINT = NEXT VALUE FOR ${table('domino_number_seq')};
DECLARE @order_id BIGINT;
INSERT INTO ${table('order_header')} (domino_number, ${header.map((c) => c.column).join(', ')}) VALUES (CONVERT(NVARCHAR(32), @number), ${names(headerParams)});
SET @order_id = CAST(SCOPE_IDENTITY() AS BIGINT);
INSERT INTO ${table('order_line')} (order_id, line_no, ${lineNames.join(', ')}) VALUES ${lines.map((p, i) => `(@order_id, ${i + 1}, ${names(p)})`).join(', ')};
${journal.text}
COMMIT;
SELECT @number AS number;`,
        params: [...headerParams, ...lines.flat(), ...journal.params],
      }
    },
    /** A repeated `order.created`: the existing order's number read, and the journal entry. */
    repeat: (key: string, requestId: string): FloorRequest => {
      const template = TEMPLATES[0] as Template
      const journal = journalInsert(
        {
          eventType: 'order.created',
          key,
          rawBody: template.body.replace(KEY, key),
          outcome: 'duplicate',
          receivedAt: new Date(),
        },
        requestId,
      )
      return {
        text: `${begin}
SELECT domino_number FROM ${table('order_header')} WHERE original_order_id = @original_order_id;
${journal.text}
COMMIT;`,
        params: [{ name: 'original_order_id', type: mssql.NVarChar(64), value: key }, ...journal.params],
      }
    },
    /** A status event: the header's status and `updated_at`, and the journal entry (always applied: see the caller). */
    status: (key: string, eventType: string, status: string, rawBody: string, requestId: string): FloorRequest => {
      const now = new Date()
      const journal = journalInsert({ eventType, key, rawBody, outcome: 'applied', receivedAt: now }, requestId)
      return {
        text: `${begin}
UPDATE ${table('order_header')} SET ${STATUS_UPDATE_SETS.join(', ')} WHERE original_order_id = @original_order_id;
${journal.text}
COMMIT;`,
        params: [
          { name: 'original_order_id', type: mssql.NVarChar(64), value: key },
          { name: 'status', type: mssql.NVarChar(20), value: status },
          { name: 'updated_at', type: mssql.DateTimeOffset(3), value: now },
          ...journal.params,
        ],
      }
    },
  }
}
