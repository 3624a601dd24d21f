import { expect } from 'chai'
import mssql from 'mssql'
import {
  classifySqlError,
  DeadlineExceeded,
  repositoryErrorOf,
  RowShapeError,
} from '@domino-sm/adapter-domino-db/internals'

/** An error shaped like mssql's RequestError for a SQL Server error number, with a message quoting data. */
const sqlError = (
  number: number,
  message = 'Violation of UNIQUE KEY constraint. The duplicate key value is (Иван Петров, +79001234567).',
): Error => {
  const error = new mssql.RequestError(message, 'EREQUEST')
  error.number = number
  return error
}

const withCode = (code: string): Error =>
  Object.assign(new Error('connection trouble at 10.0.0.5 for user hook'), { code })

describe('classifySqlError', () => {
  it('takes 2627 and 2601 for a duplicate key', () => {
    expect(classifySqlError('createOrGet', sqlError(2627))._tag).to.equal('DuplicateKey')
    expect(classifySqlError('createOrGet', sqlError(2601))._tag).to.equal('DuplicateKey')
  })

  it('takes 1205 for a deadlock victim', () => {
    expect(classifySqlError('applyUpdate', sqlError(1205))._tag).to.equal('Deadlock')
    // sp_getapplock answering -3 (this request chosen as a deadlock victim) is raised as 50004 and retried like 1205.
    expect(classifySqlError('applyUpdate', sqlError(50004))._tag).to.equal('Deadlock')
  })

  it('finds the number through mssql wrappers (TransactionError EABORT with originalError, tedious info)', () => {
    const inner = Object.assign(new Error('deadlocked'), { info: { number: 1205 } })
    const aborted = new mssql.TransactionError(inner, 'EABORT')
    expect(classifySqlError('applyUpdate', aborted)._tag).to.equal('Deadlock')
  })

  const cases: [string, unknown, string][] = [
    ['request timeout', withCode('ETIMEOUT'), 'StoreTimeout'],
    ['cancel', withCode('ECANCEL'), 'StoreTimeout'],
    ['the adapter deadline', new DeadlineExceeded(3000), 'StoreTimeout'],
    ['lock timeout 1222', sqlError(1222), 'StoreTimeout'],
    [
      'no free pooled connection (tarn TimeoutError)',
      Object.assign(new Error('Failed to acquire a connection from the pool'), { name: 'TimeoutError' }),
      'StoreTimeout',
    ],
    ['ESOCKET', withCode('ESOCKET'), 'StoreUnavailable'],
    ['ECONNCLOSED', withCode('ECONNCLOSED'), 'StoreUnavailable'],
    ['ELOGIN', withCode('ELOGIN'), 'StoreUnavailable'],
    ['ENOTOPEN (pool closed)', withCode('ENOTOPEN'), 'StoreUnavailable'],
    ['4060 cannot open database', sqlError(4060), 'StoreUnavailable'],
    ['208 invalid object name', sqlError(208), 'StoreFailure'],
    ['229 permission denied', sqlError(229), 'StoreFailure'],
    ['2628 truncation', sqlError(2628), 'StorePermanent'],
    ['547 a constraint', sqlError(547), 'StorePermanent'],
    ['8115 arithmetic overflow', sqlError(8115), 'StorePermanent'],
    ['241 a date that does not convert', sqlError(241), 'StorePermanent'],
    ['an unreadable row', new RowShapeError('order_header', 'status'), 'StoreFailure'],
    ['something else', new Error('boom'), 'StoreFailure'],
    ['a thrown string', 'boom', 'StoreFailure'],
  ]
  for (const [what, error, tag] of cases) {
    it(`answers ${tag} for ${what}`, () => {
      const failure = classifySqlError('op', error)
      expect(failure._tag).to.equal('Failed')
      if (failure._tag === 'Failed') expect(failure.error._tag).to.equal(tag)
    })
  }

  it('never copies the driver message (it can quote customer data or hosts) into the reason', () => {
    for (const error of [sqlError(2628), sqlError(547), withCode('ESOCKET'), sqlError(2627)]) {
      const reason = repositoryErrorOf('createOrGet', error).reason
      expect(reason).to.match(/^createOrGet: /)
      expect(reason).to.not.contain('Иван')
      expect(reason).to.not.contain('+7900')
      expect(reason).to.not.contain('10.0.0.5')
    }
  })

  it('names the SQL Server error number in the reason', () => {
    expect(repositoryErrorOf('applyUpdate', sqlError(547)).reason).to.equal(
      'applyUpdate: SQL Server error 547 (the same request fails the same way again)',
    )
  })
})
