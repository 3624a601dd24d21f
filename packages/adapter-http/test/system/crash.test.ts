import { expect } from 'chai'
import { orderCreatedBody, seededRandom, statusBody, uniqueOrderId } from '@domino-sm/testkit'
import { HookClient, type AttemptResult, type DeliveryResult, type OutgoingEvent } from '@domino-sm/testkit/emulator'
import { countOutcomes, fetchJournal, fetchOrder } from './support/admin-client.js'
import { SYSTEM_TEST_TIMING } from './support/delivery-timing.js'
import { useHookPool } from './support/hook-pool.js'
import { storesUnderTest } from './support/store-under-test.js'

const INSTANCES = 4
const ORDERS = 50
const EVENTS = ['order.created', 'order.paid', 'order.received', 'order.delivered']
/** Each delivery starts at a random moment of this window; the crash falls inside it. */
const STREAM_MS = 5000
const CRASH_AT_MS = 1500
const BURST = 24
const CRASH_AFTER_ANSWERS = 3
const DOWN_MS = 300
/**
 * How long the victim stays frozen (SIGSTOP) before the SIGKILL, taking requests it will never answer. Longer than
 * nginx's resend window (`proxy_next_upstream_timeout`, 0.4 s in deploy/nginx/hook.conf.template), so that the cut
 * requests are of both kinds: the newest nginx sends to another instance itself, the older it answers 502 and
 * SberMarket's retry takes over.
 */
const FROZEN_MS = 700
const VICTIM = 2

interface Planned {
  readonly key: string
  readonly eventType: string
  readonly burst: boolean
  readonly startAtMs: number
}

/** How many attempts got each status other than 200 and 502, e.g. { "503": 3 }. */
const otherStatuses = (attempts: readonly AttemptResult[]): Record<string, number> => {
  const counts: Record<string, number> = {}
  for (const a of attempts)
    if (a._tag === 'Answered' && a.status !== 200 && a.status !== 502) counts[a.status] = (counts[a.status] ?? 0) + 1
  return counts
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/** An attempt that reached an instance which died before answering, past nginx's resend window: nginx answers 502. */
const wasCut = (a: AttemptResult): boolean => a._tag === 'Answered' && a.status === 502
/**
 * The requests nginx saw cut on `upstream` (host:port): each is one line of its error log, a reset or a connection
 * closed before the answer's header, whether nginx then sent the request to another instance or answered 502.
 */
const cutsOn = (errorLog: string, upstream: string): number =>
  errorLog
    .split('\n')
    .filter(
      (line) =>
        (line.includes('Connection reset by peer') || line.includes('prematurely closed')) &&
        line.includes(`upstream: "http://${upstream}/`),
    ).length
const answeredByService = (a: AttemptResult): boolean => a._tag === 'Answered' && (a.status === 200 || a.status === 503)
const gotNoAnswer = (a: AttemptResult): boolean => a._tag === 'TimedOut' || a._tag === 'ConnectionError'
/** The body of a 200 parsed as JSON, or undefined when it is not JSON (an empty body, nginx's HTML). */
const jsonOf = (body: string): unknown => {
  try {
    return body === '' ? undefined : (JSON.parse(body) as unknown)
  } catch {
    return undefined
  }
}
const numberIn = (a: AttemptResult): unknown =>
  a._tag === 'Answered' && a.status === 200 ? (jsonOf(a.body) as { number?: unknown } | undefined)?.number : undefined
/** Ended with a 2xx answer: the client stops at any status below 400, the test wants a 2xx. */
const got2xx = (d: DeliveryResult): boolean => d.answer !== undefined && d.answer.status >= 200 && d.answer.status < 300

// The same test on every store the pool can share (SQL Server too when DOMINO_DB_TEST_URL is set).
for (const store of storesUnderTest()) {
  describe(`an instance killed with SIGKILL while requests are in flight, ${store.name} (system)`, function () {
    this.timeout(180_000)
    const system = useHookPool(INSTANCES, store)
    let client: HookClient | undefined
    afterEach(() => client?.close())

    it('loses no order and duplicates none when SberMarket retries, and the restarted instance serves again', async () => {
      const { nginx, pool, token, adminToken } = system()
      const seed = Date.now() % 100_000
      const random = seededRandom(seed)
      const keys = Array.from({ length: ORDERS }, () => uniqueOrderId('HC'))
      // Every event of every order starts at its own random moment, so status events often overtake order.created;
      // except the order.created of the first BURST orders, sent all at once at CRASH_AT_MS. The crash comes when
      // the first few of them are answered: the others are then queued in the instances (their writes take turns
      // on the one SQLite write lock), so the victim certainly dies with requests in flight.
      // Each order.created is sent twice, the second copy at its own random moment: SberMarket's resend after a
      // timeout can arrive while the first is still being handled, the race the unique order key is there for.
      const isBurst = (key: string, eventType: string, copy: number): boolean =>
        eventType === 'order.created' && copy === 0 && keys.indexOf(key) < BURST
      const plan: Planned[] = keys.flatMap((key) =>
        [...EVENTS, 'order.created'].map((eventType, i) => {
          const burst = isBurst(key, eventType, i)
          return { key, eventType, burst, startAtMs: burst ? CRASH_AT_MS : Math.floor(random() * STREAM_MS) }
        }),
      )
      const bodyOf = (p: Planned): string =>
        p.eventType === 'order.created'
          ? orderCreatedBody({ originalOrderId: p.key }).body
          : statusBody(p.eventType, p.key).body
      const eventOf = (p: Planned): OutgoingEvent => ({
        eventType: p.eventType,
        originalOrderId: p.key,
        body: bodyOf(p),
      })

      const victim = pool.instances[VICTIM]
      if (victim === undefined) throw new Error('no victim')
      const started = performance.now()
      let burstAnswered = 0
      let burstProgress = (): void => undefined
      const burstUnderWay = new Promise<void>((resolve) => {
        burstProgress = () => {
          burstAnswered += 1
          if (burstAnswered >= CRASH_AFTER_ANSWERS) resolve()
        }
      })
      // Every attempt of a burst delivery counts towards the crash; the events are told apart by identity.
      const burstEvents = new Set<OutgoingEvent>()
      const sberMarket = new HookClient({
        url: nginx.hookUrl,
        token,
        timing: SYSTEM_TEST_TIMING,
        onAttempt: (event) => {
          if (burstEvents.has(event)) burstProgress()
        },
      })
      client = sberMarket
      const deliveries = plan.map(async (p): Promise<DeliveryResult & Planned> => {
        await sleep(p.startAtMs)
        const event = eventOf(p)
        if (p.burst) burstEvents.add(event)
        return { ...p, ...(await sberMarket.deliver(event)) }
      })
      await Promise.race([burstUnderWay, sleep(CRASH_AT_MS + 5000)])
      // The store answers in a few milliseconds, so the burst alone may leave nothing in flight. The victim is frozen
      // first: nginx goes on handing it requests (the kernel accepts them), it holds whatever it was in the middle of,
      // and the SIGKILL then cuts all of that, committed or not.
      pool.freeze(VICTIM)
      await sleep(FROZEN_MS)
      const servedBeforeCrash = victim.hookRequests().length
      await pool.crash(VICTIM)
      const crashedAtMs = Math.round(performance.now() - started)
      await sleep(DOWN_MS)
      await pool.restart(VICTIM)
      const restartedAtMs = Math.round(performance.now() - started)
      const servedByFirstLife = victim.hookRequests().length
      const done = await Promise.all(deliveries)
      const elapsedMs = Math.round(performance.now() - started)

      // Under load the restart can end after the stream; then repeat order.delivered (as SberMarket's retries would)
      // one at a time until nginx has sent some to the restarted instance again (it retries a failed one after its
      // fail_timeout of 2 s). Each must be a 200 duplicate.
      const replayUntil = performance.now() + 10_000
      let replayed = 0
      while (victim.hookRequests().length === servedByFirstLife && performance.now() < replayUntil) {
        const key = keys[replayed % keys.length] ?? ''
        const replay = await sberMarket.deliver({
          eventType: 'order.delivered',
          originalOrderId: key,
          body: statusBody('order.delivered', key).body,
        })
        expect(replay.answer?.status, `replayed order.delivered of ${key}`).to.equal(200)
        replayed += 1
        await sleep(50)
      }

      const attempts = done.flatMap((d) => d.attempts)
      const tally = (pick: (a: AttemptResult) => boolean): number => attempts.filter(pick).length
      console.log(
        `      crash: ${done.length} deliveries (${ORDERS} orders x ${EVENTS.length} events, order.created twice) over ${STREAM_MS} ms via nginx to ` +
          `${INSTANCES} instances; instance ${VICTIM + 1} (${servedBeforeCrash} hook requests served) killed with SIGKILL at ` +
          `${crashedAtMs} ms, listening again at ${restartedAtMs} ms; ${attempts.length} attempts: ` +
          `${tally((a) => a._tag === 'Answered' && a.status === 200)} x 200, ${tally(wasCut)} x 502 (cut by the crash), ` +
          `other answers ${JSON.stringify(otherStatuses(attempts))}, ` +
          `${tally(gotNoAnswer)} without answer; retried deliveries ${done.filter((d) => d.attempts.length > 1).length}; ` +
          `${elapsedMs} ms; then ${replayed} replayed order.delivered until the restarted instance had served ${victim.hookRequests().length - servedByFirstLife}`,
      )
      const nginxErrors = await nginx.errorLog()
      const errorKinds = [
        'Connection refused',
        'Connection reset by peer',
        'prematurely closed',
        'timed out',
        'no live upstreams',
      ]
      console.log(
        `      crash: nginx error log: ${errorKinds.map((kind) => `${kind}: ${nginxErrors.split(kind).length - 1}`).join(', ')}`,
      )

      const gaveUp = done.filter((d) => !got2xx(d))
      expect(
        gaveUp.map((d) => `${d.eventType} ${d.key}: ${JSON.stringify(d.attempts)}`),
        `seed ${seed}: deliveries that never got a 2xx`,
      ).to.deep.equal([])

      const origin = pool.instances[0]?.internalOrigin ?? ''
      const numbers = new Set<unknown>()
      const outcomes: Record<string, number> = {}
      for (const key of keys) {
        const mine = done.filter((d) => d.key === key)
        const order = await fetchOrder(origin, adminToken, key)
        expect(order, `order ${key}`).to.not.equal(undefined)
        expect(order?.status, `status of ${key}`).to.equal('delivered')
        const created = mine.filter((d) => d.eventType === 'order.created')
        const answeredNumbers = new Set(created.flatMap((d) => d.attempts.map(numberIn)).filter((n) => n !== undefined))
        expect([...answeredNumbers], `numbers answered for ${key}`).to.deep.equal([order?.number])
        numbers.add(order?.number)

        const journal = await fetchJournal(origin, adminToken, key)
        for (const [outcome, n] of Object.entries(countOutcomes(journal)))
          outcomes[outcome] = (outcomes[outcome] ?? 0) + n
        // The order and the journal entry of the request that changed it commit in one transaction, so a crash
        // leaves no committed order without its entry (README, "The journal"): the create's, and the delivery's that made the
        // order delivered (applied to it, or kept pending and applied when it was created).
        expect(countOutcomes(journal, 'order.created')['created'] ?? 0, `created entries of ${key}`).to.equal(1)
        const delivered = countOutcomes(journal, 'order.delivered')
        expect(
          (delivered['applied'] ?? 0) + (delivered['pending'] ?? 0),
          `entries of the order.delivered that made ${key} delivered`,
        ).to.equal(1)
        const serviceAnswers = mine.reduce((n, d) => n + d.attempts.filter(answeredByService).length, 0)
        expect(journal.length, `journal of ${key} holds every request an instance answered`).to.be.at.least(
          serviceAnswers,
        )
      }
      expect(numbers.size, 'distinct order numbers').to.equal(ORDERS)
      const victimCuts = cutsOn(nginxErrors, new URL(victim.origin).host)
      console.log(
        `      crash: requests cut on the victim by the crash (nginx's error log): ${victimCuts}; of those, ` +
          `answered 502 (past nginx's resend window, retried by the client): ${tally(wasCut)}; the rest sent by nginx to another instance`,
      )
      expect(victimCuts, 'requests in flight on the victim, cut by the crash').to.be.greaterThan(0)
      console.log(
        `      crash: ${ORDERS} orders, each exactly once with one number, all delivered; journal outcomes ${JSON.stringify(outcomes)}; ` +
          'every order with the entry of the request that created it and of the one that delivered it',
      )
      expect(victim.hookRequests().length, 'the restarted instance served hook requests again').to.be.greaterThan(
        servedByFirstLife,
      )
    })
  })
}
