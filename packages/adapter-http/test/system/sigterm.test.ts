import { expect } from 'chai'
import { orderCreatedBody, statusBody, uniqueOrderId } from '@domino-sm/testkit'
import { postHook, send } from '../support/http-client.js'
import { countOutcomes, fetchJournal, fetchOrder } from './support/admin-client.js'
import { useHookPool } from './support/hook-pool.js'

const INSTANCES = 4
/** Concurrent SberMarket senders: enough to keep nginx's keep-alive connections to every instance busy and idle in turn. */
const SENDERS = 16
/**
 * Senders of a cheap request (GET on the hook path: the service's 405, no store involved), so nginx's keep-alive
 * connections to the instances are taken and given back thousands of times a second, as under a heavy day: the
 * moment an instance closes an idle connection, nginx is likely to be sending on it.
 */
const CHURNERS = 32
const SIGTERM_AT_MS = 1500
/** Load goes on this long after the instance has exited, so requests meet its closed port too. */
const LOAD_AFTER_EXIT_MS = 1000
/** The service's default SHUTDOWN_GRACE_MS (the pool does not set it). */
const GRACE_MS = 10_000
const VICTIM = 1

/** What one request got: a status, or the error of a request that got no answer at all. */
type Seen =
  | { readonly _tag: 'Answered'; readonly status: number; readonly number?: string }
  | { readonly _tag: 'NoAnswer'; readonly error: string }

interface Sent {
  readonly key: string
  readonly eventType: 'order.created' | 'order.paid'
  readonly seen: Seen
  readonly atMs: number
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

const is2xx = (s: Sent): boolean => s.seen._tag === 'Answered' && s.seen.status >= 200 && s.seen.status < 300

const describeSeen = (s: Sent): string =>
  `${s.eventType} ${s.key} at ${s.atMs} ms: ${s.seen._tag === 'Answered' ? `HTTP ${s.seen.status}` : s.seen.error}`

/** Runs `items` through `work` with at most `width` at a time. */
const inBatches = async <A, B>(items: readonly A[], width: number, work: (a: A) => Promise<B>): Promise<B[]> => {
  const out: B[] = []
  for (let i = 0; i < items.length; i += width) out.push(...(await Promise.all(items.slice(i, i + width).map(work))))
  return out
}

describe('SIGTERM to one of 4 instances behind nginx under continuous load (system)', function () {
  this.timeout(180_000)
  const system = useHookPool(INSTANCES)

  it('costs no request: no non-2xx answer, every order answered 200 stored exactly once, exit within the grace period', async () => {
    const { nginx, pool, token, adminToken } = system()
    const sent: Sent[] = []
    const started = performance.now()
    const now = (): number => Math.round(performance.now() - started)
    const post = async (key: string, eventType: Sent['eventType']): Promise<Sent> => {
      const atMs = now()
      const body =
        eventType === 'order.created'
          ? orderCreatedBody({ originalOrderId: key }).body
          : statusBody(eventType, key).body
      const seen: Seen = await postHook(nginx.hookUrl, token, body).then(
        (res): Seen => {
          const number = (res.json as { number?: unknown } | undefined)?.number
          return { _tag: 'Answered', status: res.status, ...(typeof number === 'string' ? { number } : {}) }
        },
        (error: unknown): Seen => ({ _tag: 'NoAnswer', error: String(error) }),
      )
      const result = { key, eventType, seen, atMs }
      sent.push(result)
      return result
    }
    // Each sender sends order.created for a new order, then order.paid for it, again and again: one client
    // connection to nginx per request (SberMarket's own behaviour is not known), no retries, so whatever nginx
    // answers is what the test sees.
    let loading = true
    const sender = async (): Promise<void> => {
      while (loading) {
        const key = uniqueOrderId('HT')
        await post(key, 'order.created')
        await post(key, 'order.paid')
      }
    }
    const probes: Record<string, number> = {}
    const churner = async (): Promise<void> => {
      while (loading) {
        const label = await send(nginx.hookUrl, { method: 'GET' }).then(
          (res) => String(res.status),
          (error: unknown) => String(error),
        )
        probes[label] = (probes[label] ?? 0) + 1
      }
    }
    const senders = [...Array.from({ length: SENDERS }, sender), ...Array.from({ length: CHURNERS }, churner)]

    await sleep(SIGTERM_AT_MS)
    const victim = pool.instances[VICTIM]
    if (victim === undefined) throw new Error('no victim')
    const servedBefore = victim.hookRequests().length
    const sigtermAtMs = now()
    const exit = await pool.terminate(VICTIM)
    await sleep(LOAD_AFTER_EXIT_MS)
    loading = false
    await Promise.all(senders)
    const elapsedMs = now()

    const failed = sent.filter((s) => !is2xx(s))
    const statuses: Record<string, number> = {}
    for (const s of sent) {
      const label = s.seen._tag === 'Answered' ? String(s.seen.status) : 'no answer'
      statuses[label] = (statuses[label] ?? 0) + 1
    }
    const errors = await nginx.errorLog()
    const kinds = [
      'Connection refused',
      'Connection reset by peer',
      'prematurely closed',
      'timed out',
      'no live upstreams',
    ]
    console.log(
      `      sigterm: ${sent.length} requests via nginx to ${INSTANCES} instances in ${elapsedMs} ms by ${SENDERS} senders; ` +
        `instance ${VICTIM + 1} got SIGTERM at ${sigtermAtMs} ms having served ${servedBefore} hook requests, ` +
        `served ${victim.hookRequests().length - servedBefore} more while stopping, exited with ${String(exit.code)} after ${exit.ms} ms; ` +
        `answers ${JSON.stringify(statuses)}; non-2xx ${failed.length}; GET probes ${JSON.stringify(probes)}`,
    )
    console.log(
      `      sigterm: nginx error log: ${kinds.map((kind) => `${kind}: ${errors.split(kind).length - 1}`).join(', ')}`,
    )
    // What cost a request, if anything did (a refused connection costs none: nginx passes it to another instance).
    const costly = errors.split('\n').filter((line) => line.includes('[error]') && !line.includes('Connection refused'))
    for (const line of costly.slice(0, 10)) console.log(`      sigterm: nginx: ${line.slice(0, 240)}`)

    expect(failed.map(describeSeen), 'requests the client saw answered other than 2xx').to.deep.equal([])
    expect(Object.keys(probes), "answers to the GET probes: only the service's 405").to.deep.equal(['405'])
    expect(exit.code, 'exit code of the stopped instance').to.equal(0)
    expect(exit.ms, 'milliseconds from SIGTERM to exit').to.be.below(GRACE_MS)
    expect(victim.hookRequests().length, 'the victim served requests before it stopped').to.be.greaterThan(0)

    // Every order answered 200 exists exactly once, with the number answered, and its journal holds exactly the
    // two requests sent: a request the stopping instance's listener reset never reached it, so the copy nginx sent
    // to another instance (deploy/nginx/hook.conf.template, proxy_next_upstream) is the only one journaled.
    const origin = pool.instances.find((_, i) => i !== VICTIM)?.internalOrigin ?? ''
    const created = sent.filter((s) => s.eventType === 'order.created' && is2xx(s))
    const checked = await inBatches(created, 16, async (s) => {
      const order = await fetchOrder(origin, adminToken, s.key)
      const journal = await fetchJournal(origin, adminToken, s.key)
      const paid = sent.find((p) => p.key === s.key && p.eventType === 'order.paid')
      return { s, order, journal, paidOk: paid !== undefined && is2xx(paid), sentForKey: paid === undefined ? 1 : 2 }
    })
    const wrong = checked
      .filter(({ s, order, journal, paidOk, sentForKey }) => {
        const number = s.seen._tag === 'Answered' ? s.seen.number : undefined
        return (
          order === undefined ||
          order.number !== number ||
          (paidOk && order.status !== 'paid') ||
          journal.length !== sentForKey ||
          countOutcomes(journal, 'order.created')['created'] !== 1
        )
      })
      .map(
        ({ s, order, journal }) =>
          `${s.key}: order ${JSON.stringify(order)}, journal ${JSON.stringify(countOutcomes(journal))}`,
      )
    expect(wrong, 'orders not stored exactly once as answered').to.deep.equal([])
    console.log(`      sigterm: ${checked.length} orders read back, each stored once with the number answered`)
  })
})
