import { expect } from 'chai'
import { FixedClock, StaticTokenVerifier } from '@domino-sm/testkit'

describe('FixedClock', () => {
  it('tells the time it was set to, and moves only when told', () => {
    const clock = new FixedClock(new Date('2026-01-01T00:00:00.000Z'))
    expect(clock.now().toISOString()).to.equal('2026-01-01T00:00:00.000Z')
    clock.advance(1500)
    expect(clock.now().toISOString()).to.equal('2026-01-01T00:00:01.500Z')
    clock.set(new Date('2027-02-03T04:05:06.007Z'))
    expect(clock.now().toISOString()).to.equal('2027-02-03T04:05:06.007Z')
  })

  it('hands out copies', () => {
    const clock = new FixedClock(new Date('2026-01-01T00:00:00.000Z'))
    clock.now().setFullYear(1990)
    expect(clock.now().getUTCFullYear()).to.equal(2026)
  })
})

describe('StaticTokenVerifier', () => {
  const verifier = new StaticTokenVerifier(['old-token', 'new-token', ''])

  it('accepts every listed token', () => {
    expect(verifier.verify('old-token')).to.equal(true)
    expect(verifier.verify('new-token')).to.equal(true)
  })

  it('rejects other, missing and empty tokens, even when an empty one is listed', () => {
    expect(verifier.verify('other')).to.equal(false)
    expect(verifier.verify('old-token ')).to.equal(false)
    expect(verifier.verify(undefined)).to.equal(false)
    expect(verifier.verify('')).to.equal(false)
  })
})
