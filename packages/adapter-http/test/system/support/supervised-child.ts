import type { ChildProcess } from 'node:child_process'
import { trackChild, untrackChild } from './process-registry.js'

/** A server process a system test started: its output so far, its exit, and how to stop it. */
export interface SupervisedChild {
  readonly output: () => string
  readonly exited: Promise<void>
  /** SIGTERM and wait; SIGKILL (of its process group when it has one of its own) if it is not gone within 5 s. */
  readonly stop: () => Promise<void>
}

/** Collects the child's output, registers it for the last-resort kill at exit, and gives the stop every server shares. */
export const superviseChild = (child: ChildProcess, ownGroup: boolean): SupervisedChild => {
  trackChild(child, ownGroup)
  let output = ''
  child.stdout?.on('data', (c: Buffer) => (output += c.toString('utf8')))
  child.stderr?.on('data', (c: Buffer) => (output += c.toString('utf8')))
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve()
    else child.once('exit', () => resolve())
  })
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM')
      const timer = setTimeout(() => {
        if (ownGroup && child.pid !== undefined) process.kill(-child.pid, 'SIGKILL')
        else child.kill('SIGKILL')
      }, 5000)
      await exited
      clearTimeout(timer)
    }
    untrackChild(child)
  }
  return { output: () => output, exited, stop }
}
