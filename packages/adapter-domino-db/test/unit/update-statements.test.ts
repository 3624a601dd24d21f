import { expect } from 'chai'
import { applyUpdate, dominoNumberFromSequence, openOrder, type Order } from '@domino-sm/core'
import {
  HEADER_UPDATE_COLUMNS,
  journalStatements,
  lookupOf,
  STATUS_COLUMNS,
  updateStatements,
  VERSION_CONFLICT_COLUMN,
  type SqlStatement,
} from '@domino-sm/adapter-domino-db/internals'
import type { SchemaName } from '@domino-sm/adapter-domino-db'
import { aStatusReported, aStatusReportedByOrderUuid, aWirePosition, anOrderCreated } from '@domino-sm/testkit'

const schema = 'sm' as SchemaName
const statements = updateStatements(schema)
const SECRET_NAME = 'Зинаида Секретова'
const at = new Date('2026-05-24T09:00:00.000Z')

const order = (): Order =>
  openOrder(
    anOrderCreated({
      originalOrderId: 'H777',
      customer: { name: SECRET_NAME, phone: '+79990001122' },
      positions: [aWirePosition({ id: 'SKU-1', name: `Товар ${SECRET_NAME}` })],
    }),
    dominoNumberFromSequence(5),
    at,
    [],
  ).order

/** The columns of the header whose value differs between two orders (as the store writes them). */
const changedColumns = (before: Order, after: Order): string[] =>
  HEADER_UPDATE_COLUMNS.filter((spec) => JSON.stringify(spec.value(before)) !== JSON.stringify(spec.value(after))).map(
    (spec) => spec.column,
  )

/** Every @name of the text is a parameter or a local variable the text declares; no value in the text. */
const expectParameterised = (statement: SqlStatement): void => {
  const declared = new Set([...statement.text.matchAll(/DECLARE @([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]))
  // sp_getapplock's arguments, and @key: the parameter of the nested sp_executesql of a conflict's reads.
  const procedureArguments = new Set(['Resource', 'LockMode', 'LockOwner', 'LockTimeout', 'DbPrincipal', 'key'])
  const names = statement.params.map((p) => p.name)
  expect(new Set(names).size, 'parameter names are unique').to.equal(names.length)
  for (const [, name] of statement.text.matchAll(/@([A-Za-z_][A-Za-z0-9_]*)/g))
    expect(
      names.includes(name ?? '') || declared.has(name) || procedureArguments.has(name ?? ''),
      `@${name} has a value`,
    ).to.equal(true)
  for (const name of names) expect(statement.text, `@${name} is used`).to.contain(`@${name}`)
  expect(statement.text).to.not.contain(SECRET_NAME)
  expect(statement.text).to.not.contain('+7999')
}

describe('update statements (applyUpdate in two round trips)', () => {
  it('a status write changes exactly the columns core changes for a status, cancellation included', () => {
    const before = order()
    const events = [
      aStatusReported('order.paid', 'H777'),
      aStatusReported('order.received', 'H777'),
      aStatusReported('order.delivered', 'H777'),
      aStatusReported('order.cancelled', 'H777', {
        cancellation: { slug: 'client_refused', description: 'Клиент отказался' },
      }),
    ]
    const written = new Set<string>()
    for (const event of events) {
      const decision = applyUpdate(before, event.update, new Date('2026-05-24T10:00:00.000Z'))
      expect(decision.outcome).to.equal('applied')
      expect(decision.order.content).to.deep.equal(before.content)
      for (const column of changedColumns(before, decision.order)) written.add(column)
    }
    expect([...written].sort()).to.deep.equal(STATUS_COLUMNS.map((spec) => spec.column).sort())
    const statement = statements.updateStatus(42, applyUpdate(before, events[3]!.update, at).order)
    expectParameterised(statement)
    expect(statement.text).to.equal(
      'UPDATE [sm].[order_header] SET status = @s0, cancellation_slug = @s1, cancellation_description = @s2, updated_at = @s3 WHERE id = @order_id;',
    )
    expect(statement.params.map((p) => p.value)).to.deep.equal([
      42,
      'cancelled',
      'client_refused',
      'Клиент отказался',
      at,
    ])
  })

  it('reads without a lock, and the write begins, locks, checks the version and ends its own transaction in one request', () => {
    const ofRequest = journalStatements(schema).ofRequest('5d0c1b4e-8f53-4a8b-9a43-0c6a2e3e2f10', false)
    const read = statements.readForUpdate('H777', {}, ofRequest)
    expect(read.text).to.not.contain('sp_getapplock')
    expect(read.text).to.not.match(/BEGIN TRAN|COMMIT|ROLLBACK/)
    // By key alone: the procedure of migration 0011 (its reads: test/unit/migrations.test.ts), its call alone: the
    // procedure opens with the connection guard (migration 0014), so the request carries no text guard.
    expect(read.text).to.equal(
      'EXEC [sm].[hook_read_for_update] @original_order_id = @original_order_id, @request_id = @request_id;',
    )
    expect(read.guardsItself).to.equal(true)
    // Keyed by orderUUID: a text, which the text guard opens.
    expect(statements.readForUpdate('H777', { byOrderUuid: true }, ofRequest).guardsItself).to.equal(undefined)
    expectParameterised(read)
    const writes: SqlStatement = { text: 'SELECT 1 AS journal_id;', params: [] }
    const version = Buffer.from([0, 0, 0, 0, 0, 0, 7, 209])
    const write = statements.checkedWrite(
      'H777',
      1234,
      {},
      { order: { id: 42, version }, requestIdAbsent: true },
      ofRequest,
      writes,
    )
    expectParameterised(write)
    const text = write.text
    const order = [
      'BEGIN TRANSACTION;',
      "sp_getapplock @Resource = @lock_resource, @LockMode = N'Exclusive'",
      'AND id = @seen_order_id AND row_version = @seen_version)',
      'WHERE request_id = @request_id)\n  SET @conflict = 1;',
      'IF @conflict = 1\nBEGIN',
      "EXEC sp_executesql N'SELECT h.id,",
      'WHERE h.original_order_id = @key;',
      "N'@key NVARCHAR(64), @request_id UNIQUEIDENTIFIER', @key = @original_order_id, @request_id = @request_id;",
      'ROLLBACK TRANSACTION;',
      `SELECT CAST(1 AS BIT) AS ${VERSION_CONFLICT_COLUMN};\nRETURN;\nEND;`,
      'SELECT 1 AS journal_id;',
      'COMMIT TRANSACTION;',
    ].map((piece) => text.indexOf(piece))
    expect(
      order.every((index) => index >= 0),
      `every piece in ${text}`,
    ).to.equal(true)
    expect([...order].sort((a, b) => a - b)).to.deep.equal(order)
    expect(text.startsWith('BEGIN TRANSACTION;'), 'XACT_ABORT is the guard of every request: no SET of it').to.equal(
      true,
    )
    expect(text.match(/BEGIN TRANSACTION/g)).to.have.length(1)
    expect(text.match(/COMMIT TRANSACTION/g)).to.have.length(1)
    expect(text.match(/ROLLBACK TRANSACTION/g)).to.have.length(1)
    expect(write.params.find((p) => p.name === 'seen_version')?.value).to.equal(version)
    expect(write.params.find((p) => p.name === 'lock_wait_ms')?.value).to.equal(1234)
  })

  it('checks that a pending write still finds no order, and resolves an orderUUID under the same locks as lockAndRead', () => {
    const ofRequest = journalStatements(schema).ofRequest('5d0c1b4e-8f53-4a8b-9a43-0c6a2e3e2f10', false)
    const writes: SqlStatement = { text: 'SELECT 1 AS journal_id;', params: [] }
    const pending = statements.checkedWrite('H1', 100, {}, { requestIdAbsent: false }, ofRequest, writes)
    expectParameterised(pending)
    expect(pending.text).to.contain(
      'IF EXISTS (SELECT 1 FROM [sm].[order_header] WHERE original_order_id = @original_order_id)\n  SET @conflict = 1;',
    )
    expect(pending.text).to.not.contain('seen_version')
    expect(pending.text).to.not.contain('FROM [sm].[journal] WHERE request_id = @request_id)\n  SET @conflict')
    const byUuid = aStatusReportedByOrderUuid('order.paid', 'shop:6f1c2a70-51f4-4ad6-9c55-bb1e9f2a0d11')
    const reached = statements.checkedWrite(
      byUuid.update.originalOrderId,
      100,
      lookupOf(byUuid.update),
      { order: { id: 1, version: Buffer.alloc(8) }, requestIdAbsent: true },
      ofRequest,
      writes,
    )
    expectParameterised(reached)
    const ownLock = reached.text.indexOf('@Resource = @lock_resource')
    const targetLock = reached.text.indexOf('@Resource = @target_resource')
    expect(ownLock).to.be.greaterThan(-1)
    expect(targetLock).to.be.greaterThan(ownLock)
    expect(reached.text.indexOf('original_order_id = @target_key AND id = @seen_order_id')).to.be.greaterThan(
      targetLock,
    )
    const read = statements.readForUpdate(byUuid.update.originalOrderId, lookupOf(byUuid.update), ofRequest)
    expect(read.text).to.not.contain('sp_getapplock')
    expect(read.text).to.contain('WHERE h.original_order_id = @target_key')
  })
  it("sends a status event's checked write by key as the call of its procedure: every value a typed parameter, the status columns NULL when the order does not change", () => {
    const before = order()
    const paid = aStatusReported('order.paid', 'H777')
    const after = applyUpdate(before, paid.update, at).order
    const requestId = '5d0c1b4e-8f53-4a8b-9a43-0c6a2e3e2f10'
    const entry = {
      requestId,
      receivedAt: at,
      eventType: 'order.paid',
      originalOrderId: 'H777',
      rawBody: paid.rawBody,
      outcome: 'applied' as const,
      httpStatus: 200,
      durationMs: 3,
      detail: null,
    }
    const version = Buffer.from([0, 0, 0, 0, 0, 0, 7, 209])
    const write = {
      originalOrderId: 'H777',
      requestId,
      lockWaitMs: 1234,
      seen: { id: 42, version },
      changed: { order: after, at },
      entry,
      storedAt: at,
      rewrites: undefined,
    }
    const applied = statements.statusWrite(write)
    expectParameterised(applied)
    expect(applied.text).to.match(/^EXEC \[sm\]\.\[hook_status_write\] @original_order_id = @original_order_id, /)
    expect(applied.text.match(/;/g), 'the call alone').to.have.length(1)
    expect(applied.guardsItself, 'sent without the text guard (migration 0014)').to.equal(true)
    const value = (statement: SqlStatement, name: string): unknown =>
      statement.params.find((p) => p.name === name)?.value
    expect(value(applied, 'seen_version')).to.equal(version)
    expect(value(applied, 'lock_wait_ms')).to.equal(1234)
    expect(value(applied, 'order_changes')).to.equal(true)
    expect(value(applied, 'status')).to.equal('paid')
    expect(value(applied, 'change_number')).to.equal(after.number)
    expect(value(applied, 'journal_row')).to.equal(null)
    expect(value(applied, 'entry_raw_body')).to.equal(paid.rawBody)
    const stale = statements.statusWrite({ ...write, changed: undefined, rewrites: 77 })
    expect(stale.text).to.equal(applied.text)
    expect(value(stale, 'order_changes')).to.equal(false)
    for (const name of [
      'status',
      'cancellation_slug',
      'cancellation_description',
      'updated_at',
      'change_number',
      'change_at',
    ])
      expect(value(stale, name), name).to.equal(null)
    expect(value(stale, 'journal_row')).to.equal(77)
    expect(() => statements.statusWrite({ ...write, entry: { ...entry, requestId: 'another' } })).to.throw(
      "statusWrite writes the request's own entry",
    )
  })
})
