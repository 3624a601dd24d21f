import { storeFailure, storePermanent, storeTimeout, storeUnavailable, type RepositoryError } from '@domino-sm/core'
import { CONNECTION_STATE_ERROR, KEY_LOCK_DEADLOCK, KEY_LOCK_NOT_GRANTED } from '../sql/error-numbers.js'

/**
 * What a failure of the driver means for the store. `duplicate-key` and `deadlock` are acted on by the repository
 * (answer the existing order; retry within the budget); everything else becomes a `RepositoryError`: the
 * deterministic refusals (`PERMANENT_NUMBERS`) are `StorePermanent` (answered 500, a person must look), the rest
 * transient (answered 503).
 */
export type SqlFailure =
  | { readonly _tag: 'DuplicateKey' }
  | { readonly _tag: 'Deadlock' }
  | { readonly _tag: 'Failed'; readonly error: RepositoryError }

/** Raised by the adapter itself when an operation runs out of its time budget before or during a statement. */
export class DeadlineExceeded extends Error {
  constructor(readonly budgetMs: number) {
    super(`the store operation ran out of its ${budgetMs} ms budget`)
    this.name = 'DeadlineExceeded'
  }
}

/** Raised when the store has not reached its database yet (it started without it and keeps trying). */
export class NotConnected extends Error {
  constructor() {
    super('the store has not reached SQL Server yet; it keeps trying')
    this.name = 'NotConnected'
  }
}

/** Raised when a row read back does not have the shape the migrations give it; `column` names it, never its value. */
export class RowShapeError extends Error {
  constructor(
    readonly table: string,
    readonly column: string,
  ) {
    super(`${table}.${column} holds a value the adapter cannot read`)
    this.name = 'RowShapeError'
  }
}

/** SQL Server error numbers with a meaning here (sys.messages). */
export const SQL_ERROR = {
  /** Violation of PRIMARY KEY or UNIQUE constraint. */
  uniqueConstraint: 2627,
  /** Cannot insert duplicate key row in object with unique index. */
  uniqueIndex: 2601,
  /** Transaction was deadlocked and has been chosen as the deadlock victim. */
  deadlockVictim: 1205,
  /** Lock request time out period exceeded (SET LOCK_TIMEOUT). */
  lockTimeout: 1222,
  /** Invalid object name: the schema is not migrated, or another schema is configured. */
  invalidObjectName: 208,
  /** The permission was denied on the object: the grants script was not run (230: on a column; 262: CREATE/DDL). */
  permissionDenied: 229,
  columnPermissionDenied: 230,
  statementPermissionDenied: 262,
  /** Cannot open database requested by the login. */
  cannotOpenDatabase: 4060,
  /** The adapter's own check that a pooled connection carries no transaction and has XACT_ABORT ON. */
  connectionStateCheck: CONNECTION_STATE_ERROR,
  /** The adapter's own: sp_getapplock did not grant the order key's lock within what remained of the budget. */
  keyLockNotGranted: KEY_LOCK_NOT_GRANTED,
  /** The adapter's own: sp_getapplock answered -3, this request was chosen as a deadlock victim. */
  keyLockDeadlock: KEY_LOCK_DEADLOCK,
} as const

/**
 * Errors by which SQL Server refuses the same request the same way every time: the data, not the moment, is wrong,
 * so a retry cannot help and a person must look (sys.messages): 547 a CHECK or FOREIGN KEY constraint; 515 NULL
 * into a NOT NULL column; 2628 and 8152 a value longer than its column; 8115 arithmetic overflow; 220 and 232
 * arithmetic overflow of an integer type; 241 and 242 a date or time that does not convert or is out of range;
 * 245, 8114 and 8169 a value that does not convert to the parameter's or the column's type; 8023 and 8016 an RPC
 * parameter the server refused (a value out of its type's range).
 */
export const PERMANENT_NUMBERS: ReadonlySet<number> = new Set([
  547, 515, 2628, 8152, 8115, 220, 232, 241, 242, 245, 8114, 8169, 8023, 8016,
])

const UNAVAILABLE_CODES = new Set([
  'ESOCKET',
  'ECONNCLOSED',
  'ELOGIN',
  'EINSTLOOKUP',
  'ENOTOPEN',
  'ECLOSE',
  'ECONNRESET',
  'ECONNREFUSED',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'EINVALIDSTATE',
  'ENOCONN',
  'EFEDAUTH',
  'EALREADYCONNECTING',
  'EPIPE',
])
const TIMEOUT_CODES = new Set(['ETIMEOUT', 'ECANCEL', 'ETIMEDOUT'])

/** Error numbers by which SQL Server says that it, or the database, cannot serve now. */
const UNAVAILABLE_NUMBERS = new Set<number>([
  SQL_ERROR.cannotOpenDatabase,
  18456,
  233,
  10053,
  10054,
  10060,
  40197,
  40501,
  40613,
  49918,
  49919,
  49920,
])

interface ErrorFacts {
  readonly number?: number
  readonly code?: string
  readonly name?: string
}

const isRecord = (u: unknown): u is Readonly<Record<string, unknown>> => typeof u === 'object' && u !== null

/** The error number, code and class name of a driver error, looking through mssql's `originalError` and `cause` wrappers. */
export const errorFacts = (error: unknown): ErrorFacts => {
  let number: number | undefined
  let code: string | undefined
  let name: string | undefined
  let current: unknown = error
  for (let depth = 0; depth < 6 && isRecord(current); depth += 1) {
    if (number === undefined && typeof current['number'] === 'number' && current['number'] > 0)
      number = current['number']
    if (number === undefined && isRecord(current['info']) && typeof current['info']['number'] === 'number')
      number = current['info']['number']
    // mssql puts the error number into `code` for some drivers; a text code is what tedious and mssql use.
    if (
      code === undefined &&
      typeof current['code'] === 'string' &&
      current['code'] !== 'EREQUEST' &&
      current['code'] !== 'EABORT'
    )
      code = current['code']
    if (name === undefined && typeof current['name'] === 'string') name = current['name']
    const inner =
      current['originalError'] ??
      current['cause'] ??
      (Array.isArray(current['errors']) ? (current['errors'] as readonly unknown[])[0] : undefined)
    current = inner
  }
  return {
    ...(number === undefined ? {} : { number }),
    ...(code === undefined ? {} : { code }),
    ...(name === undefined ? {} : { name }),
  }
}

/**
 * The server error numbers of a failed request, earliest first: mssql reports the last server message of a batch
 * as the error and keeps the earlier ones in `precedingErrors` (a trigger's or a THROW's error can come after the
 * 2627 or 1205 that matters).
 */
export const serverErrorNumbers = (error: unknown): readonly number[] => {
  const preceding =
    isRecord(error) && Array.isArray(error['precedingErrors']) ? (error['precedingErrors'] as readonly unknown[]) : []
  return [...preceding, error].flatMap((e) => {
    const n = errorFacts(e).number
    return n === undefined ? [] : [n]
  })
}

const permissionNumbers = new Set<number>([
  SQL_ERROR.permissionDenied,
  SQL_ERROR.columnPermissionDenied,
  SQL_ERROR.statementPermissionDenied,
])

/**
 * Classifies a failure by SQL Server error number first (over every server error of the request, the decisive
 * ones first), then by the driver's code. `operation` names what failed, for the log; the reason never carries the
 * driver's message, which can quote the data (a duplicate key, a truncated value).
 */
export const classifySqlError = (operation: string, error: unknown): SqlFailure => {
  if (error instanceof DeadlineExceeded)
    return { _tag: 'Failed', error: storeTimeout(`${operation}: over the ${error.budgetMs} ms budget`) }
  if (error instanceof NotConnected)
    return { _tag: 'Failed', error: storeUnavailable(`${operation}: not connected to SQL Server yet`) }
  if (error instanceof RowShapeError)
    return { _tag: 'Failed', error: storeFailure(`${operation}: unreadable ${error.table}.${error.column}`) }
  const facts = errorFacts(error)
  const numbers = serverErrorNumbers(error)
  const has = (...wanted: number[]): boolean => numbers.some((n) => wanted.includes(n))
  if (has(SQL_ERROR.uniqueConstraint, SQL_ERROR.uniqueIndex)) return { _tag: 'DuplicateKey' }
  if (has(SQL_ERROR.deadlockVictim, SQL_ERROR.keyLockDeadlock)) return { _tag: 'Deadlock' }
  if (has(SQL_ERROR.lockTimeout))
    return { _tag: 'Failed', error: storeTimeout(`${operation}: SQL Server error 1222 (lock timeout)`) }
  if (has(SQL_ERROR.keyLockNotGranted))
    return {
      _tag: 'Failed',
      error: storeTimeout(`${operation}: the order key stayed locked longer than the budget (sp_getapplock)`),
    }
  if (has(SQL_ERROR.connectionStateCheck)) {
    return {
      _tag: 'Failed',
      error: storeFailure(`${operation}: a pooled connection had an open transaction; it was rolled back`),
    }
  }
  const permission = numbers.find((n) => permissionNumbers.has(n))
  if (permission !== undefined) {
    return {
      _tag: 'Failed',
      error: storeFailure(`${operation}: SQL Server error ${permission} (permission denied: were the grants applied?)`),
    }
  }
  const permanent = numbers.find((n) => PERMANENT_NUMBERS.has(n))
  if (permanent !== undefined)
    return {
      _tag: 'Failed',
      error: storePermanent(`${operation}: SQL Server error ${permanent} (the same request fails the same way again)`),
    }
  const unavailable = numbers.find((n) => UNAVAILABLE_NUMBERS.has(n))
  if (unavailable !== undefined)
    return { _tag: 'Failed', error: storeUnavailable(`${operation}: SQL Server error ${unavailable}`) }
  if (has(SQL_ERROR.invalidObjectName)) {
    return {
      _tag: 'Failed',
      error: storeFailure(`${operation}: SQL Server error 208 (a table is missing: is the schema migrated?)`),
    }
  }
  const n = numbers[numbers.length - 1] ?? facts.number
  if (n !== undefined) return { _tag: 'Failed', error: storeFailure(`${operation}: SQL Server error ${n}`) }
  if (facts.name === 'TimeoutError')
    return { _tag: 'Failed', error: storeTimeout(`${operation}: no pooled connection became free in time`) }
  if (facts.code !== undefined && TIMEOUT_CODES.has(facts.code))
    return { _tag: 'Failed', error: storeTimeout(`${operation}: ${facts.code}`) }
  if (facts.code !== undefined && UNAVAILABLE_CODES.has(facts.code))
    return { _tag: 'Failed', error: storeUnavailable(`${operation}: ${facts.code}`) }
  return { _tag: 'Failed', error: storeFailure(`${operation}: ${facts.code ?? facts.name ?? 'unknown error'}`) }
}

/** The `RepositoryError` of a failure that is not acted on, for the places that only report. */
export const repositoryErrorOf = (operation: string, error: unknown): RepositoryError => {
  const failure = classifySqlError(operation, error)
  switch (failure._tag) {
    case 'Failed':
      return failure.error
    case 'DuplicateKey':
      return storeFailure(`${operation}: unexpected duplicate key (SQL Server error 2627/2601)`)
    case 'Deadlock':
      return storeFailure(
        `${operation}: a deadlock victim on every try within the budget (SQL Server error 1205, or sp_getapplock -3)`,
      )
  }
}
