import { expect } from 'chai'
import Database from 'better-sqlite3'
import {
  classifySqliteError,
  isUniqueViolation,
  primaryCode,
  RowMappingError,
} from '@domino-sm/adapter-sqlite/internals'

const sqliteError = (code: string, message = 'UNIQUE constraint failed: Иван Петров +79990001122') =>
  new Database.SqliteError(message, code)

describe('sqlite error classification', () => {
  it('reduces extended codes to their primary code', () => {
    expect(primaryCode('SQLITE_IOERR_WRITE')).to.equal('SQLITE_IOERR')
    expect(primaryCode('SQLITE_BUSY')).to.equal('SQLITE_BUSY')
  })

  it('answers StoreTimeout when another writer kept the lock past the busy timeout', () => {
    for (const code of ['SQLITE_BUSY', 'SQLITE_BUSY_SNAPSHOT', 'SQLITE_BUSY_RECOVERY']) {
      expect(classifySqliteError('createOrGet', sqliteError(code))._tag, code).to.equal('StoreTimeout')
    }
  })

  it('answers StoreUnavailable for a lock conflict it cannot wait for and for a file that cannot be used now', () => {
    for (const code of [
      'SQLITE_LOCKED',
      'SQLITE_LOCKED_SHAREDCACHE',
      'SQLITE_IOERR_WRITE',
      'SQLITE_FULL',
      'SQLITE_CANTOPEN',
      'SQLITE_READONLY',
      'SQLITE_NOTADB',
    ]) {
      expect(classifySqliteError('applyUpdate', sqliteError(code))._tag, code).to.equal('StoreUnavailable')
    }
  })

  it('answers StoreFailure for constraints, corruption, unreadable rows and anything unexpected', () => {
    for (const code of [
      'SQLITE_CONSTRAINT_UNIQUE',
      'SQLITE_CONSTRAINT_CHECK',
      'SQLITE_CORRUPT',
      'SQLITE_ERROR',
      'SQLITE_MISMATCH',
    ]) {
      expect(classifySqliteError('createOrGet', sqliteError(code))._tag, code).to.equal('StoreFailure')
    }
    expect(classifySqliteError('findOrder', new RowMappingError('orders.status: not a known status'))).to.deep.equal({
      _tag: 'StoreFailure',
      reason: 'sqlite findOrder: unreadable row: orders.status: not a known status',
    })
    expect(classifySqliteError('ping', new TypeError('Иван')).reason).to.equal('sqlite ping: unexpected TypeError')
    expect(classifySqliteError('ping', 'a string').reason).to.equal('sqlite ping: unexpected string')
  })

  it('names the operation and the code, and never copies the driver message', () => {
    const error = classifySqliteError('createOrGet', sqliteError('SQLITE_CONSTRAINT_UNIQUE'))
    expect(error.reason).to.contain('createOrGet').and.to.contain('SQLITE_CONSTRAINT_UNIQUE')
    for (const secret of ['Иван', '+7999', 'constraint failed']) expect(error.reason).not.to.contain(secret)
  })

  it('recognises unique and primary-key violations only', () => {
    expect(isUniqueViolation(sqliteError('SQLITE_CONSTRAINT_UNIQUE'))).to.equal(true)
    expect(isUniqueViolation(sqliteError('SQLITE_CONSTRAINT_PRIMARYKEY'))).to.equal(true)
    expect(isUniqueViolation(sqliteError('SQLITE_CONSTRAINT_CHECK'))).to.equal(false)
    expect(isUniqueViolation(new Error('UNIQUE constraint failed'))).to.equal(false)
  })
})
