import mssql from 'mssql'
import type { DominoDbSettings } from '../settings/domino-db-settings.js'

/**
 * The mssql configuration of the settings. Choices that matter for the hook:
 * - `abortTransactionOnError`: tedious runs `SET XACT_ABORT ON` when it opens each connection, so that SQL Server
 *   itself rolls back a transaction whose request failed *or was cancelled* (a request timeout sends an attention;
 *   with XACT_ABORT OFF the batch stops but the transaction, and its locks, stay open on the pooled connection).
 *   Every request checks that it is on (`requests.ts`).
 * - `requestTimeout` is only a backstop (`REQUEST_BACKSTOP_MS`): every operation of the store runs under its own budget
 *   (DOMINO_DB_REQUEST_TIMEOUT_MS, `operation-budget.ts`), which cancels the request in flight when it runs out. The
 *   warm-up at start (`open-domino-db-store.ts`) needs longer than one webhook's budget: 10 sessions logging in at
 *   once and running their first statements took over 3 s on the T-SQL test engine.
 * - the pool waits for a free connection no longer than the budget either.
 * - `useUTC`: DATETIMEOFFSET values carry their offset anyway; UTC keeps DATETIME2 (not used) unambiguous.
 * - `packetSize` (`TDS_PACKET_SIZE`): a new order's write is ~10 KB of TDS (its text in UTF-16 and ~80 parameters),
 *   which tedious's default of 4 KB packets sends as three packets, each its own socket write, and a large answer
 *   comes back in as many reads; one packet of 16 KB carries any request of the hook but a very long order's in one
 *   write (counted with a bench of 100 operations per event: 1,996 socket writes before, 792 after, same bytes).
 *   The server may answer a smaller size at login, which tedious then uses.
 */
/** The driver's own limit on one request; the operations' budgets are far shorter. */
export const REQUEST_BACKSTOP_MS = 30_000

/** The TDS packet size the driver asks for at login (SQL Server accepts 512 to 32767; its default is 4096). */
const TDS_PACKET_SIZE = 16_384

export const mssqlConfig = (settings: DominoDbSettings): mssql.config => ({
  server: settings.server,
  ...(settings.port === undefined ? {} : { port: settings.port }),
  database: settings.database,
  user: settings.user,
  password: settings.password,
  connectionTimeout: settings.connectTimeoutMs,
  requestTimeout: REQUEST_BACKSTOP_MS,
  // Checks the socket of a connection before lending it, without a round trip: every request checks the session
  // itself first (the @@TRANCOUNT and XACT_ABORT guard of requests.ts), and an operation that fails midway rolls
  // its transaction back before the connection goes back. SELECT 1 per borrow would be one more round trip.
  validateConnection: 'socket',
  pool: {
    max: settings.poolMax,
    min: settings.poolMin,
    idleTimeoutMillis: 30_000,
    acquireTimeoutMillis: settings.requestTimeoutMs,
  },
  options: {
    encrypt: settings.encrypt,
    trustServerCertificate: settings.trustServerCertificate,
    ...(settings.instanceName === undefined ? {} : { instanceName: settings.instanceName }),
    appName: settings.appName,
    abortTransactionOnError: true,
    useUTC: true,
    enableArithAbort: true,
    packetSize: TDS_PACKET_SIZE,
  },
})

/** For `migrate`: one connection, and DDL may take minutes (an administrator runs it, not the hook's requests). */
export const migrationConfig = (settings: DominoDbSettings): mssql.config => {
  const base = mssqlConfig(settings)
  return {
    ...base,
    requestTimeout: 600_000,
    pool: { max: 1, min: 0, idleTimeoutMillis: 30_000, acquireTimeoutMillis: 60_000 },
  }
}

/** A connected mssql pool and how to close it. */
export interface DominoDbPool {
  readonly pool: mssql.ConnectionPool
  readonly close: () => Promise<void>
}

/**
 * Opens the connection pool: one probe connection is made (mssql does that on `connect`), so that a wrong host or
 * password fails here, at start, with a message that names no secret.
 */
export const openConnectionPool = async (
  settings: DominoDbSettings,
  purpose: 'serve' | 'migrate' = 'serve',
): Promise<DominoDbPool> => {
  const pool = new mssql.ConnectionPool(purpose === 'serve' ? mssqlConfig(settings) : migrationConfig(settings))
  // mssql emits 'error' on the pool when acquiring a connection fails; an EventEmitter with no 'error' listener would
  // throw it out of the process. The failure also rejects the request that asked, which is where it is handled.
  pool.on('error', () => undefined)
  try {
    await pool.connect()
  } catch (error) {
    await pool.close().catch(() => undefined)
    throw new Error(
      `cannot connect to SQL Server ${settings.server} database ${settings.database} as ${settings.user}: ${describeConnectFailure(error)}`,
      { cause: error },
    )
  }
  return { pool, close: () => pool.close() }
}

const describeConnectFailure = (error: unknown): string => {
  const code =
    typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string'
      ? error.code
      : undefined
  switch (code) {
    case 'ELOGIN':
      return 'login failed (check the login, the password and that the login may open the database)'
    case 'ETIMEOUT':
      return 'timed out (check the host, the port and the firewall)'
    case 'ESOCKET':
      return 'the network connection failed (check the host, the port, Encrypt and TrustServerCertificate)'
    case 'EINSTLOOKUP':
      return 'the named instance was not found (is SQL Browser running, or give the port)'
    default:
      return code ?? 'unknown error'
  }
}
