import { execFile, spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { superviseChild, type SupervisedChild } from './supervised-child.js'

const execFileAsync = promisify(execFile)

/** The repository's root folder (the compiled test is packages/adapter-http/dist-test/system/support/). */
export const REPO_ROOT = fileURLToPath(new URL('../../../../../', import.meta.url))

/** What a command printed and how it ended. */
export interface Ran {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

/** Runs a command to its end; a non-zero exit is an answer, not an exception. */
export const runCommand = async (
  file: string,
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<Ran> => {
  try {
    const { stdout, stderr } = await execFileAsync(file, [...args], {
      cwd: options.cwd,
      env: options.env ?? process.env,
      timeout: options.timeoutMs ?? 0,
      maxBuffer: 256 * 1024 * 1024,
    })
    return { code: 0, stdout, stderr }
  } catch (error) {
    const e = error as { code?: unknown; stdout?: string; stderr?: string; message: string }
    return {
      code: typeof e.code === 'number' ? e.code : -1,
      stdout: e.stdout ?? '',
      stderr: `${e.stderr ?? ''}${typeof e.code === 'number' ? '' : e.message}`,
    }
  }
}

/**
 * An environment that reaches nothing of the repository or of the developer's shell: the system's own folders on
 * the PATH only (Debian's /usr/bin has a Node.js 20, which the shipped runtime must not need), a home of its own.
 */
export const cleanEnv = (home: string, settings: Readonly<Record<string, string>>): NodeJS.ProcessEnv => ({
  PATH: '/usr/bin:/bin',
  HOME: home,
  LANG: 'C.UTF-8',
  ...settings,
})

/** A `serve` started from an install, with the hook URL its banner printed. */
export interface RunningServe extends SupervisedChild {
  readonly hookUrl: string
  readonly origin: string
  /**
   * Where its admin API answers: the internal listener its banner names (`internal: http://…`), or, for a release
   * from before the two listeners (the previous-release test's b6414cc), the hook's own origin.
   */
  readonly adminOrigin: string
}

/**
 * Starts `file args` (a `serve`) and resolves when its banner names the URL it listens on; rejects, killing it,
 * when it exits first or has not listened within `startMs`.
 */
export const startServe = (
  file: string,
  args: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
  startMs = 60000,
): Promise<RunningServe> =>
  new Promise((resolve, reject) => {
    const child = spawn(file, [...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] })
    const supervised = superviseChild(child, false)
    const timer = setTimeout(() => {
      void supervised.stop()
      reject(new Error(`serve did not listen within ${startMs} ms:\n${supervised.output()}`))
    }, startMs)
    const onData = (): void => {
      const match = /listening: POST (\S+)/.exec(supervised.output())
      if (match?.[1] === undefined) return
      clearTimeout(timer)
      child.stderr.off('data', onData)
      const hookUrl = match[1]
      const origin = new URL(hookUrl).origin
      // The internal listener opens, and is printed, before the hook's.
      const internal = /^internal: (\S+)/m.exec(supervised.output())?.[1]
      resolve({ ...supervised, hookUrl, origin, adminOrigin: internal ?? origin })
    }
    child.stderr.on('data', onData)
    void supervised.exited.then(() => {
      clearTimeout(timer)
      reject(new Error(`serve exited before it listened:\n${supervised.output()}`))
    })
  })

/** Posts a hook body with the token; the status and the parsed JSON body (undefined when empty). */
export const postHook = async (
  hookUrl: string,
  token: string,
  body: string,
): Promise<{ status: number; json: unknown }> => {
  const res = await fetch(hookUrl, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Client-Token': token },
    body,
  })
  const text = await res.text()
  return { status: res.status, json: text === '' ? undefined : (JSON.parse(text) as unknown) }
}
