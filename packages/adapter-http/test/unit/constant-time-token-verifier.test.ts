import { expect } from 'chai'
import { ConstantTimeTokenVerifier } from '@domino-sm/adapter-http'

describe('ConstantTimeTokenVerifier', () => {
  const verifier = new ConstantTimeTokenVerifier(['first-token-0123456789', 'second-token-0123456789'])

  it('accepts each configured token', () => {
    expect(verifier.verify('first-token-0123456789')).to.equal(true)
    expect(verifier.verify('second-token-0123456789')).to.equal(true)
  })

  it('refuses other, longer, shorter, missing and empty tokens', () => {
    for (const token of ['first-token-012345678', 'first-token-01234567890', 'FIRST-TOKEN-0123456789', '', undefined]) {
      expect(verifier.verify(token), String(token)).to.equal(false)
    }
  })

  it('cannot be built without a token', () => {
    expect(() => new ConstantTimeTokenVerifier([])).to.throw('at least one token')
  })
})
