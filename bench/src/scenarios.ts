import type { RequestOptions } from 'autocannon'
import { CREATED_TEMPLATES, KEY, statusBody, uniqueCreatedBody } from './bench-bodies.js'
import { hookStoreEnv, migratedSchema, type DominoDbTarget } from './domino-db.js'
import type { FloorKind } from './domino-floor.js'
import { engineCpuReader, type EngineReading } from './engine-cpu.js'
import { BENCH_TOKEN, HOOK_PATH, STORE_OF, type ServerKind } from './protocol.js'

/** One load: which server (and which build of the hook), and the requests autocannon sends after `prepare`. */
export interface Scenario {
  readonly name: string
  readonly server: ServerKind
  /** adapter-http's built index.js that the child runs the hook (and `listen`) from. */
  readonly hookModule: string
  readonly requests: () => RequestOptions[]
  /** Readies the server before its load (the status scenario's orders); resolves to the requests it sent. */
  readonly prepare?: (origin: string) => Promise<number>
  /** Readies the store before the server starts (a fresh schema, migrated) and gives its settings. */
  readonly storeEnv?: () => Promise<Record<string, string>>
  /** Reads the database server's CPU time (domino-db scenarios on a local server). */
  readonly engineCpu?: () => EngineReading | undefined
  /** The domino-db floor this scenario is compared with. */
  readonly floor?: FloorKind
}

/** A build of the hook to load: its label in the tables, the repository copy it was built in, its adapter-http module. */
export interface HookBuild {
  readonly label: string
  readonly root: string
  readonly hookModule: string
}

const HEADERS = { 'Content-Type': 'application/json', 'Client-Token': BENCH_TOKEN }
const FIRST_TEMPLATE = CREATED_TEMPLATES[0] ?? ''
const run = Date.now().toString(36)

const post = (body: string): RequestOptions => ({ method: 'POST', path: HOOK_PATH, headers: HEADERS, body })

/**
 * Each request a new order (1.5 KB, Cyrillic customer data, 2-5 positions): a number allocated, an order inserted.
 * The count goes on across the warm-up and the measured load (each calls `requests` anew), so no key comes twice.
 */
const uniqueCreated = (prefix: string): (() => RequestOptions[]) => {
  let n = 0
  return () => [
    {
      ...post(FIRST_TEMPLATE),
      setupRequest: (request) => {
        n += 1
        return { ...request, body: uniqueCreatedBody(prefix, n) }
      },
    },
  ]
}

/** The orders the status scenario reports on, created before its load (fewer in a smoke run: `--status-orders`). */
const STATUS_ORDERS = 1000

/** Tries of one setup request that the hook answers 503 (a store timeout on a busy machine): SberMarket retries too. */
const SETUP_TRIES = 5

/** Creates the `count` orders the status scenario reports on, 32 at a time; a 503 is sent again, as SberMarket would. */
const createStatusOrders =
  (prefix: string, count: number) =>
  async (origin: string): Promise<number> => {
    let sent = 0
    const create = async (n: number): Promise<void> => {
      for (let tries = 1; ; tries += 1) {
        sent += 1
        const res = await fetch(`${origin}${HOOK_PATH}`, {
          method: 'POST',
          headers: HEADERS,
          body: uniqueCreatedBody(prefix, n),
        })
        await res.arrayBuffer()
        if (res.status === 200) return
        if (res.status !== 503 || tries >= SETUP_TRIES)
          throw new Error(`preparing the status scenario: order.created answered ${res.status} (try ${tries})`)
      }
    }
    for (let i = 0; i < count; i += 32) {
      await Promise.all(Array.from({ length: Math.min(32, count - i) }, (_, j) => create(i + j)))
    }
    return sent
  }

/**
 * `order.paid`, `order.received`, `order.delivered` in turn over `count` existing orders (applied, then duplicates and
 * stale), counted on across the warm-up and the measured load.
 */
const statusEvents = (prefix: string, count: number): (() => RequestOptions[]) => {
  const types = ['order.paid', 'order.received', 'order.delivered']
  let n = 0
  return () => [
    {
      ...post(statusBody('order.paid', `${prefix}-0`).body),
      setupRequest: (request) => {
        n += 1
        const type = types[Math.floor(n / count) % types.length] ?? 'order.paid'
        return { ...request, body: statusBody(type, `${prefix}-${n % count}`).body }
      },
    },
  ]
}

/** The Domino store of a build: each scenario on a fresh schema (`migratedSchema`), migrated by that build's own `migrate`. */
const dominoStore = (build: HookBuild, target: DominoDbTarget) => async (): Promise<Record<string, string>> => {
  return hookStoreEnv(target, await migratedSchema(build.root, target, build.label))
}

const hookScenarios = (
  build: HookBuild,
  server: 'hook-memory' | 'hook-sqlite' | 'hook-domino-db',
  statusOrders: number,
  dominoDb?: DominoDbTarget,
): Scenario[] => {
  const store = STORE_OF[server]
  const prefix = `${run}-${build.label}-${store}`.replace(/[^\w-]/g, '_')
  const name = (what: string): string => `${build.label} ${store}: ${what}`
  const common = {
    server,
    hookModule: build.hookModule,
    ...(dominoDb === undefined
      ? {}
      : { storeEnv: dominoStore(build, dominoDb), engineCpu: engineCpuReader(dominoDb.url) }),
  }
  const floor = (kind: FloorKind): { floor?: FloorKind } => (dominoDb === undefined ? {} : { floor: kind })
  return [
    { name: name('order.created, unique'), ...common, ...floor('created'), requests: uniqueCreated(`U-${prefix}`) },
    {
      name: name('order.created, repeated'),
      ...common,
      ...floor('repeated'),
      requests: () => [post(FIRST_TEMPLATE.replace(KEY, `R-${prefix}`))],
    },
    {
      name: name('status events'),
      ...common,
      ...floor('status'),
      requests: statusEvents(`S-${prefix}`, statusOrders),
      prepare: createStatusOrders(`S-${prefix}`, statusOrders),
    },
  ]
}

const interleave = <T>(lists: readonly (readonly T[])[]): T[] =>
  Array.from({ length: Math.max(...lists.map((l) => l.length)) }, (_, i) =>
    lists.flatMap((l) => (i < l.length ? [l[i] as T] : [])),
  ).flat()

/** The name of the fair baseline: every ratio is to it. */
export const BASELINE = 'baseline: Koa + router + bodyparser, JSON parsed'

/**
 * The baselines first (they run from the first build's `listen`), then the hook of every build on each store,
 * interleaved; on the Domino store (SQL Server) only when `dominoDb` names one.
 */
export const scenarios = (
  builds: readonly [HookBuild, ...HookBuild[]],
  dominoDb?: DominoDbTarget,
  statusOrders = STATUS_ORDERS,
): Scenario[] => {
  const hookModule = builds[0].hookModule
  return [
    { name: 'reference: bare node:http, body read', server: 'bare-http', hookModule, requests: uniqueCreated('H') },
    { name: 'reference: bare Koa route, body unread', server: 'bare-koa', hookModule, requests: uniqueCreated('K') },
    { name: BASELINE, server: 'koa-json', hookModule, requests: uniqueCreated('J') },
    // Build by build within each scenario, so that a noisy minute on a shared machine hits every build alike.
    ...interleave(
      builds.map((build) => [
        ...hookScenarios(build, 'hook-memory', statusOrders),
        ...hookScenarios(build, 'hook-sqlite', statusOrders),
        ...(dominoDb === undefined ? [] : hookScenarios(build, 'hook-domino-db', statusOrders, dominoDb)),
      ]),
    ),
  ]
}
