import { expect } from 'chai'
import {
  createJournalEntry,
  dominoNumberFromSequence,
  duplicateJournalEntry,
  openOrder,
  pendingKeysOf,
} from '@domino-sm/core'
import {
  changeStatements,
  createStatements,
  journalStatements,
  lookupOf,
  orderStatements,
  ORDER_REACHED_COLUMN,
  together,
  VERSION_CONFLICT_COLUMN,
  type SqlStatement,
} from '@domino-sm/adapter-domino-db/internals'
import type { SchemaName } from '@domino-sm/adapter-domino-db'
import {
  aWirePosition,
  anOrderCreated,
  anOrderCreatedByOrderUuid,
  createdReceipt,
  fullOrderPayload,
} from '@domino-sm/testkit'
import { violationsOf } from '../integration/statement-text-check.js'

const schema = 'sm' as SchemaName
const creates = createStatements(schema)
const orders = orderStatements(schema)
const SECRET_NAME = 'Зинаида Секретова'
const at = new Date('2026-05-24T09:00:00.000Z')

const created = anOrderCreated({
  originalOrderId: 'H777',
  customer: { name: SECRET_NAME, phone: '+79990001122' },
  positions: [aWirePosition({ id: 'SKU-1', name: `Товар ${SECRET_NAME}` })],
})
const receipt = createdReceipt(created, at)
const duplicateCall = (lockWaitMs: number): SqlStatement =>
  orders.duplicateInOneRequest('H777', lockWaitMs, duplicateJournalEntry(receipt, 'H777', at), at)

/** The writes of a new order as the operation builds them: the order, its change rows, its journal entry. */
const writesOf = (pendingUuid?: string): SqlStatement => {
  const opening = openOrder(created, dominoNumberFromSequence(853), at, [])
  const result = { _tag: 'Created' as const, order: opening.order, pendingApplied: opening.pendingApplied }
  return orders.createOrder(
    opening.order,
    together([
      changeStatements(schema).recordChange(opening.order, 'created', at),
      journalStatements(schema).insertEntry(createJournalEntry(receipt, 'H777', result, at), at),
    ]),
    pendingUuid,
  ).first
}

/** No value of the statement is in its text (the integration suite's check), and every parameter is used. */
const expectParameterised = (statement: SqlStatement): void => {
  const params = Object.fromEntries(statement.params.map((p) => [p.name, p.value]))
  expect(
    violationsOf({ method: 'query', text: statement.text, params, composer: 'unit' }, [SECRET_NAME, '+7999']),
  ).to.deep.equal([])
  const names = statement.params.map((p) => p.name)
  expect(new Set(names).size, 'parameter names are unique').to.equal(names.length)
  for (const name of names) expect(statement.text, `@${name} is used`).to.contain(`@${name}`)
}

describe('create statements (a new order in two round trips)', () => {
  it("request 1 of a create keyed by its originalOrderId is the procedure of migration 0013, given the retry's call's values", () => {
    const duplicate = duplicateCall(2700)
    const probe = creates.probe(duplicate, lookupOf(created), 'entry_request_id')
    expectParameterised(probe)
    expect(probe.params.slice(0, duplicate.params.length)).to.deep.equal(duplicate.params)
    expect(probe.params.slice(duplicate.params.length).map((p) => [p.name, p.value])).to.deep.equal([
      ['pending_uuid', null],
      ['draw_number', true],
    ])
    expect(probe.text).to.equal(
      `EXEC [sm].[hook_probe_create] ${probe.params.map((p) => `@${p.name} = @${p.name}`).join(', ')};`,
    )
    // Sent alone, without the text guard: the procedure opens with it (migration 0014).
    expect(probe.guardsItself).to.equal(true)
    expect(duplicate.guardsItself, 'hook_duplicate_create has no guard of its own').to.equal(undefined)
    // Joined with anything (or alone), a call is a text again: the text guard opens it.
    expect(together([probe]).guardsItself).to.equal(undefined)
    // The warm-up's: the same call, no number drawn. A text cannot skip the number; the procedure's caller alone can.
    expect(creates.probe(duplicate, {}, 'entry_request_id', false).params.at(-1)?.value).to.equal(false)
    expect(() => creates.probe(duplicate, { byOrderUuid: true }, 'entry_request_id', false)).to.throw()
    // It calls hook_duplicate_create with the call's own values: another statement is refused.
    expect(() => creates.probe({ text: 'SELECT 1;', params: duplicate.params }, {}, 'entry_request_id')).to.throw()
    expect(() => creates.probe(duplicate, {}, 'request_id')).to.throw()
  })

  it("request 1 of a create that may reach its order by orderUUID is the retry's call, then the reads only when no order has the key, as a nested text", () => {
    const byUuid = anOrderCreatedByOrderUuid('shop:u-3', fullOrderPayload('H780'))
    const probe = creates.probe(duplicateCall(2700), lookupOf(byUuid), 'entry_request_id')
    expectParameterised(probe)
    expect(probe.text.startsWith('EXEC [sm].[hook_duplicate_create] ')).to.equal(true)
    expect(probe.guardsItself, 'a text: the text guard opens it').to.equal(undefined)
    const [, after] = probe.text.split(
      ';\nIF NOT EXISTS (SELECT 1 FROM [sm].[order_header] WHERE original_order_id = @original_order_id)\n  EXEC sp_executesql N',
    )
    expect(after, 'the reads follow the check of the key, nested').to.be.a('string')
    // Nothing of the new order is read outside the nested text: a retry compiles none of it.
    const outer = probe.text.replace(/N'(?:[^']|'')*'/g, "N'...'")
    expect(outer).to.not.contain('pending_update')
    expect(outer).to.not.contain('NEXT VALUE FOR')
    expect(probe.text).to.contain('NEXT VALUE FOR [sm].[domino_number_seq]')
  })

  it('request 1 of a create with an orderUUID beside its key reads the order it reaches and the pending rows of both keys', () => {
    const withUuid = anOrderCreated({ ...fullOrderPayload('H778'), originalOrderId: 'H778', orderUUID: 'shop:u-1' })
    const lookup = { ...lookupOf(withUuid), pendingOrderUuid: pendingKeysOf(withUuid)[1] ?? '' }
    const probe = creates.probe(duplicateCall(2700), lookup, 'entry_request_id')
    expectParameterised(probe)
    expect(probe.params.find((p) => p.name === 'pending_uuid')?.value).to.equal('shop:u-1')
    expect(probe.text).to.contain('IN (@original_order_id, @pending_uuid)')
    expect(probe.text).to.contain('@target_key')
  })

  it('request 2 begins, locks, journals a duplicate, refuses an order reached by orderUUID, checks the pending rows, then writes and commits, all in one text', () => {
    const byUuid = anOrderCreatedByOrderUuid('shop:u-2', fullOrderPayload('H779'))
    const statement = creates.checkedCreate(
      'H777',
      2500,
      lookupOf(byUuid),
      { key: { count: 2, maxId: 41 } },
      duplicateCall(2500),
      writesOf(),
    )
    expectParameterised(statement)
    const text = statement.text
    const order = [
      'BEGIN TRANSACTION;',
      "sp_getapplock @Resource = @lock_resource, @LockMode = N'Exclusive'",
      'EXEC [sm].[hook_duplicate_create]',
      'COMMIT TRANSACTION;\nRETURN;',
      ORDER_REACHED_COLUMN,
      '<> @seen_key_count',
      '<> @seen_key_max',
      VERSION_CONFLICT_COLUMN,
      'INSERT INTO [sm].[order_header]',
      'INSERT INTO [sm].[journal]',
    ].map((piece) => text.indexOf(piece))
    expect(
      order.every((position) => position >= 0),
      'every piece is there',
    ).to.equal(true)
    expect(
      [...order].sort((a, b) => a - b),
      'in this order',
    ).to.deep.equal(order)
    expect(text.trimEnd().endsWith('COMMIT TRANSACTION;')).to.equal(true)
    expect(statement.params.find((p) => p.name === 'seen_key_max')?.value).to.equal(41)
  })

  it('request 2 checks the pending rows of the orderUUID exactly when it consumes them', () => {
    const withUuid = anOrderCreated({ ...fullOrderPayload('H778'), originalOrderId: 'H778', orderUUID: 'shop:u-1' })
    const lookup = { ...lookupOf(withUuid), pendingOrderUuid: 'shop:u-1' }
    const seen = { key: { count: 0, maxId: 0 }, uuid: { count: 1, maxId: 7 } }
    const statement = creates.checkedCreate('H777', 2500, lookup, seen, duplicateCall(2500), writesOf('shop:u-1'))
    expectParameterised(statement)
    expect(statement.text).to.contain('<> @seen_uuid_max')
    expect(() =>
      creates.checkedCreate('H777', 2500, lookup, { key: seen.key }, duplicateCall(2500), writesOf('shop:u-1')),
    ).to.throw(/exactly when/)
    expect(() => creates.checkedCreate('H777', 2500, {}, seen, duplicateCall(2500), writesOf())).to.throw(
      /exactly when/,
    )
  })

  it('request 2 refuses two lock waits in one request (the call and the lock share @lock_wait_ms)', () => {
    expect(() =>
      creates.checkedCreate('H777', 2500, {}, { key: { count: 0, maxId: 0 } }, duplicateCall(2400), writesOf()),
    ).to.throw(/two values for the parameter @lock_wait_ms/)
  })
})
