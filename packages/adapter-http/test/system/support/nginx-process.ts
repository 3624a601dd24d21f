import { spawn, type ChildProcess } from 'node:child_process'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { findExecutable } from '../../support/find-executable.js'
import { send } from '../../support/http-client.js'
import { freeLoopbackPort } from './free-port.js'
import { mainConf, renderHookConf, upstreamServers } from './nginx-config.js'
import { superviseChild } from './supervised-child.js'

/** How to get nginx: Debian's package, which `.ci/run` installs when it is missing, so CI always runs these tests. */
const NGINX_INSTALL = 'apt-get install -y --no-install-recommends nginx'

/**
 * The nginx the system tests run: `NGINX_BIN` when set (it must then be executable), else `nginx` on the PATH,
 * else Debian's /usr/sbin/nginx (not on a non-root user's PATH). Undefined when there is none.
 */
const findNginx = (): string | undefined => findExecutable('nginx', 'NGINX_BIN', '/usr/sbin/nginx')

/** Why the multi-instance tests cannot run here, and how to make them run; undefined when nginx is there. */
export const nginxMissingReason = (): string | undefined => {
  if (findNginx() !== undefined) return undefined
  const configured = process.env['NGINX_BIN']
  const where =
    configured !== undefined && configured !== ''
      ? `NGINX_BIN=${configured} is not an executable file`
      : 'no nginx on the PATH, NGINX_BIN unset'
  return `skipped: the multi-instance tests need a real nginx (${where}). Install it with \`${NGINX_INSTALL}\` (.ci/run does), or point NGINX_BIN at one.`
}

/** The nginx to run; throws with what to do when there is none (the tests skip before they get here). */
export const requireNginx = (): string => {
  const found = findNginx()
  if (found === undefined) throw new Error(nginxMissingReason())
  return found
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

const waitUntilAnswering = async (
  origin: string,
  child: ChildProcess,
  output: () => string,
  dir: string,
): Promise<void> => {
  const until = Date.now() + 10_000
  while (Date.now() < until) {
    if (child.exitCode !== null) break
    const answered = await send(`${origin}/`, { method: 'GET' }).then(
      () => true,
      () => false,
    )
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
  const nginxBin = requireNginx()
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
  const child = spawn(
    nginxBin,
    ['-p', dir, '-c', confFile, '-e', join(dir, 'error.log'), '-g', `daemon off; pid ${join(dir, 'nginx.pid')};`],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    },
  )
  const { output, stop } = superviseChild(child, true)
  const origin = `http://127.0.0.1:${port}`
  try {
    await waitUntilAnswering(origin, child, output, dir)
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
