import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ADMIN, TOKEN } from '../../support/test-app.js'
import { nginxMissingReason, requireNginx, startNginx, type RunningNginx } from './nginx-process.js'
import { startPool, type ServicePool } from './service-pool.js'
import type { StoreUnderTest } from './store-under-test.js'

/** The deployment under test: instances on one store, nginx in front, all inside one temp directory. */
export interface HookPool {
  readonly dir: string
  readonly pool: ServicePool
  readonly nginx: RunningNginx
  readonly token: string
  readonly adminToken: string
  /** Stops nginx, then the instances, then removes the directory; safe after a partial start. */
  readonly stop: () => Promise<void>
}

/**
 * Starts `size` instances and nginx from the repository's template. Everything it started is stopped again
 * when a later step fails, so a failed `before` leaves nothing running.
 */
export const startHookPool = async (size: number, store?: StoreUnderTest): Promise<HookPool> => {
  requireNginx()
  const dir = await mkdtemp(join(tmpdir(), 'hook-pool-'))
  let pool: ServicePool | undefined
  let nginx: RunningNginx | undefined
  const stop = async (): Promise<void> => {
    await nginx?.stop()
    await pool?.stop()
    await rm(dir, { recursive: true, force: true })
    await store?.cleanup()
  }
  try {
    await mkdir(join(dir, 'data'))
    await mkdir(join(dir, 'nginx'))
    const storeEnv = await store?.prepare()
    pool = await startPool({
      size,
      dataDir: join(dir, 'data'),
      hookToken: TOKEN,
      adminToken: ADMIN,
      ...(storeEnv === undefined ? {} : { storeEnv }),
    })
    nginx = await startNginx(
      join(dir, 'nginx'),
      pool.instances.map((instance) => instance.origin),
    )
  } catch (error) {
    await stop()
    throw error
  }
  return { dir, pool, nginx, token: TOKEN, adminToken: ADMIN, stop }
}

/**
 * Registers mocha `before`/`after` hooks in the enclosing `describe` that start a pool of `size` instances with
 * nginx (printing how long that took) and stop it again. Returns an accessor that throws when the pool did not start.
 */
export const useHookPool = (size: number, store?: StoreUnderTest): (() => HookPool) => {
  let hook: HookPool | undefined
  before(async function () {
    // No nginx here (a fresh machine): the suite is reported as pending with the reason, not failed.
    const missing = nginxMissingReason()
    if (missing !== undefined) {
      console.log(`      ${missing}`)
      this.skip()
    }
    this.timeout(90_000)
    const started = performance.now()
    hook = await startHookPool(size, store)
    console.log(
      `      ${size} instances${store === undefined ? '' : ` on ${store.name}`} and nginx started in ${Math.round(performance.now() - started)} ms`,
    )
    if (store?.warmUp !== undefined) {
      const warming = performance.now()
      await store.warmUp(
        hook.pool.instances.map((instance) => instance.origin),
        hook.token,
      )
      console.log(
        `      sessions of the store warmed in ${Math.round(performance.now() - warming)} ms (nothing is timed before this)`,
      )
    }
  })
  after(async function () {
    this.timeout(20_000)
    await hook?.stop()
  })
  return () => {
    if (hook === undefined) throw new Error('the pool did not start')
    return hook
  }
}

/** Hook requests per upstream address in nginx's access log, and the lines that name more than one upstream. */
export const upstreamsInAccessLog = (
  log: string,
): { readonly perUpstream: Record<string, number>; readonly multiUpstream: string[] } => {
  const perUpstream: Record<string, number> = {}
  const multiUpstream: string[] = []
  for (const line of log.split('\n')) {
    if (!line.includes('/sbermarket/orders/hook')) continue
    const upstream = /upstream=(.*?) upstream_status=/.exec(line)?.[1]
    if (upstream === undefined) continue
    if (upstream.includes(',')) multiUpstream.push(line)
    for (const address of upstream.split(', ')) perUpstream[address] = (perUpstream[address] ?? 0) + 1
  }
  return { perUpstream, multiUpstream }
}
