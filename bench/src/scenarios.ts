import type { RequestOptions } from 'autocannon'
import { CREATED_TEMPLATES, KEY, statusBody, uniqueCreatedBody } from './bench-bodies.js'
import { BENCH_TOKEN, HOOK_PATH, type ServerKind } from './protocol.js'

/** One load: which server (and which build of the hook), and the requests autocannon sends after `prepare`. */
export interface Scenario {
  readonly name: string
  readonly server: ServerKind
  /** adapter-http's built index.js that the child runs the hook (and `listen`) from. */
  readonly hookModule: string
  readonly requests: () => RequestOptions[]
  readonly prepare?: (origin: string) => Promise<void>
}

/** A build of the hook to load: its label in the tables and its adapter-http module. */
export interface HookBuild {
  readonly label: string
  readonly hookModule: string
}

const HEADERS = { 'Content-Type': 'application/json', 'Client-Token': BENCH_TOKEN }
const FIRST_TEMPLATE = CREATED_TEMPLATES[0] ?? ''
const run = Date.now().toString(36)

const post = (body: string): RequestOptions => ({ method: 'POST', path: HOOK_PATH, headers: HEADERS, body })

/** Each request a new order (1.5 KB, Cyrillic customer data, 2-5 positions): a number allocated, an order inserted. */
const uniqueCreated = (prefix: string) => (): RequestOptions[] => {
  let n = 0
  return [
    {
      ...post(FIRST_TEMPLATE),
      setupRequest: (request) => {
        n += 1
        return { ...request, body: uniqueCreatedBody(prefix, n) }
      },
    },
  ]
}

const STATUS_ORDERS = 1000

/** Creates the orders the status scenario reports on, 32 at a time. */
const createStatusOrders = (prefix: string) => async (origin: string): Promise<void> => {
  for (let i = 0; i < STATUS_ORDERS; i += 32) {
    await Promise.all(
      Array.from({ length: Math.min(32, STATUS_ORDERS - i) }, async (_, j) => {
        const res = await fetch(`${origin}${HOOK_PATH}`, { method: 'POST', headers: HEADERS, body: uniqueCreatedBody(prefix, i + j) })
        if (res.status !== 200) throw new Error(`preparing the status scenario: order.created answered ${res.status}`)
      }),
    )
  }
}

/** `order.paid`, `order.received`, `order.delivered` in turn over 1000 existing orders (applied, then duplicates and stale). */
const statusEvents = (prefix: string) => (): RequestOptions[] => {
  const types = ['order.paid', 'order.received', 'order.delivered']
  let n = 0
  return [
    {
      ...post(statusBody('order.paid', `${prefix}-0`).body),
      setupRequest: (request) => {
        n += 1
        const type = types[Math.floor(n / STATUS_ORDERS) % types.length] ?? 'order.paid'
        return { ...request, body: statusBody(type, `${prefix}-${n % STATUS_ORDERS}`).body }
      },
    },
  ]
}

const hookScenarios = (build: HookBuild, store: 'memory' | 'sqlite'): Scenario[] => {
  const server: ServerKind = store === 'memory' ? 'hook-memory' : 'hook-sqlite'
  const prefix = `${run}-${build.label}-${store}`.replace(/[^\w-]/g, '_')
  const name = (what: string): string => `${build.label} ${store}: ${what}`
  return [
    { name: name('order.created, unique'), server, hookModule: build.hookModule, requests: uniqueCreated(`U-${prefix}`) },
    { name: name('order.created, repeated'), server, hookModule: build.hookModule, requests: () => [post(FIRST_TEMPLATE.replace(KEY, `R-${prefix}`))] },
    { name: name('status events'), server, hookModule: build.hookModule, requests: statusEvents(`S-${prefix}`), prepare: createStatusOrders(`S-${prefix}`) },
  ]
}

const interleave = <T>(lists: readonly (readonly T[])[]): T[] =>
  Array.from({ length: Math.max(...lists.map((l) => l.length)) }, (_, i) => lists.flatMap((l) => (i < l.length ? [l[i] as T] : []))).flat()

/** The name of the fair baseline: every ratio is to it. */
export const BASELINE = 'baseline: Koa + router + bodyparser, JSON parsed'

/** The baselines first (they run from the first build's `listen`), then the hook of every build on each store, interleaved. */
export const scenarios = (builds: readonly [HookBuild, ...HookBuild[]]): Scenario[] => {
  const hookModule = builds[0].hookModule
  return [
    { name: 'reference: bare node:http, body read', server: 'bare-http', hookModule, requests: uniqueCreated('H') },
    { name: 'reference: bare Koa route, body unread', server: 'bare-koa', hookModule, requests: uniqueCreated('K') },
    { name: BASELINE, server: 'koa-json', hookModule, requests: uniqueCreated('J') },
    // Build by build within each scenario, so that a noisy minute on a shared machine hits every build alike.
    ...interleave(builds.map((build) => [...hookScenarios(build, 'memory'), ...hookScenarios(build, 'sqlite')])),
  ]
}
