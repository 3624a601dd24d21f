import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import * as E from 'fp-ts/lib/Either.js'
import mssql from 'mssql'
import { dropTestSchema } from './sql-server-schema.js'
import { migrate, parseDominoDbSettings, type DominoDbSettings, type SchemaName } from '@domino-sm/adapter-domino-db'
import { keyLockResource, mssqlConfig } from '@domino-sm/adapter-domino-db/internals'

const require = createRequire(import.meta.url)

/**
 * A store that a running service and the CLI share, for the support tests: its environment, a way to make the
 * store refuse requests for a while (locked, or keys held), and every text its tables hold (to prove an erasure).
 */
export interface SharedStore {
  readonly name: string
  readonly env: Readonly<Record<string, string>>
  /** Makes requests for `keys` fail (StoreTimeout, answered 503) until `release`. */
  readonly refuse: (keys: readonly string[]) => Promise<{ readonly release: () => Promise<void> }>
  /** Every row of every table of the hook's schema, as JSON text. */
  readonly tableText: () => Promise<string>
  readonly cleanup: () => Promise<void>
}

/** Another process holding the SQLite file's write lock (`BEGIN EXCLUSIVE`) until told to let go. */
const holdSqliteLock = async (path: string): Promise<{ readonly release: () => Promise<void> }> => {
  const script = `
    const Database = require(${JSON.stringify(require.resolve('better-sqlite3'))})
    const db = new Database(${JSON.stringify(path)})
    db.exec('BEGIN EXCLUSIVE')
    process.stdout.write('locked\\n')
    process.stdin.on('data', () => { db.exec('ROLLBACK'); db.close(); process.exit(0) })`
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, ['-e', script], {
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  await new Promise<void>((resolve, reject) => {
    child.stdout.once('data', () => resolve())
    child.once('exit', (code) => reject(new Error(`the lock holder exited ${String(code)} before locking`)))
  })
  return {
    release: async () => {
      child.stdin.write('go\n')
      await exited
    },
  }
}

export const sqliteSharedStore = async (): Promise<SharedStore> => {
  const dataDir = await mkdtemp(join(tmpdir(), 'hook-support-'))
  const path = join(dataDir, 'orders.sqlite')
  return {
    name: 'SQLite',
    env: { STORE: 'sqlite', DATA_DIR: dataDir, HOOK_DEADLINE_MS: '1000' },
    refuse: () => holdSqliteLock(path),
    tableText: () => {
      const db = new Database(path, { readonly: true })
      try {
        return Promise.resolve(
          ['orders', 'order_lines', 'pending_updates', 'journal', 'journal_body']
            .map((t) => JSON.stringify(db.prepare(`SELECT * FROM ${t}`).all()))
            .join('\n'),
        )
      } finally {
        db.close()
      }
    },
    cleanup: () => rm(dataDir, { recursive: true, force: true }),
  }
}

const TABLES = ['order_header', 'order_line', 'pending_update', 'journal'] as const

export const sqlServerSharedStore = async (url: string): Promise<SharedStore> => {
  const schema = `sm_test_${randomBytes(5).toString('hex')}`
  const parsed = parseDominoDbSettings({ DOMINO_DB_URL: url, DOMINO_DB_SCHEMA: schema })
  if (E.isLeft(parsed)) throw new Error(`DOMINO_DB_TEST_URL: ${parsed.left.join('; ')}`)
  const settings: DominoDbSettings = parsed.right
  await migrate(settings)
  const admin = await new mssql.ConnectionPool({
    ...mssqlConfig(settings),
    requestTimeout: 60_000,
    pool: { max: 4, min: 0 },
  }).connect()
  admin.on('error', () => undefined)
  return {
    name: 'SQL Server',
    env: {
      STORE: 'domino-db',
      DOMINO_DB_URL: url,
      DOMINO_DB_SCHEMA: schema,
      HOOK_DEADLINE_MS: '4000',
      DOMINO_DB_REQUEST_TIMEOUT_MS: '1500',
    },
    refuse: async (keys) => {
      // The keys' application locks, held by another session: every operation on them waits out its budget.
      const blocker = new mssql.Transaction(admin)
      await blocker.begin()
      for (const key of keys) {
        const granted = await new mssql.Request(blocker)
          .input('r', mssql.NVarChar(255), keyLockResource(schema as SchemaName, key))
          .query<{ rc: number }>(
            `DECLARE @rc INT; EXEC @rc = sp_getapplock @Resource = @r, @LockMode = N'Exclusive', @LockOwner = N'Transaction', @LockTimeout = 0; SELECT @rc AS rc;`,
          )
        if ((granted.recordset[0]?.rc ?? -1) < 0) throw new Error('the test could not take a key lock')
      }
      return { release: () => blocker.rollback() }
    },
    tableText: async () => {
      const texts: string[] = []
      for (const table of TABLES)
        texts.push(JSON.stringify((await admin.request().query(`SELECT * FROM [${schema}].[${table}]`)).recordset))
      return texts.join('\n')
    },
    cleanup: async () => {
      await admin.close()
      await dropTestSchema(settings)
    },
  }
}
