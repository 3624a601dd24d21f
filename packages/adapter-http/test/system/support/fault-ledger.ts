import type mssql from 'mssql'
import { eventKindOf, ORDER_STATUSES, type OrderStatus } from '@domino-sm/core'
import { judgeTransition } from '@domino-sm/core/internals'
import type { LoadOrder, SentRequest } from './fault-load.js'

/** A journal row as the fault test reads it straight from the table (the admin login, not the hook's API). */
export interface JournalRow {
  readonly requestId: string | null
  readonly rawBody: string | null
  readonly httpStatus: number
  readonly outcome: string
  readonly detail: string | null
}

/** An order row as the fault test reads it. */
export interface OrderRow {
  readonly originalOrderId: string
  readonly number: string
  readonly status: string
}

/** Every journal row and every order row of the schema, read with the admin pool. */
export const readLedger = async (
  admin: mssql.ConnectionPool,
  schema: string,
): Promise<{ journal: JournalRow[]; orders: OrderRow[] }> => {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(schema)) throw new Error(`not a plain schema name: ${schema}`)
  const journal = await admin.request().query<{
    request_id: string | null
    raw_body: string | null
    http_status: number
    outcome: string
    detail: string | null
  }>(`SELECT request_id, raw_body, http_status, outcome, detail FROM [${schema}].[journal];`)
  const orders = await admin
    .request()
    .query<{ original_order_id: string; domino_number: string; status: string }>(
      `SELECT original_order_id, domino_number, status FROM [${schema}].[order_header];`,
    )
  return {
    journal: journal.recordset.map((r) => ({
      requestId: r.request_id,
      rawBody: r.raw_body,
      httpStatus: r.http_status,
      outcome: r.outcome,
      detail: r.detail,
    })),
    orders: orders.recordset.map((r) => ({
      originalOrderId: r.original_order_id,
      number: r.domino_number,
      status: r.status,
    })),
  }
}

/** How the journal compares with what the clients were answered. */
export interface JournalCheck {
  readonly entries: number
  /** Answered requests with exactly one entry saying the status the client got. */
  readonly matched: number
  /** Answered requests without an entry (yet: entries of 503s are written late). */
  readonly missing: readonly SentRequest[]
  /** Requests (answered or not) with more than one entry. */
  readonly duplicated: readonly { readonly request: SentRequest; readonly statuses: readonly number[] }[]
  /** Answered requests whose one entry says another status than the client got. */
  readonly wrongStatus: readonly {
    readonly request: SentRequest
    readonly journaled: number
    readonly outcome: string
  }[]
  /** Entries of the load's bodies that match no request sent (must not happen), and entries without a request id. */
  readonly strangers: number
  readonly withoutRequestId: number
}

/**
 * Matches every request to the journal by its unique body: an answered request must have exactly one entry, with
 * the status the client received; a request without an answer (timed out, cut) at most one.
 */
export const checkJournal = (requests: readonly SentRequest[], journal: readonly JournalRow[]): JournalCheck => {
  const byBody = new Map<string, JournalRow[]>()
  for (const row of journal) {
    if (row.rawBody === null) continue
    const rows = byBody.get(row.rawBody)
    if (rows === undefined) byBody.set(row.rawBody, [row])
    else rows.push(row)
  }
  const known = new Set(requests.map((r) => r.body))
  let matched = 0
  const missing: SentRequest[] = []
  const duplicated: { request: SentRequest; statuses: number[] }[] = []
  const wrongStatus: { request: SentRequest; journaled: number; outcome: string }[] = []
  for (const request of requests) {
    const rows = byBody.get(request.body) ?? []
    if (rows.length > 1) duplicated.push({ request, statuses: rows.map((r) => r.httpStatus) })
    if (request.result._tag !== 'Answered') continue
    const [row] = rows
    if (row === undefined) missing.push(request)
    else if (rows.length === 1 && row.httpStatus !== request.result.status)
      wrongStatus.push({ request, journaled: row.httpStatus, outcome: row.outcome })
    else if (rows.length === 1) matched += 1
  }
  const strangers = journal.filter(
    (row) => row.rawBody !== null && row.rawBody.includes('"attempt":"') && !known.has(row.rawBody),
  ).length
  return {
    entries: journal.length,
    matched,
    missing,
    duplicated,
    wrongStatus,
    strangers,
    withoutRequestId: journal.filter((row) => row.requestId === null).length,
  }
}

/** One line of the figures of a journal check. */
export const describeCheck = (check: JournalCheck): string =>
  `${check.entries} entries, ${check.matched} requests matched to exactly one entry with the status answered, ` +
  `${check.missing.length} answered requests without an entry, ${check.duplicated.length} requests with more than one entry, ` +
  `${check.wrongStatus.length} entries whose status is not what was answered, ${check.strangers} entries of no request sent, ` +
  `${check.withoutRequestId} without a request id`

/** Whether the journal says exactly what was answered, one entry per request. */
export const journalSettled = (check: JournalCheck): boolean =>
  check.missing.length === 0 && check.duplicated.length === 0 && check.wrongStatus.length === 0 && check.strangers === 0

/** How the stored orders compare with what the clients were answered. */
export interface OrderCheck {
  /** Orders whose `order.created` was answered 200 (with a number) at least once. */
  readonly confirmed: number
  /** Lost, duplicated or renumbered orders, and orders behind a status answered 200, one line each. */
  readonly problems: readonly string[]
  /** Orders whose `order.created` never got a 2xx, and how many of them are stored all the same. */
  readonly givenUp: number
  readonly givenUpStored: number
  readonly rows: number
  readonly distinctNumbers: number
}

const isOrderStatus = (status: string): status is OrderStatus => (ORDER_STATUSES as readonly string[]).includes(status)

/**
 * Every order whose `order.created` was answered 200 is stored exactly once, with the number every such answer
 * gave; and its status is not behind any status event answered 200 (core's `judgeTransition` would not advance it).
 */
export const checkOrders = (orders: readonly LoadOrder[], rows: readonly OrderRow[]): OrderCheck => {
  const rowsByKey = new Map<string, OrderRow[]>()
  for (const row of rows) rowsByKey.set(row.originalOrderId, [...(rowsByKey.get(row.originalOrderId) ?? []), row])
  const problems: string[] = []
  const confirmed = orders.filter((o) => o.answeredNumbers.length > 0)
  for (const order of confirmed) {
    const stored = rowsByKey.get(order.key) ?? []
    const row = stored[0]
    if (stored.length !== 1 || row === undefined) {
      problems.push(`${order.key}: ${stored.length} rows`)
      continue
    }
    if (order.answeredNumbers.some((n) => n !== row.number))
      problems.push(`${order.key}: answered ${order.answeredNumbers.join(', ')}, stored ${row.number}`)
    const status = row.status
    if (!isOrderStatus(status)) {
      problems.push(`${order.key}: stored status ${status} is none of the order statuses`)
      continue
    }
    for (const eventType of order.statusesAnswered) {
      const kind = eventKindOf(eventType)
      if (typeof kind === 'object' && judgeTransition(status, kind.status) === 'advance')
        problems.push(`${order.key}: ${eventType} answered 200, stored status ${status}`)
    }
  }
  const givenUp = orders.filter((o) => o.createGivenUp)
  return {
    confirmed: confirmed.length,
    problems,
    givenUp: givenUp.length,
    givenUpStored: givenUp.filter((o) => rowsByKey.has(o.key)).length,
    rows: rows.length,
    distinctNumbers: new Set(rows.map((r) => r.number)).size,
  }
}

/**
 * Requests answered 503 whose order operation committed all the same (the commit landed after the hook gave up on
 * it, or its reply was lost): their one entry carries the operation's outcome, not `failed`, with the 503.
 */
export const committedAfter503 = (requests: readonly SentRequest[], journal: readonly JournalRow[]): number => {
  const bodies = new Set(
    requests.filter((r) => r.result._tag === 'Answered' && r.result.status === 503).map((r) => r.body),
  )
  return journal.filter((row) => row.rawBody !== null && bodies.has(row.rawBody) && row.outcome !== 'failed').length
}

/**
 * What the journal says of the 503s of `requests`, by kind: the detail with order keys, numbers and ids blanked,
 * e.g. { "failed: journal write failed: StoreUnavailable; answered 503 (...)": 40 }.
 */
export const reasonsOf503 = (
  requests: readonly SentRequest[],
  journal: readonly JournalRow[],
): Record<string, number> => {
  const bodies = new Set(
    requests.filter((r) => r.result._tag === 'Answered' && r.result.status === 503).map((r) => r.body),
  )
  const counts: Record<string, number> = {}
  for (const row of journal) {
    if (row.rawBody === null || !bodies.has(row.rawBody)) continue
    const kind = `${row.outcome}: ${(row.detail ?? '')
      .replace(/FLT[-\w]*/g, '<key>')
      .replace(/\d+/g, 'N')
      .slice(0, 160)}`
    counts[kind] = (counts[kind] ?? 0) + 1
  }
  return counts
}
