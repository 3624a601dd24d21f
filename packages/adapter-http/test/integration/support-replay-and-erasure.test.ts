import { expect } from 'chai'
import { randomBytes } from 'node:crypto'
import * as E from 'fp-ts/lib/Either.js'
import { orderCreatedBody, statusBody, uniqueOrderId } from '@domino-sm/testkit'
import {
  erasePersonalData,
  parseAppConfig,
  parseJournalFilters,
  replayJournal,
  startService,
  type JournalFilters,
  type RunningService,
} from '@domino-sm/adapter-http'
import { send, type TestResponse } from '../support/http-client.js'
import { runCli } from '../support/spawn-cli.js'
import { sqliteSharedStore, sqlServerSharedStore, type SharedStore } from '../support/support-stores.js'
import { ADMIN, LogCapture, startTestApp, TOKEN, type TestApp } from '../support/test-app.js'

/** A customer of one test run: text found nowhere else, so that its absence after an erasure proves something. */
const customerOf = (tag: string) => {
  const mark = randomBytes(4).toString('hex')
  const personal = {
    name: `Эрасмус Тестов ${mark}`,
    phone: `+7999${parseInt(mark, 16) % 10_000_000}`.padEnd(12, '0'),
    email: `erase-${mark}@example.ru`,
    street: `ул. Стираемая ${mark}`,
    apartment: `кв-${mark}`,
  }
  return {
    personal,
    values: Object.values(personal),
    payload: {
      customer: { name: personal.name, phone: personal.phone, email: personal.email },
      address: {
        full_address: `г. Москва, ${personal.street}, ${personal.apartment}`,
        street: personal.street,
        apartment: personal.apartment,
        city: 'Москва',
      },
      comment: `test ${tag}`,
    },
  }
}

const post = (hookUrl: string, body: string): Promise<TestResponse> =>
  send(hookUrl, { headers: { 'Content-Type': 'application/json', 'Client-Token': TOKEN }, body })
const adminGet = (origin: string, path: string): Promise<TestResponse> =>
  send(`${origin}${path}`, { method: 'GET', headers: { Authorization: `Bearer ${ADMIN}` } })

const filters = (raw: Partial<Parameters<typeof parseJournalFilters>[0]>): JournalFilters => {
  const parsed = parseJournalFilters({ ids: [], outcomes: [], review: false, ...raw })
  if (E.isLeft(parsed)) throw new Error(parsed.left.join('; '))
  return parsed.right
}

/** Polls the admin API until `count` failed entries since `since` are journaled (a locked store journals its 503s late). */
const waitForFailed = async (origin: string, since: string, count: number): Promise<void> => {
  const until = Date.now() + 30_000
  for (;;) {
    const listed = await adminGet(origin, `/admin/journal?outcome=failed&since=${encodeURIComponent(since)}`)
    if ((listed.json as { entries: unknown[] }).entries.length >= count) return
    if (Date.now() > until)
      throw new Error(`only ${(listed.json as { entries: unknown[] }).entries.length} failed entries journaled`)
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
}

/** What an admin answer must not hold after an erasure. */
const expectNone = (text: string, values: readonly string[], where: string): void => {
  for (const value of values) expect(text, `${where} still holds "${value}"`).not.to.contain(value)
}

describe('support on the in-memory store: replay of failed requests, the admin journal, erasure (real socket)', () => {
  let app: TestApp
  before(async () => {
    app = await startTestApp({
      faults: { createOrGet: { fail: { _tag: 'Always' } }, applyUpdate: { fail: { _tag: 'Always' } } },
    })
  })
  after(() => app.close())

  it('replays the requests a down store failed into orders; a dry run changes nothing; a second replay creates nothing', async () => {
    const since = new Date(app.clock.now().getTime()).toISOString()
    const keys = [uniqueOrderId('MR'), uniqueOrderId('MR')]
    const customer = customerOf('memory')
    const bodies = [
      orderCreatedBody({ originalOrderId: keys[0] ?? '', ...customer.payload }).body,
      orderCreatedBody({ originalOrderId: keys[1] ?? '' }).body,
      statusBody('order.paid', keys[0] ?? '').body,
    ]
    for (const body of bodies) expect((await post(app.hookUrl, body)).status).to.equal(503)
    app.faulty.heal()
    const failed = filters({ outcomes: ['failed'], since })
    const out: string[] = []
    const forecast = await replayJournal(app.store, failed, { unreadable: 'review', dryRun: true }, (t) => out.push(t))
    expect(forecast.map((r) => (r._tag === 'NotReplayable' ? r._tag : r.outcome))).to.deep.equal([
      'created',
      'created',
      'pending',
    ])
    expect(await app.orderOf(keys[0] ?? '')).to.equal(undefined)
    expect((await app.journalOf(keys[0] ?? '')).length).to.equal(2)

    const first = await replayJournal(app.store, failed, { unreadable: 'review', dryRun: false }, (t) => out.push(t))
    expect(first.map((r) => (r._tag === 'NotReplayable' ? r._tag : r.outcome))).to.deep.equal([
      'created',
      'created',
      'applied',
    ])
    const order = await app.orderOf(keys[0] ?? '')
    expect(order?.status).to.equal('paid')
    const second = await replayJournal(app.store, failed, { unreadable: 'review', dryRun: false }, (t) => out.push(t))
    expect(second.map((r) => (r._tag === 'NotReplayable' ? r._tag : r.outcome))).to.deep.equal([
      'duplicate',
      'duplicate',
      'duplicate',
    ])
    expect((await app.orderOf(keys[0] ?? ''))?.number).to.equal(order?.number)
    expect(out.at(-1)).to.equal('replayed 3 of 3 entries: duplicate 3.\n')

    const listed = await adminGet(app.internalOrigin, `/admin/journal?order=${keys[0] ?? ''}`)
    expect(listed.status).to.equal(200)
    const entries = (listed.json as { entries: Record<string, unknown>[] }).entries
    expect(entries.map((e) => [e['outcome'], e['replayOf'] === null])).to.deep.equal([
      ['failed', true],
      ['failed', true],
      ['created', false],
      ['applied', false],
      ['duplicate', false],
      ['duplicate', false],
    ])
    expect(entries.every((e) => !('rawBody' in e) && e['hasBody'] === true)).to.equal(true)
    expectNone(listed.text, customer.values, 'the journal list')
    const one = await adminGet(app.internalOrigin, `/admin/journal/${String(entries[0]?.['id'])}`)
    expect((one.json as { rawBody: string }).rawBody).to.contain(customer.personal.name)

    const report = await erasePersonalData(app.store, keys[0] ?? '', 'ticket 1: the customer asked')
    expect(report).to.include({ orderFound: true, journalBodiesErased: 3, pendingBodiesErased: 0 })
    for (const path of [
      `/admin/orders/${keys[0] ?? ''}`,
      `/admin/orders/${keys[0] ?? ''}/events`,
      `/admin/journal?order=${keys[0] ?? ''}`,
    ]) {
      const res = await adminGet(app.internalOrigin, path)
      expect(res.status, path).to.equal(200)
      expectNone(res.text, customer.values, path)
    }
    for (const entry of entries)
      expectNone(
        (await adminGet(app.internalOrigin, `/admin/journal/${String(entry['id'])}`)).text,
        customer.values,
        `entry ${String(entry['id'])}`,
      )
    const erased = await adminGet(app.internalOrigin, `/admin/orders/${keys[0] ?? ''}`)
    expect(erased.json).to.include({ status: 'paid', number: order?.number })
  })

  it('answers a bad filter 400 naming it, and the admin journal only with the admin token', async () => {
    const bad = await adminGet(app.internalOrigin, '/admin/journal?outcome=lost&since=yesterday')
    expect(bad.status).to.equal(400)
    expect((bad.json as { detail: string }).detail)
      .to.contain('"lost" is not one of')
      .and.contain('since')
    expect((await send(`${app.internalOrigin}/admin/journal`, { method: 'GET' })).status).to.equal(401)
    expect(
      (
        await send(`${app.internalOrigin}/admin/journal/1`, {
          method: 'GET',
          headers: { Authorization: `Bearer ${TOKEN}` },
        })
      ).status,
    ).to.equal(401)
    expect((await adminGet(app.internalOrigin, '/admin/journal/999999')).status).to.equal(404)
  })
})

const stores: readonly { readonly name: string; readonly open: () => Promise<SharedStore> }[] = [
  { name: 'SQLite', open: sqliteSharedStore },
  ...(process.env['DOMINO_DB_TEST_URL']
    ? [{ name: 'SQL Server', open: () => sqlServerSharedStore(process.env['DOMINO_DB_TEST_URL'] ?? '') }]
    : []),
]
if (stores.length === 1)
  console.log(
    '      SQL Server support tests SKIPPED: DOMINO_DB_TEST_URL is not set (see packages/adapter-domino-db README)',
  )

for (const { name, open } of stores) {
  describe(`support on ${name}: the CLI beside a running service`, function () {
    this.timeout(180_000)
    let store: SharedStore
    let service: RunningService
    let env: Record<string, string>

    before(async () => {
      store = await open()
      env = {
        ...store.env,
        PORT: '0',
        INTERNAL_PORT: '0',
        LOG_LEVEL: 'silent',
        SBERMARKET_HOOK_TOKENS: TOKEN,
        ADMIN_TOKEN: ADMIN,
      }
      const config = parseAppConfig(env)
      if (E.isLeft(config)) throw new Error(config.left.join('; '))
      service = await startService(config.right, { logDestination: new LogCapture() })
    })
    after(async () => {
      await service?.stop()
      await store?.cleanup()
    })

    const cli = async (args: readonly string[], code = 0): Promise<string> => {
      const started = performance.now()
      const run = await runCli(args, env)
      expect(run.code, `${args.join(' ')}: ${run.stderr}${run.stdout}`).to.equal(code)
      console.log(
        `      ${args.slice(0, 2).join(' ')}${args.includes('--dry-run') ? ' --dry-run' : ''}: ${Math.round(performance.now() - started)} ms, ${run.stdout.trim().split('\n').at(-1) ?? ''}`,
      )
      return run.stdout
    }

    it('replays requests the store failed (locked or held) into orders, a dry run changes nothing, a second replay creates nothing; erasure leaves nothing readable', async () => {
      const origin = service.internalOrigin
      const { hookUrl } = await service.hook
      const since = new Date().toISOString()
      const keys = [uniqueOrderId('SR'), uniqueOrderId('SR'), uniqueOrderId('SR')]
      const customer = customerOf(name)
      const other = customerOf(`${name} other`)
      const [k0, k1, k2] = keys as [string, string, string]
      const refusal = await store.refuse(keys)
      const answers = await Promise.all([
        post(hookUrl, orderCreatedBody({ originalOrderId: k0, ...customer.payload }).body),
        post(hookUrl, orderCreatedBody({ originalOrderId: k1, ...other.payload }).body),
        post(hookUrl, orderCreatedBody({ originalOrderId: k2 }).body),
      ])
      expect(answers.map((a) => a.status)).to.deep.equal([503, 503, 503])
      expect((await post(hookUrl, statusBody('order.paid', k0).body)).status).to.equal(503)
      // Held past every refused operation's own budget (SQLite's 1500 ms): none of them may commit late after all.
      await new Promise((resolve) => setTimeout(resolve, 2500))
      await refusal.release()
      await waitForFailed(origin, since, 4)

      const dry = await cli(['journal', 'replay', '--outcome', 'failed', '--since', since, '--dry-run'])
      expect(dry.match(/ -> would be created/g) ?? []).to.have.length(3)
      expect(dry).to.contain('Nothing was changed.')
      expect((await adminGet(origin, `/admin/orders/${k0}`)).status).to.equal(404)
      expect(
        ((await adminGet(origin, `/admin/journal?since=${encodeURIComponent(since)}`)).json as { entries: unknown[] })
          .entries,
      ).to.have.length(4)

      const first = await cli(['journal', 'replay', '--outcome', 'failed', '--since', since])
      expect(first).to.match(
        /replayed 4 of 4 entries: (created 3, applied 1|applied 1, created 3|pending 1, created 3|created 3, pending 1)\./,
      )
      const orders = await Promise.all(keys.map((k) => adminGet(origin, `/admin/orders/${k}`)))
      expect(orders.map((o) => o.status)).to.deep.equal([200, 200, 200])
      expect(orders[0]?.json).to.include({ status: 'paid' })
      const numbers = orders.map((o) => (o.json as { number: string }).number)

      const second = await cli(['journal', 'replay', '--outcome', 'failed', '--since', since])
      expect(second).to.contain('replayed 4 of 4 entries: duplicate 4.')
      const again = await Promise.all(keys.map((k) => adminGet(origin, `/admin/orders/${k}`)))
      expect(again.map((o) => (o.json as { number: string }).number)).to.deep.equal(numbers)

      const listed = await cli(['journal', 'list', '--order', k0])
      expect(listed.match(/replay of #/g) ?? []).to.have.length(4)
      expect(listed).not.to.contain(customer.personal.name)
      expect(await store.tableText()).to.contain(customer.personal.name)

      const erased = await cli(['personal-data', 'erase', '--order', k0, '--note', 'ticket 7: the customer asked'])
      expect(erased).to.match(
        new RegExp(`${k0}: personal data erased from the order, 3 journal bodies and 0 pending updates`),
      )
      for (const path of [`/admin/orders/${k0}`, `/admin/orders/${k0}/events`])
        expectNone((await adminGet(origin, path)).text, customer.values, path)
      const ids = (
        (await adminGet(origin, `/admin/journal?order=${k0}`)).json as { entries: { id: number }[] }
      ).entries.map((e) => e.id)
      for (const id of ids)
        expectNone((await adminGet(origin, `/admin/journal/${id}`)).text, customer.values, `entry ${id}`)
      const tables = await store.tableText()
      expectNone(tables, customer.values, `the ${name} tables`)
      expect(tables, 'another customer is left alone').to.contain(other.personal.name)
      expect((await adminGet(origin, `/admin/orders/${k0}`)).json).to.include({ status: 'paid', number: numbers[0] })
      const stillFound = await cli(['journal', 'list', '--order', k0, '--outcome', 'applied'])
      expect(stillFound).to.contain('support.personal-data-erased')
    })
  })
}
