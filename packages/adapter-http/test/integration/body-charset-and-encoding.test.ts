import { expect } from 'chai'
import { randomBytes } from 'node:crypto'
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib'
import { fixtureBody, uniqueOrderId } from '@domino-sm/testkit'
import { send, type TestResponse } from '../support/http-client.js'
import { startEdgeApp, type EdgeApp } from '../support/edge-app.js'
import { TOKEN } from '../support/test-app.js'

const LIMIT = 64 * 1024

describe('body charset and content encoding', () => {
  let app: EdgeApp
  beforeEach(async () => {
    app = await startEdgeApp({ settings: { bodyLimitBytes: LIMIT } })
  })
  afterEach(() => app.stop(1000))

  const post = (body: string | Buffer, headers: Readonly<Record<string, string>>): Promise<TestResponse> =>
    send(app.hookUrl, { body, headers: { 'Client-Token': TOKEN, ...headers } })
  const lastEntry = () => app.recorded().at(-1)
  const detailOf = (res: TestResponse): string => (res.json as { detail?: string } | undefined)?.detail ?? ''
  const order = (key = uniqueOrderId('HC')) => ({ key, body: fixtureBody('order-created', { originalOrderId: key }) })

  describe('charset', () => {
    for (const type of [
      'application/json',
      'application/json; charset=utf-8',
      'application/json; charset=UTF-8',
      'application/json;charset="utf8"',
      'Application/JSON; Charset=Utf-8',
      'application/vnd.sbermarket+json; charset=utf-8',
    ]) {
      it(`accepts ${type}`, async () => {
        const res = await post(order().body, { 'Content-Type': type })
        expect(res.status, res.text).to.equal(200)
      })
    }

    for (const charset of [
      'latin1',
      'ISO-8859-1',
      'windows-1251',
      'utf-16',
      'koi8-r',
      'us-ascii',
      '"utf-16le"',
      '',
      'utf-8x',
    ]) {
      it(`refuses charset=${charset} with 415 and a detail about the charset, journaled unread`, async () => {
        const res = await post(order().body, { 'Content-Type': `application/json; charset=${charset}` })
        expect(res.status).to.equal(415)
        expect(res.json).to.deep.include({ error: 'unsupported_media_type' })
        expect(detailOf(res)).to.match(/^charset .* is not supported: the body must be UTF-8/)
        expect(lastEntry()).to.deep.include({
          outcome: 'rejected',
          httpStatus: 415,
          rawBody: null,
          detail: detailOf(res),
        })
      })
    }

    it('refuses a second charset parameter that is not UTF-8', async () => {
      const res = await post(order().body, { 'Content-Type': 'application/json; charset=utf-8; charset=latin1' })
      expect(res.status).to.equal(415)
    })

    it('answers a body that is not valid UTF-8 with 400, and journals its exact bytes in base64 (never U+FFFD)', async () => {
      // "Кузнецова" in windows-1251, inside an otherwise valid order: what a sender with the wrong charset sends.
      const cp1251 = Buffer.from([0xca, 0xf3, 0xe7, 0xed, 0xe5, 0xf6, 0xee, 0xe2, 0xe0])
      const key = uniqueOrderId('HC')
      const bytes = Buffer.concat([
        Buffer.from(`{"event_type":"order.created","payload":{"originalOrderId":"${key}","customer":{"name":"`),
        cp1251,
        Buffer.from('"}}}'),
      ])
      const res = await post(bytes, { 'Content-Type': 'application/json' })
      expect(res.status).to.equal(400)
      expect(res.json).to.deep.equal({
        error: 'malformed_body',
        detail: `the body is not valid UTF-8; the journal keeps its ${bytes.length} bytes in base64`,
      })
      const entry = lastEntry()
      expect(entry).to.deep.include({ outcome: 'rejected', httpStatus: 400, detail: detailOf(res) })
      expect(Buffer.from(entry?.rawBody ?? '', 'base64').equals(bytes), 'the journal holds the bytes as sent').to.equal(
        true,
      )
      expect(entry?.rawBody).to.not.include('\uFFFD')
      expect(await app.journalOf(key)).to.have.length(0)
    })

    for (const [name, bytes] of [
      ['a lone continuation byte', [0x80]],
      ['an overlong encoding of "/"', [0xc0, 0xaf]],
      ['a UTF-16 surrogate encoded as UTF-8', [0xed, 0xa0, 0x80]],
      ['a code point above U+10FFFF', [0xf4, 0x90, 0x80, 0x80]],
      ['a sequence cut short at the end', [0xe2, 0x82]],
    ] as const) {
      it(`answers ${name} with 400`, async () => {
        const body = Buffer.concat([
          Buffer.from('{"event_type":"order.paid","payload":{"originalOrderId":"H1","x":"'),
          Buffer.from(bytes),
          Buffer.from('"}}'),
        ])
        const res = await post(body, { 'Content-Type': 'application/json' })
        expect(res.status).to.equal(400)
        expect(Buffer.from(lastEntry()?.rawBody ?? '', 'base64').equals(body)).to.equal(true)
      })
    }

    it('keeps valid non-ASCII text as it came, and drops a leading byte order mark', async () => {
      const { key, body } = order()
      const res = await post(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(body)]), {
        'Content-Type': 'application/json',
      })
      expect(res.status).to.equal(200)
      expect((await app.journalOf(key)).map((e) => e.rawBody)).to.deep.equal([body])
      expect(body).to.include('Кузнецова')
    })
  })

  describe('Content-Encoding', () => {
    const compressions: readonly [string, (b: Buffer) => Buffer][] = [
      ['gzip', gzipSync],
      ['x-gzip', gzipSync],
      ['GZIP', gzipSync],
      ['deflate', deflateSync],
      ['br', brotliCompressSync],
      ['identity', (b) => b],
    ]
    for (const [coding, compress] of compressions) {
      it(`accepts a body in ${coding} and journals it decompressed`, async () => {
        const { key, body } = order()
        const res = await post(compress(Buffer.from(body)), {
          'Content-Type': 'application/json',
          'Content-Encoding': coding,
        })
        expect(res.status, res.text).to.equal(200)
        expect((await app.journalOf(key)).map((e) => e.rawBody)).to.deep.equal([body])
      })
    }

    for (const coding of ['compress', 'zstd', 'gzip, gzip', 'br, gzip', 'constructor', 'x-unknown']) {
      it(`answers Content-Encoding: ${coding} with 415 and a detail about the encoding`, async () => {
        const res = await post(gzipSync(Buffer.from(order().body)), {
          'Content-Type': 'application/json',
          'Content-Encoding': coding,
        })
        expect(res.status).to.equal(415)
        expect(res.json).to.deep.include({ error: 'unsupported_media_type' })
        expect(detailOf(res)).to.match(
          /^Content-Encoding .* is not supported: send the body uncompressed, or compressed once with gzip, deflate or br$/,
        )
        expect(detailOf(res)).to.not.include('charset')
        expect(lastEntry()).to.deep.include({ outcome: 'rejected', httpStatus: 415, rawBody: null })
      })
    }

    it('stops a decompression bomb at the body limit: 413, without inflating it further', async () => {
      const bomb = gzipSync(Buffer.alloc(50 * 1024 * 1024, 0x20))
      expect(bomb.length, 'the bomb is small on the wire').to.be.below(LIMIT)
      const started = performance.now()
      const res = await post(bomb, { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' })
      expect(res.status).to.equal(413)
      expect(detailOf(res)).to.equal(`the body is larger than ${LIMIT} bytes once decompressed`)
      expect(performance.now() - started, 'milliseconds').to.be.below(1000)
    })

    it('applies the limit to the compressed bytes too', async () => {
      const incompressible = randomBytes(LIMIT * 2)
      const res = await post(gzipSync(incompressible), {
        'Content-Type': 'application/json',
        'Content-Encoding': 'gzip',
      })
      expect(res.status).to.equal(413)
      expect(detailOf(res)).to.equal(`the body is larger than ${LIMIT} bytes`)
    })

    it('answers a body that does not decompress with 400 and journals the bytes received in base64', async () => {
      const garbage = Buffer.from('this is not gzip at all')
      const res = await post(garbage, { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' })
      expect(res.status).to.equal(400)
      expect(detailOf(res)).to.equal(
        `the body could not be decompressed; the journal keeps its ${garbage.length} bytes in base64`,
      )
      expect(Buffer.from(lastEntry()?.rawBody ?? '', 'base64').equals(garbage)).to.equal(true)
    })

    it('answers gzip of bytes that are not UTF-8 with 400, the decompressed bytes journaled', async () => {
      const bytes = Buffer.from([0x7b, 0xff, 0x7d])
      const res = await post(gzipSync(bytes), { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' })
      expect(res.status).to.equal(400)
      expect(Buffer.from(lastEntry()?.rawBody ?? '', 'base64').equals(bytes)).to.equal(true)
    })
  })
})
