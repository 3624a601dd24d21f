import { expect } from 'chai'
import * as E from 'fp-ts/lib/Either.js'
import type { Kopecks, Quantity } from '@domino-sm/core'
import { formatQuantity } from '@domino-sm/core/internals'
import { formatKopecks, parseKopecks } from '../../dist/money/kopecks.js'
import { QUANTITY_SCALE, parseQuantity } from '../../dist/money/quantity.js'
import { formatScaledDecimal, parseScaledDecimal } from '../../dist/money/scaled-decimal.js'

const detailOf = (result: E.Either<{ readonly detail: string }, unknown>): string =>
  E.isLeft(result) ? result.left.detail : 'parsed'

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
    expect(QUANTITY_SCALE).to.equal(3)
  })

  it('formats kopecks back into roubles', () => {
    expect(formatKopecks(12990 as Kopecks)).to.equal('129.9')
    expect(formatKopecks(5 as Kopecks)).to.equal('0.05')
  })

  it('accepts blanks around the text, a comma separator, a sign and trailing zeros beyond the scale', () => {
    expect(parseKopecks(' 129.90 ')).to.deep.equal(E.right(12990))
    expect(parseKopecks('129,9')).to.deep.equal(E.right(12990))
    expect(parseKopecks('+1')).to.deep.equal(E.right(100))
    expect(parseKopecks('1.2300')).to.deep.equal(E.right(123))
    expect(parseKopecks('7.')).to.deep.equal(E.right(700))
    expect(parseKopecks('0')).to.deep.equal(E.right(0))
  })

  it('keeps the sign of negative amounts (the codecs refuse them, not the parser)', () => {
    expect(parseKopecks('-5.5')).to.deep.equal(E.right(-550))
    expect(parseQuantity(-0.25)).to.deep.equal(E.right(-250))
  })

  it('is exact where floats are not', () => {
    for (const [text, kopecks] of [
      ['0.29', 29],
      ['1.005e0', null],
      ['19.99', 1999],
      ['4.35', 435],
      ['1234567.89', 123456789],
    ] as const) {
      const result = parseKopecks(text)
      if (kopecks === null) expect(E.isLeft(result), text).to.equal(true)
      else expect(result, text).to.deep.equal(E.right(kopecks))
    }
    expect(parseKopecks(4.35)).to.deep.equal(E.right(435))
    expect(parseQuantity(0.001)).to.deep.equal(E.right(1))
  })

  it('refuses non-finite numbers, exponents, bare fractions, other types and values beyond safe integers', () => {
    expect(detailOf(parseKopecks(Number.NaN))).to.equal('not a finite number')
    expect(detailOf(parseKopecks(Number.POSITIVE_INFINITY))).to.equal('not a finite number')
    expect(detailOf(parseKopecks(1e21))).to.match(/not a decimal number/)
    expect(detailOf(parseKopecks('.5'))).to.match(/not a decimal number/)
    expect(detailOf(parseKopecks(''))).to.match(/not a decimal number/)
    expect(detailOf(parseKopecks('1 000'))).to.match(/not a decimal number/)
    expect(detailOf(parseKopecks(true))).to.equal('expected a decimal string or a number')
    expect(detailOf(parseKopecks({}))).to.equal('expected a decimal string or a number')
    expect(detailOf(parseKopecks('90071992547409.92'))).to.equal('number too large')
    expect(parseKopecks('90071992547409.91')).to.deep.equal(E.right(Number.MAX_SAFE_INTEGER))
  })

  it('names the places and shortens long text in its problems', () => {
    expect(detailOf(parseQuantity('0.0001'))).to.equal('more than 3 decimal places: "0.0001"')
    const detail = detailOf(parseKopecks('x'.repeat(500)))
    expect(detail.length).to.be.below(80)
    expect(detail).to.contain('…')
  })

  it('formats quantities and any scale back to their shortest text', () => {
    expect(formatQuantity(455 as Quantity)).to.equal('0.455')
    expect(formatQuantity(2000 as Quantity)).to.equal('2')
    expect(formatQuantity(1500 as Quantity)).to.equal('1.5')
    expect(formatScaledDecimal(-5, 2)).to.equal('-0.05')
    expect(formatScaledDecimal(0, 2)).to.equal('0')
    expect(formatScaledDecimal(7, 0)).to.equal('7')
  })

  it('round-trips formatting and parsing', () => {
    for (const value of [0, 1, 9, 10, 99, 100, 12990, 123456789, 5000000001]) {
      expect(parseScaledDecimal(formatScaledDecimal(value, 2), 2), String(value)).to.deep.equal(E.right(value))
      expect(parseScaledDecimal(formatScaledDecimal(value, 3), 3), String(value)).to.deep.equal(E.right(value))
    }
  })
})
