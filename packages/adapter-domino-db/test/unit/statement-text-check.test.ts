import { expect } from 'chai'
import { journalStatements, keyLockParams, orderStatements, together } from '@domino-sm/adapter-domino-db/internals'
import type { SchemaName } from '@domino-sm/adapter-domino-db'
import { anOrderCreated, createdReceipt, uniqueOrderId } from '@domino-sm/testkit'
import {
  normalisedText,
  summarise,
  tokensOf,
  violationsOf,
  withoutAdapterNumbers,
  type SentRequest,
} from '../integration/statement-text-check.js'

const sent = (text: string, params: Record<string, unknown> = {}): SentRequest => ({
  method: 'query',
  text,
  params,
  composer: 'crafted',
})
const reasons = (request: SentRequest, customerData: readonly string[] = []): string[] =>
  violationsOf(request, customerData).map((v) => `${v.parameter}: ${v.why}`)

describe('statement text check (the judge of the driver recording)', () => {
  describe('fails a value spliced into a text', () => {
    it('a customer name as an N-literal', () => {
      expect(
        reasons(
          sent(`INSERT INTO [sm].[order_header] (customer_name) VALUES (N'Иван Петров');`, { h0: 'Иван Петров' }),
        ),
      ).to.deep.equal([
        "@h0: it is in the string literal 'Иван Петров'",
        '(none): a string literal holds non-ASCII text (customer data?)',
      ])
    })

    it('a quote doubled by an escape still reads as the value', () => {
      expect(reasons(sent(`SELECT 1 WHERE name = N'O''Brien';`, { name: "O'Brien" }))).to.deep.equal([
        "@name: it is in the string literal 'O'Brien'",
      ])
    })

    it('a lock wait in milliseconds as a bare number (the old SET LOCK_TIMEOUT)', () => {
      expect(reasons(sent('SET LOCK_TIMEOUT 4817; SELECT 1;', { lock_wait_ms: 4817 }))).to.deep.equal([
        '@lock_wait_ms: it is a number of the text',
      ])
    })

    it('a received time as a date literal', () => {
      const at = new Date('2026-05-24T12:00:00.000Z')
      expect(
        reasons(sent(`INSERT INTO [sm].[journal] (received_at) VALUES ('2026-05-24T12:00:00Z');`, { received_at: at })),
      ).to.deep.equal(['@received_at: its date 2026-05-24 is in the text', '(none): a string literal holds a date'])
    })

    it('a request id in a literal', () => {
      const id = '0b5c2a4e-8a71-4c1e-9d55-2f0f7e0c9a11'
      expect(
        reasons(
          sent(`SELECT 1 WHERE request_id = CAST(0x00 AS UNIQUEIDENTIFIER) OR N'${id}' = @request_id;`, {
            request_id: id,
          }),
        ),
      ).to.deep.equal([`@request_id: it is in the string literal '${id}'`, '(none): a string literal holds a UUID'])
    })

    it('a phone spliced outside any literal (a comment, a name): anywhere in the text', () => {
      expect(reasons(sent('SELECT 1 AS [+79031234567];', { phone: '+79031234567' }))).to.deep.equal([
        '@phone: it occurs in the text',
      ])
    })

    it('a word-like value as a bracketed identifier, except the schema name', () => {
      expect(reasons(sent('SELECT * FROM [sm].[order_header] AS [delivered];', { status: 'delivered' }))).to.deep.equal(
        ['@status: it is a bracketed identifier of the text'],
      )
      expect(
        reasons(sent('SELECT SCHEMA_ID(@schema) FROM [sm_test_ab12].[journal];', { schema: 'sm_test_ab12' })),
      ).to.deep.equal([])
    })

    it('customer data of the fixtures, even when it is no parameter', () => {
      expect(reasons(sent(`-- for Ёлкина Мария\nSELECT 1;`), ['Ёлкина Мария'])).to.deep.equal([
        '(fixture): customer data of the fixtures occurs in the text',
      ])
    })
  })

  describe('passes what the adapter writes itself', () => {
    it("words of its SQL that a value may equal ('paid' and paid_at, 'pending' and pending_update)", () => {
      expect(
        reasons(
          sent('UPDATE [sm].[order_header] SET status = @h0, paid_at = @h1 FROM [sm].[pending_update];', {
            h0: 'paid',
            h1: new Date(),
            o: 'pending',
          }),
        ),
      ).to.deep.equal([])
    })

    it('the lengths of the types it declares, which a number may equal (a Domino number 255 beside NVARCHAR(255))', () => {
      const text = `DECLARE @target_resource NVARCHAR(255) = N'x'; DECLARE @v VARBINARY(8); DECLARE @d DECIMAL(19, 4);
INSERT INTO [sm].[order_header] (domino_number, total) VALUES (@h1, @h2);`
      expect(reasons(sent(text, { h1: '255', h2: 19 }))).to.deep.equal([])
      // The same number anywhere else in the text is still found.
      expect(reasons(sent(`${text}\nSELECT TOP (255) 1;`, { h1: '255' }))).to.deep.equal([
        '@h1: it is a number of the text',
      ])
    })

    it("the schema name in the hook's role literal, which a value may happen to be part of (a number '853' in sm_test_4904285308_hook)", () => {
      const text = `EXEC sp_getapplock @DbPrincipal = N'sm_test_4904285308_hook';
INSERT INTO [sm_test_4904285308].[order_header] (domino_number) VALUES (@h1);`
      expect(reasons(sent(text, { h1: '853' }))).to.deep.equal([])
      // The same value in any other literal is still found.
      expect(reasons(sent(`${text}\nSELECT N'x853';`, { h1: '853' }))).to.deep.equal([
        "@h1: it is in the string literal 'x853'",
      ])
    })

    it('its line numbers, error numbers and the XACT_ABORT bit, whatever the values', () => {
      const text = `IF @@TRANCOUNT <> 1 OR (@@OPTIONS & 16384) = 0 THROW 50001, N'domino-sm: state', 1;
INSERT INTO [sm].[order_line] (order_id, line_no, price) VALUES (@order_id, 150, @l0_0), (@order_id, 151, @l1_0);`
      expect(reasons(sent(text, { l0_0: 150, l1_0: 16384, order_id: 50001, q: '151' }))).to.deep.equal([])
      expect(withoutAdapterNumbers(text)).to.not.match(/150|151|16384|50001/)
    })

    it('the real statements of an operation, with a full order of Cyrillic data', () => {
      const schema = 'sm_test_0a1b2c' as SchemaName
      const key = uniqueOrderId('U')
      const event = anOrderCreated({ originalOrderId: key })
      const receipt = createdReceipt(event, new Date())
      const read = together([
        orderStatements(schema).lockAndRead(key, 4817, true),
        journalStatements(schema).ofRequest(receipt.requestId, false),
      ])
      const entry = {
        requestId: receipt.requestId,
        receivedAt: receipt.receivedAt,
        eventType: 'order.created',
        originalOrderId: key,
        rawBody: receipt.rawBody,
        outcome: 'created',
        httpStatus: 200,
        durationMs: 12,
        detail: null,
      } as const
      const statements = [
        read,
        journalStatements(schema).insertEntry(entry, new Date()),
        { text: 'SELECT 1;', params: keyLockParams(schema, key, 4817) },
      ]
      const requests = statements.map((s) => sent(s.text, Object.fromEntries(s.params.map((p) => [p.name, p.value]))))
      expect(requests.flatMap((r) => violationsOf(r, ['Иван Петров']))).to.deep.equal([])
      expect(summarise(requests).distinctNormalisedTexts).to.equal(3)
    })
  })

  describe('reads T-SQL text', () => {
    it('skips comments and variable names, reads literals, numbers and bracketed identifiers', () => {
      expect(
        tokensOf(`-- it's a comment 12\n/* 'x' 13 */ SELECT N'a''b', -3, 4.5, @l0_12 FROM [s].[t] WHERE x1 = 7;`),
      ).to.deep.equal({
        strings: ["a'b"],
        numbers: ['-3', '4.5', '7'],
        identifiers: ['s', 't'],
      })
    })

    it('reads the statement text of a nested sp_executesql as T-SQL, not as one literal', () => {
      expect(
        tokensOf(`EXEC sp_executesql N'SELECT x FROM [s].[t] WHERE a = N''it''''s'' AND b = 12;', N'@k INT', @k = @v;`),
      ).to.deep.equal({
        strings: ["it's", '@k INT'],
        numbers: ['12'],
        identifiers: ['s', 't'],
      })
    })

    it('sets the schema name aside, so that texts of two schemas compare equal', () => {
      expect(
        normalisedText(`SELECT 1 FROM [sm_a].[journal]; EXEC sp_getapplock @DbPrincipal = N'sm_a_hook';`),
      ).to.equal(normalisedText(`SELECT 1 FROM [sm_b].[journal]; EXEC sp_getapplock @DbPrincipal = N'sm_b_hook';`))
    })
  })
})
