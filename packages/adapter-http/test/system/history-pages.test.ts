import { expect } from 'chai'
import { readFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { orderCreatedBody, statusBody, uniqueOrderId } from '@domino-sm/testkit'
import { postHook, send, type TestResponse } from '../support/http-client.js'
import { hookUrlOf, internalOriginOf, startServe, type ServeProcess } from '../support/spawn-cli.js'
import { ADMIN, TOKEN } from '../support/test-app.js'
import { storesUnderTest } from './support/store-under-test.js'

/** How many requests of ~900 KB the order gets (on each store), and their size in UTF-8 (under the default body limit of 1 MiB). */
const EVENTS = Number(process.env['HISTORY_EVENTS'] ?? 300)
const BODY_BYTES = 900_000
/** The most bytes of entries one page holds (`ADMIN_PAGE_BYTES`), and the room of its envelope. */
const PAGE_BYTES = 256 * 1024
const ENVELOPE_BYTES = 200

/** The memory of a process from /proc (Linux): resident now and its peak, in MB. */
const memoryOf = (pid: number): { readonly rssMb: number; readonly peakMb: number } => {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = (name: string): number => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN)
  return { rssMb: Math.round(kb('VmRSS') / 1024), peakMb: Math.round(kb('VmHWM') / 1024) }
}

/** The durations the served process logged for requests to `path` (its request log lines on stdout). */
const loggedMs = (serve: ServeProcess, path: string): number[] =>
  serve
    .output()
    .stdout.split('\n')
    .filter((line) => line.includes('"msg":"request"'))
    .map((line) => JSON.parse(line) as { path: string; durationMs: number; status: number })
    .filter((line) => line.path === path)
    .map((line) => line.durationMs)

const median = (values: readonly number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN
const max = (values: readonly number[]): number => Math.max(...values)

/**
 * An order whose history holds 300 requests of ~900 KB each (270 MB of bodies) in a served process, on SQLite and
 * (with DOMINO_DB_TEST_URL) on SQL Server: its history is read page by page while hook requests are timed. Before the
 * history was paged, reading such an order (560 events on SQLite) took the process to 1.9 GB and answered 500 after
 * 4 s, and a hook request meanwhile took 5.2 s. The figures are printed; no time is asserted (a shared machine).
 * `HISTORY_EVENTS` sets another count (writing them is what takes the time: ~150 ms a request here).
 */
for (const store of storesUnderTest())
  describe(`an order of ${EVENTS} requests of ~900 KB, its history read page by page on ${store.name} (a served process)`, function () {
    this.timeout(900_000)
    let dataDir: string
    let serve: ServeProcess
    let origin: string

    before(async () => {
      dataDir = await mkdtemp(join(tmpdir(), 'hook-history-'))
      const env = await store.prepare()
      serve = await startServe({
        ...env,
        DATA_DIR: dataDir,
        PORT: '0',
        SBERMARKET_HOOK_TOKENS: TOKEN,
        ADMIN_TOKEN: ADMIN,
        LOG_LEVEL: 'info',
      })
      origin = internalOriginOf(serve)
      await store.warmUp?.([hookUrlOf(serve).replace(/\/sbermarket\/orders\/hook\/$/, '')], TOKEN)
    })
    after(async () => {
      serve?.child.kill('SIGTERM')
      await serve?.exited
      await store.cleanup()
      await rm(dataDir, { recursive: true, force: true })
    })

    const admin = (path: string): Promise<TestResponse> =>
      send(`${origin}${path}`, { method: 'GET', headers: { Authorization: `Bearer ${ADMIN}` } })

    it('answers every page within its bounds, without bodies, while the hook goes on answering', async () => {
      const hookUrl = hookUrlOf(serve)
      const key = uniqueOrderId('HB')
      expect((await postHook(hookUrl, TOKEN, orderCreatedBody({ originalOrderId: key }).body)).status).to.equal(200)
      const unit = 'Молоко 3,2% milk 950 g, 129.90 RUB; '
      const filler = unit.repeat(Math.floor(BODY_BYTES / Buffer.byteLength(unit, 'utf8')))
      const writeStarted = performance.now()
      for (let i = 0; i < EVENTS; i += 1) {
        const res = await postHook(hookUrl, TOKEN, statusBody('order.paid', key, { note: `${i}:${filler}` }).body)
        expect(res.status, `event ${i}`).to.equal(200)
      }
      const writeMs = performance.now() - writeStarted
      const before = memoryOf(serve.child.pid ?? 0)
      // The same hook requests with no history read beside them, for comparison.
      const aloneMs: number[] = []
      for (let i = 0; i < 4; i += 1) {
        const alone = await postHook(hookUrl, TOKEN, orderCreatedBody({ originalOrderId: uniqueOrderId('HT') }).body)
        expect(alone.status).to.equal(200)
        aloneMs.push(alone.elapsedMs)
      }

      // Read the history page by page; each page read goes together with a hook request (a new order) timed by the client.
      const path = `/admin/orders/${key}/events`
      const pages: { bytes: number; entries: number; clientMs: number }[] = []
      const hookMs: number[] = []
      const ids: number[] = []
      let after: number | null = null
      do {
        const query: string = after === null ? '' : `?after=${after}`
        const [page, hook] = await Promise.all([
          admin(`${path}${query}`),
          postHook(hookUrl, TOKEN, orderCreatedBody({ originalOrderId: uniqueOrderId('HT') }).body),
        ])
        expect(page.status).to.equal(200)
        expect(hook.status).to.equal(200)
        hookMs.push(hook.elapsedMs)
        const bytes = Buffer.byteLength(page.text, 'utf8')
        expect(bytes).to.be.at.most(PAGE_BYTES + ENVELOPE_BYTES)
        const body = page.json as { events: { id: number; hasBody: boolean; rawBody?: unknown }[]; next: number | null }
        for (const event of body.events) {
          expect(event).to.not.have.property('rawBody')
          expect(event.hasBody).to.equal(true)
        }
        ids.push(...body.events.map((event) => event.id))
        pages.push({ bytes, entries: body.events.length, clientMs: Math.round(page.elapsedMs * 10) / 10 })
        after = body.next
      } while (after !== null)
      expect(ids).to.have.length(EVENTS + 1)
      expect([...ids].sort((a, b) => a - b)).to.deep.equal(ids)

      // The history again, with nothing beside it: a statement's first run on a pooled session of the T-SQL engine is slow.
      const again: number[] = []
      for (let next: number | null = null, first = true; first || next !== null; first = false) {
        const res = await admin(`${path}${next === null ? '' : `?after=${next}`}`)
        expect(res.status).to.equal(200)
        again.push(Math.round(res.elapsedMs * 10) / 10)
        next = (res.json as { next: number | null }).next
      }

      // One body, the largest kind, by its id.
      const one = await admin(`/admin/journal/${String(ids.at(-1))}`)
      expect(one.status).to.equal(200)
      expect((one.json as { rawBody: string }).rawBody).to.contain(`"note":"${EVENTS - 1}:`)
      const after_ = memoryOf(serve.child.pid ?? 0)
      // The log lines are written a tick later: wait for the last one.
      await new Promise((resolve) => setTimeout(resolve, 200))
      const serverMs = loggedMs(serve, path)
      expect(serverMs).to.have.length(pages.length + again.length)
      console.log(
        `      ${EVENTS} requests of ~${Math.round(BODY_BYTES / 1000)} KB written in ${Math.round(writeMs)} ms; history: ${pages.length} pages ` +
          `(${pages.map((p) => `${p.entries} entries, ${p.bytes} B`).join('; ')}), server ${serverMs
            .slice(0, pages.length)
            .map((ms) => ms.toFixed(1))
            .join(', ')} ms, ` +
          `client ${pages.map((p) => p.clientMs).join(', ')} ms; read again alone: server ${serverMs
            .slice(pages.length)
            .map((ms) => ms.toFixed(1))
            .join(
              ', ',
            )} ms; one entry with its body: ${Buffer.byteLength(one.text, 'utf8')} B in ${one.elapsedMs.toFixed(1)} ms; ` +
          `hook requests meanwhile: median ${median(hookMs).toFixed(1)} ms, max ${max(hookMs).toFixed(1)} ms (alone: median ${median(aloneMs).toFixed(1)} ms, max ${max(aloneMs).toFixed(1)} ms); ` +
          `process memory before reading ${before.rssMb} MB (peak so far ${before.peakMb} MB), after ${after_.rssMb} MB (peak ${after_.peakMb} MB)`,
      )
    })
  })
