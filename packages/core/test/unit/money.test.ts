import { expect } from 'chai'
import * as E from 'fp-ts/lib/Either.js'
import { formatKopecks, parseKopecks, parseQuantity, type Kopecks } from '@domino-sm/core'

describe('money', () => {
  it('parses decimal strings into exact kopecks', () => {
    expect(parseKopecks('129.90')).to.deep.equal(E.right(12990))
    expect(parseKopecks('500')).to.deep.equal(E.right(50000))
    expect(parseKopecks('0.1')).to.deep.equal(E.right(10))
  })

  it('parses numbers without float rounding', () => {
    // 0.1 + 0.2 style errors: 1.15 * 100 is 114.99999999999999 in floating point.
    expect(parseKopecks(1.15)).to.deep.equal(E.right(115))
  })

  it('refuses text that is not a decimal and more than two places', () => {
    expect(E.isLeft(parseKopecks('12a'))).to.equal(true)
    expect(E.isLeft(parseKopecks('1.001'))).to.equal(true)
    expect(E.isLeft(parseKopecks(null))).to.equal(true)
  })

  it('keeps three places of a weighed quantity', () => {
    expect(parseQuantity('0.455')).to.deep.equal(E.right(455))
    expect(parseQuantity(2)).to.deep.equal(E.right(2000))
  })

  it('formats kopecks back into roubles', () => {
    expect(formatKopecks(12990 as Kopecks)).to.equal('129.9')
    expect(formatKopecks(5 as Kopecks)).to.equal('0.05')
  })
})
