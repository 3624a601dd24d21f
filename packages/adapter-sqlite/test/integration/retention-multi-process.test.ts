import { expect } from 'chai'
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import Database from 'better-sqlite3'
import { openSqliteStore } from '@domino-sm/adapter-sqlite'
import { tempDatabase, type TempDatabase } from '../support/temp-database.js'

const WORKER = fileURLToPath(new URL('../support/retention-worker.js', import.meta.url))
const PROCESSES = 4

interface Report {
  readonly bodiesCleared: number
  readonly pendingExpired: number
}

const runRetention = async (path: string, policy: object): Promise<Report[]> => {
  const children = Array.from({ length: PROCESSES }, () =>
    spawn(process.execPath, [WORKER, path, JSON.stringify(policy)], { stdio: ['pipe', 'pipe', 'pipe'] }),
  )
  const done = children.map((child) => {
    let out = ''
    let err = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk
    })
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      err += chunk
    })
    const ready = new Promise<void>((resolve) =>
      child.stdout.on('data', () => {
        if (out.startsWith('ready\n')) resolve()
      }),
    )
    const report = new Promise<Report>((resolve, reject) =>
      child.once('exit', (code) => {
        const last = out.trim().split('\n').at(-1) ?? ''
        const parsed = last.startsWith('{') ? (JSON.parse(last) as Report & { error?: unknown }) : undefined
        if (code !== 0 || parsed === undefined || parsed.error !== undefined)
          reject(new Error(`retention worker exited ${String(code)}: ${last} ${err.slice(0, 2000)}`))
        else resolve(parsed)
      }),
    )
    return { child, ready, report }
  })
  await Promise.all(done.map((d) => d.ready))
  for (const { child } of done) child.stdin.end('go\n')
  return Promise.all(done.map((d) => d.report))
}

describe('retention run by 4 processes at once on one SQLite file', function () {
  this.timeout(60_000)
  let database: TempDatabase
  beforeEach(() => {
    database = tempDatabase()
  })
  afterEach(() => database.remove())

  it('clears each old body once and expires each old pending update once, journaled once as expired', async () => {
    const store = await openSqliteStore({ path: database.path })
    await store.close()
    const db = new Database(database.path)
    const old = '2026-01-01T00:00:00.000Z'
    const recent = '2026-05-20T00:00:00.000Z'
    const journal = db.prepare(
      "INSERT INTO journal (received_at, event_type, original_order_id, outcome, http_status, duration_ms, stored_at) VALUES (?, 'order.paid', ?, 'pending', 200, 1, ?)",
    )
    const body = db.prepare('INSERT INTO journal_body (journal_id, received_at, raw_body) VALUES (?, ?, ?)')
    const pending = db.prepare(
      'INSERT INTO pending_updates (original_order_id, raw_body, received_at, stored_at) VALUES (?, ?, ?, ?)',
    )
    db.transaction(() => {
      // Enough batches (400) that the four processes, released together, cannot leave the work to the first one.
      for (let i = 0; i < 10000; i += 1) {
        const receivedAt = i % 4 === 0 ? recent : old
        body.run(journal.run(receivedAt, `H-R-${i}`, old).lastInsertRowid, receivedAt, `{"secret":"body ${i}"}`)
      }
      for (let i = 0; i < 3000; i += 1) pending.run(`H-P-${i}`, '{}', i % 3 === 0 ? recent : old, old)
    })()
    db.close()

    const reports = await runRetention(database.path, {
      clearBodiesReceivedBefore: '2026-03-01T00:00:00.000Z',
      expirePendingReceivedBefore: '2026-03-01T00:00:00.000Z',
      now: '2026-05-24T09:00:00.000Z',
      batchSize: 25,
    })
    expect(reports.reduce((n, r) => n + r.bodiesCleared, 0)).to.equal(7500)
    expect(reports.reduce((n, r) => n + r.pendingExpired, 0)).to.equal(2000)
    // The batches really interleaved: more than one process did some of the work.
    expect(reports.filter((r) => r.bodiesCleared + r.pendingExpired > 0).length).to.be.greaterThan(1)

    const check = new Database(database.path, { readonly: true })
    try {
      expect(
        check
          .prepare("SELECT count(*) FROM journal JOIN journal_body ON journal_id = id WHERE outcome = 'pending'")
          .pluck()
          .get(),
      ).to.equal(2500)
      expect(check.prepare('SELECT count(*) FROM journal_body').pluck().get()).to.equal(2500)
      expect(check.prepare('SELECT count(*) FROM pending_updates').pluck().get()).to.equal(1000)
      const expired = check
        .prepare("SELECT original_order_id, received_at, http_status FROM journal WHERE outcome = 'expired'")
        .all() as { original_order_id: string }[]
      expect(expired).to.have.length(2000)
      expect(new Set(expired.map((e) => e.original_order_id)).size).to.equal(2000)
    } finally {
      check.close()
    }
  })
})
