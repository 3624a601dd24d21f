import { expect } from 'chai'
import { dominoNumberFromSequence, openOrder, type Order } from '@domino-sm/core'
import {
  lineChunks,
  LINES_PER_STATEMENT,
  lookupOf,
  MAX_PARAMETERS_PER_REQUEST,
  orderStatements,
  journalStatements,
  type SqlStatement,
} from '@domino-sm/adapter-domino-db/internals'
import { parseSchemaName, type SchemaName } from '@domino-sm/adapter-domino-db'
import { aStatusReported, aStatusReportedByOrderUuid, aWirePosition, anOrderCreated } from '@domino-sm/testkit'

const schema = 'sm' as SchemaName
const statements = orderStatements(schema)
const SECRET_NAME = 'Зинаида Секретова'

const bigOrder = (lines: number): Order =>
  openOrder(
    anOrderCreated({
      originalOrderId: 'H777',
      customer: { name: SECRET_NAME, phone: '+79990001122' },
      positions: Array.from({ length: lines }, (_, i) =>
        aWirePosition({ id: `SKU-${i}`, name: `Товар ${SECRET_NAME} ${i}` }),
      ),
    }),
    dominoNumberFromSequence(5),
    new Date('2026-05-24T09:00:00.000Z'),
    [],
  ).order

/** Every @name in the text has a parameter and every parameter is used; no value is spliced into the text. */
const expectWellFormed = (statement: SqlStatement, locals: readonly string[] = []): void => {
  const used = new Set([...statement.text.matchAll(/@([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]))
  const declared = new Set([
    'lock',
    'lock_mode',
    'next_number',
    'inserted',
    'Resource',
    'LockMode',
    'LockOwner',
    'LockTimeout',
    'DbPrincipal',
    ...locals,
  ])
  const names = statement.params.map((p) => p.name)
  expect(new Set(names).size, 'parameter names are unique').to.equal(names.length)
  for (const name of names) expect(used.has(name), `@${name} is used`).to.equal(true)
  for (const name of used)
    expect(names.includes(name ?? '') || declared.has(name ?? ''), `@${name} has a value`).to.equal(true)
  expect(statement.params.length).to.be.lessThan(MAX_PARAMETERS_PER_REQUEST)
  expect(statement.text).to.not.contain(SECRET_NAME)
  expect(statement.text).to.not.contain('+7999')
  expect(statement.text).to.not.contain('{{')
}

describe('order statements', () => {
  it('locks the key with sp_getapplock (Transaction owner) before reading it, with no table hint', () => {
    const locked = statements.lockAndRead('H1', 1234, true)
    const lockAt = locked.text.indexOf(
      "sp_getapplock @Resource = @lock_resource, @LockMode = @lock_mode, @LockOwner = N'Transaction', @LockTimeout = @lock_wait_ms",
    )
    expect(locked.text).to.contain(
      "DECLARE @lock_mode NVARCHAR(32) = CASE WHEN EXISTS (SELECT 1 FROM [sm].[order_header] WHERE original_order_id = @original_order_id) THEN N'Shared' ELSE N'Exclusive' END;",
    )
    expect(lockAt).to.be.greaterThan(-1)
    expect(
      locked.text.indexOf('FROM [sm].[order_header] AS h WHERE h.original_order_id = @original_order_id'),
    ).to.be.greaterThan(lockAt)
    expect(locked.text).to.match(/IF @lock = -3\s+THROW 50004,/)
    expect(locked.text).to.match(/IF @lock < 0\s+THROW 50003,/)
    expect(locked.text).to.contain("@DbPrincipal = N'sm_hook'")
    expect(locked.text).to.not.match(/UPDLOCK|HOLDLOCK|REPEATABLEREAD|SERIALIZABLE/)
    expect(locked.text).to.contain('[sm].[pending_update]')
    expect(locked.text).to.contain('SELECT @next_number = NEXT VALUE FOR [sm].[domino_number_seq]')
    expect(locked.params.find((p) => p.name === 'lock_wait_ms')?.value).to.equal(1234)
    expect(locked.params.find((p) => p.name === 'lock_resource')?.value).to.equal('domino-sm:order:sm:H1')
    const update = statements.lockAndRead('H1', 10, false)
    expect(update.text).to.contain("@LockMode = N'Exclusive'")
    expect(update.text).to.not.contain('pending_update')
    expect(update.text).to.not.contain('NEXT VALUE FOR')
    expectWellFormed(locked)
  })

  it("reaches, for an event keyed by orderUUID alone, the earliest order with that order_uuid, under that order's key lock too", () => {
    const uuid = 'metro-cc:5f0e3c1e-7a4b-4c1d-9e2f-3a4b5c6d7e8f'
    const locals = ['target_key', 'by_uuid', 'target_resource', 'target_lock']
    for (const [forCreate, mode] of [
      [false, 'Exclusive'],
      [true, 'Shared'],
    ] as const) {
      const read = statements.lockAndRead(uuid, 10, forCreate, { byOrderUuid: true })
      const ownLock = read.text.indexOf('@Resource = @lock_resource')
      const lookup = read.text.indexOf('WHERE order_uuid = @original_order_id ORDER BY id')
      const targetLock = read.text.indexOf(`@Resource = @target_resource, @LockMode = N'${mode}'`)
      expect(ownLock).to.be.greaterThan(-1)
      expect(lookup, 'looked up after its own key is locked').to.be.greaterThan(ownLock)
      expect(targetLock, 'the order found is locked before it is read').to.be.greaterThan(lookup)
      expect(read.text.indexOf('WHERE h.original_order_id = @target_key')).to.be.greaterThan(targetLock)
      expect(read.text).to.contain("DECLARE @target_resource NVARCHAR(255) = N'domino-sm:order:sm:' + @target_key;")
      expect(read.text).to.match(/IF @target_lock = -3\s+THROW 50004,/)
      expect(read.text).to.not.contain(uuid)
      expectWellFormed(read, locals)
    }
    expect(statements.lockAndRead(uuid, 10, true, { byOrderUuid: true }).text).to.contain(
      'IF NOT EXISTS (SELECT 1 FROM [sm].[order_header] WHERE original_order_id = @target_key)',
    )
  })

  it('takes, for a create with an orderUUID beside its key, the pending updates of both under both locks, and deletes both', () => {
    const uuid = 'lenta:5f0e3c1e-7a4b-4c1d-9e2f-3a4b5c6d7e8f'
    const read = statements.lockAndRead('H1', 10, true, { pendingOrderUuid: uuid })
    const uuidLock = read.text.indexOf("@Resource = @uuid_lock_resource, @LockMode = N'Exclusive'")
    expect(uuidLock).to.be.greaterThan(read.text.indexOf('@Resource = @lock_resource'))
    expect(
      read.text.indexOf('WHERE p.original_order_id IN (@original_order_id, @pending_uuid) ORDER BY p.id'),
    ).to.be.greaterThan(uuidLock)
    expect(read.params.find((p) => p.name === 'uuid_lock_resource')?.value).to.equal(`domino-sm:order:sm:${uuid}`)
    expect(read.params.find((p) => p.name === 'pending_uuid')?.value).to.equal(uuid)
    expect(read.text).to.not.contain(uuid)
    expectWellFormed(read, ['uuid_lock'])
    const created = statements.createOrder(bigOrder(1), { text: 'SELECT 1 AS trailing_marker;', params: [] }, uuid)
    expect(created.first.text).to.contain(
      'DELETE FROM [sm].[pending_update] WHERE original_order_id IN (@original_order_id, @pending_uuid);',
    )
    expectWellFormed(created.first, ['order_id'])
  })

  it("reaches, for an event with an orderUUID beside its key, the order of that orderUUID: its lock after the own key's, before the look-up", () => {
    const uuid = 'auchan:5f0e3c1e-7a4b-4c1d-9e2f-3a4b5c6d7e8f'
    const locals = ['target_key', 'by_uuid', 'target_resource', 'target_lock', 'uuid_lock']
    for (const [forCreate, mode] of [
      [false, 'Exclusive'],
      [true, 'Shared'],
    ] as const) {
      const read = statements.lockAndRead('H1', 10, forCreate, {
        orderUuidBeside: uuid,
        ...(forCreate ? { pendingOrderUuid: uuid } : {}),
      })
      const ownLock = read.text.indexOf('@Resource = @lock_resource')
      const uuidLock = read.text.indexOf("@Resource = @uuid_lock_resource, @LockMode = N'Exclusive'")
      const byOrderUuid = read.text.indexOf('WHERE order_uuid = @pending_uuid ORDER BY id')
      const byKey = read.text.indexOf('WHERE original_order_id = @pending_uuid;')
      const targetLock = read.text.indexOf(`@Resource = @target_resource, @LockMode = N'${mode}'`)
      expect(ownLock).to.be.greaterThan(-1)
      expect(
        uuidLock,
        "the orderUUID's lock after its own key's, as a create with both keys takes them",
      ).to.be.greaterThan(ownLock)
      expect(byOrderUuid, 'looked up under both locks').to.be.greaterThan(uuidLock)
      expect(byKey, 'the order keyed by the orderUUID comes before one that has it as order_uuid').to.be.greaterThan(
        byOrderUuid,
      )
      expect(targetLock, 'the order found is locked before it is read').to.be.greaterThan(byKey)
      expect(read.text.indexOf('WHERE h.original_order_id = @target_key')).to.be.greaterThan(targetLock)
      expect(read.text.split('@uuid_lock_resource').length - 1, 'the orderUUID is locked once').to.equal(1)
      expect(read.params.find((p) => p.name === 'uuid_lock_resource')?.value).to.equal(`domino-sm:order:sm:${uuid}`)
      expect(read.params.find((p) => p.name === 'pending_uuid')?.value).to.equal(uuid)
      expect(read.text).to.not.contain(uuid)
      expectWellFormed(read, locals)
    }
    const created = statements.lockAndRead('H1', 10, true, { orderUuidBeside: uuid, pendingOrderUuid: uuid }).text
    expect(created).to.contain('WHERE p.original_order_id IN (@original_order_id, @pending_uuid) ORDER BY p.id')
    expect(created).to.contain(
      'IF NOT EXISTS (SELECT 1 FROM [sm].[order_header] WHERE original_order_id = @target_key)',
    )
  })

  it('looks up by orderUUID as core says (lookupOf): its key alone, beside another key, or not at all', () => {
    const uuid = 'auchan:5f0e3c1e-7a4b-4c1d-9e2f-3a4b5c6d7e8f'
    expect(lookupOf(aStatusReportedByOrderUuid('order.paid', uuid).update)).to.deep.equal({ byOrderUuid: true })
    expect(lookupOf(aStatusReportedByOrderUuid('order.paid', uuid, { originalOrderId: 'H1' }).update)).to.deep.equal({
      orderUuidBeside: uuid,
    })
    expect(lookupOf(aStatusReported('order.paid', 'H1').update)).to.deep.equal({})
  })

  it('reads an order under the key lock in shared mode', () => {
    const read = statements.readOrder('H1', 100)
    expect(read.text).to.contain("@LockMode = N'Shared'")
    expect(read.text).to.not.match(/UPDLOCK|HOLDLOCK|REPEATABLEREAD/)
    expectWellFormed(read)
  })

  it('inserts the header, keeps its id in a local @order_id, inserts its lines, drops the pending updates of the key, and ends with the trailing statement', () => {
    const order = bigOrder(3)
    const trailing: SqlStatement = { text: 'SELECT 1 AS trailing_marker;', params: [] }
    const created = statements.createOrder(order, trailing)
    expect(created.rest(42)).to.deep.equal([])
    const first = created.first
    expect(first.text).to.contain('DECLARE @order_id BIGINT;')
    expect(first.text).to.contain('SET @order_id = CAST(SCOPE_IDENTITY() AS BIGINT);')
    expect(first.params.map((p) => p.name)).to.not.include('order_id')
    expect(first.text).to.contain('DELETE FROM [sm].[pending_update] WHERE original_order_id = @original_order_id;')
    expect(first.text).to.match(/\(@order_id, 1, @l0_0,/)
    expect(first.text).to.match(/\(@order_id, 3, @l2_0,/)
    expect(first.text.trimEnd().endsWith('SELECT 1 AS trailing_marker;')).to.equal(true)
    expect(first.text).to.not.match(/\bMERGE\b/i)
    expectWellFormed(first, ['order_id'])
  })

  it('splits a 1000-line order into requests that stay under 2100 parameters, numbering lines 1..1000, the trailing statement last', () => {
    const order = bigOrder(1000)
    const chunks = lineChunks(order.content.positions)
    expect(chunks.map((c) => c.firstLineNo)).to.deep.equal(
      Array.from({ length: Math.ceil(1000 / LINES_PER_STATEMENT) }, (_, i) => 1 + i * LINES_PER_STATEMENT),
    )
    expect(chunks.reduce((n, c) => n + c.lines.length, 0)).to.equal(1000)
    const trailing: SqlStatement = { text: 'SELECT 1 AS trailing_marker;', params: [] }
    const created = statements.createOrder(order, trailing)
    const rest = created.rest(42)
    expect(rest.length).to.be.greaterThan(0)
    expect(created.first.text).to.not.contain('trailing_marker')
    expectWellFormed(created.first, ['order_id'])
    for (const statement of [...rest, ...statements.updateOrder(17, order, true)]) expectWellFormed(statement)
    const lineNumbers = [created.first, ...rest].flatMap((s) =>
      [...s.text.matchAll(/\(@order_id, (\d+), /g)].map((m) => Number(m[1])),
    )
    expect(lineNumbers).to.deep.equal(Array.from({ length: 1000 }, (_, i) => i + 1))
    expect(rest[rest.length - 1]?.text.trimEnd().endsWith('SELECT 1 AS trailing_marker;')).to.equal(true)
  })

  it('rewrites the header without touching the key, the number or created_at; replaces lines only when asked', () => {
    const order = bigOrder(2)
    const statusOnly = statements.updateOrder(17, order, false)
    expect(statusOnly).to.have.length(1)
    expect(statusOnly[0]?.text).to.match(/^UPDATE \[sm\]\.\[order_header\] SET status = @h0, /)
    expect(statusOnly[0]?.text).to.not.match(/original_order_id =|domino_number =|created_at =/)
    expect(statusOnly[0]?.text).to.not.contain('order_line')
    const withLines = statements.updateOrder(17, order, true)
    expect(withLines[0]?.text).to.contain('DELETE FROM [sm].[order_line] WHERE order_id = @order_id;')
    for (const statement of [...statusOnly, ...withLines]) expectWellFormed(statement)
  })

  it('keeps pending updates and journal entries with typed parameters only; an insert selects the id of the entry', () => {
    expectWellFormed(statements.insertPending('H1', `{"name":"${SECRET_NAME}"}`, new Date(), new Date()))
    const journal = journalStatements(schema)
    const fields = {
      receivedAt: new Date(),
      eventType: 'order.paid',
      originalOrderId: 'H1',
      rawBody: SECRET_NAME,
      outcome: 'applied',
      httpStatus: 200,
      durationMs: 3,
      detail: null,
    } as const
    const requestId = '0b7e4a52-3c1d-4f7e-9a2b-5d6c7e8f9a0b'
    const entry = journal.insertEntry({ ...fields, requestId }, new Date())
    expectWellFormed(entry)
    expect(entry.text).to.contain('SELECT CAST(SCOPE_IDENTITY() AS BIGINT) AS journal_id;')
    const unless = journal.insertUnlessRequestJournaled({ ...fields, requestId }, new Date())
    expectWellFormed(unless)
    expect(unless.params.find((p) => p.name === 'request_id')?.value).to.equal(requestId)
    expectWellFormed(journal.ofRequest(requestId, true))
    expectWellFormed(journal.rewriteEntry(5, { ...fields, requestId }))
    expect(journal.listByOrder('H1').text).to.contain('ORDER BY id')
  })

  it('puts only a validated schema name into the text', () => {
    const other = parseSchemaName('sm_test_1f2e')
    if (other._tag === 'Left') throw new Error(other.left)
    expect(orderStatements(other.right).lockAndRead('H1', 1, true).text).to.contain(
      '[sm_test_1f2e].[domino_number_seq]',
    )
    for (const bad of ['sm]', 'sm;DROP', '1sm', '', 'a'.repeat(129), 'dbo', 'sys'])
      expect(parseSchemaName(bad)._tag, bad).to.equal('Left')
  })
})
