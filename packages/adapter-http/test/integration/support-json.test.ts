import { expect } from 'chai'
import { randomUUID } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import { openSqliteStore } from '@domino-sm/adapter-sqlite'
import { runCli } from '../support/spawn-cli.js'

/** `--json` of `journal list`, `journal stats` and `journal replay`, and a long replay's progress on stderr (a SQLite store, the real CLI). */
describe('the support command line in JSON, with progress', function () {
  this.timeout(60_000)
  let dataDir: string
  let env: Record<string, string>
  const ENTRIES = 130

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'hook-json-'))
    env = { STORE: 'sqlite', DATA_DIR: dataDir }
    const store = await openSqliteStore({ path: join(dataDir, 'orders.sqlite') })
    try {
      for (let i = 0; i < ENTRIES; i++) {
        const written = await store.repository.recordJournal({
          requestId: randomUUID(),
          receivedAt: new Date(Date.UTC(2026, 4, 24, 9, 0, i)),
          eventType: 'order.created',
          originalOrderId: null,
          rawBody: '{"event_type": "order.created", "payload": {}}',
          outcome: 'rejected',
          httpStatus: 400,
          durationMs: 1,
          detail: 'payload.originalOrderId: is required',
        })()
        if (E.isLeft(written)) throw new Error(written.left.reason)
      }
    } finally {
      await store.close()
    }
  })
  after(() => rm(dataDir, { recursive: true, force: true }))

  it('--help of journal list, stats and replay shows --json, and replay its progress; nothing is opened', async () => {
    for (const command of ['list', 'stats', 'replay']) {
      const help = await runCli(['journal', command, '--help'], { STORE: 'sqlite', DATA_DIR: join(dataDir, 'never') })
      expect(help.code, help.stderr).to.equal(0)
      expect(help.stdout, command).to.match(/--json\s+print one JSON document/)
    }
    const replay = await runCli(['journal', 'replay', '--help'], env)
    expect(replay.stdout).to.contain('progress (n of N) on stderr')
  })

  it('journal list --json prints one document: the page without bodies and the next cursor', async () => {
    const run = await runCli(['journal', 'list', '--outcome', 'rejected', '--limit', '100', '--json'], env)
    expect(run.code, run.stderr).to.equal(0)
    const doc = JSON.parse(run.stdout) as {
      entries: { id: number; hasBody: boolean; outcome: string }[]
      next: number | null
    }
    expect(doc.entries).to.have.length(100)
    expect(doc.next).to.equal(100)
    expect(doc.entries[0]).to.deep.include({ id: 1, hasBody: true, outcome: 'rejected' })
    expect(run.stdout).not.to.contain('rawBody')
  })

  it('journal stats --json prints the tables, the bodies kept and the review figures', async () => {
    const run = await runCli(['journal', 'stats', '--json'], env)
    expect(run.code, run.stderr).to.equal(0)
    const doc = JSON.parse(run.stdout) as {
      tables: { table: string; rows: number }[]
      journalBodies: number
      ordersForReview: number
    }
    expect(doc.tables.find((t) => t.table === 'journal')?.rows).to.equal(ENTRIES)
    expect(doc).to.deep.include({ journalBodies: ENTRIES, ordersForReview: 0 })
  })

  it('journal replay --dry-run --json says what each entry would do, and shows n of N on stderr past 100 entries', async () => {
    const run = await runCli(['journal', 'replay', '--outcome', 'rejected', '--dry-run', '--json'], env)
    expect(run.code, run.stderr).to.equal(0)
    const doc = JSON.parse(run.stdout) as {
      dryRun: boolean
      entries: { id: number; replayable: boolean; outcomeNow: string; entryId: null }[]
    }
    expect(doc.dryRun).to.equal(true)
    expect(doc.entries).to.have.length(ENTRIES)
    expect(new Set(doc.entries.map((e) => `${e.replayable} ${e.outcomeNow} ${e.entryId}`))).to.deep.equal(
      new Set(['true rejected null']),
    )
    expect(run.stderr).to.equal(`dry run: 100 of ${ENTRIES}\ndry run: ${ENTRIES} of ${ENTRIES}\n`)
    const small = await runCli(['journal', 'replay', '--id', '1', '--id', '2', '--json'], env)
    expect(small.stderr, 'no progress for a short replay').to.equal('')
    const replayed = JSON.parse(small.stdout) as {
      dryRun: boolean
      entries: { id: number; outcomeNow: string; entryId: number }[]
    }
    expect(replayed.entries.map((e) => [e.id, e.outcomeNow])).to.deep.equal([
      [1, 'rejected'],
      [2, 'rejected'],
    ])
    expect(replayed.entries.every((e) => e.entryId > ENTRIES)).to.equal(true)
  })

  it('--json writes the bidi and C1 controls as \\u escapes: the document reads back the same text, a terminal shows it inert', async () => {
    const hostile = 'order.\u202ecreated\u009b2J\u2028'
    const store = await openSqliteStore({ path: join(dataDir, 'orders.sqlite') })
    try {
      const written = await store.repository.recordJournal({
        requestId: randomUUID(),
        receivedAt: new Date(Date.UTC(2026, 4, 25, 9, 0, 0)),
        eventType: hostile,
        originalOrderId: 'JSON-BIDI',
        rawBody: '{}',
        outcome: 'ignored',
        httpStatus: 200,
        durationMs: 1,
        detail: null,
      })()
      if (E.isLeft(written)) throw new Error(written.left.reason)
    } finally {
      await store.close()
    }
    const run = await runCli(['journal', 'list', '--order', 'JSON-BIDI', '--json'], env)
    expect(run.code, run.stderr).to.equal(0)
    expect(run.stdout).to.not.match(/[\u0080-\u009f\u202a-\u202e\u2028\u2029]/)
    expect(run.stdout).to.contain('\\u202e')
    const doc = JSON.parse(run.stdout) as { entries: { eventType: string }[] }
    expect(doc.entries.map((e) => e.eventType)).to.deep.equal([hostile])
  })
})
