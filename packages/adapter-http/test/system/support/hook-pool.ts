import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ADMIN, TOKEN } from '../../support/test-app.js'
import { requireNginx, startNginx, type RunningNginx } from './nginx-process.js'
import { startPool, type ServicePool } from './service-pool.js'

/** The deployment under test: instances on one SQLite file, nginx in front, all inside one temp directory. */
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
export const startHookPool = async (size: number): Promise<HookPool> => {
  requireNginx()
  const dir = await mkdtemp(join(tmpdir(), 'hook-pool-'))
  let pool: ServicePool | undefined
  let nginx: RunningNginx | undefined
  const stop = async (): Promise<void> => {
    await nginx?.stop()
    await pool?.stop()
    await rm(dir, { recursive: true, force: true })
  }
  try {
    await mkdir(join(dir, 'data'))
    await mkdir(join(dir, 'nginx'))
    pool = await startPool({ size, dataDir: join(dir, 'data'), hookToken: TOKEN, adminToken: ADMIN })
    nginx = await startNginx(join(dir, 'nginx'), pool.instances.map((instance) => instance.origin))
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
export const useHookPool = (size: number): (() => HookPool) => {
  let hook: HookPool | undefined
  before(async function () {
    this.timeout(45_000)
    const started = performance.now()
    hook = await startHookPool(size)
    console.log(`      ${size} instances and nginx started in ${Math.round(performance.now() - started)} ms`)
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
export const upstreamsInAccessLog = (log: string): { readonly perUpstream: Record<string, number>; readonly multiUpstream: string[] } => {
  const perUpstream: Record<string, number> = {}
  const multiUpstream: string[] = []
  for (const line of log.split('\n')) {
    if (!line.includes('/sbermarket/orders/hook')) continue
    const upstream = /upstream=(\S+(?:, \S+)*)/.exec(line)?.[1]
    if (upstream === undefined) continue
    if (upstream.includes(',')) multiUpstream.push(line)
    for (const address of upstream.split(', ')) perUpstream[address] = (perUpstream[address] ?? 0) + 1
  }
  return { perUpstream, multiUpstream }
}
