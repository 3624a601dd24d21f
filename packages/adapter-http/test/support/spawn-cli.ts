import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'

/** The built command line of the service, as `npm start` runs it. */
const CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url))

export interface CliRun {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

/** Runs the CLI to completion with the given environment (added to a minimal one). */
export const runCli = (args: readonly string[], env: Readonly<Record<string, string>> = {}): Promise<CliRun> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: { PATH: process.env['PATH'] ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')))
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })

/** A running `serve` process, with its output so far. */
export interface ServeProcess {
  readonly child: ChildProcess
  readonly output: () => { readonly stdout: string; readonly stderr: string }
  /** Resolves with the exit code. */
  readonly exited: Promise<number | null>
}

/** What `startServe` waits for: the hook's listener (the default), or only the internal one (a store not ready yet). */
export type ServeStage = 'hook' | 'internal'

const STAGE_MARK: Record<ServeStage, RegExp> = { hook: /listening: POST /, internal: /^internal: /m }

/**
 * Starts `serve` and resolves once its banner says it reached `stage` (60 s: 4 instances opening 10 sessions each on
 * the T-SQL engine took 23-31 s here). The internal listener takes a free port (INTERNAL_PORT=0) unless `env` says.
 */
export const startServe = (env: Readonly<Record<string, string>>, stage: ServeStage = 'hook'): Promise<ServeProcess> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'serve'], {
      env: { PATH: process.env['PATH'] ?? '', INTERNAL_PORT: '0', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    const exited = new Promise<number | null>((done) => child.on('close', done))
    // A serve that does not come up is killed: a failed start must leave no process behind.
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`serve did not reach ${stage} within 60 s: ${stderr}`))
    }, 60000)
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')))
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString('utf8')
      if (STAGE_MARK[stage].test(stderr)) {
        clearTimeout(timer)
        resolve({ child, output: () => ({ stdout, stderr }), exited })
      }
    })
    void exited.then((code) => {
      clearTimeout(timer)
      reject(new Error(`serve exited with ${String(code)} before reaching ${stage}: ${stderr}`))
    })
  })

/** The hook URL a started `serve` printed in its banner (`listening: POST <url>`). */
export const hookUrlOf = (serve: ServeProcess): string => {
  const match = /listening: POST (\S+)/.exec(serve.output().stderr)
  if (match?.[1] === undefined) throw new Error('no hook URL in the banner')
  return match[1]
}

/** The internal listener's origin a started `serve` printed in its banner (`internal: <origin> (...)`). */
export const internalOriginOf = (serve: ServeProcess): string => {
  const match = /^internal: (\S+)/m.exec(serve.output().stderr)
  if (match?.[1] === undefined) throw new Error('no internal origin in the banner')
  return match[1]
}
