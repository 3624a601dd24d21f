import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)

/** Another process holding the SQLite file's write lock (`BEGIN EXCLUSIVE`) until it is told to let go or its timer ends. */
export const holdLock = async (
  path: string,
  forMs: number,
): Promise<{ readonly child: ChildProcessWithoutNullStreams; readonly released: Promise<void> }> => {
  const script = `
    const Database = require(${JSON.stringify(require.resolve('better-sqlite3'))})
    const db = new Database(${JSON.stringify(path)})
    db.exec('BEGIN EXCLUSIVE')
    process.stdout.write('locked\\n')
    const release = () => { db.exec('ROLLBACK'); db.close(); process.exit(0) }
    setTimeout(release, ${forMs})
    process.stdin.on('data', release)`
  const child = spawn(process.execPath, ['-e', script], { stdio: ['pipe', 'pipe', 'pipe'] })
  const released = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  await new Promise<void>((resolve, reject) => {
    child.stdout.once('data', () => resolve())
    child.once('exit', (code) => reject(new Error(`the lock holder exited ${String(code)} before locking`)))
  })
  return { child, released }
}
