import { expect } from 'chai'
import { orderCreatedBody, seededRandom, statusBody, uniqueOrderId } from '@domino-sm/testkit'
import { postHook, send, type TestResponse } from '../support/http-client.js'
import { countOutcomes, fetchJournal, fetchOrder } from './support/admin-client.js'
import { eventually } from './support/eventually.js'
import { upstreamsInAccessLog, useHookPool } from './support/hook-pool.js'
import { storesUnderTest } from './support/store-under-test.js'

const INSTANCES = 4
const CREATED_COPIES = 50
const STATUS_EVENTS = ['order.paid', 'order.received', 'order.delivered']
const STATUS_COPIES = 4

/** Fisher-Yates with a seeded generator: a failing order can be replayed from the printed seed. */
const shuffle = <A>(items: readonly A[], random: () => number): A[] => {
  const out = [...items]
  for (let i = out.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1))
    ;[out[i], out[j]] = [out[j] as A, out[i] as A]
  }
  return out
}

interface Sent {
  readonly eventType: string
  readonly key: string
  readonly body: string
}

const numberOf = (res: TestResponse): unknown => (res.json as { number?: unknown } | undefined)?.number

// The same test on every store the pool can share (SQL Server too when DOMINO_DB_TEST_URL is set).
for (const store of storesUnderTest()) {
  describe(`4 instances on ${store.name} behind a real nginx (system)`, function () {
    this.timeout(180_000)
    const system = useHookPool(INSTANCES, store)

    it('creates one order for 50 simultaneous copies of order.created, with its status events interleaved', async () => {
      const { nginx, pool, token, adminToken } = system()
      const key = uniqueOrderId('HM')
      const seed = Date.now() % 100_000
      const requests: Sent[] = shuffle(
        [
          ...Array.from({ length: CREATED_COPIES }, () => ({
            eventType: 'order.created',
            key,
            body: orderCreatedBody({ originalOrderId: key }).body,
          })),
          ...STATUS_EVENTS.flatMap((eventType) =>
            Array.from({ length: STATUS_COPIES }, () => ({ eventType, key, body: statusBody(eventType, key).body })),
          ),
        ],
        seededRandom(seed),
      )
      const started = performance.now()
      const answers = await Promise.all(requests.map((r) => postHook(nginx.hookUrl, token, r.body)))
      const elapsedMs = Math.round(performance.now() - started)

      expect(
        answers.map((a) => a.status),
        `statuses (shuffle seed ${seed})`,
      ).to.deep.equal(requests.map(() => 200))
      const createdAnswers = answers.filter((_, i) => requests[i]?.eventType === 'order.created')
      const numbers = new Set(createdAnswers.map(numberOf))
      expect(numbers.size, 'distinct numbers answered').to.equal(1)
      const [number] = [...numbers]
      expect(number).to.be.a('string')
      expect(createdAnswers.every((a) => (a.json as { status?: unknown }).status === 'created')).to.equal(true)
      expect(answers.filter((_, i) => requests[i]?.eventType !== 'order.created').every((a) => a.text === '')).to.equal(
        true,
      )

      // Statuses only move forward, a later one may skip earlier ones, and delivered is final; updates that
      // overtake order.created wait as pending and are applied in the order received. So whatever the
      // interleaving, a burst holding order.delivered ends delivered. The final round checks that nothing moves
      // it back afterwards: each earlier status is stale now, delivered a duplicate.
      const origin = pool.instances[0]?.internalOrigin ?? ''
      expect(await fetchOrder(origin, adminToken, key)).to.include({ number, status: 'delivered' })
      for (const eventType of STATUS_EVENTS) {
        const res = await postHook(nginx.hookUrl, token, statusBody(eventType, key).body)
        expect(res.status).to.equal(200)
      }
      expect(await fetchOrder(origin, adminToken, key)).to.include({ number, status: 'delivered' })

      const journal = await fetchJournal(origin, adminToken, key)
      const sent = requests.length + STATUS_EVENTS.length
      expect(journal, 'journal entries: one per request sent').to.have.length(sent)
      expect(countOutcomes(journal, 'order.created')).to.deep.equal({ created: 1, duplicate: CREATED_COPIES - 1 })
      expect(journal.every((e) => e.httpStatus === 200)).to.equal(true)
      const finalRound = journal.slice(-STATUS_EVENTS.length).map((e) => e.outcome)
      expect(finalRound).to.deep.equal(['stale', 'stale', 'duplicate'])
      for (const outcome of Object.keys(countOutcomes(journal.filter((e) => e.eventType !== 'order.created')))) {
        expect(['applied', 'pending', 'stale', 'duplicate']).to.include(outcome)
      }

      const perInstance = await eventually(
        () => pool.instances.map((instance) => instance.hookRequests().filter((line) => line.orderKey === key).length),
        (counts) => counts.reduce((a, b) => a + b, 0) >= sent,
      )
      expect(
        perInstance.reduce((a, b) => a + b, 0),
        "request lines in the instances' logs",
      ).to.equal(sent)
      expect(
        perInstance.every((n) => n > 0),
        `every instance served some: ${perInstance.join(', ')}`,
      ).to.equal(true)
      const { perUpstream, multiUpstream } = upstreamsInAccessLog(await nginx.accessLog())
      expect(Object.keys(perUpstream).sort()).to.deep.equal(pool.instances.map((i) => `127.0.0.1:${i.port}`).sort())
      expect(multiUpstream, 'no request passed to a second instance').to.deep.equal([])

      console.log(
        `      multi-instance: ${requests.length} simultaneous requests for one order (${CREATED_COPIES} order.created + ` +
          `${requests.length - CREATED_COPIES} status events) via nginx to ${INSTANCES} instances in ${elapsedMs} ms; ` +
          `per instance ${perInstance.join('/')}; journal ${journal.length} entries; created outcomes ` +
          `${JSON.stringify(countOutcomes(journal, 'order.created'))}; status outcomes ` +
          `${JSON.stringify(countOutcomes(journal.filter((e) => e.eventType !== 'order.created')))}`,
      )
    })

    it('creates each of several orders sent at once exactly once, with distinct numbers', async () => {
      const { nginx, pool, token, adminToken } = system()
      const keys = Array.from({ length: 20 }, () => uniqueOrderId('HS'))
      const perKey = (key: string): Sent[] => [
        ...Array.from({ length: 3 }, () => ({
          eventType: 'order.created',
          key,
          body: orderCreatedBody({ originalOrderId: key }).body,
        })),
        { eventType: 'order.paid', key, body: statusBody('order.paid', key).body },
        { eventType: 'order.delivered', key, body: statusBody('order.delivered', key).body },
      ]
      const requests = shuffle(keys.flatMap(perKey), seededRandom(7))
      const started = performance.now()
      const answers = await Promise.all(requests.map((r) => postHook(nginx.hookUrl, token, r.body)))
      const elapsedMs = Math.round(performance.now() - started)

      expect(
        answers.every((a) => a.status === 200),
        'every answer 200',
      ).to.equal(true)
      const origin = pool.instances[0]?.internalOrigin ?? ''
      const numbers = new Set<unknown>()
      for (const key of keys) {
        const answered = new Set(
          answers
            .filter((_, i) => requests[i]?.key === key && requests[i]?.eventType === 'order.created')
            .map(numberOf),
        )
        expect(answered.size, `numbers answered for ${key}`).to.equal(1)
        const order = await fetchOrder(origin, adminToken, key)
        expect(order).to.include({ number: [...answered][0], status: 'delivered' })
        numbers.add(order?.number)
        const journal = await fetchJournal(origin, adminToken, key)
        expect(journal).to.have.length(5)
        expect(countOutcomes(journal, 'order.created')).to.deep.equal({ created: 1, duplicate: 2 })
      }
      expect(numbers.size, 'distinct order numbers').to.equal(keys.length)
      console.log(
        `      multi-instance: ${requests.length} simultaneous requests for ${keys.length} orders via nginx to ${INSTANCES} instances in ${elapsedMs} ms`,
      )
    })

    it('exposes only the hook: admin and metrics are not reachable through nginx, the body limit and client address hold', async () => {
      const { nginx, pool, token } = system()
      expect((await send(`${nginx.origin}/admin/orders/H1`, { method: 'GET' })).status).to.equal(404)
      expect((await send(`${nginx.origin}/metrics`, { method: 'GET' })).status).to.equal(404)
      expect((await send(nginx.hookUrl, { method: 'GET' })).status, "other methods are the service's 405").to.equal(405)
      const tooLarge = `{"event_type":"order.created","payload":"${'x'.repeat(1024 * 1024)}"}`
      expect((await postHook(nginx.hookUrl, token, tooLarge)).status).to.equal(413)

      // nginx sets X-Forwarded-For to the peer's address: a forged one sent by the caller does not reach the logs.
      const key = uniqueOrderId('HX')
      const res = await postHook(nginx.hookUrl.replace(/\/$/, ''), token, statusBody('order.not_yet_known', key).body, {
        'X-Forwarded-For': '203.0.113.9',
      })
      expect(res.status, 'the path without the trailing slash is proxied too').to.equal(200)
      const lines = await eventually(
        () => pool.instances.flatMap((instance) => instance.hookRequests().filter((line) => line.orderKey === key)),
        (found) => found.length > 0,
      )
      expect(lines.map((line) => [line.client, line.outcome])).to.deep.equal([['127.0.0.1', 'ignored']])
    })
  })
}
