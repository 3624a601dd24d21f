import type { ChildProcess } from 'node:child_process'

const living = new Map<ChildProcess, boolean>()

/**
 * The last fence against leftovers: every process a system test starts is registered here, and whatever is still
 * running when the test process exits (a crash, an interrupted run) gets SIGKILL. The tests' `after` hooks stop
 * them properly; this only covers what those hooks never reached.
 */
export const trackChild = (child: ChildProcess, ownGroup = false): void => {
  living.set(child, ownGroup)
  child.once('exit', () => living.delete(child))
}

export const untrackChild = (child: ChildProcess): void => {
  living.delete(child)
}

process.once('exit', () => {
  for (const [child, ownGroup] of living) {
    if (child.pid === undefined) continue
    try {
      process.kill(ownGroup ? -child.pid : child.pid, 'SIGKILL')
    } catch {
      // already gone
    }
  }
})
