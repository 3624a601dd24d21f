import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { send } from '../../support/http-client.js'
import { freeLoopbackPort } from './free-port.js'
import { mainConf, renderHookConf, upstreamServers } from './nginx-config.js'
import { trackChild, untrackChild } from './process-registry.js'

/** Debian's nginx, which `.ci/run` installs (apt-get install nginx) when it is missing. */
export const NGINX = '/usr/sbin/nginx'

/** Fails with what to do when nginx is not there: the system tests must not pass by skipping. */
export const requireNginx = (): void => {
  if (!existsSync(NGINX)) {
    throw new Error(
      `${NGINX} not found: the multi-instance tests need a real nginx. .ci/run installs it ` +
        '(apt-get install -y --no-install-recommends nginx); install it the same way to run these tests.',
    )
  }
}

/** A running nginx of one test run, in the foreground of its own prefix directory. */
export interface RunningNginx {
  readonly origin: string
  readonly hookUrl: string
  /** The access log so far: one line per request, with the instance (`upstream=`) that answered it. */
  readonly accessLog: () => Promise<string>
  readonly errorLog: () => Promise<string>
  /** Fast shutdown (SIGTERM) and wait; SIGKILL of its process group if it does not go within 5 s. */
  readonly stop: () => Promise<void>
}

const exitOf = (child: ChildProcess): Promise<void> =>
  new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve()
    else child.once('exit', () => resolve())
  })

const waitUntilAnswering = async (origin: string, child: ChildProcess, output: () => string, dir: string): Promise<void> => {
  const until = Date.now() + 10_000
  while (Date.now() < until) {
    if (child.exitCode !== null) break
    const answered = await send(`${origin}/`, { method: 'GET' }).then(() => true, () => false)
    if (answered) return
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  const errors = await readFile(join(dir, 'error.log'), 'utf8').catch(() => '')
  throw new Error(`nginx did not start (exit ${String(child.exitCode)}): ${output()}\n${errors}`)
}

/**
 * Renders the repository's template for `instanceOrigins`, writes it with a main config into `dir`, and runs
 * nginx on a free loopback port: `nginx -p dir -c dir/nginx.conf -g 'daemon off; pid dir/nginx.pid;'`.
 */
export const startNginx = async (dir: string, instanceOrigins: readonly string[]): Promise<RunningNginx> => {
  requireNginx()
  const port = await freeLoopbackPort()
  await mkdir(join(dir, 'tmp'), { recursive: true })
  const siteFile = join(dir, 'hook.conf')
  const accessLogFile = join(dir, 'access.log')
  await writeFile(
    siteFile,
    await renderHookConf({
      LISTEN: `127.0.0.1:${port}`,
      SERVER_NAME: 'localhost',
      TLS: '# TLS: none in the test (plain HTTP on loopback); production puts ssl_certificate lines here.',
      ALLOW_SOURCES: 'allow 127.0.0.0/8;',
      UPSTREAM_SERVERS: upstreamServers(instanceOrigins),
      ACCESS_LOG: accessLogFile,
    }),
  )
  const confFile = join(dir, 'nginx.conf')
  await writeFile(confFile, mainConf(dir, siteFile, process.getuid?.() === 0))
  // Its own process group, so that a last-resort SIGKILL reaches the workers too.
  const child = spawn(NGINX, ['-p', dir, '-c', confFile, '-e', join(dir, 'error.log'), '-g', `daemon off; pid ${join(dir, 'nginx.pid')};`], {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  })
  trackChild(child, true)
  let output = ''
  child.stdout?.on('data', (c: Buffer) => (output += c.toString('utf8')))
  child.stderr?.on('data', (c: Buffer) => (output += c.toString('utf8')))
  const exited = exitOf(child)
  const origin = `http://127.0.0.1:${port}`
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM')
      const timer = setTimeout(() => {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL')
      }, 5000)
      await exited
      clearTimeout(timer)
    }
    untrackChild(child)
  }
  try {
    await waitUntilAnswering(origin, child, () => output, dir)
  } catch (error) {
    await stop()
    throw error
  }
  return {
    origin,
    hookUrl: `${origin}/sbermarket/orders/hook/`,
    accessLog: () => readFile(accessLogFile, 'utf8').catch(() => ''),
    errorLog: () => readFile(join(dir, 'error.log'), 'utf8').catch(() => ''),
    stop,
  }
}
