import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { WorkerReport } from './store-worker.js'

const WORKER = fileURLToPath(new URL('./store-worker.js', import.meta.url))

/**
 * Starts `count` store-worker processes on one database file, releases them together once all are ready, and
 * returns their reports. Each opens the store before or after the release (`when`, see store-worker.ts) and
 * creates the same `keys` keys in its own order. Rejects when a worker fails.
 */
export const runWorkers = async (
  path: string,
  count: number,
  when: 'open-first' | 'open-on-go',
  prefix: string,
  keys: number,
): Promise<readonly WorkerReport[]> => {
  const children = Array.from({ length: count }, (_, i) =>
    spawn(process.execPath, [WORKER, path, when, prefix, String(keys), String(i)], { stdio: ['pipe', 'pipe', 'pipe'] }),
  )
  const outputs = children.map((child) => {
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8')
    child.stderr.setEncoding('utf8')
    const ready = new Promise<void>((resolve) => {
      child.stdout.on('data', (chunk: string) => {
        stdout += chunk
        if (stdout.startsWith('ready\n')) resolve()
      })
    })
    child.stderr.on('data', (chunk: string) => {
      stderr += chunk
    })
    const exited = new Promise<WorkerReport>((resolve, reject) => {
      child.once('error', reject)
      child.once('exit', (code) => {
        const last = stdout.trim().split('\n').at(-1) ?? ''
        if (code !== 0 || !last.startsWith('{'))
          reject(new Error(`worker ${child.pid ?? '?'} exited ${String(code)}: ${stderr.slice(0, 2000)}`))
        else resolve(JSON.parse(last) as WorkerReport)
      })
    })
    return { child, ready, exited }
  })
  await Promise.all(outputs.map((o) => o.ready))
  for (const { child } of outputs) child.stdin.end('go\n')
  return Promise.all(outputs.map((o) => o.exited))
}
