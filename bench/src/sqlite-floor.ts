import { randomUUID } from 'node:crypto'
import * as E from 'fp-ts/lib/Either.js'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { decodeHookBody, dominoNumberFromSequence, type Order, type OrderCreated } from '@domino-sm/core'
import {
  ALL_MIGRATIONS,
  journalEntryToRow,
  linesToRows,
  migrate,
  openDatabase,
  orderToRow,
  resolveSqliteSettings,
} from '@domino-sm/adapter-sqlite/internals'
import { uniqueCreatedBody } from './bench-bodies.js'

/** How fast this disk and SQLite can take the rows of one `order.created`, written lean. */
export interface FloorResult {
  readonly ordersPerCommit: number
  readonly orders: number
  readonly ordersPerSecond: number
  /** Wall time per order (the loop is synchronous: the thread does nothing else). */
  readonly microsPerOrder: number
  /** Process CPU time per order; below the wall time by the fsync waits. */
  readonly cpuMicrosPerOrder: number
}

interface Rows {
  readonly order: (number: number) => Record<string, string | number | null>
  readonly lines: readonly Record<string, string | number | null>[]
  readonly journal: Record<string, string | number | null>
  /** The journal entry's body, in its own table (migration 003), as the store writes it. */
  readonly body: { readonly received_at: string; readonly raw_body: string }
}

const rowsOf = (n: number): Rows => {
  const rawBody = uniqueCreatedBody('F', n)
  const decoded = decodeHookBody(rawBody)
  if (E.isLeft(decoded) || decoded.right._tag !== 'KnownEvent') throw new Error('the floor body does not decode')
  const event = decoded.right.event as OrderCreated
  const now = new Date()
  return {
    order: (sequence) => {
      const order: Order = {
        originalOrderId: event.originalOrderId,
        number: dominoNumberFromSequence(sequence),
        status: 'new',
        content: event.content,
        payloadJson: event.payloadJson,
        createdAt: now,
        updatedAt: now,
      }
      return { ...orderToRow(order) }
    },
    lines: linesToRows(event.content.positions),
    journal: {
      ...journalEntryToRow({
        requestId: randomUUID(),
        receivedAt: now,
        eventType: 'order.created',
        originalOrderId: event.originalOrderId,
        rawBody,
        outcome: 'created',
        httpStatus: 200,
        durationMs: 1,
        detail: null,
      }),
      stored_at: now.toISOString(),
    },
    body: { received_at: now.toISOString(), raw_body: rawBody },
  }
}

const insertOf = (table: string, row: object, prefix: readonly string[] = []): string => {
  const columns = [...prefix, ...Object.keys(row)]
  return `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`
}

/**
 * The same rows the hook writes for a new order (the number counter, the order, its lines, the journal entry and
 * its body),
 * with prepared statements and nothing else, on the hook's own schema and pragmas (WAL, synchronous = FULL),
 * `ordersPerCommit` orders to a transaction. Rows are built before the clock starts.
 */
export const sqliteFloor = async (orders: number, ordersPerCommit: number): Promise<FloorResult> => {
  const dir = await mkdtemp(join(tmpdir(), 'bench-floor-'))
  const db = openDatabase(resolveSqliteSettings({ path: join(dir, 'orders.sqlite') }))
  try {
    migrate(db, ALL_MIGRATIONS, () => new Date())
    const rows = Array.from({ length: orders }, (_, n) => rowsOf(n))
    const sample = rows[0]
    if (sample === undefined) throw new Error('no orders')
    const nextNumber = db
      .prepare('UPDATE order_number_counter SET last_value = last_value + 1 WHERE id = 1 RETURNING last_value')
      .pluck()
    const insertOrder = db.prepare(insertOf('orders', sample.order(0)))
    const insertLine = db.prepare(insertOf('order_lines', sample.lines[0] ?? {}, ['order_id']))
    const insertJournal = db.prepare(insertOf('journal', sample.journal))
    const insertBody = db.prepare(insertOf('journal_body', sample.body, ['journal_id']))
    const begin = db.prepare('BEGIN IMMEDIATE')
    const commit = db.prepare('COMMIT')
    const started = performance.now()
    const cpu = process.cpuUsage()
    for (let i = 0; i < rows.length; i += ordersPerCommit) {
      begin.run()
      for (const r of rows.slice(i, i + ordersPerCommit)) {
        const orderId = insertOrder.run(r.order(nextNumber.get() as number)).lastInsertRowid
        for (const line of r.lines) insertLine.run({ order_id: orderId, ...line })
        const journalId = insertJournal.run(r.journal).lastInsertRowid
        insertBody.run({ journal_id: journalId, ...r.body })
      }
      commit.run()
    }
    const used = process.cpuUsage(cpu)
    const elapsedMs = performance.now() - started
    return {
      ordersPerCommit,
      orders,
      ordersPerSecond: (orders * 1000) / elapsedMs,
      microsPerOrder: (elapsedMs * 1000) / orders,
      cpuMicrosPerOrder: (used.user + used.system) / orders,
    }
  } finally {
    db.close()
    await rm(dir, { recursive: true, force: true })
  }
}
