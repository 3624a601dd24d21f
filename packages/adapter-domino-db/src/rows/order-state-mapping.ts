import {
  ORDER_STATUSES,
  type DominoNumber,
  type OrderState,
  type OrderStatus,
  type OriginalOrderId,
  type ReviewMark,
} from '@domino-sm/core'
import { RowShapeError } from '../driver/sql-error.js'
import { field, nonEmpty, readDate, readOptionalText, readText, type Row } from './column-values.js'

const HEADER = 'order_header'

/**
 * The order_header columns of an order's state (core's `OrderState`: what a status event's decision, its journal
 * entry and its change row read), `id` first: what a status event keyed by its `originalOrderId` reads (migration
 * 0015, `hook_read_state_for_update`), a subset of `HEADER_SELECT_COLUMNS` (a unit test holds them to it and to the
 * procedure). Not the content's columns and not `payload_json` (the payload as sent, 1-2 KB).
 */
export const HEADER_STATE_COLUMNS = [
  'id',
  'original_order_id',
  'domino_number',
  'status',
  'cancellation_slug',
  'cancellation_description',
  'created_at',
  'updated_at',
  'review_reasons_json',
  'review_marked_at',
  'review_unapplied_change_json',
] as const

const isStatus = (value: string): value is OrderStatus => (ORDER_STATUSES as readonly string[]).includes(value)

/** A column holding a JSON array of strings (payment methods, review reasons, marking codes). */
export const stringsOf = (json: string, table: string, column: string): readonly string[] => {
  let parsed: unknown
  try {
    parsed = JSON.parse(json)
  } catch {
    throw new RowShapeError(table, column)
  }
  if (!Array.isArray(parsed) || !parsed.every((m): m is string => typeof m === 'string'))
    throw new RowShapeError(table, column)
  return parsed
}

/** The review mark of a header row: reasons and time are set together, or neither is. */
const reviewOf = (row: Row): ReviewMark | undefined => {
  const reasons = readOptionalText(row, HEADER, 'review_reasons_json')
  const markedAt =
    row['review_marked_at'] === null || row['review_marked_at'] === undefined
      ? undefined
      : readDate(row, HEADER, 'review_marked_at')
  if (reasons === undefined && markedAt === undefined) return undefined
  if (reasons === undefined || markedAt === undefined)
    throw new RowShapeError(HEADER, 'review_reasons_json / review_marked_at')
  return {
    reasons: stringsOf(reasons, HEADER, 'review_reasons_json'),
    markedAt,
    ...field('unappliedChangeJson', readOptionalText(row, HEADER, 'review_unapplied_change_json')),
  }
}

/**
 * An order's state from an order_header row that has at least `HEADER_STATE_COLUMNS` (a whole header row too:
 * `orderFromRows` builds an order's state with it, so the state of an order read whole and read alone is one mapping).
 * Absent values (NULL columns, a cancellation of NULLs) stay absent.
 */
export const stateFromRow = (row: Row): OrderState => {
  const status = readText(row, HEADER, 'status')
  if (!isStatus(status)) throw new RowShapeError(HEADER, 'status')
  const cancellation = nonEmpty({
    ...field('slug', readOptionalText(row, HEADER, 'cancellation_slug')),
    ...field('description', readOptionalText(row, HEADER, 'cancellation_description')),
  })
  return {
    originalOrderId: readText(row, HEADER, 'original_order_id') as OriginalOrderId,
    number: readText(row, HEADER, 'domino_number') as DominoNumber,
    status,
    ...field('cancellation', cancellation),
    ...field('review', reviewOf(row)),
    createdAt: readDate(row, HEADER, 'created_at'),
    updatedAt: readDate(row, HEADER, 'updated_at'),
  }
}
