import type { RequestOptions } from 'autocannon'
import { orderCreatedBody, statusBody } from '@domino-sm/testkit'
import { BENCH_TOKEN, HOOK_PATH, type ServerKind } from './protocol.js'

/** One load: which server, and the requests autocannon sends (after `prepare` has run against the server). */
export interface Scenario {
  readonly name: string
  readonly server: ServerKind
  readonly requests: () => RequestOptions[]
  readonly prepare?: (origin: string) => Promise<void>
}

const HEADERS = { 'Content-Type': 'application/json', 'Client-Token': BENCH_TOKEN }
const KEY = '__KEY__'
/** A whole order (every documented field, Cyrillic text), as SberMarket sends it, with a placeholder key. */
const CREATED_TEMPLATE = orderCreatedBody({ originalOrderId: KEY }).body
const run = Date.now().toString(36)

const post = (body: string): RequestOptions => ({ method: 'POST', path: HOOK_PATH, headers: HEADERS, body })

/** Each request a new key: the path that allocates a number and inserts an order with its lines. */
const uniqueCreated = (): RequestOptions[] => {
  let n = 0
  return [
    {
      ...post(CREATED_TEMPLATE),
      setupRequest: (request) => {
        n += 1
        return { ...request, body: CREATED_TEMPLATE.replace(KEY, `B-${run}-${n}`) }
      },
    },
  ]
}

const STATUS_ORDERS = 1000
const statusKey = (i: number): string => `S-${run}-${i}`

/** Creates the orders the status scenario reports on, 32 at a time. */
const createStatusOrders = async (origin: string): Promise<void> => {
  const keys = Array.from({ length: STATUS_ORDERS }, (_, i) => statusKey(i))
  for (let i = 0; i < keys.length; i += 32) {
    await Promise.all(keys.slice(i, i + 32).map(async (key) => {
      const res = await fetch(`${origin}${HOOK_PATH}`, { method: 'POST', headers: HEADERS, body: CREATED_TEMPLATE.replace(KEY, key) })
      if (res.status !== 200) throw new Error(`preparing the status scenario: order.created answered ${res.status}`)
    }))
  }
}

/** `order.paid`, `order.received`, `order.delivered` in turn over 1000 existing orders (applied, then duplicates and stale). */
const statusEvents = (): RequestOptions[] => {
  const types = ['order.paid', 'order.received', 'order.delivered']
  let n = 0
  return [
    {
      ...post(statusBody('order.paid', statusKey(0)).body),
      setupRequest: (request) => {
        n += 1
        const type = types[Math.floor(n / STATUS_ORDERS) % types.length] ?? 'order.paid'
        return { ...request, body: statusBody(type, statusKey(n % STATUS_ORDERS)).body }
      },
    },
  ]
}

const SERVER_OF = { memory: 'hook-memory', sqlite: 'hook-sqlite', 'sqlite NORMAL (diagnosis)': 'hook-sqlite-normal' } as const

const hookScenarios = (store: keyof typeof SERVER_OF): Scenario[] => {
  const server: ServerKind = SERVER_OF[store]
  const repeatedKey = `R-${run}-${server}`
  return [
    { name: `${store}: order.created, unique`, server, requests: uniqueCreated },
    { name: `${store}: order.created, repeated`, server, requests: () => [post(CREATED_TEMPLATE.replace(KEY, repeatedKey))] },
    { name: `${store}: status events`, server, requests: statusEvents, prepare: createStatusOrders },
  ]
}

/** The baselines first, then the hook on each store. */
export const SCENARIOS: readonly Scenario[] = [
  { name: 'baseline: bare node:http', server: 'bare-http', requests: () => [post(CREATED_TEMPLATE)] },
  { name: 'baseline: bare Koa route', server: 'bare-koa', requests: () => [post(CREATED_TEMPLATE)] },
  ...hookScenarios('memory'),
  ...hookScenarios('sqlite'),
  ...hookScenarios('sqlite NORMAL (diagnosis)'),
]
