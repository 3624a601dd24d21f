import { expect } from 'chai'
import * as E from 'fp-ts/lib/Either.js'
import { dominoNumberFromSequence, openOrder } from '@domino-sm/core'
import { parseSchemaName, type SchemaName } from '@domino-sm/adapter-domino-db'
import { anOrderCreated } from '@domino-sm/testkit'
import {
  changeStatements,
  checkSchemaReady,
  checksumOf,
  CONNECTION_STATE_ERROR,
  connectionGuard,
  createStatements,
  DUPLICATE_CREATE_PROCEDURE,
  HEADER_SELECT_COLUMNS,
  HEADER_STATE_COLUMNS,
  hookRole,
  JOURNAL_COLUMNS,
  JOURNAL_REWRITE_COLUMNS,
  JOURNAL_SELECT_COLUMNS,
  journalStatements,
  KEY_LOCK_DEADLOCK,
  KEY_LOCK_NOT_GRANTED,
  keyLockResource,
  LINE_SELECT_COLUMNS,
  orderReadTexts,
  orderStatements,
  PROBE_CREATE_PROCEDURE,
  READ_FOR_UPDATE_PROCEDURE,
  READ_STATE_FOR_UPDATE_PROCEDURE,
  STATUS_COLUMNS,
  STATUS_WRITE_PROCEDURE,
  fillPlaceholders,
  loadMigrations,
  orderMigrations,
  planMigrations,
  renderMigration,
  splitBatches,
  TAKE_MAX_OUT_OF_RANGE,
  TAKE_OUTSIDE_TRANSACTION,
  UNKNOWN_CONSUMER,
  type SqlStatement,
  updateStatements,
  type Migration,
} from '@domino-sm/adapter-domino-db/internals'

const file = (fileName: string, sql = `CREATE TABLE [{{schema}}].[t_${fileName.slice(0, 4)}] (id INT);`) => ({
  fileName,
  sql,
})

const ordered = (files: { fileName: string; sql: string }[]): readonly Migration[] => {
  const result = orderMigrations(files)
  if (E.isLeft(result)) throw new Error(result.left.join('; '))
  return result.right
}

const schema = (name: string): SchemaName => {
  const parsed = parseSchemaName(name)
  if (E.isLeft(parsed)) throw new Error(parsed.left)
  return parsed.right
}

/** Migration 0011 (the hook's procedures, or `version`'s) for schema sm, without comments, whitespace as single spaces. */
const procedures = async (version = 11): Promise<string> => {
  const migration = (await loadMigrations()).find((m) => m.version === version)
  if (migration === undefined) throw new Error(`no migration ${String(version)}`)
  const rendered = renderMigration(migration, schema('sm'))
  if (E.isLeft(rendered)) throw new Error(rendered.left)
  return rendered.right.replace(/--.*$/gm, '').replace(/\s+/g, ' ')
}

/** One procedure as a migration creates or alters it: its parameters and its body (comments out, single spaces). */
interface Definition {
  readonly verb: 'CREATE' | 'ALTER'
  readonly name: string
  readonly params: string
  readonly body: string
}

/** The procedures that migration `version` creates or alters, for schema sm, in order; and its other batches. */
const definitions = async (version: number): Promise<{ procedures: Definition[]; others: string[] }> => {
  const migration = (await loadMigrations()).find((m) => m.version === version)
  if (migration === undefined) throw new Error(`no migration ${String(version)}`)
  const rendered = renderMigration(migration, schema('sm'))
  if (E.isLeft(rendered)) throw new Error(rendered.left)
  const procedures: Definition[] = []
  const others: string[] = []
  for (const batch of splitBatches(rendered.right)) {
    const text = batch.replace(/--.*$/gm, '').replace(/\s+/g, ' ').trim()
    const match = /^(CREATE|ALTER) PROCEDURE \[sm\]\.\[(\w+)\] (.*?) AS BEGIN (.*) END;$/.exec(text)
    if (match === null) others.push(text)
    else
      procedures.push({
        verb: match[1] as Definition['verb'],
        name: match[2] ?? '',
        params: match[3] ?? '',
        body: match[4] ?? '',
      })
  }
  return { procedures, others }
}

/** The definition of `name` as the last migration up to `version` that creates or alters it leaves it. */
/** The last migration this build ships: the procedures' current definitions are those up to it. */
const LATEST_MIGRATION = 15

const currentDefinition = async (name: string, version: number): Promise<Definition | undefined> => {
  let found: Definition | undefined
  for (let v = 1; v <= version; v += 1) found = (await definitions(v)).procedures.find((d) => d.name === name) ?? found
  return found
}

/** A parameter's type as a procedure declares it (`NVARCHAR(64)`, `DATETIMEOFFSET(3)`, `BIGINT`). */
const declaration = (type: { type: { declaration: string }; length?: number; scale?: number }): string => {
  const name = type.type.declaration.toUpperCase()
  if (type.length !== undefined) return `${name}(${type.length >= 65535 ? 'MAX' : String(type.length)})`
  return type.scale !== undefined && name === 'DATETIMEOFFSET' ? `${name}(${String(type.scale)})` : name
}

/** A statement's text as the procedures are compared: whitespace as single spaces, parameters renamed (`from` -> `to`). */
const renamed = (text: string, names: Readonly<Record<string, string>>): string =>
  text.replace(/@(\w+)/g, (whole, name: string) => names[name] ?? whole).replace(/\s+/g, ' ')

/** The journal entry of a repeated `order.created`, as the repeated create's procedure (0011) writes it. */
const DUPLICATE_ENTRY = {
  requestId: '00000000-0000-4000-8000-000000000000',
  receivedAt: new Date(0),
  eventType: 'order.created',
  originalOrderId: 'K',
  rawBody: null,
  outcome: 'duplicate' as const,
  httpStatus: 200,
  durationMs: 1,
  detail: null,
}

/** The call of `hook_duplicate_create` the adapter sends for key K in schema sm. */
const duplicateCall = (): SqlStatement =>
  orderStatements(schema('sm')).duplicateInOneRequest('K', 100, DUPLICATE_ENTRY, new Date(0))

describe('migration files', () => {
  it('orders files by version whatever order the folder lists them in, ignoring non-SQL files', () => {
    const migrations = ordered([file('0002_b.sql'), file('README.md'), file('0001_a.sql'), file('0003_c.sql')])
    expect(migrations.map((m) => [m.version, m.name])).to.deep.equal([
      [1, 'a'],
      [2, 'b'],
      [3, 'c'],
    ])
  })

  it('refuses gaps, duplicates and badly named files', () => {
    for (const files of [
      [file('0001_a.sql'), file('0003_c.sql')],
      [file('0001_a.sql'), file('0001_again.sql')],
      [file('0001_a.sql'), file('2_b.sql')],
      [file('0001_A-b.sql')],
      [],
    ]) {
      expect(E.isLeft(orderMigrations(files)), files.map((f) => f.fileName).join()).to.equal(true)
    }
  })

  it('replaces {{schema}} everywhere and refuses any other placeholder', () => {
    const [migration] = ordered([file('0001_a.sql', 'CREATE TABLE [{{schema}}].[x] (id INT); -- in {{ schema }}')])
    if (migration === undefined) throw new Error('no migration')
    expect(renderMigration(migration, schema('sm_test_9'))).to.deep.equal(
      E.right('CREATE TABLE [sm_test_9].[x] (id INT); -- in sm_test_9'),
    )
    expect(E.isLeft(fillPlaceholders('GRANT SELECT TO [{{hook_user}}]', { schema: 'sm' }))).to.equal(true)
  })

  it('splits batches at GO lines only', () => {
    expect(
      splitBatches('CREATE SCHEMA x;\nGO\n  go  \nSELECT 1 AS GOAL;\n-- only a comment\nGO\n-- and another\n'),
    ).to.deep.equal(['CREATE SCHEMA x;', 'SELECT 1 AS GOAL;\n-- only a comment'])
  })

  it('splits CRLF scripts too, and gives a CRLF copy of a file the same checksum', () => {
    expect(splitBatches('SELECT 1;\r\nGO\r\nSELECT 2;\r\n')).to.deep.equal(['SELECT 1;', 'SELECT 2;'])
    expect(checksumOf('A\r\nB\r\n')).to.equal(checksumOf('A\nB\n'))
    expect(checksumOf('A\nB')).to.not.equal(checksumOf('A\nC'))
  })

  it('ships migrations 1..n whose every placeholder is the schema, with GO-separated batches', async () => {
    const shipped = await loadMigrations()
    expect(shipped.map((m) => m.version)).to.deep.equal(shipped.map((_, i) => i + 1))
    expect(shipped.map((m) => m.name)).to.include.members([
      'schema_and_migration_table',
      'order_tables',
      'pending_and_journal',
    ])
    for (const migration of shipped) {
      const sql = renderMigration(migration, schema('sm'))
      expect(E.isRight(sql), migration.name).to.equal(true)
      if (E.isRight(sql)) {
        expect(sql.right).to.not.contain('{{')
        expect(sql.right).to.not.match(/\bMERGE\b|SERIALIZABLE/i)
        expect(splitBatches(sql.right).length).to.be.greaterThan(0)
      }
      expect(migration.checksum).to.equal(checksumOf(migration.sql))
    }
    const all = shipped.map((m) => m.sql).join('\n')
    for (const object of [
      'schema_migration',
      'order_header',
      'order_line',
      'pending_update',
      'journal',
      'domino_number_seq',
      'UX_order_header_original_order_id',
    ]) {
      expect(all, object).to.contain(object)
    }
    expect(all).to.contain('row_version                   ROWVERSION')
  })

  it("raises the change queue's errors by the numbers the adapter defines for them (its text is fixed: a migration's checksum)", async () => {
    const shipped = await loadMigrations()
    const all = shipped.map((m) => m.sql).join('\n')
    const thrown = [...all.matchAll(/THROW (5\d{4}),/g)].map((m) => Number(m[1]))
    expect(thrown).to.deep.equal([
      TAKE_OUTSIDE_TRANSACTION,
      TAKE_MAX_OUT_OF_RANGE,
      UNKNOWN_CONSUMER,
      // The repeated create's procedure (0011): the key lock's errors, as src/sql/key-lock.ts raises them.
      KEY_LOCK_DEADLOCK,
      KEY_LOCK_NOT_GRANTED,
      // The status event's checked write (0012): the same.
      KEY_LOCK_DEADLOCK,
      KEY_LOCK_NOT_GRANTED,
      // 0014: the connection guard of src/driver/requests.ts first in the update's read, the status write (with its
      // key lock's errors as in 0012) and a create's first request.
      CONNECTION_STATE_ERROR,
      CONNECTION_STATE_ERROR,
      KEY_LOCK_DEADLOCK,
      KEY_LOCK_NOT_GRANTED,
      CONNECTION_STATE_ERROR,
      // 0015: the same guard first in a status event's read of the order's state.
      CONNECTION_STATE_ERROR,
    ])
  })

  it("declares the repeated create's procedure (0011) with the parameters the adapter sends, and answers the columns it reads", async () => {
    const text = await procedures()
    const sent = duplicateCall()
    // Every parameter sent is declared, in the same order, with the type it is sent as.
    const header = /CREATE PROCEDURE \[sm\]\.\[(\w+)\] (.*?) AS BEGIN/.exec(text)
    expect(header?.[1]).to.equal(DUPLICATE_CREATE_PROCEDURE)
    expect(header?.[2]).to.equal(
      sent.params
        .map((p) => `@${p.name} ${declaration(p.type as unknown as Parameters<typeof declaration>[0])}`)
        .join(', '),
    )
    expect(sent.text).to.equal(
      `EXEC [sm].[${DUPLICATE_CREATE_PROCEDURE}] ${sent.params.map((p) => `@${p.name} = @${p.name}`).join(', ')};`,
    )
    // The recordsets the operation maps, and the entry it writes, column for column.
    expect(text).to.contain(`SELECT ${HEADER_SELECT_COLUMNS.map((c) => `h.${c}`).join(', ')} FROM [sm].[order_header]`)
    expect(text).to.contain(`SELECT ${LINE_SELECT_COLUMNS.map((c) => `l.${c}`).join(', ')} FROM [sm].[order_line]`)
    expect(text).to.contain(
      `INSERT INTO [sm].[journal] (${JOURNAL_COLUMNS.map((c) => c.column).join(', ')}) VALUES (${JOURNAL_COLUMNS.map((c) => `@entry_${c.column}`).join(', ')});`,
    )
    // The key lock of src/sql/key-lock.ts: the same resource, mode, owner and principal.
    expect(text).to.contain(
      `@lock_resource NVARCHAR(255) = N'${keyLockResource(schema('sm'), '')}' + @original_order_id;`,
    )
    expect(text).to.contain(
      `EXEC @lock = sp_getapplock @Resource = @lock_resource, @LockMode = N'Shared', @LockOwner = N'Transaction', @LockTimeout = @lock_wait_ms, @DbPrincipal = N'${hookRole(schema('sm'))}';`,
    )
    // Nothing but EXECUTE on the two procedures is granted, and only to the hook's role.
    expect(text.match(/GRANT [^;]*;/g)).to.deep.equal([
      `GRANT EXECUTE ON OBJECT::[sm].[${DUPLICATE_CREATE_PROCEDURE}] TO [sm_hook];`,
      `GRANT EXECUTE ON OBJECT::[sm].[${READ_FOR_UPDATE_PROCEDURE}] TO [sm_hook];`,
    ])
  })

  it("declares an update's read by key (0011) with the parameters the adapter sends, and reads what its text read", async () => {
    const text = await procedures()
    const ofRequest = journalStatements(schema('sm')).ofRequest('00000000-0000-4000-8000-000000000000', false)
    const sent = updateStatements(schema('sm')).readForUpdate('K', {}, ofRequest)
    expect(sent.params.map((p) => p.name)).to.deep.equal(['original_order_id', 'request_id'])
    expect(text).to.contain(
      `CREATE PROCEDURE [sm].[${READ_FOR_UPDATE_PROCEDURE}] @original_order_id NVARCHAR(64), @request_id UNIQUEIDENTIFIER AS BEGIN`,
    )
    // The text an event keyed by orderUUID still sends ends with the same reads of the order it resolved.
    const byText = updateStatements(schema('sm')).readForUpdate('K', { byOrderUuid: true }, ofRequest).text
    const reads = byText.slice(byText.indexOf('SELECT h.')).replaceAll('@target_key', '@original_order_id')
    const body = /AS BEGIN SET NOCOUNT ON; (.*?) END;/.exec(text.slice(text.indexOf(READ_FOR_UPDATE_PROCEDURE)))?.[1]
    expect(body).to.equal(reads.replace(/\s+/g, ' ').trim())
    expect(body).to.contain(`SELECT ${HEADER_SELECT_COLUMNS.map((c) => `h.${c}`).join(', ')}, h.row_version FROM`)
    expect(body).to.contain(
      `SELECT ${JOURNAL_SELECT_COLUMNS.join(', ')} FROM [sm].[journal] WHERE request_id = @request_id;`,
    )
  })
})

describe("a status event's checked write as a procedure (migration 0012)", () => {
  const sm = schema('sm')
  const entry = {
    requestId: '00000000-0000-4000-8000-000000000000',
    receivedAt: new Date(0),
    eventType: 'order.paid',
    originalOrderId: 'K',
    rawBody: null,
    outcome: 'applied' as const,
    httpStatus: 200,
    durationMs: 1,
    detail: null,
  }
  const sent = updateStatements(sm).statusWrite({
    originalOrderId: 'K',
    requestId: entry.requestId,
    lockWaitMs: 100,
    seen: { id: 1, version: Buffer.alloc(8) },
    changed: undefined,
    entry,
    storedAt: new Date(0),
    rewrites: undefined,
  })
  /** The parameter names of the adapter's own statements as the procedure names them. */
  const entryNames = (prefix: string, columns: readonly { column: string }[]): Record<string, string> =>
    Object.fromEntries(columns.map((c, i) => [`${prefix}${String(i)}`, `@entry_${c.column}`]))

  it('declares the parameters the adapter sends, in order, with the types it sends them as, and grants only EXECUTE on it', async () => {
    const text = await procedures(12)
    const header = /CREATE PROCEDURE \[sm\]\.\[(\w+)\] (.*?) AS BEGIN/.exec(text)
    expect(header?.[1]).to.equal(STATUS_WRITE_PROCEDURE)
    expect(header?.[2]).to.equal(
      sent.params
        .map((p) => `@${p.name} ${declaration(p.type as unknown as Parameters<typeof declaration>[0])}`)
        .join(', '),
    )
    expect(sent.text).to.equal(
      `EXEC [sm].[${STATUS_WRITE_PROCEDURE}] ${sent.params.map((p) => `@${p.name} = @${p.name}`).join(', ')};`,
    )
    expect(text.match(/GRANT [^;]*;/g)).to.deep.equal([
      `GRANT EXECUTE ON OBJECT::[sm].[${STATUS_WRITE_PROCEDURE}] TO [sm_hook];`,
    ])
  })

  it('takes the key lock of src/sql/key-lock.ts, Exclusive, and ends the transaction it begins on every path', async () => {
    const text = await procedures(12)
    expect(text).to.contain(`@lock_resource NVARCHAR(255) = N'${keyLockResource(sm, '')}' + @original_order_id;`)
    expect(text).to.contain(
      `EXEC @lock = sp_getapplock @Resource = @lock_resource, @LockMode = N'Exclusive', @LockOwner = N'Transaction', @LockTimeout = @lock_wait_ms, @DbPrincipal = N'${hookRole(sm)}';`,
    )
    expect(text).to.contain('SET XACT_ABORT ON; BEGIN TRANSACTION;')
    expect(text.match(/BEGIN TRANSACTION/g)).to.have.length(1)
    // The conflict's end and the write's: COMMIT both (nothing is written before the check), never ROLLBACK, so that
    // @@TRANCOUNT leaves the procedure as it came in.
    expect(text.match(/COMMIT TRANSACTION;/g)).to.have.length(2)
    expect(text).to.not.contain('ROLLBACK')
    expect(text).to.contain(`COMMIT TRANSACTION; SELECT CAST(1 AS BIT) AS version_conflict; RETURN; END;`)
  })

  it("checks what the text checks and, on a conflict, answers the text's recordsets: the order with its version, its lines, the request's entry", async () => {
    const text = await procedures(12)
    expect(text).to.contain(
      'IF NOT EXISTS (SELECT 1 FROM [sm].[order_header] WHERE original_order_id = @original_order_id AND id = @seen_order_id AND row_version = @seen_version) OR (@journal_row IS NULL AND EXISTS (SELECT 1 FROM [sm].[journal] WHERE request_id = @entry_request_id)) BEGIN',
    )
    const ofRequest = journalStatements(sm).ofRequest(entry.requestId, false)
    const { readOrderOf } = orderReadTexts(sm)
    expect(text).to.contain(
      renamed(`${readOrderOf('@original_order_id', true)} ${ofRequest.text}`, { request_id: '@entry_request_id' }),
    )
    expect(text).to.contain(`SELECT ${HEADER_SELECT_COLUMNS.map((c) => `h.${c}`).join(', ')}, h.row_version FROM`)
    expect(text).to.contain(`SELECT ${LINE_SELECT_COLUMNS.map((c) => `l.${c}`).join(', ')} FROM [sm].[order_line]`)
  })

  it('writes what the text writes: the status columns, the change rows of kind status, the entry inserted or rewritten', async () => {
    const text = await procedures(12)
    const order = openOrder(
      anOrderCreated({ originalOrderId: 'K' }),
      dominoNumberFromSequence(5),
      new Date(0),
      [],
    ).order
    const status = updateStatements(sm).updateStatus(1, order)
    expect(STATUS_COLUMNS.map((c) => c.column)).to.deep.equal([
      'status',
      'cancellation_slug',
      'cancellation_description',
      'updated_at',
    ])
    expect(text).to.contain(
      renamed(status.text, {
        order_id: '@seen_order_id',
        ...Object.fromEntries(STATUS_COLUMNS.map((c, i) => [`s${String(i)}`, `@${c.column}`])),
      }),
    )
    const change = changeStatements(sm).recordChange(order, 'status', new Date(0))
    expect(text).to.contain(
      renamed(change.text, {
        ch_key: '@original_order_id',
        ch_number: '@change_number',
        ch_kind: "N'status'",
        ch_status: '@status',
        ch_at: '@change_at',
      }),
    )
    const journal = journalStatements(sm)
    expect(text).to.contain(
      `IF @journal_row IS NULL BEGIN ${renamed(journal.insertEntry(entry, new Date(0)).text, entryNames('j', JOURNAL_COLUMNS))} END ELSE BEGIN`,
    )
    expect(text).to.contain(renamed(journal.rewriteEntry(7, entry).text, entryNames('w', JOURNAL_REWRITE_COLUMNS)))
  })
})

describe("a create's first request as a procedure (migration 0013)", () => {
  const sm = schema('sm')
  const duplicate = duplicateCall()
  const creates = createStatements(sm)
  const sent = creates.probe(duplicate, { pendingOrderUuid: 'U' }, 'entry_request_id')

  it('declares the parameters the adapter sends, in order, with the types it sends them as, and grants only EXECUTE on it', async () => {
    const text = await procedures(13)
    const header = /CREATE PROCEDURE \[sm\]\.\[(\w+)\] (.*?) AS BEGIN/.exec(text)
    expect(header?.[1]).to.equal(PROBE_CREATE_PROCEDURE)
    expect(header?.[2]).to.equal(
      sent.params
        .map((p) => `@${p.name} ${declaration(p.type as unknown as Parameters<typeof declaration>[0])}`)
        .join(', '),
    )
    expect(sent.text).to.equal(
      `EXEC [sm].[${PROBE_CREATE_PROCEDURE}] ${sent.params.map((p) => `@${p.name} = @${p.name}`).join(', ')};`,
    )
    expect(sent.params.slice(-2).map((p) => [p.name, p.value])).to.deep.equal([
      ['pending_uuid', 'U'],
      ['draw_number', true],
    ])
    // Keyed by its key alone: NULL for the orderUUID. The warm-up's call draws no number.
    expect(
      creates
        .probe(duplicate, {}, 'entry_request_id')
        .params.slice(-2)
        .map((p) => p.value),
    ).to.deep.equal([null, true])
    expect(creates.probe(duplicate, {}, 'entry_request_id', false).params.at(-1)?.value).to.equal(false)
    expect(text.match(/GRANT [^;]*;/g)).to.deep.equal([
      `GRANT EXECUTE ON OBJECT::[sm].[${PROBE_CREATE_PROCEDURE}] TO [sm_hook];`,
    ])
  })

  it('calls hook_duplicate_create (0011) exactly as the adapter calls it: the duplicate path has one definition', async () => {
    const text = await procedures(13)
    expect(text).to.contain(`SET XACT_ABORT ON; ${duplicate.text} IF NOT EXISTS (SELECT 1 FROM [sm].[order_header]`)
    expect(text).to.not.contain('sp_getapplock')
    expect(text).to.not.contain('INSERT')
    expect(text).to.not.contain('TRANSACTION')
  })

  it("reads, when no order has the key, what the text reads: the pending updates, the request's entry, a number", async () => {
    const text = await procedures(13)
    // The text a create that may reach its order by orderUUID still sends, consuming the pending updates of its
    // orderUUID too: its nested reads after the order it resolves, its target being the key itself here.
    const byText = creates.probe(duplicate, { orderUuidBeside: 'U', pendingOrderUuid: 'U' }, 'entry_request_id').text
    const nested = /EXEC sp_executesql N'([\s\S]*?)', N'@original_order_id/.exec(byText)?.[1]?.replaceAll("''", "'")
    const reads = nested?.slice(nested.indexOf('SELECT p.id')).replaceAll('@target_key', '@original_order_id')
    if (reads === undefined) throw new Error("no reads in probe's text")
    const expected = renamed(reads, { request_id: '@entry_request_id' })
      .replace('IF NOT EXISTS', 'IF @draw_number = 1 AND NOT EXISTS')
      .trim()
    expect(text).to.contain(
      `IF NOT EXISTS (SELECT 1 FROM [sm].[order_header] WHERE original_order_id = @original_order_id) BEGIN ${expected} END; END;`,
    )
    expect(expected).to.contain(
      'SELECT p.id, p.original_order_id, p.raw_body, p.received_at FROM [sm].[pending_update] AS p WHERE p.original_order_id IN (@original_order_id, @pending_uuid) ORDER BY p.id;',
    )
    expect(expected).to.contain(
      `SELECT ${JOURNAL_SELECT_COLUMNS.join(', ')} FROM [sm].[journal] WHERE request_id = @entry_request_id;`,
    )
    expect(expected).to.contain(
      'SELECT @next_number = NEXT VALUE FOR [sm].[domino_number_seq]; SELECT @next_number AS next_number;',
    )
  })
})

describe("a status event's read of the order's state as a procedure (migration 0015)", () => {
  const sm = schema('sm')
  const ofRequest = journalStatements(sm).ofRequest('00000000-0000-4000-8000-000000000000', false)
  const sent = updateStatements(sm).readStateForUpdate('K', ofRequest)

  it('declares the parameters the adapter sends, with the types it sends them as, and grants only EXECUTE on it', async () => {
    const text = await procedures(15)
    const header = /CREATE PROCEDURE \[sm\]\.\[(\w+)\] (.*?) AS BEGIN/.exec(text)
    expect(header?.[1]).to.equal(READ_STATE_FOR_UPDATE_PROCEDURE)
    expect(header?.[2]).to.equal(
      sent.params
        .map((p) => `@${p.name} ${declaration(p.type as unknown as Parameters<typeof declaration>[0])}`)
        .join(', '),
    )
    expect(sent.text).to.equal(
      `EXEC [sm].[${READ_STATE_FOR_UPDATE_PROCEDURE}] ${sent.params.map((p) => `@${p.name} = @${p.name}`).join(', ')};`,
    )
    expect(sent.params.map((p) => [p.name, p.value])).to.deep.equal([
      ['original_order_id', 'K'],
      ['request_id', '00000000-0000-4000-8000-000000000000'],
    ])
    expect(text.match(/GRANT [^;]*;/g)).to.deep.equal([
      `GRANT EXECUTE ON OBJECT::[sm].[${READ_STATE_FOR_UPDATE_PROCEDURE}] TO [sm_hook];`,
    ])
  })

  it('opens with the connection guard of src/driver/requests.ts, before any SET, and writes and locks nothing', async () => {
    const text = await procedures(15)
    const guard = connectionGuard(0).replace(/\s+/g, ' ').trim()
    expect(guard).to.contain(`THROW ${String(CONNECTION_STATE_ERROR)},`)
    expect(text).to.contain(`AS BEGIN ${guard} SET NOCOUNT ON; SELECT`)
    expect(sent.guardsItself).to.equal(true)
    expect(text).to.not.match(/\b(INSERT|UPDATE|DELETE|MERGE|sp_getapplock|TRANSACTION)\b|WITH \(/i)
  })

  it("reads the header's state columns the adapter maps, with the row_version the write checks, no lines, then the request's entry", async () => {
    const text = await procedures(15)
    // The state is a subset of what every other read reads of the header, `id` first (`headerIdOf`).
    expect(HEADER_STATE_COLUMNS.filter((c) => !(HEADER_SELECT_COLUMNS as readonly string[]).includes(c))).to.deep.equal(
      [],
    )
    expect(HEADER_STATE_COLUMNS[0]).to.equal('id')
    expect(text).to.contain(
      `SELECT ${HEADER_STATE_COLUMNS.map((c) => `h.${c}`).join(', ')}, h.row_version FROM [sm].[order_header] AS h WHERE h.original_order_id = @original_order_id;`,
    )
    expect(text).to.not.contain('payload_json')
    expect(text).to.not.contain('order_line')
    expect(text).to.contain(
      `SELECT ${JOURNAL_SELECT_COLUMNS.join(', ')} FROM [sm].[journal] WHERE request_id = @request_id; END;`,
    )
    expect(text.match(/SELECT /g)).to.have.length(2)
  })
})

describe('the connection guard first in the procedures the hook calls alone (migration 0014)', () => {
  const sm = schema('sm')
  const guard = connectionGuard(0).replace(/\s+/g, ' ').trim()
  const entry = DUPLICATE_ENTRY
  const duplicate = duplicateCall()
  const ofRequest = journalStatements(sm).ofRequest(entry.requestId, false)
  /** Each procedure the adapter calls, with the statement it sends for it. */
  const calls = [
    [DUPLICATE_CREATE_PROCEDURE, duplicate],
    [READ_FOR_UPDATE_PROCEDURE, updateStatements(sm).readForUpdate('K', {}, ofRequest)],
    [
      STATUS_WRITE_PROCEDURE,
      updateStatements(sm).statusWrite({
        originalOrderId: 'K',
        requestId: entry.requestId,
        lockWaitMs: 100,
        seen: { id: 1, version: Buffer.alloc(8) },
        changed: undefined,
        entry,
        storedAt: new Date(0),
        rewrites: undefined,
      }),
    ],
    [PROBE_CREATE_PROCEDURE, createStatements(sm).probe(duplicate, {}, 'entry_request_id')],
    [READ_STATE_FOR_UPDATE_PROCEDURE, updateStatements(sm).readStateForUpdate('K', ofRequest)],
  ] as const

  it('alters the three procedures the hook calls as a whole request, and nothing else: no DROP, no CREATE, no GRANT (ALTER keeps their EXECUTE)', async () => {
    const { procedures, others } = await definitions(14)
    expect(procedures.map((d) => [d.verb, d.name])).to.deep.equal([
      ['ALTER', READ_FOR_UPDATE_PROCEDURE],
      ['ALTER', STATUS_WRITE_PROCEDURE],
      ['ALTER', PROBE_CREATE_PROCEDURE],
    ])
    expect(others).to.deep.equal([])
  })

  it('opens each with the text guard of src/driver/requests.ts for no open transaction, then is what it was: the same parameters and statements', async () => {
    expect(guard).to.equal(
      `IF @@TRANCOUNT <> 0 OR (@@OPTIONS & 16384) = 0 THROW ${String(CONNECTION_STATE_ERROR)}, N'domino-sm: the pooled connection is not in the state this request expects', 1;`,
    )
    for (const [name, version] of [
      [READ_FOR_UPDATE_PROCEDURE, 11],
      [STATUS_WRITE_PROCEDURE, 12],
      [PROBE_CREATE_PROCEDURE, 13],
    ] as const) {
      const before = (await definitions(version)).procedures.find((d) => d.name === name)
      const after = (await definitions(14)).procedures.find((d) => d.name === name)
      if (before === undefined || after === undefined) throw new Error(`${name}: no definition`)
      expect(after.params, name).to.equal(before.params)
      // The guard before anything else, SET NOCOUNT included: @@OPTIONS shows the caller's settings until then.
      expect(after.body, name).to.equal(`${guard} ${before.body}`)
    }
  })

  it('sends alone exactly the calls of the procedures whose current definition opens with the guard', async () => {
    for (const [name, statement] of calls) {
      const current = await currentDefinition(name, LATEST_MIGRATION)
      if (current === undefined) throw new Error(`${name}: no definition`)
      const guarded = current.body.startsWith(guard)
      expect(statement.guardsItself === true, name).to.equal(guarded)
      expect(statement.text, name).to.equal(
        `EXEC [sm].[${name}] ${statement.params.map((p) => `@${p.name} = @${p.name}`).join(', ')};`,
      )
    }
    // hook_duplicate_create keeps no guard: request 2 of a new order calls it inside its own transaction.
    expect((await currentDefinition(DUPLICATE_CREATE_PROCEDURE, LATEST_MIGRATION))?.body).to.not.contain('@@TRANCOUNT')
  })
})

describe('migration plan', () => {
  const shipped = ordered([file('0001_a.sql'), file('0002_b.sql'), file('0003_c.sql')])
  const applied = (n: number, edit: (m: Migration) => Migration = (m) => m) =>
    shipped
      .slice(0, n)
      .map(edit)
      .map((m) => ({ version: m.version, name: m.name, checksum: m.checksum }))

  it('applies everything to a database without the schema, or with the empty schema a DBA made', () => {
    expect(planMigrations('sm', shipped, { schemaExists: false, objectCount: 0, applied: undefined })).to.deep.equal(
      E.right(shipped),
    )
    expect(planMigrations('sm', shipped, { schemaExists: true, objectCount: 0, applied: undefined })).to.deep.equal(
      E.right(shipped),
    )
  })

  it('applies only what is missing, and nothing on a second run', () => {
    expect(planMigrations('sm', shipped, { schemaExists: true, objectCount: 5, applied: applied(1) })).to.deep.equal(
      E.right(shipped.slice(1)),
    )
    expect(planMigrations('sm', shipped, { schemaExists: true, objectCount: 9, applied: applied(3) })).to.deep.equal(
      E.right([]),
    )
  })

  it('refuses a non-empty schema that this tool did not make', () => {
    const plan = planMigrations('sm', shipped, { schemaExists: true, objectCount: 3, applied: undefined })
    expect(E.isLeft(plan) && plan.left.join()).to.contain('not made by this tool')
  })

  it('refuses an applied migration this build does not ship, an edited one, and gaps', () => {
    const newer = [...applied(3), { version: 4, name: 'd', checksum: 'f'.repeat(64) }]
    expect(E.isLeft(planMigrations('sm', shipped, { schemaExists: true, objectCount: 9, applied: newer }))).to.equal(
      true,
    )
    const edited = applied(2, (m) => (m.version === 2 ? { ...m, checksum: checksumOf('something else') } : m))
    const plan = planMigrations('sm', shipped, { schemaExists: true, objectCount: 9, applied: edited })
    expect(E.isLeft(plan) && plan.left.join()).to.contain('edited')
    const gap = applied(3).filter((m) => m.version !== 2)
    expect(E.isLeft(planMigrations('sm', shipped, { schemaExists: true, objectCount: 9, applied: gap }))).to.equal(true)
  })

  it('lets serve start only on a fully migrated schema (newer migrations allowed)', () => {
    expect(E.isRight(checkSchemaReady('sm', shipped, applied(3)))).to.equal(true)
    expect(E.isRight(checkSchemaReady('sm', shipped.slice(0, 2), applied(3)))).to.equal(true)
    const behind = checkSchemaReady('sm', shipped, applied(2))
    expect(E.isLeft(behind) && behind.left).to.contain('needs 3')
    expect(E.isLeft(checkSchemaReady('sm', shipped, undefined))).to.equal(true)
  })
})
