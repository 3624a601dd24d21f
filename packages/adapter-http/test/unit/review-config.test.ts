import { expect } from 'chai'
import * as E from 'fp-ts/lib/Either.js'
import { parseAppConfig } from '@domino-sm/adapter-http'

describe('parseAppConfig: unreadable orders and the expected assembly time', () => {
  it('creates unreadable orders for review and answers no expectedAssemblyTime by default', () => {
    const parsed = parseAppConfig({})
    if (E.isLeft(parsed)) throw new Error(parsed.left.join('; '))
    expect(parsed.right.unreadableOrders).to.equal('review')
    expect(parsed.right).to.not.have.property('expectedAssembly')
  })

  it('reads UNREADABLE_ORDERS=reject and EXPECTED_ASSEMBLY_MINUTES with its offset', () => {
    const parsed = parseAppConfig({
      UNREADABLE_ORDERS: 'Reject',
      EXPECTED_ASSEMBLY_MINUTES: '45',
      EXPECTED_ASSEMBLY_UTC_OFFSET: '+05:00',
    })
    if (E.isLeft(parsed)) throw new Error(parsed.left.join('; '))
    expect(parsed.right.unreadableOrders).to.equal('reject')
    expect(parsed.right.expectedAssembly).to.deep.equal({ minutes: 45, utcOffset: '+05:00' })
    const moscow = parseAppConfig({ EXPECTED_ASSEMBLY_MINUTES: '30' })
    expect(E.isRight(moscow) && moscow.right.expectedAssembly).to.deep.equal({ minutes: 30, utcOffset: '+03:00' })
  })

  it('names every bad value', () => {
    const parsed = parseAppConfig({
      UNREADABLE_ORDERS: 'lenient',
      EXPECTED_ASSEMBLY_MINUTES: '0',
      EXPECTED_ASSEMBLY_UTC_OFFSET: 'MSK',
    })
    expect(E.isLeft(parsed) && parsed.left).to.deep.equal([
      'UNREADABLE_ORDERS must be one of review, reject, got "lenient"',
      'EXPECTED_ASSEMBLY_MINUTES must be a whole number from 1 to 1440, got "0"',
      'EXPECTED_ASSEMBLY_UTC_OFFSET must look like +03:00 or -05:30, got "MSK"',
    ])
  })
})
