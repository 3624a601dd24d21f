import { expect } from 'chai'
import { envelope, fixtureBody, uniqueOrderId } from '@domino-sm/testkit'
import { createLogger } from '@domino-sm/adapter-http'
import { postHook } from '../support/http-client.js'
import { LogCapture, startTestApp, TOKEN, type TestApp } from '../support/test-app.js'

/**
 * The request line is written as text, not through pino's object path (it costs a third of pino's object path; see `request-line.ts`): it must be the line pino
 * would write for the same fields, key order included, and escape whatever text a client sent.
 */
describe('request log line, written by hand', () => {
  let app: TestApp
  beforeEach(async () => {
    app = await startTestApp()
  })
  afterEach(() => app.close())

  /** What pino writes for `fields` with the service's logger settings. */
  const pinoLine = (fields: Record<string, unknown>): Record<string, unknown> => {
    const capture = new LogCapture()
    createLogger('info', capture).info(fields, 'request')
    return capture.records()[0] ?? {}
  }

  const withoutTime = (record: Record<string, unknown>): [string[], Record<string, unknown>] => {
    const { time, ...rest } = record
    expect(time)
      .to.be.a('string')
      .and.match(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
    return [Object.keys(record), rest]
  }

  it('equals the line pino writes for the same fields, for an accepted, a rejected and an ignored request', async () => {
    const id = uniqueOrderId('LL')
    await postHook(app.hookUrl, TOKEN, fixtureBody('order-created', { originalOrderId: id }))
    // Rejected: an order without a key (one with a readable key would be created for review).
    await postHook(app.hookUrl, TOKEN, envelope('order.created', { positions: [{ id: 1, price: 'x' }] }).body)
    // Client text with quotes, a backslash, a line separator, a control character, Cyrillic and a lone surrogate.
    const odd = 'order."paid"\\\u2028\u0007ж\ud800'
    await postHook(app.hookUrl, TOKEN, envelope(odd, { originalOrderId: `${id}"\n` }).body)
    const lines = app.logs.requests()
    expect(lines).to.have.length(3)
    for (const line of lines) {
      const { level: _level, time: _time, service: _service, msg: _msg, ...fields } = line
      const [keys, rest] = withoutTime(line)
      const [pinoKeys, pinoRest] = withoutTime(pinoLine(fields))
      expect(rest).to.deep.equal(pinoRest)
      expect(keys).to.deep.equal(pinoKeys)
    }
    expect(lines[1]).to.have.property('detail').that.is.a('string')
    // The lone surrogate cannot be stored as written: the event type is kept with it escaped (docs/contract.md §2).
    expect(lines[2]).to.deep.include({
      eventType: odd.replace('\ud800', '\\ud800'),
      orderKey: `${id}"`,
      outcome: 'ignored',
    })
    // Each line names its request's id, the key of the request's one journal entry.
    const journal = await app.journalOf(id)
    expect(lines[0]?.['requestId'])
      .to.be.a('string')
      .and.match(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/)
    expect(journal.map((entry) => entry.requestId)).to.deep.equal([lines[0]?.['requestId']])
  })
})
